extension Command {
    /// `stacklab check [--seeds N] [--invariant NAME] [--ablate NAME] [--json]`
    static let check = Command(
        name: "check",
        summary: "Property-test the stack's invariants over many seeds.",
        options: [
            .integer("seeds", in: 1...1_000_000, help: "How many seeds to run.", default: 100),
            .string("invariant", valueName: "NAME", help: "Check only this invariant."),
            .string("ablate", valueName: "NAME", help: "Switch off one protocol mechanism and show which invariants break."),
            .flag("json", help: "Print the results as JSON."),
        ],
        handler: notAvailableYet("check"))
}
