import Checking
import Testing
import Tracing
import Wire

@Suite("The invariants on a real capture of a healthy loopback connection")
struct CaptureTests {
    @Test("tcpdump on lo: the invariants a capture supports all hold, the others are skipped with what they need",
          .enabled(if: LoopbackCapture.isAvailable, "needs tcpdump, python3, and root with CAP_NET_RAW"))
    func healthyCapture() throws {
        let bytes = try LoopbackCapture.captureExchange()
        let trace = try PcapTraceReader.trace(fromPcap: bytes, name: "lo.pcap")
        #expect(trace.header.source == .capture)
        let analysis = TraceAnalysis(trace)

        // The whole connection is there: two ends, a SYN and a FIN from each, the echo both ways.
        var segments: [(connection: String, segment: TCPSegment)] = []
        for entry in analysis.entries {
            if case .sent(let segment, _) = entry.item { segments.append((entry.connection, segment)) }
        }
        #expect(Set(segments.map(\.connection)).count == 2)
        #expect(Set(segments.filter { $0.segment.header.flags.contains(.syn) }.map(\.connection)).count == 2)
        #expect(Set(segments.filter { $0.segment.header.flags.contains(.fin) }.map(\.connection)).count == 2)
        #expect(segments.reduce(0) { $0 + $1.segment.payload.count } == 2048)

        let context = InvariantContext(source: trace.header.source)
        var checked: [String] = []
        for invariant in Invariant.catalogue {
            if invariant.applies(to: analysis, in: context) {
                checked.append(invariant.name)
                #expect(invariant.check(analysis, context) == nil, "\(invariant.name)")
            } else {
                #expect(!invariant.missing(from: analysis, in: context).isEmpty, "\(invariant.name)")
            }
        }
        #expect(checked == ["ack-numbers", "no-data-after-fin", "isn-distinct"])
    }
}
