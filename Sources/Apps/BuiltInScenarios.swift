import Sockets
import Tracing

/// The scenarios StackLab ships with, each a value of the scenario language.
public enum BuiltInScenarios {
    /// Every built-in scenario's name and one-line summary, in catalogue order.
    public static let catalogue: [(name: String, summary: String)] = [
        ("handshake", "three-way handshake: SYN, SYN+ACK, ACK"),
        ("teardown-client-first", "four-way teardown; the client closes first and waits in TIME-WAIT"),
        ("teardown-server-first", "four-way teardown; the server closes first and waits in TIME-WAIT"),
        ("teardown-late-close", "the server closes 300 ms after end-of-file: the FIN's ACK goes alone first"),
        ("request-response",
         "a 100-byte request, a 1000-byte response and the server's close; the client closes later"),
        ("half-close", "client shuts down writing; server still sends 100 KB, then closes"),
        ("simultaneous-open", "both ends connect to each other at once: SYNs cross"),
        ("simultaneous-close", "both ends close at once: FINs cross, both pass CLOSING"),
        ("syn-lost", "the cable is out for 2 s: the SYN is lost twice and retransmitted"),
        ("connect-refused", "connect to a port nobody listens on: RST, connection refused"),
        ("bulk-transfer", "client sends 1 MiB (--bytes) and closes; windows, cwnd, loss"),
        ("stopped-reader", "linux profile: the server stops reading; zero window, probes, window update"),
        ("many-clients", "five clients connect to one echo server with backlog 2"),
        ("udp-echo", "five datagrams to a UDP echo server and back"),
        ("udp-lossy", "twenty datagrams over a link with loss and reordering"),
        ("udp-closed-port", "linux profile: UDP to closed ports, unconnected (no error) and connected (refused)"),
        ("tcp-vs-udp", "the same 20 messages over TCP and over UDP on a lossy link"),
        ("http-short", "HTTP/1.0: a connection per request; the server closes it"),
        ("http-keepalive", "HTTP/1.1: requests one after another on one connection"),
        ("http-pipelined", "HTTP/1.1: requests written at once, answered in order"),
        ("long-socket", "one long connection: framed requests, no HTTP headers"),
        ("heartbeat", "PING every 1 s; cable out 10-20 s: detected, reconnected"),
        ("dead-peer", "cable pulled: heartbeats vs keepalive vs neither, to 3 h"),
        ("polling", "chat by HTTP polling every 1 s: most answers are empty"),
        ("long-polling", "chat by long polling: the server holds each request"),
        ("websocket-chat", "chat pushed over one WebSocket connection"),
        ("websocket", "WebSocket echo: handshake, masked frames, ping, close"),
        ("mqtt-chat", "MQTT: three clients in a room, one on a lossy mobile link"),
    ]

    public static var names: [String] { catalogue.map(\.name) }

    /// The named scenario with `overrides` applied, or nil for an unknown name.
    public static func scenario(named name: String, overrides: ScenarioOverrides = ScenarioOverrides()) -> Scenario? {
        guard let summary = catalogue.first(where: { $0.name == name })?.summary else { return nil }
        let steps: [ScenarioStep]
        var hosts = ["client", "server"]
        var link = LinkSpec()
        var timeLimit = ScenarioLanguage.defaultTimeLimit
        var profile = StackProfile.textbook
        let ms: Int64 = 1_000_000
        switch name {
        case "handshake":
            steps = [
                ScenarioStep(.at(0), "server", .listen(port: 80, backlog: 128, echo: false)),
                ScenarioStep(.at(0), "client", .connect(host: "server", port: 80, localPort: 0)),
            ]
        case "teardown-client-first":
            steps = openAndSend(bytes: overrides.bytes ?? 0) + [
                ScenarioStep(.on(.connected, delay: 100 * ms), "client", .close),
                ScenarioStep(.on(.peerFinished, delay: 0), "server", .close),
            ]
        case "teardown-server-first":
            steps = openAndSend(bytes: overrides.bytes ?? 0) + [
                ScenarioStep(.on(.accepted, delay: 100 * ms), "server", .close),
                ScenarioStep(.on(.peerFinished, delay: 0), "client", .close),
            ]
        case "teardown-late-close":
            // On Linux the ACK of the FIN waits for the delayed-ACK timer (no data yet: one tick).
            steps = openAndSend(bytes: overrides.bytes ?? 0) + [
                ScenarioStep(.on(.connected, delay: 100 * ms), "client", .close),
                ScenarioStep(.on(.peerFinished, delay: 300 * ms), "server", .close),
            ]
        case "request-response":
            // On Linux the client's ACK of the server's FIN waits for the 40 ms delayed-ACK timer.
            steps = openAndSend(bytes: overrides.bytes ?? 100) + [
                ScenarioStep(.on(.accepted, delay: 10 * ms), "server", .send(count: 1000)),
                ScenarioStep(.on(.accepted, delay: 10 * ms), "server", .close),
                ScenarioStep(.on(.peerFinished, delay: 300 * ms), "client", .close),
            ]
        case "half-close":
            steps = openAndSend(bytes: 1000) + [
                ScenarioStep(.on(.connected, delay: 50 * ms), "client", .shutdownWrite),
                ScenarioStep(.on(.peerFinished, delay: 0), "server", .send(count: overrides.bytes ?? 100_000)),
                ScenarioStep(.on(.peerFinished, delay: 0), "server", .close),
                ScenarioStep(.on(.peerFinished, delay: 0), "client", .close),
            ]
        case "simultaneous-open":
            steps = [
                ScenarioStep(.at(0), "client", .connect(host: "server", port: 6000, localPort: 5000)),
                ScenarioStep(.at(0), "server", .connect(host: "client", port: 5000, localPort: 6000)),
            ]
        case "simultaneous-close":
            steps = openAndSend(bytes: 0) + [
                ScenarioStep(.at(200 * ms), "client", .close),
                ScenarioStep(.at(200 * ms), "server", .close),
            ]
        case "syn-lost":
            link.partitions = [TimeSpan(from: 0, to: 2_000 * ms)]
            steps = openAndSend(bytes: 0)
        case "connect-refused":
            steps = [ScenarioStep(.at(0), "client", .connect(host: "server", port: 81, localPort: 0))]
        case "bulk-transfer":
            steps = openAndSend(bytes: overrides.bytes ?? 1_048_576) + [
                ScenarioStep(.on(.connected, delay: 0), "client", .close),
                ScenarioStep(.on(.peerFinished, delay: 0), "server", .close),
            ]
        case "many-clients":
            hosts = ["server"] + (1...5).map { "client\($0)" }
            steps = [ScenarioStep(.at(0), "server", .listen(port: 80, backlog: 2, echo: true))]
                + (1...5).flatMap { number in
                    let client = "client\(number)"
                    return [
                        ScenarioStep(.at(Int64(number) * 5 * ms), client, .connect(host: "server", port: 80, localPort: 0)),
                        ScenarioStep(.on(.connected, delay: 0), client, .send(count: overrides.bytes ?? 1000)),
                        ScenarioStep(.on(.connected, delay: 0), client, .shutdownWrite),
                        ScenarioStep(.on(.peerFinished, delay: 0), client, .close),
                    ]
                }
        case "udp-echo":
            steps = [
                ScenarioStep(.at(0), "server", .bindUDP(port: 7, echo: true)),
                ScenarioStep(.at(10 * ms), "client", .sendDatagrams(host: "server", port: 7, count: 5, size: 64, interval: 100 * ms)),
            ]
        case "udp-lossy":
            link.lossPPM = 100_000
            link.reorderPPM = 100_000
            link.jitter = 5 * ms
            steps = [
                ScenarioStep(.at(0), "server", .bindUDP(port: 9, echo: false)),
                ScenarioStep(.at(10 * ms), "client", .sendDatagrams(host: "server", port: 9, count: 20, size: 100, interval: 5 * ms)),
            ]
        case "stopped-reader":
            // Linux's receive buffer (TCPLinuxReceiveWindow): the window closes to a true zero while
            // the application does not read, the sender probes it, and reading reopens it.
            profile = .linux
            steps = openAndSend(bytes: overrides.bytes ?? 150_000) + [
                ScenarioStep(.on(.accepted, delay: 0), "server", .pauseReading(true)),
                ScenarioStep(.on(.accepted, delay: 1000 * ms), "server", .pauseReading(false)),
                ScenarioStep(.on(.connected, delay: 1500 * ms), "client", .close),
                ScenarioStep(.on(.peerFinished, delay: 0), "server", .close),
            ]
        case "udp-closed-port":
            // Linux's rule: a port unreachable reaches only a connected socket, as ECONNREFUSED.
            profile = .linux
            steps = [
                ScenarioStep(.at(0), "server", .bindUDP(port: 7, echo: false)),
                ScenarioStep(.at(10 * ms), "client", .sendDatagrams(host: "server", port: 9999, count: 1, size: 100,
                                                                    interval: 0)),
                ScenarioStep(.at(15 * ms), "client", .connectUDP(host: "server", port: 9998)),
                ScenarioStep(.at(20 * ms), "client", .sendDatagrams(host: "server", port: 9998, count: 1, size: 1000,
                                                                    interval: 0)),
            ]
        case "tcp-vs-udp":
            link.lossPPM = 100_000
            steps = [
                ScenarioStep(.at(0), "server", .bindUDP(port: 9, echo: false)),
                ScenarioStep(.at(10 * ms), "client", .sendDatagrams(host: "server", port: 9, count: 20, size: 100, interval: 5 * ms)),
            ] + openAndSend(bytes: 2000) + [
                ScenarioStep(.on(.connected, delay: 0), "client", .close),
                ScenarioStep(.on(.peerFinished, delay: 0), "server", .close),
            ]
        case "http-short", "http-keepalive", "http-pipelined":
            let requests = overrides.requests ?? 5
            var client = HTTPClientSettings(host: "server", port: 80, path: "/index.html", count: requests)
            if name == "http-short" { client.version = .http1_0 }
            if name == "http-pipelined" { client.pipeline = requests }
            steps = [
                ScenarioStep(.at(0), "server", .application(.httpServer(port: 80, idleTimeout: 5_000 * ms))),
                ScenarioStep(.at(0), "client", .application(.httpClient(client))),
            ]
        case "long-socket":
            steps = [
                ScenarioStep(.at(0), "server", .application(.longSocketServer(port: 7000, heartbeat: nil))),
                ScenarioStep(.at(0), "client", .application(.longSocketClient(LongSocketClientSettings(
                    host: "server", port: 7000, path: "/index.html", count: overrides.requests ?? 5)))),
            ]
        case "heartbeat":
            let heartbeat = HeartbeatSettings(interval: 1_000 * ms, missLimit: 3)
            link.partitions = [TimeSpan(from: 10_000 * ms, to: 20_000 * ms)]
            timeLimit = 30_000 * ms
            steps = [
                ScenarioStep(.at(0), "server", .application(.longSocketServer(port: 7000, heartbeat: heartbeat))),
                ScenarioStep(.at(0), "client", .application(.longSocketClient(LongSocketClientSettings(
                    host: "server", port: 7000, heartbeat: heartbeat,
                    reconnect: ReconnectSettings(base: 1_000 * ms, cap: 30_000 * ms))))),
                ScenarioStep(.every(5_000 * ms, from: 2_500 * ms, until: 30_000 * ms), "client",
                             .application(.message(bytes: 32))),
            ]
        case "dead-peer":
            hosts = ["server", "hb-client", "ka-client", "plain-client"]
            timeLimit = 3 * 3_600_000 * ms
            let client = LongSocketClientSettings(host: "server", port: 7000)
            var beating = client
            beating.heartbeat = HeartbeatSettings(interval: 1_000 * ms, missLimit: 3)
            var probing = client
            probing.keepalive = .linuxDefaults
            steps = [
                ScenarioStep(.at(0), "server", .application(.longSocketServer(port: 7000, heartbeat: nil))),
                ScenarioStep(.at(0), "hb-client", .application(.longSocketClient(beating))),
                ScenarioStep(.at(0), "ka-client", .application(.longSocketClient(probing))),
                ScenarioStep(.at(0), "plain-client", .application(.longSocketClient(client))),
                ScenarioStep(.at(10_000 * ms), "server", .link(up: false)),
            ]
        case "polling", "long-polling", "websocket-chat":
            // The same messages (the feed is seeded by the server's name) delivered three ways.
            let messages = overrides.messages ?? 5
            link.rtt = 100 * ms
            let reader: ApplicationOperation = switch name {
            case "polling":
                .pollClient(PollClientSettings(host: "server", port: 80, interval: overrides.interval ?? 1_000 * ms,
                                               count: messages))
            case "long-polling":
                .pollClient(PollClientSettings(host: "server", port: 80, interval: nil, count: messages))
            default:
                .webSocketClient(WebSocketClientSettings(host: "server", port: 80, count: messages))
            }
            steps = [
                ScenarioStep(.at(0), "server", .application(.chatServer(ChatServerSettings(
                    feed: ChatFeedSettings(count: messages, meanGap: 2_000 * ms))))),
                ScenarioStep(.at(0), "client", .application(reader)),
            ]
        case "websocket":
            let messages = overrides.messages ?? 3
            steps = [
                ScenarioStep(.at(0), "server", .application(.webSocketEchoServer(port: 80))),
                ScenarioStep(.at(0), "client", .application(.webSocketClient(WebSocketClientSettings(
                    host: "server", port: 80, path: "/echo", count: messages, sends: messages,
                    sendInterval: 1_000 * ms, pingInterval: 2_500 * ms)))),
            ]
        case "mqtt-chat":
            hosts = ["broker", "alice", "bob", "carol"]
            link.rtt = 100 * ms
            link.hostLinks = [HostLinkSpec(host: "carol", lossPPM: 200_000,
                                           partitions: [TimeSpan(from: 30_000 * ms, to: 60_000 * ms)])]
            timeLimit = 60_000 * ms
            let messages = overrides.messages ?? 5
            func client(_ name: String, from: Int64) -> ScenarioStep {
                ScenarioStep(.at(0), name, .application(.mqttClient(MQTTClientSettings(
                    host: "broker", port: 1883, clientID: name, keepAlive: 10, willTopic: "chat/room1/presence",
                    subscriptions: ["chat/room1/#"], publishes: messages, publishInterval: 2_000 * ms, publishFrom: from,
                    publishTopic: "chat/room1", qos: 1, retryInterval: 2_000 * ms))))
            }
            steps = [
                ScenarioStep(.at(0), "broker", .application(.mqttBroker(port: 1883))),
                client("alice", from: 1_000 * ms),
                client("bob", from: 1_500 * ms),
                client("carol", from: 2_000 * ms),
                ScenarioStep(.at(45_000 * ms), "alice", .application(.mqttDisconnect)),
                ScenarioStep(.at(45_000 * ms), "bob", .application(.mqttDisconnect)),
            ]
        default:
            return nil
        }
        var scenario = Scenario(name: name, summary: summary, hosts: hosts, link: link, steps: steps,
                                timeLimit: timeLimit)
        scenario.profile = profile
        return overrides.applied(to: scenario)
    }

    /// Server listens on 80, client connects, then sends `bytes` once connected (if any).
    private static func openAndSend(bytes: Int) -> [ScenarioStep] {
        var steps = [
            ScenarioStep(.at(0), "server", .listen(port: 80, backlog: 128, echo: false)),
            ScenarioStep(.at(0), "client", .connect(host: "server", port: 80, localPort: 0)),
        ]
        if bytes > 0 { steps.append(ScenarioStep(.on(.connected, delay: 0), "client", .send(count: bytes))) }
        return steps
    }
}
