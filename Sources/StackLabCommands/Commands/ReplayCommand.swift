extension Command {
    /// `stacklab replay TRACE|SCENARIO|--all [--json]`
    static let replay = Command(
        name: "replay",
        summary: "Replay a trace against the real kernel on loopback and compare.",
        arguments: [
            .optional("input", "TRACE|SCENARIO", help: "A trace file or a built-in scenario."),
        ],
        options: [
            .flag("all", help: "Replay every golden trace."),
            .flag("json", help: "Print the comparison as JSON."),
        ],
        usage: ["TRACE|SCENARIO [--json]", "--all [--json]"],
        validate: { arguments in
            switch (arguments.isSet("input"), arguments.flag("all")) {
            case (true, true): return UsageError(.other("give TRACE|SCENARIO or --all, not both"))
            case (false, false): return UsageError(.missingArgument(valueName: "TRACE|SCENARIO (or --all)"))
            case (true, false), (false, true): return nil
            }
        },
        handler: notAvailableYet("replay"))
}
