import Apps
import Runs
import Tracing

/// `stacklab run`: resolves the scenario, applies the flags, runs it, prints the trace or a summary.
enum RunHandler {
    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        let name = arguments.string("scenario") ?? ""
        let overrides = ScenarioOverrides(
            seed: arguments.int("seed").map { UInt64($0) },
            rtt: arguments.double("rtt").map { Int64(($0 * 1_000_000).rounded()) },
            lossPPM: arguments.double("loss").map { Int(($0 * 1_000_000).rounded()) },
            profile: arguments.string("profile"),
            bytes: arguments.int("bytes"))
        let scenario = try ScenarioResolver.scenario(named: name, overrides: overrides)
        for unsupported in ["trace", "pcap", "ablate"] where arguments.isSet(unsupported) {
            throw UsageError(.other("--\(unsupported) is not available yet"), command: "run")
        }
        let run = SimulatedRun(scenario)
        if arguments.flag("json") {
            context.stdout.print(RunSummaryJSON.value(of: run.summary).prettyText)
        } else {
            context.stdout.print(context.stdout.bold(scenario.name))
            context.stdout.print(scenario.summary)
            context.stdout.print(context.stdout.dim("seed \(scenario.seed), profile \(scenario.profile), "
                + "RTT \(scenario.link.rtt / 1_000_000) ms, loss \(scenario.link.lossPPM / 10_000)%"))
            for line in run.textLines(verbose: arguments.flag("verbose")) { context.stdout.print(line) }
            for failure in run.summary.failures { context.stderr.print("warning: \(failure)") }
        }
        return run.summary.failures.isEmpty ? ExitStatus.success : ExitStatus.failure
    }
}

/// Finds a scenario by name, with a suggestion for a near miss.
enum ScenarioResolver {
    static func scenario(named name: String, overrides: ScenarioOverrides) throws -> Scenario {
        if let scenario = BuiltInScenarios.scenario(named: name, overrides: overrides) { return scenario }
        let suggestion = Suggestion.nearest(to: name, among: BuiltInScenarios.names)
        throw UsageError(.other("unknown scenario '\(name)'." + (suggestion.map { " Did you mean '\($0)'?" } ?? "")
                                + " See 'stacklab scenarios'."), command: nil)
    }
}

/// The `--json` form of a run summary; field names are documented in the README.
enum RunSummaryJSON {
    static func value(of summary: RunSummary) -> JSONValue {
        .object([
            ("scenario", .string(summary.scenario)),
            ("seed", .int(Int64(summary.seed))),
            ("profile", .string(summary.profile)),
            ("bytes_delivered", .int(Int64(summary.bytesDelivered))),
            ("intact", .bool(summary.intact)),
            ("segments_sent", .int(Int64(summary.segmentsSent))),
            ("retransmissions", .int(Int64(summary.retransmissions))),
            ("datagrams_sent", .int(Int64(summary.datagramsSent))),
            ("datagrams_delivered", .int(Int64(summary.datagramsDelivered))),
            ("end_time_ns", .int(summary.endTime)),
            ("endpoints", .array(summary.endpoints.map { endpoint in
                .object([
                    ("endpoint", .string(endpoint.endpoint)),
                    ("remote", .string(endpoint.remote)),
                    ("final_state", .string(endpoint.finalState)),
                ])
            })),
            ("failures", .array(summary.failures.map { .string($0) })),
        ])
    }
}
