import Apps
import Runs
import Tracing

extension Command {
    /// `stacklab run SCENARIO|FILE [--seed N] [--rtt MS] [--loss P] [--profile textbook|linux] ...`
    static let run = Command(
        name: "run",
        summary: "Run a scenario on the simulated stack and print its trace.",
        arguments: [
            .required("scenario", "SCENARIO|FILE", help: "A built-in scenario (see 'stacklab scenarios') or a scenario file."),
        ],
        options: ScenarioOptions.options() + [RunBudgets.option,
            .string("trace", valueName: "OUT.jsonl", help: "Also write the trace as JSON Lines to this file."),
            .string("pcap", valueName: "OUT.pcap", help: "Also write the packets as a pcap file that Wireshark opens."),
            .string("pcapng", valueName: "OUT.pcapng",
                    help: "Also write a pcapng with each packet's states, timers and drops as comments."),
            .flag("json", help: "Print a JSON summary instead of the trace."),
            .flag("verbose", help: "List every event: arrivals, timers set and cancelled, cwnd changes."),
            .string("ablate", valueName: "NAME", help: "Switch off one protocol mechanism (see 'stacklab check --help')."),
        ],
        handler: RunHandler.run)
}
