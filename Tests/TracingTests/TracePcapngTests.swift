import Apps
import Foundation
import Runs
import Testing
import Tracing
import Wire

@Suite("pcapng export with the story in packet comments")
struct TracePcapngTests {
    static let tshark = ["/usr/bin/tshark", "/usr/local/bin/tshark"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static func trace(_ name: String) throws -> Trace {
        SimulatedRuntime().run(try #require(BuiltInScenarios.scenario(named: name))).trace
    }

    @Test(arguments: ["handshake", "teardown-client-first", "syn-lost", "udp-lossy", "many-clients"])
    func readsBackAsTheSentPacketsOnTheirSendersInterfaces(_ name: String) throws {
        let trace = try Self.trace(name)
        let records = try CaptureReader.records(TracePcapng.bytes(of: trace))
        let sent = trace.events.compactMap { event -> TraceEvent? in
            if case .packetSent = event.kind { return event } else { return nil }
        }
        #expect(records.map(\.packet) == TracePcap.packets(of: trace).map(\.bytes))
        #expect(records.map(\.timestampNanoseconds) == sent.map { UInt64($0.time) })   // nanoseconds, exact
        let hosts = trace.header.hosts.map(\.name)
        #expect(zip(records, sent).allSatisfy { hosts[$0.interface] == $1.node && $0.direction == .outbound })
    }

    @Test func commentsTellStatesTimersAndWhyAPacketWasSentAgainOrLost() throws {
        let handshake = try TracePcapng.comments(of: Self.trace("teardown-client-first"))
        // The SYN went with the client's active open and caused the server's LISTEN → SYN-RECEIVED.
        #expect(handshake[0].comments.contains("client:49152>server:80: CLOSED → SYN-SENT (active OPEN)"))
        #expect(handshake[0].comments.contains("server:80>client:49152: LISTEN → SYN-RECEIVED (rcv SYN)"))
        #expect(handshake[0].comments.contains { $0.hasSuffix("retransmission timer set for 1.000000 s") })
        // The server's FIN caused the client's TIME-WAIT.
        let serverFIN = handshake[5].comments
        #expect(serverFIN.contains("client:49152>server:80: FIN-WAIT-2 → TIME-WAIT (rcv FIN)"))
        let synLost = try TracePcapng.comments(of: Self.trace("syn-lost"))
        #expect(synLost[0].comments.contains { $0.hasPrefix("lost on the way") && $0.hasSuffix("partitioned") })
        #expect(synLost[1].comments.contains("sent again: RTO"))
    }

    @Test(.enabled(if: tshark != nil, "tshark is not installed: the pcapng comments are not checked against Wireshark"))
    func tsharkPrintsTheCommentsInOrderAndFindsNothingMalformed() throws {
        let tshark = try #require(Self.tshark)
        let trace = try Self.trace("teardown-client-first")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-\(getpid())-teardown.pcapng")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(TracePcapng.bytes(of: trace)).write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tshark)
        process.arguments = ["-r", file.path, "-T", "fields", "-E", "separator=|", "-E", "aggregator=;",
                             "-e", "frame.comment", "-e", "_ws.malformed", "-e", "_ws.expert.severity"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let rows = output.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false) }
        let expected = TracePcapng.comments(of: trace)
        #expect(rows.count == expected.count)
        for (row, packet) in zip(rows, expected) {
            #expect(row.first.map { $0.split(separator: ";").map(String.init) } == packet.comments)
            #expect(row.count == 3 && row[1].isEmpty, "malformed: \(row)")
            // Expert infos of severity comment (our comments) and chat (SYN, FIN notices) are expected;
            // warnings (0x600000) and errors (0x800000) are not.
            let severities = row.count == 3 ? row[2].split(separator: ",").compactMap { Int($0) } : []
            #expect(severities.allSatisfy { $0 < 0x600000 }, "expert warnings or errors: \(row)")
        }
    }
}

/// Comments added for trace events (a lesson's narration): right after the event's own comment
/// in the packet that tells it, or in the last packet before an event no packet tells.
@Suite struct TracePcapngExtraCommentTests {
    static func trace() throws -> Trace {
        try TracePcapngTests.trace("teardown-client-first")
    }

    @Test func anExtraCommentFollowsItsEventsOwn() throws {
        let trace = try Self.trace()
        let closeWait = try #require(trace.events.firstIndex {
            if case .stateChanged(_, _, .closeWait, _) = $0.kind { true } else { false }
        })
        let packets = TracePcapng.comments(of: trace, extraComments: [closeWait: ["narration A", "narration B"]])
        let fin = try #require(packets.first { $0.comments.contains("narration A") }).comments
        let own = try #require(fin.firstIndex(of: "server:80>client:49152: ESTABLISHED → CLOSE-WAIT (rcv FIN)"))
        #expect(Array(fin[(own + 1)...].prefix(2)) == ["narration A", "narration B"])
        // The packet that tells the state change is the client's FIN.
        let owners = TracePcapng.packetOwners(in: trace)
        #expect(owners[closeWait] == packets.first { $0.comments.contains("narration A") }?.eventIndex)
    }

    @Test func anEventNoPacketTellsGoesWithTheLastPacketBeforeIt() throws {
        let trace = try Self.trace()
        let fired = try #require(trace.events.lastIndex {
            if case .timer(_, .timeWait, .fired) = $0.kind { true } else { false }
        })
        #expect(TracePcapng.packetOwners(in: trace)[fired] == nil)
        let packets = TracePcapng.comments(of: trace, extraComments: [fired: ["the end"], 0: ["the start"]])
        #expect(packets.last?.comments.last == "the end")
        #expect(packets.first?.comments.contains("the start") == true)   // the server sent nothing at 0
        // Without extra comments the file is as before.
        #expect(TracePcapng.comments(of: trace, extraComments: [:]) == TracePcapng.comments(of: trace))
    }

    @Test func everyPacketEventIsToldByItsOwnPacket() throws {
        let trace = try Self.trace()
        let owners = TracePcapng.packetOwners(in: trace)
        for (index, event) in trace.events.enumerated() {
            switch event.kind {
            case .packetSent: #expect(owners[index] == index)
            case .packetReceived(let bytes):
                let owner = try #require(owners[index])
                guard case .packetSent(let sent, _) = trace.events[owner].kind else {
                    Issue.record("event \(index) is told by \(owner), which is not a send")
                    continue
                }
                #expect(sent == bytes)
            default: continue
            }
        }
    }
}
