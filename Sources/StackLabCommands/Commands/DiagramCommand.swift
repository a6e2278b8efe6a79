extension Command {
    /// `stacklab diagram TRACE|SCENARIO|PCAP --format ascii|svg|mermaid|pcap|pcapng|timeseq [-o FILE]`
    static let diagram = Command(
        name: "diagram",
        summary: "Draw a trace as a ladder diagram, a graph or a pcap.",
        arguments: [
            .required("input", "TRACE|SCENARIO|PCAP", help: "A trace file (.jsonl), a scenario, or a pcap or pcapng capture."),
        ],
        options: [
            .choice("format", ["ascii", "svg", "mermaid", "pcap", "pcapng", "timeseq"], help: "What to draw.", default: "ascii"),
            .string("output", short: "o", valueName: "FILE", help: "Write to FILE instead of standard output."),
            .flag("ascii", help: "Plain ASCII instead of Unicode box drawing (ascii and timeseq)."),
            .flag("absolute", help: "Raw sequence numbers instead of relative ones."),
            .integer("limit", in: 1...Int.max, help: "Draw only the first N TCP connections of a capture."),
        ] + ScenarioOptions.options(forScenario: true),
        handler: DiagramHandler.run)
}
