import Apps
import Loopback
import Sockets
import Testing
import Tracing
import Wire

extension LoopbackTests {
    /// `ScenarioRunner` from Apps playing scenarios on real sockets, unchanged.
    @Suite struct ScenarioRunnerOnLoopback {
        /// The built-in teardown, printed in the scenario language and parsed back, as a user's file would be.
        func teardownScenario() throws -> Scenario {
            let builtIn = try #require(BuiltInScenarios.scenario(named: "teardown-client-first"))
            return try ScenarioLanguage.parse(ScenarioLanguage.format(builtIn), file: "teardown.scn")
        }

        @Test func teardownEndsWithTheSimulatorsSocketEvents() throws {
            let play = try Play(try teardownScenario())
            defer { play.network.shutdown() }
            #expect(play.result.outcome == .idle)
            #expect(play.socketEvents(host: "client") == ["call:connect", "open", "call:close", "close"])
            #expect(play.socketEvents(host: "server") == ["call:listen", "call:accept", "end", "call:close", "close"])
            #expect(play.failures.isEmpty)
            #expect(play.activity.streams.count == 2)
            #expect(play.activity.streams.allSatisfy { $0.closed && $0.error == nil })
            // Sockets report host names, as on the simulated runtime.
            #expect(Set(play.activity.streams.map { $0.peerName.hostPart }) == ["client", "server"])
        }

        @Test(.enabled(if: canCapture)) func captureSeesHandshakeAndTeardownBothWays() throws {
            let play = try Play(try teardownScenario())
            defer { play.network.shutdown() }
            #expect(play.result.capture == .available)
            let segments = tcpSegments(play.result)
            let client = IPv4Address(127, 0, 0, 1)
            let server = IPv4Address(127, 0, 0, 2)
            func seen(from source: IPv4Address, _ flags: TCPFlags, _ direction: CaptureDirection) -> Bool {
                segments.contains {
                    $0.ip.header.source == source && $0.tcp.header.flags == flags && $0.packet.direction == direction
                }
            }
            for direction in [CaptureDirection.sent, .received] {
                #expect(seen(from: client, [.syn], direction), "SYN \(direction)")
                #expect(seen(from: server, [.syn, .ack], direction), "SYN+ACK \(direction)")
                #expect(seen(from: client, [.ack], direction), "ACK \(direction)")
                #expect(seen(from: client, [.fin, .ack], direction), "client FIN \(direction)")
                #expect(seen(from: server, [.fin, .ack], direction), "server FIN \(direction)")
            }
            // The client's last ACK acknowledges the server's FIN.
            let serverFIN = try #require(segments.first {
                $0.ip.header.source == server && $0.tcp.header.flags.contains(.fin)
            })
            let finalACK = segments.last { $0.ip.header.source == client && $0.tcp.header.flags == [.ack] }
            let finSequence = serverFIN.tcp.header.sequenceNumber.rawValue
            #expect(finalACK?.tcp.header.acknowledgmentNumber.rawValue == finSequence &+ 1)
            // Each received copy comes no earlier than its sent copy.
            let sent = segments.filter { $0.packet.direction == .sent }
            let received = segments.filter { $0.packet.direction == .received }
            #expect(sent.count == received.count)
            for (out, into) in zip(sent, received) {
                #expect(out.packet.bytes == into.packet.bytes)
                #expect(out.packet.time <= into.packet.time)
            }
        }

        @Test func activeCloserIsInTimeWait() throws {
            let play = try Play(try teardownScenario())
            defer { play.network.shutdown() }
            let clientStream = try #require(play.activity.streams.first { $0.host == "client" })
            let timeWait = try play.network.timeWaitConnections()
            #expect(timeWait.contains {
                $0.localAddress == IPv4Address(127, 0, 0, 1) && $0.localPort == clientStream.name.portPart
                    && $0.remoteAddress == IPv4Address(127, 0, 0, 2) && $0.remotePort == clientStream.peerName.portPart
            })
            // The kernel states seen for the client's connection end in TIME-WAIT, the server's in CLOSED.
            let clientChanges = play.result.stateChanges.filter { $0.host == "client" }
            #expect(clientChanges.contains { $0.to == .established })
            #expect(clientChanges.last?.to == .timeWait)
            #expect(clientChanges.last?.source == .procNetTCP)
            let serverConnection = play.result.stateChanges.filter { $0.host == "server" && $0.socket.contains(">") }
            #expect(serverConnection.last?.to == .closed)
            #expect(play.result.stateChanges.contains { $0.socket == "server:80" && $0.to == .listen })
        }

        @Test func udpEchoScenarioRunsUnchanged() throws {
            let scenario = try #require(BuiltInScenarios.scenario(named: "udp-echo"))
            let play = try Play(scenario)
            defer { play.network.shutdown() }
            #expect(play.result.outcome == .idle)
            let client = try #require(play.activity.datagramSockets.first { $0.host == "client" })
            #expect(client.sent == 5)
            #expect(client.received == 5)
            #expect(client.errors == 0)
        }
    }
}

/// A scenario played on a fresh loopback network.
struct Play {
    let network: LoopbackNetwork
    let result: LoopbackRunResult
    let events: [TraceEvent]
    let failures: [String]
    /// What the applications did and saw, from the trace.
    var activity: SocketActivity { SocketActivity(events) }

    init(_ scenario: Scenario, options: LoopbackOptions = testOptions()) throws {
        network = try LoopbackNetwork(hostNames: scenario.hosts, options: options)
        let recorder = TraceRecorder()
        let runner = ScenarioRunner(scenario: scenario, hosts: network.hosts, observer: recorder)
        runner.start()
        result = network.run(until: 5 * 1_000_000_000)
        events = recorder.events
        failures = runner.failures
    }

    /// Socket calls (`call:connect`) and events (`open`, `end`, `close`) of one host, in order.
    func socketEvents(host: String) -> [String] {
        events.compactMap { event in
            guard event.node == host else { return nil }
            switch event.kind {
            case .socketCall(_, let call): return "call:\(call.name)"
            case .socketEvent(_, let notification): return notification.name
            default: return nil
            }
        }
    }
}

extension String {
    /// `client` of `client:49152>server:80`.
    var hostPart: String { String(prefix { $0 != ":" }) }
    /// `49152` of `client:49152>server:80`.
    var portPart: UInt16 {
        let local = split(separator: ">").first ?? ""
        return UInt16(local.split(separator: ":").last ?? "") ?? 0
    }
}
