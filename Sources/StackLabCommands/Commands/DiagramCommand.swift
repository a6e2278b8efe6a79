extension Command {
    /// `stacklab diagram TRACE|SCENARIO|PCAP --format ascii|svg|mermaid|pcap|timeseq [-o FILE]`
    static let diagram = Command(
        name: "diagram",
        summary: "Draw a trace as a ladder diagram, a graph or a pcap.",
        arguments: [
            .required("input", "TRACE|SCENARIO|PCAP", help: "A trace file, a built-in scenario or a pcap file."),
        ],
        options: [
            .choice("format", ["ascii", "svg", "mermaid", "pcap", "timeseq"], help: "What to draw.", required: true),
            .string("output", short: "o", valueName: "FILE", help: "Write to FILE instead of standard output."),
        ],
        handler: notAvailableYet("diagram"))
}
