import Apps
import Checking
import Foundation
import Runs
import Stack
import Tracing

/// `stacklab run`: resolves the scenario, applies the flags, runs it, prints the trace or a summary.
enum RunHandler {
    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        let name = arguments.string("scenario") ?? ""
        let scenario = try ScenarioResolver.scenario(named: name, overrides: try ScenarioOptions.overrides(arguments))
        let ablation = try ScenarioOptions.ablation(arguments, command: "run")
        if let ablation, !arguments.flag("json") { context.stderr.print("ablation \(ablation.name): \(ablation.summary)") }
        // A summary alone needs no packet bytes: their headers keep memory flat however much is sent.
        let writesPackets = arguments.isSet("trace") || arguments.isSet("pcap") || arguments.isSet("pcapng")
        let summaryOnly = arguments.flag("json") && !writesPackets
        let run = SimulatedRuntime(settings: StackSettings(ablation: ablation), budget: RunBudgets.budget(arguments))
            .run(scenario, packetBytes: summaryOnly ? .headers : .all)
        try RunBudgets.require(run, name: name, raisable: true)
        if writesPackets {
            let trace = run.trace
            if let path = arguments.string("trace") { try ScenarioFiles.write(TraceFile.bytes(of: trace), to: path) }
            if let path = arguments.string("pcap") { try ScenarioFiles.write(TracePcap.bytes(of: trace), to: path) }
            if let path = arguments.string("pcapng") { try ScenarioFiles.write(TracePcapng.bytes(of: trace), to: path) }
        }
        if arguments.flag("json") {
            context.stdout.print(RunSummaryJSON.value(of: run.summary).prettyText)
        } else {
            context.stdout.print(context.stdout.bold(scenario.name))
            context.stdout.print(scenario.summary)
            context.stdout.print(context.stdout.dim("seed \(scenario.seed), profile \(scenario.profile), "
                + (scenario.link.loopback ? "loopback link" : "RTT \(scenario.link.rtt / 1_000_000) ms")
                + ", loss \(scenario.link.lossPPM / 10_000)%"))
            for line in run.textLines(verbose: arguments.flag("verbose")) { context.stdout.print(line) }
            for failure in run.failures { context.stderr.print("warning: \(failure)") }
        }
        return run.failures.isEmpty ? ExitStatus.success : ExitStatus.failure
    }
}

/// Finds a scenario by name or file, with a suggestion for a near miss.
enum ScenarioResolver {
    /// A path ending in `.scn`, or any existing file, is read as a scenario file; anything else
    /// names a built-in scenario. `--bytes` applies to built-ins only (a file says its own sizes).
    static func scenario(named name: String, overrides: ScenarioOverrides) throws -> Scenario {
        if name.hasSuffix(".scn") || ScenarioFiles.isFile(name) {
            return overrides.applied(to: try ScenarioFiles.readScenario(at: name))
        }
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
            ("seed", .unsigned(summary.seed)),
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
                    ("final_state", .string(endpoint.finalState.rawValue)),
                ])
            })),
            ("failures", .array(summary.failures.map { .string($0) })),
        ])
    }
}
