import Checking

extension Command {
    /// `stacklab check [--seeds N] [--jobs N] [--shard K/N] [--invariant NAME] [--ablate NAME] [--json]`,
    /// `stacklab check --merge REPORT.json...`, `stacklab check --trace FILE`, `stacklab check --list`
    static let check = Command(
        name: "check",
        summary: "Property-test the stack's invariants over many seeds.",
        discussion: "Each seed generates a case (link faults, several connections, data both ways, closes from either "
            + "side), runs it and checks every invariant over its trace. A failure is shrunk to a small case and "
            + "printed with its seed, scenario and trace. With --ablate the stack breaks one rule on purpose, so "
            + "a failure (exit status 1) is the expected outcome. Cases run on --jobs threads with the same report "
            + "whatever their number; --shard K/N runs the K-th of N parts of the seeds, and --merge combines the "
            + "--json reports of all parts into the report of one run.",
        arguments: [
            Command.Argument(key: "reports", valueName: "REPORT.json", help: "With --merge: the --json reports to combine.",
                             isOptional: true, isRepeated: true),
        ],
        options: [
            .integer("seeds", in: 1...1_000_000_000, help: "How many seeds to run (cases 1...N).", default: 100),
            .integer("jobs", in: 1...1_024, help: "How many cases run at once (default: the number of cores)."),
            .string("shard", valueName: "K/N", help: "Run only the K-th of N equal parts of the seeds."),
            .flag("merge", help: "Combine the --json reports of shards into the report of one run."),
            .string("invariant", valueName: "NAME", help: "Check only this invariant."),
            .string("ablate", valueName: "NAME", help: "Switch off one protocol mechanism and show which invariants break."),
            .string("trace", valueName: "FILE", help: "Check one trace (.jsonl) or capture (.pcap) instead of generated cases."),
            .flag("list", help: "Describe every invariant and ablation."),
            .flag("json", help: "Print the results as JSON."),
        ],
        usage: ["[--seeds N] [--jobs N] [--shard K/N] [--invariant NAME] [--ablate NAME] [--json]",
                "--merge REPORT.json... [--jobs N] [--json]", "--trace FILE [--invariant NAME] [--json]",
                "--list [--json]"],
        validate: { arguments in
            if arguments.isSet("trace") {
                for other in ["seeds", "ablate", "list", "shard", "merge"] where arguments.isSet(other) {
                    return UsageError(.other("--trace checks one file: it does not take --\(other)"))
                }
            }
            if arguments.flag("merge") {
                for other in ["seeds", "ablate", "invariant", "shard", "list"] where arguments.isSet(other) {
                    return UsageError(.other("--merge takes its seeds, invariants and ablation from the reports: "
                                             + "it does not take --\(other)"))
                }
                if arguments.strings("reports").isEmpty {
                    return UsageError(.other("--merge needs the reports to combine: stacklab check --merge A.json B.json"))
                }
            } else if !arguments.strings("reports").isEmpty {
                return UsageError(.other("unexpected argument '\(arguments.strings("reports")[0])' (files are read with --merge)"))
            }
            return nil
        },
        handler: CheckHandler.run)
}
