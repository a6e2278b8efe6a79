import Tracing

extension Command {
    /// `stacklab diagram TRACE|SCENARIO|PCAP --format ascii|svg|html|mermaid|pcap|pcapng|timeseq|states [-o FILE]`
    static let diagram = Command(
        name: "diagram",
        summary: "Draw a trace as a ladder diagram, a graph or a pcap.",
        arguments: [
            .required("input", "TRACE|SCENARIO|PCAP", help: "A trace file (.jsonl), a scenario, or a pcap or pcapng capture."),
        ],
        options: [
            .choice("format", ["ascii", "svg", "html", "mermaid", "pcap", "pcapng", "timeseq", "states"],
                    valueName: "FORMAT",
                    help: "What to draw: the ladder (ascii, svg, mermaid; html: an interactive page where a "
                        + "packet shows its fields and bytes), the packets (pcap; pcapng with the story "
                        + "in packet comments), a time-sequence graph "
                        + "(timeseq) or the RFC 9293 state diagram with each endpoint's state (states).", default: "ascii"),
            .string("output", short: "o", valueName: "FILE", help: "Write to FILE instead of standard output."),
            .flag("ascii", help: "Plain ASCII instead of Unicode box drawing (ascii and timeseq)."),
            .flag("absolute", help: "Raw sequence numbers instead of relative ones (the same as --isn absolute)."),
            .choice("isn", ["relative", "absolute", "symbolic"],
                    help: "Sequence numbers relative to each side's ISN, absolute, or symbolic (x and y as in textbooks).",
                    default: "relative"),
            .integer("at", in: 1...Int.max, help: "With --format states: the endpoints' states after event N (default: the end)."),
            .integer("limit", in: 1...Int.max, help: "Draw only the first N TCP connections of a capture (default \(InputLimits.connectionsDrawn); "
                     + "pcap and pcapng output keeps all)."),
            RunBudgets.option,
        ] + ScenarioOptions.options(forScenario: true),
        handler: DiagramHandler.run)
}
