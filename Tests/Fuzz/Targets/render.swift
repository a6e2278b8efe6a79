// Fuzz target: everything downstream of a hostile trace or capture. The input is read as a JSON
// Lines trace, or as a capture when it starts like one; a trace that reads is drawn in every
// format, printed as text and checked against every invariant. Traces are cut to their first
// 400 events so one input stays fast.
import Checking
import Rendering
import Tracing
import Wire

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    let read: Trace?
    if CaptureReader.format(of: bytes) != nil {
        read = try? PcapTraceReader.trace(fromPcap: bytes, name: "fuzz.pcap")
    } else {
        read = try? TraceFile.read(bytes: bytes, file: "fuzz.jsonl")
    }
    guard var trace = read else { return 0 }
    trace.events = Array(trace.events.prefix(400))
    for sequence in [SequenceDisplay.relative, .absolute, .symbolic] {
        let options = DiagramOptions(ascii: sequence == .absolute, colors: sequence == .symbolic, sequence: sequence)
        let ladder = LadderRenderer(trace: trace, options: options)
        _ = ladder.render()
        _ = ladder.render(upTo: trace.events.count / 2, highlight: trace.events.count / 3, scroll: 7, columns: 60)
        _ = SVGLadderRenderer(trace: trace, options: options).render()
        _ = MermaidRenderer.render(trace, options: options)
        let graph = TimeSequenceGraph(trace: trace, options: options)
        _ = graph.text()
        _ = graph.svg()
    }
    _ = LadderPage(trace: trace).render()
    let marks = StateDiagram.marks(trace.events, upTo: nil)
    _ = StateDiagramText(marks: marks, options: DiagramOptions()).lines()
    _ = StateDiagramSVG(marks: marks, title: trace.header.scenario).render()
    _ = TextTrace.write(trace)
    _ = TracePcap.bytes(of: trace)
    _ = TracePcapng.bytes(of: trace)
    var formatter = TraceTextFormatter(summarizer: PacketSummarizer(hostNames: trace.hostNames, absolute: false),
                                       verbose: true, times: trace.events.map(\.time))
    for event in trace.events { _ = formatter.line(for: event) }
    let analysis = TraceAnalysis(trace)
    let context = InvariantContext(source: trace.header.source)
    for invariant in Invariant.catalogue where invariant.applies(to: analysis, in: context) {
        _ = invariant.check(analysis, context)
    }
    return 0
}
