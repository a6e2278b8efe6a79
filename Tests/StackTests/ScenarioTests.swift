import Apps
import Runs
import Sockets
import Testing
import Tracing
import Wire

@Suite("Built-in scenarios on the simulated stack")
struct ScenarioTests {
    @Test("handshake takes 1 RTT at the client and 1.5 RTT at the server (textbook, no loss)")
    func handshakeTiming() {
        for rtt in [20 * millisecond, 100 * millisecond] {
            let run = run("handshake", ScenarioOverrides(rtt: rtt))
            #expect(run.firstTime("client", enters: .established) == rtt)
            #expect(run.firstTime("server", enters: .established) == rtt + rtt / 2)
            let flags = run.segmentsSent().map { $0.segment.header.flags }
            #expect(flags == [.syn, [.syn, .ack], .ack])
            let syn = run.segmentsSent(by: "client")[0].segment
            #expect(syn.header.options == [.maximumSegmentSize(1460)])
        }
    }

    @Test("a SYN lost twice is retransmitted after 1 s and 2 s more, then connects")
    func synLost() {
        let run = run("syn-lost")
        let syns = run.segmentsSent(by: "client").filter { $0.segment.header.flags == .syn }
        #expect(syns.map(\.time) == [0, 1 * second, 3 * second])
        #expect(syns.dropFirst().allSatisfy { $0.cause.isRetransmission })
        #expect(run.firstTime("client", enters: .established) == 3 * second + 20 * millisecond)
        let drops = run.events.filter {
            if case .packetDropped(_, let reason) = $0.kind { return reason == .partitioned }
            return false
        }
        #expect(drops.count == 2)
    }

    @Test("connect to a closed port: RST, then connection refused at the client")
    func connectRefused() {
        let run = run("connect-refused")
        let reset = run.segmentsSent(by: "server").first
        #expect(reset?.segment.header.flags == [.rst, .ack])
        #expect(run.sockets.streams.first?.error == .refused)
        #expect(run.stateChanges(on: "client").last?.to == .closed)
    }

    @Test("simultaneous close passes CLOSING on both sides, then TIME-WAIT")
    func simultaneousClose() {
        let run = run("simultaneous-close")
        for node in ["client", "server"] {
            let states = run.stateChanges(on: node).map(\.to)
            #expect(states.contains(.closing), "\(node): \(states)")
            #expect(states.suffix(3) == [.closing, .timeWait, .closed], "\(node): \(states)")
        }
    }

    @Test("simultaneous open: SYNs cross, both pass SYN-RECEIVED to ESTABLISHED")
    func simultaneousOpen() {
        let run = run("simultaneous-open")
        for node in ["client", "server"] {
            #expect(run.stateChanges(on: node).map(\.to) == [.synSent, .synReceived, .established])
        }
    }

    @Test("the active closer spends exactly 2×MSL in TIME-WAIT (textbook MSL 30 s, linux 60 s total)")
    func timeWaitLasts2MSL() throws {
        for (profile, twoMSL) in [(StackProfile.textbook, 60 * second), (.linux, 60 * second)] {
            let run = run("teardown-client-first", ScenarioOverrides(profile: profile))
            let entered = try #require(run.firstTime("client", enters: .timeWait))
            let changes = run.stateChanges(on: "client")
            let left = try #require(changes.first { $0.from == .timeWait })
            #expect(left.to == .closed)
            #expect(left.time - entered == twoMSL)
            // The passive closer never enters TIME-WAIT.
            #expect(!run.stateChanges(on: "server").contains { $0.to == .timeWait })
            #expect(run.stateChanges(on: "server").map(\.to).suffix(3) == [.closeWait, .lastAck, .closed])
        }
    }

    @Test("teardown started by the server: the server waits in TIME-WAIT")
    func teardownServerFirst() {
        let run = run("teardown-server-first")
        #expect(run.stateChanges(on: "server").map(\.to).suffix(4) == [.finWait1, .finWait2, .timeWait, .closed])
        #expect(run.stateChanges(on: "client").map(\.to).suffix(3) == [.closeWait, .lastAck, .closed])
    }

    @Test("a half-closed connection still delivers 100 KB from the other side")
    func halfClose() throws {
        let run = run("half-close")
        let client = try #require(run.sockets.streams.first { $0.host == "client" })
        #expect(client.bytesReceived == 100_000)
        #expect(client.intact)
        // The client's FIN went first, and data kept flowing to it afterwards.
        let clientFIN = try #require(run.segmentsSent(by: "client").first { $0.segment.header.flags.contains(.fin) })
        let dataAfter = run.segmentsSent(by: "server").filter { $0.time > clientFIN.time && !$0.segment.payload.isEmpty }
        #expect(dataAfter.reduce(0) { $0 + $1.segment.payload.count } >= 100_000)
        #expect(run.summary.intact)
    }

    @Test("bulk transfer of 1 MiB at 20% loss arrives intact, seeds 1–50")
    func bulkTransferUnderLoss() {
        for seed in UInt64(1)...50 {
            let run = run("bulk-transfer", ScenarioOverrides(seed: seed, lossPPM: 200_000))
            #expect(run.summary.bytesDelivered == 1_048_576, "seed \(seed)")
            #expect(run.summary.intact, "seed \(seed)")
            #expect(run.summary.retransmissions > 0, "seed \(seed)")
        }
    }

    @Test("bulk transfer survives loss, duplication and reordering together")
    func bulkTransferWithDuplicationAndReordering() {
        for seed in UInt64(1)...20 {
            var scenario = BuiltInScenarios.scenario(named: "bulk-transfer", overrides: ScenarioOverrides(seed: seed, lossPPM: 200_000, bytes: 262_144))!
            scenario.link.duplicatePPM = 100_000
            scenario.link.reorderPPM = 100_000
            scenario.link.jitter = 2 * millisecond
            let run = SimulatedRuntime().run(scenario)
            #expect(run.summary.bytesDelivered == 262_144, "seed \(seed)")
            #expect(run.summary.intact, "seed \(seed)")
        }
    }

    @Test("same seed, same trace; another seed, another loss pattern")
    func determinism() {
        let overrides = ScenarioOverrides(seed: 7, lossPPM: 50_000, bytes: 100_000)
        let first = run("bulk-transfer", overrides)
        let second = run("bulk-transfer", overrides)
        #expect(first.events == second.events)
        #expect(first.textLines() == second.textLines())
        let other = run("bulk-transfer", ScenarioOverrides(seed: 8, lossPPM: 50_000, bytes: 100_000))
        #expect(other.events != first.events)
    }

    @Test("every packet in every built-in scenario parses with valid checksums")
    func everyPacketIsValid() throws {
        for name in BuiltInScenarios.names {
            let run = run(name)
            for event in run.events {
                guard case .packetSent(let bytes, _) = event.kind else { continue }
                let packet = try IPv4Packet.parse(bytes, verifyChecksums: true)
                #expect(packet.emit() == bytes, "\(name)")
            }
        }
    }

    @Test("many clients: a backlog of 2 drops SYNs, which are retried, and every client is served")
    func manyClients() {
        let run = run("many-clients")
        let clients = run.sockets.streams.filter { $0.host.hasPrefix("client") }
        #expect(clients.count == 5)
        for client in clients {
            #expect(client.bytesReceived == 1000, "\(client.host)")
            #expect(client.intact)
        }
        let queueDrops = run.events.filter {
            if case .packetDropped(_, let reason) = $0.kind { return reason == .listenBacklogFull }
            return false
        }
        #expect(!queueDrops.isEmpty)
    }

    @Test("UDP echo: five datagrams out, five back, boundaries kept")
    func udpEcho() throws {
        let run = run("udp-echo")
        let client = try #require(run.sockets.datagramSockets.first { $0.host == "client" })
        #expect(client.sent == 5)
        #expect(client.received == 5)
        #expect(client.altered == 0)
    }

    @Test("UDP over a lossy, reordering link loses and reorders; TCP on the same link does not")
    func udpLossyAndTCPvsUDP() throws {
        let lossy = run("udp-lossy", ScenarioOverrides(seed: 3))
        let server = try #require(lossy.sockets.datagramSockets.first { $0.host == "server" })
        #expect(server.received < 20)
        #expect(server.received > 0)
        #expect(lossy.summary.retransmissions == 0)

        let both = run("tcp-vs-udp", ScenarioOverrides(seed: 3))
        let udp = try #require(both.sockets.datagramSockets.first { $0.host == "server" })
        let tcp = try #require(both.sockets.streams.first { $0.host == "server" })
        #expect(udp.received < 20)
        #expect(tcp.bytesReceived == 2000)
        #expect(tcp.intact)
    }

    @Test("UDP to a closed port: ICMP port unreachable reaches the sender as an error")
    func udpPortUnreachable() throws {
        let scenario = Scenario(name: "udp-closed", summary: "", hosts: ["client", "server"], steps: [
            ScenarioStep(.at(0), "client", .sendDatagrams(host: "server", port: 9999, count: 1, size: 10, interval: 0)),
        ])
        let run = SimulatedRuntime().run(scenario)
        let client = try #require(run.sockets.datagramSockets.first)
        #expect(client.errors == 1)
        let icmp = run.events.contains {
            guard $0.node == "server", case .packetSent(let bytes, _) = $0.kind,
                  let packet = try? IPv4Packet.parse(bytes), case .icmp(let message) = packet.payload else { return false }
            return message.type == 3 && message.code == 3
        }
        #expect(icmp)
    }
}

@Suite("Many concurrent connections")
struct ConcurrentConnectionTests {
    @Test("300 connections from one client to an echo server: each handshakes, echoes 1 KB and closes")
    func manyConnections() {
        var steps = [ScenarioStep(.at(0), "server", .listen(port: 80, backlog: 1000, echo: true))]
        for index in 0..<300 {
            steps.append(ScenarioStep(.at(Int64(index) * 10_000), "client", .connect(host: "server", port: 80, localPort: 0)))
        }
        steps += [
            ScenarioStep(.on(.connected, delay: 0), "client", .send(count: 1024)),
            ScenarioStep(.on(.connected, delay: 0), "client", .shutdownWrite),
            ScenarioStep(.on(.peerFinished, delay: 0), "client", .close),
        ]
        let run = SimulatedRuntime().run(Scenario(name: "many", summary: "", hosts: ["client", "server"], steps: steps))
        let clients = run.sockets.streams.filter { $0.host == "client" }
        #expect(clients.count == 300)
        #expect(clients.filter { $0.bytesReceived == 1024 && $0.intact && $0.closed }.count == 300)
        #expect(run.summary.endpoints.allSatisfy { $0.finalState == .closed })
    }
}

@Suite("Scripted drops")
struct ScriptedDropScenarioTests {
    @Test("link drop N loses exactly the Nth packet on the link, and TCP repairs it")
    func theNthPacketIsLost() throws {
        var scenario = try #require(BuiltInScenarios.scenario(named: "bulk-transfer", overrides: ScenarioOverrides(bytes: 20_000)))
        scenario.link.drops = [6]
        let run = SimulatedRuntime().run(scenario)
        let drops = run.events.compactMap { event -> [UInt8]? in
            if case .packetDropped(let bytes, .scripted) = event.kind { return bytes }
            return nil
        }
        #expect(drops.count == 1)
        let sent = run.events.compactMap { event -> [UInt8]? in
            if case .packetSent(let bytes, _) = event.kind { return bytes }
            return nil
        }
        #expect(drops.first == sent[5])
        #expect(run.summary.bytesDelivered == 20_000 && run.summary.intact)
        #expect(run.summary.retransmissions >= 1)
    }
}
