import Testing
import TestSupport
import Tracing
import Wire
@testable import Rendering

/// Everything downstream of a hostile trace: mutated golden traces and captures that still read
/// are drawn in every format and printed as text, and none of it traps. (The readers themselves
/// are under mutation in TracingTests and WireTests.)
@Suite("Renderers over mutated traces")
struct MutationTests {
    @Test func renderersOverMutatedTraces() {
        let traces = ["handshake", "syn-lost", "udp-lossy", "teardown-client-first", "http-short"].map {
            Repository.head(Repository.bytes(Repository.root.appendingPathComponent("Traces/\($0).jsonl")), lines: 30)
        }
        let tally = MutationTesting.run("render", seeds: traces, count: 2_000, seed: 16, kind: .text,
                                        vocabulary: ["\"t_ns\":9223372036854775807", "\"t_ns\":0", "\"node\":\"\u{1B}]0;x\u{07}\""],
                                        regressions: Repository.fuzzRegressions("render")) { bytes in
            let read: Trace?
            if CaptureReader.format(of: bytes) != nil {
                read = try? PcapTraceReader.trace(fromPcap: bytes, name: "m")
            } else {
                read = try? TraceFile.read(bytes: bytes, file: "m")
            }
            guard var trace = read else { return .located }
            trace.events = Array(trace.events.prefix(200))
            let options = DiagramOptions(sequence: .symbolic)
            _ = LadderRenderer(trace: trace, options: options).render()
            _ = SVGLadderRenderer(trace: trace, options: options).render()
            _ = MermaidRenderer.render(trace, options: options)
            let graph = TimeSequenceGraph(trace: trace, options: options)
            _ = graph.text()
            _ = graph.svg()
            _ = StateDiagramText(marks: StateDiagram.marks(trace.events), options: options).lines()
            _ = TracePcap.bytes(of: trace)
            _ = TracePcapng.bytes(of: trace)
            return .value
        }
        #expect(tally.values > 150, "\(tally)")
    }

    /// The input an earlier run of the render fuzz target crashed on
    /// (`Tests/Fuzz/Regressions/render/first-found-by-an-earlier-run`, before this branch's
    /// fixes): a two-packet capture, a SYN and a RST. It reads and draws.
    @Test func renderOfTheFirstFuzzCrashDraws() throws {
        let bytes = Repository.bytes(Repository.root.appendingPathComponent(
            "Tests/Fuzz/Regressions/render/first-found-by-an-earlier-run"))
        let trace = try PcapTraceReader.trace(fromPcap: bytes, name: "crash.pcap")
        #expect(!trace.events.isEmpty)
        let graph = TimeSequenceGraph(trace: trace, options: DiagramOptions())
        #expect(graph.svg().hasPrefix("<?xml"))
        #expect(!graph.text().isEmpty)
        #expect(!LadderRenderer(trace: trace, options: DiagramOptions()).render().isEmpty)
    }
}

