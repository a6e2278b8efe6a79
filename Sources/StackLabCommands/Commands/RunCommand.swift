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
        options: [
            .integer("seed", in: 0...Int.max, help: "Seed of the random generator that decides every loss and delay."),
            .number("rtt", valueName: "MS", in: 0...3_600_000, help: "Round-trip time of the link, in milliseconds."),
            .number("loss", valueName: "P", in: 0...1, help: "Probability that the link drops a packet, from 0 to 1."),
            .choice("profile", ["textbook", "linux", "small-buffer"], help: "Stack behaviour: the RFCs as written, Linux's defaults, or textbook with 3-segment buffers."),
            .integer("bytes", in: 0...Int.max, help: "Bytes the application sends, for scenarios that send data."),
            .string("trace", valueName: "OUT.jsonl", help: "Also write the trace as JSON Lines to this file."),
            .string("pcap", valueName: "OUT.pcap", help: "Also write the packets as a pcap file that Wireshark opens."),
            .flag("json", help: "Print a JSON summary instead of the trace."),
            .flag("verbose", help: "List every event: arrivals, timers set and cancelled, cwnd changes."),
            .string("ablate", valueName: "NAME", help: "Switch off one protocol mechanism (see 'stacklab check --help')."),
        ],
        handler: RunHandler.run)
}
