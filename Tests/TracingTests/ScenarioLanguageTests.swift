import Apps
import Simulation
import Sockets
import Testing
import Tracing

@Suite("The scenario language")
struct ScenarioLanguageTests {
    @Test(arguments: BuiltInScenarios.names)
    func builtInRoundTrips(_ name: String) throws {
        let scenario = BuiltInScenarios.scenario(named: name)!
        let text = ScenarioLanguage.format(scenario)
        let parsed = try ScenarioLanguage.parse(text, file: "\(name).scn")
        #expect(parsed == scenario)
        #expect(ScenarioLanguage.format(parsed) == text)
    }

    @Test func randomScenariosRoundTrip() throws {
        var random = SplitMix64(seed: 2024)
        for round in 0..<200 {
            let scenario = RandomScenario.make(using: &random)
            let text = ScenarioLanguage.format(scenario)
            do {
                let parsed = try ScenarioLanguage.parse(text, file: "random.scn")
                #expect(parsed == scenario, "round \(round):\n\(text)")
            } catch {
                Issue.record("round \(round): \(error)\n\(text)")
            }
        }
    }

    @Test func theReadmeExampleParses() throws {
        let text = """
            # comment
            scenario my-handshake "a handshake over a slow link"
            seed 7
            profile textbook
            hosts client server
            link rtt 100ms loss 1% jitter 2ms bandwidth 10mbit mtu 1500
            link partition 2s..3s
            at 0 server listen 80
            at 10ms client connect server:80   # from an ephemeral port
            on connected client send 1000
            on connected+50ms client close
            on peer-finished server close
            at 2s link down
            """
        let ms: Int64 = 1_000_000
        let expected = Scenario(
            name: "my-handshake", summary: "a handshake over a slow link", seed: 7, profile: .textbook,
            hosts: ["client", "server"],
            link: LinkSpec(rtt: 100 * ms, jitter: 2 * ms, bandwidth: 10_000_000, lossPPM: 10_000, mtu: 1500,
                           partitions: [TimeSpan(from: 2_000 * ms, to: 3_000 * ms)]),
            steps: [
                ScenarioStep(.at(0), "server", .listen(port: 80, backlog: 128, echo: false)),
                ScenarioStep(.at(10 * ms), "client", .connect(host: "server", port: 80, localPort: 0)),
                ScenarioStep(.on(.connected, delay: 0), "client", .send(count: 1000)),
                ScenarioStep(.on(.connected, delay: 50 * ms), "client", .close),
                ScenarioStep(.on(.peerFinished, delay: 0), "server", .close),
                ScenarioStep(.at(2_000 * ms), "client", .link(up: false)),
            ])
        #expect(try ScenarioLanguage.parse(text, file: "my.scn") == expected)
    }

    @Test func everyOperationParses() throws {
        let text = """
            scenario all
            hosts a b
            time-limit 90s
            at 0 b listen 80 backlog 2 echo
            at 1us a connect b:80 from 5000
            on accepted b pause-reading
            on accepted+1.5s b resume-reading
            on connected a shutdown
            on closed a abort
            on error a close
            at 0 b udp bind 7 echo
            at 0 b udp bind 9
            at 3ms a udp send b:7 count 5 size 64 interval 100ms
            at 4s b link up
            """
        let scenario = try ScenarioLanguage.parse(text, file: "all.scn")
        #expect(scenario.timeLimit == 90_000_000_000)
        #expect(scenario.steps.map(\.operation) == [
            .listen(port: 80, backlog: 2, echo: true), .connect(host: "b", port: 80, localPort: 5000),
            .pauseReading(true), .pauseReading(false), .shutdownWrite, .abort, .close, .bindUDP(port: 7, echo: true),
            .bindUDP(port: 9, echo: false), .sendDatagrams(host: "b", port: 7, count: 5, size: 64, interval: 100_000_000),
            .link(up: true),
        ])
        #expect(scenario.steps[3].trigger == .on(.accepted, delay: 1_500_000_000))
        #expect(scenario.steps[10].host == "b")
    }

    @Test func applicationsKeepaliveAndEveryParse() throws {
        let text = """
            scenario apps
            hosts client server
            at 0 server serve http
            at 0 server serve http port 8080 idle 2.5s
            at 0 server serve long-socket heartbeat every 1s miss 3
            at 0 client http server:80 get /index.html count 10 version 1.0
            at 0 client http server:8080 get /echo?x=1 pipeline 4
            at 0 client long-socket server:7000 get /hello.txt count 3 heartbeat every 500ms miss 2 reconnect 1s..30s keepalive linux
            on connected client keepalive 10s 1s 3
            on connected client keepalive off
            every 5s from 2s until 30s client message 32
            every 1s link down
            every 1s from 3s client keepalive off
            """
        let scenario = try ScenarioLanguage.parse(text, file: "apps.scn")
        let s: Int64 = 1_000_000_000
        #expect(scenario.steps.map(\.operation) == [
            .application(.httpServer(port: 80, idleTimeout: 5 * s)),
            .application(.httpServer(port: 8080, idleTimeout: 2_500_000_000)),
            .application(.longSocketServer(port: 7000, heartbeat: HeartbeatSettings(interval: s, missLimit: 3))),
            .application(.httpClient(HTTPClientSettings(host: "server", port: 80, path: "/index.html", count: 10,
                                                        version: .http1_0))),
            .application(.httpClient(HTTPClientSettings(host: "server", port: 8080, path: "/echo?x=1", pipeline: 4))),
            .application(.longSocketClient(LongSocketClientSettings(
                host: "server", port: 7000, path: "/hello.txt", count: 3,
                heartbeat: HeartbeatSettings(interval: s / 2, missLimit: 2), reconnect: ReconnectSettings(base: s, cap: 30 * s),
                keepalive: .linuxDefaults))),
            .keepalive(SocketKeepalive(idle: 10 * s, interval: s, probes: 3)),
            .keepalive(nil),
            .application(.message(bytes: 32)),
            .link(up: false),
            .keepalive(nil),
        ])
        #expect(scenario.steps[8].trigger == .every(5 * s, from: 2 * s, until: 30 * s))
        #expect(scenario.steps[9].trigger == .every(s, from: 0, until: nil))
        #expect(scenario.steps[10].trigger == .every(s, from: 3 * s, until: nil) && scenario.steps[10].host == "client")
        #expect(try ScenarioLanguage.parse(ScenarioLanguage.format(scenario), file: "again.scn") == scenario)
        // A host may be called `from` or `until`: a keyword is one only when a duration follows.
        let hosts = try ScenarioLanguage.parse("scenario h\nhosts from until\nevery 1s from 2s from close\nevery 1s until abort\n",
                                               file: "h.scn")
        #expect(hosts.steps.map(\.host) == ["from", "until"])
        #expect(hosts.steps.map(\.trigger) == [.every(s, from: 2 * s, until: nil), .every(s, from: 0, until: nil)])
    }

    @Test func quantitiesAreExact() {
        #expect(Quantity.duration("0.1s") == 100_000_000)
        #expect(Quantity.duration("1.000000001s") == 1_000_000_001)
        #expect(Quantity.duration("0.5ns") == nil)
        #expect(Quantity.duration("10") == nil)
        #expect(Quantity.duration("99999999999s") == nil)  // overflows Int64 nanoseconds
        #expect(Quantity.probability("0.0001%") == 1)
        #expect(Quantity.probability("0.1") == 100_000)
        #expect(Quantity.probability("250ppm") == 250)
        #expect(Quantity.bandwidth("1.5g") == 1_500_000_000)
        #expect(Quantity.bandwidth("64kbit") == 64_000)
        #expect(Quantity.bandwidth("10mbps") == 10_000_000)
        #expect(Quantity.probabilityText(12_345) == "1.2345%")
        #expect(Quantity.durationText(1_500_000_000) == "1500ms")
    }

    static let prelude = "scenario t \"x\"\nhosts client server\n"

    /// (text, the error's exact description)
    static let errors: [(String, String)] = [
        (prelude + "at 10xs client connect server:80\n", #"e.scn:3:4: expected a duration like 10ms or 1.5s, found "10xs""#),
        (prelude + "at 0 clent close\n", #"e.scn:3:6: unknown host "clent"; the hosts are client, server"#),
        ("scenario t \"x\"\nhosts client server client\n", #"e.scn:2:21: duplicate host "client""#),
        (prelude + "at 0 client connect server:70000\n", "e.scn:3:28: port 70000 is out of range (1 to 65535)"),
        (prelude + "link loss 150%\n", "e.scn:3:11: loss 150% is over 100%"),
        (prelude + "lnk rtt 10ms\n",
         #"e.scn:3:1: expected a statement (scenario, seed, profile, hosts, link, time-limit, at, on, every), found "lnk""#),
        ("seed 1\n", #"e.scn:1:1: expected 'scenario NAME "SUMMARY"' as the first statement, found "seed""#),
        ("scenario t \"x\n", #"e.scn:1:12: unterminated string: expected '"' before the end of the line"#),
        (prelude + "on conected client close\n",
         #"e.scn:3:4: expected an event (connected, accepted, peer-finished, closed, error), found "conected""#),
        (prelude + "on connected+5x client close\n", #"e.scn:3:14: expected a duration like 10ms or 1.5s, found "5x""#),
        ("\n# no hosts\nscenario t \"x\"\nat 0 server close\n",
         "e.scn:3:1: the scenario has no hosts: expected a 'hosts NAME...' line"),
        (prelude + "link partition 3s..2s\n", "e.scn:3:16: the partition must end after it starts (3s is not before 2s)"),
        (prelude + "at 0 server listen   # no port\n", "e.scn:3:19: expected a port (1 to 65535), found end of line"),
        (prelude + "at 0.5ns client close\n", #"e.scn:3:4: expected a duration like 10ms or 1.5s, found "0.5ns""#),
        (prelude + "at 0 client connect srv:80\n", #"e.scn:3:21: unknown host "srv"; the hosts are client, server"#),
        (prelude + "profile bsd\n", #"e.scn:3:9: expected a profile (textbook, linux, small-buffer), found "bsd""#),
        (prelude + "at 0 client close now\n", #"e.scn:3:19: unexpected "now" at the end of the statement"#),
        (prelude + "link mtu 20\n", "e.scn:3:10: MTU 20 is out of range (68 to 65535)"),
        (prelude + "link loss 1.5x\n", #"e.scn:3:11: expected a probability like 1%, 0.5% or 0.01, found "1.5x""#),
        (prelude + "at 0 client udp send server:7 size 10\n", "e.scn:3:38: expected 'count N'"),
        ("", "e.scn:1:1: expected 'scenario NAME \"SUMMARY\"', found end of file"),
        (prelude + "every 0 client close\n", "e.scn:3:7: the interval must be more than 0"),
        (prelude + "every 1s from 5s until 2s client close\n", "e.scn:3:24: 'until' must come after 'from' (2s is not after 5s)"),
        (prelude + "at 0 client keepalive 10s 1s\n", "e.scn:3:29: expected a probe count (1 to 127), found end of line"),
        (prelude + "at 0 client keepalive 10s 0 3\n", "e.scn:3:27: the keepalive interval must be more than 0"),
        (prelude + "at 0 server serve ftp\n", #"e.scn:3:19: expected 'http', 'long-socket', 'chat', 'websocket' or 'mqtt', found "ftp""#),
        (prelude + "at 0 server serve http idle 0\n", "e.scn:3:29: the idle timeout must be more than 0"),
        (prelude + "at 0 client http server:80 get index.html\n",
         #"e.scn:3:32: expected a path like /index.html (visible ASCII, starting with '/'), found "index.html""#),
        (prelude + "at 0 client http server:80 fetch /\n", #"e.scn:3:28: expected 'get PATH', found "fetch""#),
        (prelude + "at 0 client http server:80 get / count 0\n", "e.scn:3:40: 0 is out of range (1 to 1000000)"),
        (prelude + "at 0 client http server:80 get / version 2\n", #"e.scn:3:42: expected HTTP version 1.0 or 1.1, found "2""#),
        (prelude + "at 0 client http server:80 get / version 1.0 pipeline 4\n",
         "e.scn:3:46: pipelining needs persistent connections: HTTP/1.1 (RFC 9112 §9.3.2)"),
        (prelude + "at 0 client http svr:80 get /\n", #"e.scn:3:18: unknown host "svr"; the hosts are client, server"#),
        (prelude + "at 0 client long-socket server:7000 count 3\n", "e.scn:3:37: 'count' needs 'get PATH': count what?"),
        (prelude + "at 0 client long-socket server:7000 heartbeat every 1s\n", "e.scn:3:55: expected 'miss K', found end of line"),
        (prelude + "at 0 client long-socket server:7000 heartbeat every 1s miss 0\n",
         "e.scn:3:61: 0 is out of range (1 to 1000)"),
        (prelude + "at 0 client long-socket server:7000 reconnect 5s..1s\n",
         "e.scn:3:47: the reconnect range must end after it starts (5s is not before 1s)"),
        (prelude + "at 0 client message lots\n", #"e.scn:3:21: expected a message size in bytes (0 to 1048576), found "lots""#),
        // Chat, WebSocket, MQTT (issue 13) and host links.
        (prelude + "at 0 server serve chat messages 3 each 1s\n", #"e.scn:3:35: expected 'every D' after the number of messages, found "each""#),
        (prelude + "at 0 server serve chat hold 0\n", "e.scn:3:29: the hold time must be more than 0"),
        (prelude + "at 0 client poll server:80 count 3\n", "e.scn:3:35: expected 'every D': how often to poll"),
        (prelude + "at 0 client long-poll server:80 every 1s\n", #"e.scn:3:33: expected 'count N', found "every""#),
        (prelude + "at 0 client websocket server:80 ping 1s\n", #"e.scn:3:38: expected 'every D' after 'ping', found "1s""#),
        (prelude + "at 0 client websocket server:80 path chat\n",
         #"e.scn:3:38: expected a path like /index.html (visible ASCII, starting with '/'), found "chat""#),
        (prelude + "at 0 client mqtt server:1883 id c\n", #"e.scn:3:30: expected 'client ID', found "id""#),
        (prelude + "at 0 client mqtt server:1883 client c qos 2\n", "e.scn:3:43: 2 is out of range (0 to 1)"),
        (prelude + "at 0 client mqtt server:1883 client c subscribe \"a/#/b\"\n",
         #"e.scn:3:49: '#' must be the whole last level of a filter (MQTT §4.7.1.2): "a/#/b""#),
        (prelude + "at 0 client mqtt server:1883 client c publish 1 every 1s topic a/+\n",
         #"e.scn:3:64: a topic name has no wildcards (+, #): "a/+""#),
        (prelude + "at 0 client mqtt server:1883 client c will \"\"\n",
         #"e.scn:3:44: expected a topic of visible ASCII characters, found """#),
        (prelude + "link client bandwidth 1mbit\n", #"e.scn:3:13: expected 'loss P' or 'partition D..D' for client's link, found "bandwidth""#),
        (prelude + "link client loss 120%\n", "e.scn:3:18: loss 120% is over 100%"),
    ]

    @Test(arguments: errors.indices)
    func errorsNameLineAndColumn(_ index: Int) {
        let (text, expected) = Self.errors[index]
        do {
            let scenario = try ScenarioLanguage.parse(text, file: "e.scn")
            Issue.record("accepted: \(scenario)")
        } catch {
            #expect(error.description == expected)
        }
    }
}

/// Seeded random scenarios covering every field of the AST.
enum RandomScenario {
    static func make(using random: inout SplitMix64) -> Scenario {
        func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &random)] }
        func chance() -> Bool { Bool.random(using: &random) }
        func duration() -> Int64 {
            let unit: Int64 = pick([1, 1_000, 1_000_000, 1_000_000_000, 7])
            return Int64.random(in: 0...5_000, using: &random) * unit
        }
        func ppm() -> Int { pick([0, 1, 10_000, 1_000_000, Int.random(in: 0...1_000_000, using: &random)]) }
        func port() -> UInt16 { UInt16.random(in: 1...65535, using: &random) }
        let pool = ["client", "server", "h1", "node-2", "a_b", "x.y", "R2D2"]
        var hosts: [String] = []
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let host = pick(pool)
            if !hosts.contains(host) { hosts.append(host) }
        }
        var link = LinkSpec()
        if chance() { link.rtt = duration() }
        if chance() { link.jitter = duration() }
        if chance() { link.bandwidth = pick([0, 1, 999, 64_000, 10_000_000, 1_500_000_000, Int64.random(in: 0...1 << 40, using: &random)]) }
        link.lossPPM = ppm()
        link.duplicatePPM = ppm()
        link.reorderPPM = ppm()
        link.corruptPPM = ppm()
        if chance() { link.mtu = Int.random(in: 68...65535, using: &random) }
        for _ in 0..<Int.random(in: 0...2, using: &random) {
            let from = duration()
            link.partitions.append(TimeSpan(from: from, to: from + 1 + duration()))
        }
        if chance() { link.queuePackets = pick([1, 100, Int.random(in: 1...1_000_000_000, using: &random)]) }
        for host in hosts where chance() { link.senderLoss.append(SenderLoss(host: host, lossPPM: ppm())) }
        var steps: [ScenarioStep] = []
        for _ in 0..<Int.random(in: 0...10, using: &random) {
            let trigger: ScenarioTrigger
            switch Int.random(in: 0..<3, using: &random) {
            case 0: trigger = .at(duration())
            case 1: trigger = .on(pick(ScenarioEvent.allCases), delay: chance() ? 0 : duration())
            default:
                let from = chance() ? 0 : duration()
                trigger = .every(1 + duration(), from: from, until: chance() ? nil : from + 1 + duration())
            }
            let operation: ScenarioOperation
            switch Int.random(in: 0..<14, using: &random) {
            case 0: operation = .listen(port: port(), backlog: pick([128, 0, 2, 65535]), echo: chance())
            case 1: operation = .connect(host: pick(hosts), port: port(), localPort: chance() ? 0 : port())
            case 2: operation = .send(count: Int.random(in: 0...InputLimits.bytesPerSend, using: &random))
            case 3: operation = pick([.shutdownWrite, .close, .abort])
            case 4: operation = .pauseReading(chance())
            case 5: operation = .bindUDP(port: port(), echo: chance())
            case 6, 7:
                operation = .sendDatagrams(host: pick(hosts), port: port(), count: Int.random(in: 0...100, using: &random),
                                           size: Int.random(in: 0...65507, using: &random), interval: chance() ? 0 : duration())
            case 10:
                operation = .keepalive(chance() ? nil : SocketKeepalive(idle: 1 + duration(), interval: 1 + duration(),
                                                                       probes: Int.random(in: 1...127, using: &random)))
            case 11:
                let heartbeat = chance() ? nil : HeartbeatSettings(interval: 1 + duration(),
                                                                   missLimit: Int.random(in: 1...1000, using: &random))
                operation = .application(chance() ? .httpServer(port: port(), idleTimeout: 1 + duration())
                                         : chance() ? .longSocketServer(port: port(), heartbeat: heartbeat)
                                         : .message(bytes: Int.random(in: 0...1_048_576, using: &random)))
            case 12:
                let version = pick(HTTPClientVersion.allCases)
                operation = .application(.httpClient(HTTPClientSettings(
                    host: pick(hosts), port: port(), path: pick(["/", "/index.html", "/a?b=c&d=%20", "/~x/y.z"]),
                    count: Int.random(in: 1...1_000_000, using: &random), version: version,
                    pipeline: version == .http1_0 ? 1 : pick([1, 2, 1000]))))
            case 13:
                let path: String? = chance() ? nil : pick(["/", "/hello.txt"])
                operation = .application(.longSocketClient(LongSocketClientSettings(
                    host: pick(hosts), port: port(), path: path,
                    count: path == nil ? 0 : Int.random(in: 1...1_000_000, using: &random),
                    heartbeat: chance() ? nil : HeartbeatSettings(interval: 1 + duration(), missLimit: pick([1, 3, 1000])),
                    reconnect: chance() ? nil : ReconnectSettings(base: 0, cap: 1 + duration()),
                    keepalive: chance() ? nil : .linuxDefaults)))
            default: operation = .link(up: chance())
            }
            steps.append(ScenarioStep(trigger, pick(hosts), operation))
        }
        let names = ["r", "random-1", "with space", "q\"uote", "t.2", "#hash"]
        let summaries = ["", "plain", "a \"quoted\" \\ summary", "line\nbreak\ttab", "ünïcode ☃", "# not a comment"]
        return Scenario(name: pick(names), summary: pick(summaries), seed: random.next(), profile: pick([StackProfile.textbook, .linux]),
                        hosts: hosts, link: link, steps: steps,
                        timeLimit: chance() ? 86_400 * 1_000_000_000 : 1 + duration())
    }
}

@Suite("Scripted drops in the scenario language")
struct ScriptedDropTests {
    @Test func linkDropParsesPrintsAndRejectsBadNumbers() throws {
        let text = "scenario d \"drops\"\nhosts a b\nlink drop 7 3\nat 0 b listen 80\n"
        let scenario = try ScenarioLanguage.parse(text, file: "d.scn")
        #expect(scenario.link.drops == [3, 7])
        #expect(try ScenarioLanguage.parse(ScenarioLanguage.format(scenario), file: "again.scn") == scenario)
        for (bad, column) in [("link drop 0", 11), ("link drop x", 11), ("link drop 3 3", 13)] {
            let broken = "scenario d \"drops\"\nhosts a b\n\(bad)\n"
            #expect(throws: ScenarioSyntaxError.self) { try ScenarioLanguage.parse(broken, file: "d.scn") }
            do {
                _ = try ScenarioLanguage.parse(broken, file: "d.scn")
            } catch {
                #expect(error.line == 3 && error.column == column, "\(error)")
            }
        }
    }
}

@Suite("Queue limit and one-way loss in the scenario language")
struct LinkQueueAndSenderLossTests {
    @Test func parsePrintAndRoundTrip() throws {
        let text = """
            scenario a "bulk"
            hosts client server
            link rtt 20ms bandwidth 10mbit queue 100 loss 0.5%
            link loss 1% from client
            """
        let scenario = try ScenarioLanguage.parse(text, file: "a.scn")
        #expect(scenario.link.queuePackets == 100)
        #expect(scenario.link.lossPPM == 5_000)
        #expect(scenario.link.senderLoss == [SenderLoss(host: "client", lossPPM: 10_000)])
        #expect(scenario.link.lossPPM(from: "client") == 10_000)
        #expect(scenario.link.lossPPM(from: "server") == 5_000)
        let printed = ScenarioLanguage.format(scenario)
        #expect(printed.contains("link bandwidth 10mbit loss 0.5% queue 100\nlink loss 1% from client\n"))
        #expect(try ScenarioLanguage.parse(printed, file: "again.scn") == scenario)
    }

    static let errors: [(String, String)] = [
        (ScenarioLanguageTests.prelude + "link loss 1% from clent\n", #"e.scn:3:19: unknown host "clent"; the hosts are client, server"#),
        (ScenarioLanguageTests.prelude + "link loss 1% from client loss 2% from client\n",
         "e.scn:3:39: the loss from client is given twice"),
        (ScenarioLanguageTests.prelude + "link loss 1% from\n", "e.scn:3:18: expected a host name, found end of line"),
        (ScenarioLanguageTests.prelude + "link queue 0\n", "e.scn:3:12: 0 is out of range (1 to 1000000000)"),
        (ScenarioLanguageTests.prelude + "link queue many\n", #"e.scn:3:12: expected a queue limit in packets, found "many""#),
    ]

    @Test(arguments: errors.indices)
    func errorsNameLineAndColumn(_ index: Int) {
        let (text, expected) = Self.errors[index]
        do {
            let scenario = try ScenarioLanguage.parse(text, file: "e.scn")
            Issue.record("accepted: \(scenario)")
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test func theTraceHeaderKeepsThem() throws {
        var link = LinkSpec(bandwidth: 10_000_000)
        link.queuePackets = 100
        link.senderLoss = [SenderLoss(host: "client", lossPPM: 10_000)]
        let trace = Trace(header: TraceHeader(scenario: "a", seed: 1, profile: "textbook", hosts: [], link: link), events: [])
        let text = TraceFile.write(trace)
        #expect(text.contains(#""queue_packets":100,"loss_from":[{"host":"client","loss_ppm":10000}]"#))
        #expect(try TraceFile.read(text, file: "a.jsonl").header.link == link)
    }
}
