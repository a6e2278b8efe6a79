extension Command {
    /// `stacklab replay TRACE|SCENARIO|FILE.scn [--profile P] [--strict] [--json] [--pcap OUT] [--trace OUT]`
    /// and `stacklab replay --all`.
    static let replay = Command(
        name: "replay",
        summary: "Replay a scenario on the Linux kernel, segment by segment.",
        discussion: "Runs the scenario on real sockets over lo (capturing both copies of every packet) and on the "
            + "simulated stack over a loopback link (each packet delivered within the call that sent it, "
            + "applications woken after, MTU 65535), then compares the two "
            + "connection by connection and direction by direction, applying a small set of named equivalences "
            + "between the textbook and Linux (see the README). A trace file replays the built-in scenario it "
            + "records. Exit status: 0 match or match with equivalences (or a kernel race reported as not "
            + "reproducible), 1 mismatch, 2 when the input cannot be replayed (random loss, partitions, "
            + "corruption, duplication, reordering, a bandwidth limit, scripted drops, link up/down steps). "
            + "Capturing needs root or CAP_NET_RAW; without it the socket-level comparison runs alone.",
        arguments: [
            .optional("input", "TRACE|SCENARIO|FILE.scn",
                      help: "A trace file (.jsonl) of a built-in scenario, a built-in scenario or a scenario file."),
        ],
        options: [
            .flag("all", help: "Replay every replayable golden trace in Traces/ (or $STACKLAB_TRACES)."),
            .choice("profile", ["textbook", "linux"], help: "The simulated stack's profile (default: the scenario's)."),
            .flag("strict", help: "Also compare windows, TCP options and PSH."),
            .flag("json", help: "Print the result as JSON."),
            .string("pcap", valueName: "OUT.pcap", help: "Write the kernel capture (each packet once) to this file."),
            .string("trace", valueName: "OUT.jsonl", help: "Write the kernel trace (profile \"kernel\") to this file."),
            .unsigned("seed", help: "Seed of the simulated side, for a scenario."),
            .integer("bytes", in: 0...Int.max, help: "Bytes the application sends, for built-in scenarios that send data."),
            .flag("ascii", help: "Plain ASCII instead of Unicode arrows and marks."),
        ],
        usage: ["TRACE|SCENARIO|FILE.scn [--profile textbook|linux] [--strict] [--json] [--pcap OUT.pcap] "
                    + "[--trace OUT.jsonl]",
                "--all [--profile textbook|linux] [--strict] [--json]"],
        validate: { arguments in
            let all = arguments.flag("all"), input = arguments.isSet("input")
            if all && input { return UsageError(.other("give a trace or scenario, or --all, not both")) }
            if !all && !input { return UsageError(.other("missing argument TRACE|SCENARIO|FILE.scn (or --all)")) }
            if all {
                for option in ["pcap", "trace", "seed", "bytes"] where arguments.isSet(option) {
                    return UsageError(.other("--all replays the golden traces as recorded: it does not take --\(option)"))
                }
            }
            return nil
        },
        handler: ReplayHandler.run)
}
