import Apps
import Runs
import Testing
import Tracing
import Wire

@Suite("Text traces")
struct TextTraceTests {
    @Test(arguments: ["handshake", "teardown-client-first", "syn-lost", "udp-lossy", "tcp-vs-udp"])
    func packetLinesRebuildThePackets(_ name: String) throws {
        let trace = SimulatedRuntime().run(BuiltInScenarios.scenario(named: name)!).trace
        let text = TextTrace.write(trace)
        let lines = try TextTrace.read(text, file: "\(name).txt")
        #expect(lines.count == trace.events.count)
        for (event, line) in zip(trace.events, lines) {
            #expect(line.time == event.time && line.node == event.node)
            let bytes: [UInt8]
            switch event.kind {
            case .packetSent(let b, _), .packetReceived(let b), .packetDropped(let b, _), .packetDuplicated(let b): bytes = b
            case .stateChanged, .timer, .socketCall, .socketEvent, .application, .congestion, .variables, .note:
                #expect(line.packet == nil)
                continue
            }
            let original = try IPv4Packet.parse(bytes, verifyChecksums: false)
            guard let rebuilt = line.packet else {
                Issue.record("no packet rebuilt from line at \(line.time)")
                continue
            }
            // Same header fields and payload length; the payload contents are not in the text.
            #expect(rebuilt.header.source == original.header.source)
            #expect(rebuilt.header.identification == original.header.identification)
            switch (original.payload, rebuilt.payload) {
            case (.tcp(let a), .tcp(let b)):
                var expected = a.header
                expected.checksum = 0
                #expect(b.header == TCPHeader(sourcePort: expected.sourcePort, destinationPort: expected.destinationPort,
                                              sequenceNumber: expected.sequenceNumber,
                                              acknowledgmentNumber: expected.flags.contains(.ack) ? expected.acknowledgmentNumber
                                                  : SequenceNumber(0),
                                              flags: expected.flags, window: expected.window, options: expected.options))
                #expect(a.payload.count == b.payload.count)
                if a.payload.isEmpty && a.header.flags.contains(.ack) { #expect(rebuilt.emit() == bytes) }
            case (.udp(let a), .udp(let b)):
                #expect(a.sourcePort == b.sourcePort && a.destinationPort == b.destinationPort)
                #expect(a.payload.count == b.payload.count)
            default:
                Issue.record("payload kind changed")
            }
        }
    }

    @Test func linesLookLikePacketdrill() {
        let text = TextTrace.write(everyKindTrace())
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == TextTrace.firstLine)
        #expect(lines.contains("0.000000 client send client:49152 > server:80 S 1000:1000(0) win 65535 <mss 1460> id 7"))
        #expect(lines.contains("0.000000003 link drop client:49152 > server:80 P. 1001:1011(10) ack 5001 win 65535 id 7  [loss]"))
        #expect(lines.contains("0.000000006 client timer c retransmission set for 1.000000006"))
        #expect(lines.contains("0.000000012 client vars c iss 1000 irs 5000 una 1001 nxt 1011 wnd 65535 rcv 5001 rwnd 64000 "
                               + "cwnd 4380 ssthresh 1073741824 srtt 20ms rto 1000ms flight 10"))
        #expect(TextTrace.time(10_000_000) == "0.010000")
    }

    static let prelude = "# stacklab text trace 1\n# host client 10.0.0.1\n# host server 10.0.0.2\n"

    static let errors: [(String, String)] = [
        ("0.0x client send client:1 > server:80 S 0:0(0) win 1\n",
         #"t.txt:4: field "time": expected a time in seconds like 0.010000, found "0.0x""#),
        ("0.1 client send client:1 > server:80 Q 0:0(0) win 1\n",
         #"t.txt:4: field "flags": expected TCP flags (S F R P U E W .), found "Q""#),
        ("0.1 client send client:1 > server:80 S 0:5(0) win 1\n",
         #"t.txt:4: field "seq": 0:5(0): the end is not the start plus the length"#),
        ("0.1 client send client:1 > server:80 S 0:0(0) window 1\n", #"t.txt:4: field "win": expected 'win N'"#),
        ("0.1 client send client:1 > mars:80 S 0:0(0) win 1\n",
         #"t.txt:4: field "destination": unknown host "mars" (declare it with '# host NAME ADDRESS')"#),
        ("0.1 client send client:1 > server:80 S 0:0(0) win 1 <mss 1460,frob>\n",
         #"t.txt:4: field "options": unknown TCP option "frob""#),
        ("0.1 client sned x\n", #"t.txt:4: field "event": unknown event "sned""#),
        ("0.1 client send client:1 > server:80 S 0:0(0) win 70000\n",
         #"t.txt:4: field "win": expected an integer from 0 to 65535, found "70000""#),
    ]

    @Test(arguments: errors.indices)
    func errorsNameLineAndField(_ index: Int) {
        let (line, expected) = Self.errors[index]
        do {
            _ = try TextTrace.read(Self.prelude + line, file: "t.txt")
            Issue.record("accepted \(line)")
        } catch {
            #expect(error.description == expected)
        }
    }
}
