extension Command {
    /// `stacklab scenarios`
    static let scenarios = Command(
        name: "scenarios",
        summary: "List the built-in scenarios.",
        handler: notAvailableYet("scenarios"))
}
