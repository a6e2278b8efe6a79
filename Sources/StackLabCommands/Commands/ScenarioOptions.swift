import Apps
import Stack
import Tracing

/// The options every command that runs a scenario shares (`run`, `diagram`): what they are, and
/// the overrides they make. One place, so the commands cannot drift apart.
enum ScenarioOptions {
    /// `--seed`, `--rtt`, `--loss`, `--loopback`, `--profile`, `--bytes`, `--requests`, `--messages`, `--interval`;
    /// `forScenario` words the help for
    /// commands whose input may be something other than a scenario.
    static func options(forScenario: Bool = false) -> [Command.Option] {
        let suffix = forScenario ? ", for a scenario" : ""
        return [
            .unsigned("seed", help: "Seed of the random generator that decides every loss and delay\(suffix)."),
            .number("rtt", valueName: "MS", in: 0...3_600_000, help: "Round-trip time of the link, in milliseconds\(suffix)."),
            .number("loss", valueName: "P", in: 0...1, help: "Probability that the link drops a packet, from 0 to 1\(suffix)."),
            .flag("loopback", help: "Time the link as Linux's lo: each packet delivered within the call that sent it, "
                  + "applications woken after (RTT 0, MTU 65535)\(suffix)."),
            .choice("profile", StackProfile.names,
                    help: "Stack behaviour: the RFCs as written, Linux's defaults, or textbook with 3-segment buffers."),
            .integer("bytes", in: 0...Int.max, help: "Bytes the application sends, for scenarios that send data."),
            .integer("requests", in: 1...100_000, help: "Requests each HTTP or long-socket client makes."),
            .integer("messages", in: 1...100_000,
                     help: "Chat messages: posted by the chat server's feed and by each MQTT client, awaited by readers."),
            .number("interval", valueName: "MS", in: 1...3_600_000, help: "How often a polling client polls, in milliseconds."),
        ]
    }

    /// The overrides the options given on the command line make.
    static func overrides(_ arguments: ParsedArguments) throws -> ScenarioOverrides {
        try checkBytes(arguments)
        return ScenarioOverrides(
            seed: arguments.unsigned("seed"),
            rtt: arguments.double("rtt").map { Int64(($0 * 1_000_000).rounded()) },
            lossPPM: arguments.double("loss").map { Int(($0 * 1_000_000).rounded()) },
            profile: arguments.string("profile").flatMap(StackProfile.init(rawValue:)),
            bytes: arguments.int("bytes"), requests: arguments.int("requests"), messages: arguments.int("messages"),
            interval: arguments.double("interval").map { Int64(($0 * 1_000_000).rounded()) },
            loopback: arguments.flag("loopback"))
    }

    /// `--bytes` within the limit "bytes per send" (`InputLimits.bytesPerSend`).
    static func checkBytes(_ arguments: ParsedArguments) throws {
        guard let bytes = arguments.int("bytes"), bytes > InputLimits.bytesPerSend else { return }
        throw UsageError(.other("--bytes: \(bytes) is over the limit \"bytes per send\" "
                                + "(\(InputLimits.grouped(InputLimits.bytesPerSend)) bytes); a scenario file can send "
                                + "without end with 'send forever'"), command: arguments.commandName)
    }

    /// `--ablate NAME`, resolved with a suggestion for a near miss.
    static func ablation(_ arguments: ParsedArguments, command: String) throws -> Ablation? {
        guard let name = arguments.string("ablate") else { return nil }
        if let ablation = Ablation(rawValue: name) { return ablation }
        let suggestion = Suggestion.nearest(to: name, among: Ablation.names)
        throw UsageError(.other("unknown ablation '\(name)'." + (suggestion.map { " Did you mean '\($0)'?" } ?? "")
                                + " Ablations: \(Ablation.names.joined(separator: ", "))."), command: command)
    }
}
