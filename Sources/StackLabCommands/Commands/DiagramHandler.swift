import Apps
import Foundation
import Rendering
import Runs
import Tracing
import Wire

/// `stacklab diagram`: reads a scenario, a capture (pcap or pcapng) or a trace file, and draws it.
enum DiagramHandler {
    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        let input = arguments.string("input") ?? ""
        let format = arguments.string("format") ?? "ascii"
        let output = arguments.string("output")
        // Drawing is quadratic in the connections drawn: a capture's ladder shows the first
        // `InputLimits.connectionsDrawn` unless --limit says otherwise (conversions keep all).
        let converts = format == "pcap" || format == "pcapng"
        let limit = arguments.int("limit") ?? (converts ? nil : InputLimits.connectionsDrawn)
        let (trace, note) = try TraceInput.loadNoting(input, overrides: try ScenarioOptions.overrides(arguments), limit: limit,
                                                      budget: RunBudgets.budget(arguments))
        if let note { context.stderr.print("note: " + note) }
        let toTerminal = output == nil && context.stdout.isTerminal
        let sequence = arguments.flag("absolute") ? .absolute
            : SequenceDisplay(rawValue: arguments.string("isn") ?? "relative") ?? .relative
        let width = toTerminal ? max(80, Terminal.size().width) : 80
        let options = DiagramOptions(ascii: arguments.flag("ascii"), colors: output == nil && context.stdout.allowsColor,
                                     width: width, sequence: sequence)
        switch format {
        case "pcap", "pcapng":
            let bytes = format == "pcap" ? TracePcap.bytes(of: trace) : TracePcapng.bytes(of: trace)
            guard let output else {
                if toTerminal {
                    throw UsageError(.other("--format \(format) writes binary: give -o FILE or redirect standard output"))
                }
                FileHandle.standardOutput.write(Data(bytes))
                return ExitStatus.success
            }
            try write(bytes, to: output)
        default:
            let text: String
            switch format {
            case "svg": text = SVGLadderRenderer(trace: trace, options: options).render()
            case "html": text = LadderPage(trace: trace, sequence: sequence).render()
            case "mermaid": text = MermaidRenderer.render(trace, options: options)
            case "states":
                let marks = StateDiagram.marks(trace.events, upTo: arguments.int("at").map { min($0, trace.events.count) - 1 })
                if toTerminal || arguments.flag("ascii") {
                    let diagram = StateDiagramText(marks: marks, options: options)
                    text = (diagram.lines() + [""] + diagram.legend()).joined(separator: "\n") + "\n"
                } else {
                    text = StateDiagramSVG(marks: marks, title: trace.header.scenario).render()
                }
            case "timeseq":
                let graph = TimeSequenceGraph(trace: trace, options: options)
                text = toTerminal || arguments.flag("ascii") ? graph.text() : graph.svg()
            default: text = LadderRenderer(trace: trace, options: options).render()
            }
            if let output {
                try write(Array(text.utf8), to: output)
            } else {
                context.stdout.write(text)
            }
        }
        return ExitStatus.success
    }

    private static func write(_ bytes: [UInt8], to path: String) throws {
        try OutputFile.write(bytes, to: path)
    }
}
