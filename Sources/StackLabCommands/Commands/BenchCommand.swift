extension Command {
    /// `stacklab bench [NAME] [--json]`
    static let bench = Command(
        name: "bench",
        summary: "Measure how fast the codecs and the simulated stack run.",
        arguments: [
            .optional("name", "NAME", help: "Run only this benchmark; all of them without it."),
        ],
        options: [
            .flag("json", help: "Print the measurements as JSON."),
        ],
        handler: notAvailableYet("bench"))
}
