import Checking

extension Command {
    /// `stacklab check [--seeds N] [--invariant NAME] [--ablate NAME] [--trace FILE] [--json] [--list]`
    static let check = Command(
        name: "check",
        summary: "Property-test the stack's invariants over many seeds.",
        discussion: "Each seed generates a case (link faults, several connections, data both ways, closes from either "
            + "side), runs it and checks every invariant over its trace. A failure is shrunk to a small case and "
            + "printed with its seed, scenario and trace. With --ablate the stack breaks one rule on purpose, so "
            + "a failure (exit status 1) is the expected outcome.",
        options: [
            .integer("seeds", in: 1...1_000_000, help: "How many seeds to run (cases 1...N).", default: 100),
            .string("invariant", valueName: "NAME", help: "Check only this invariant."),
            .string("ablate", valueName: "NAME", help: "Switch off one protocol mechanism and show which invariants break."),
            .string("trace", valueName: "FILE", help: "Check one trace (.jsonl) or capture (.pcap) instead of generated cases."),
            .flag("list", help: "Describe every invariant and ablation."),
            .flag("json", help: "Print the results as JSON."),
        ],
        usage: ["[--seeds N] [--invariant NAME] [--ablate NAME] [--json]", "--trace FILE [--invariant NAME] [--json]",
                "--list [--json]"],
        validate: { arguments in
            guard arguments.isSet("trace") else { return nil }
            for other in ["seeds", "ablate", "list"] where arguments.isSet(other) {
                return UsageError(.other("--trace checks one file: it does not take --\(other)"))
            }
            return nil
        },
        handler: CheckHandler.run)
}
