extension Command {
    /// `stacklab compare SCENARIO... [--requests N] [--rtt MS] [--loss P] [--json]`
    static let compare = Command(
        name: "compare",
        summary: "Run several scenarios under the same conditions and compare them.",
        arguments: [
            .repeated("scenarios", "SCENARIO", help: "Two or more built-in scenarios or scenario files."),
        ],
        options: [
            .integer("requests", in: 1...1_000_000, help: "Requests each scenario makes."),
            .number("rtt", valueName: "MS", in: 0...3_600_000, help: "Round-trip time of the link, in milliseconds."),
            .number("loss", valueName: "P", in: 0...1, help: "Probability that the link drops a packet, from 0 to 1."),
            .flag("json", help: "Print the comparison as JSON."),
        ],
        handler: notAvailableYet("compare"))
}
