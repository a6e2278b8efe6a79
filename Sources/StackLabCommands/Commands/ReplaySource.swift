import Apps
import Runs
import Tracing

/// What `replay` was given, as a scenario, and how it was read.
struct ReplaySource {
    var scenario: Scenario
    /// "built-in scenario handshake", "scenario file my.scn", or how a trace's scenario was re-created.
    var description: String

    /// A built-in scenario, a trace file (`.jsonl`: its built-in scenario is re-run) or a scenario file.
    static func resolve(_ input: String, overrides: ScenarioOverrides) throws -> ReplaySource {
        if let scenario = BuiltInScenarios.scenario(named: input, overrides: overrides) {
            return ReplaySource(scenario: scenario, description: "built-in scenario \(input)")
        }
        if input.hasSuffix(".jsonl") {
            guard ScenarioFiles.isFile(input) else { throw CommandFailure("\(input): no such file") }
            return try fromTrace(at: input, overrides: overrides)
        }
        if input.hasSuffix(".pcap") || input.hasSuffix(".pcapng") {
            throw CommandFailure("\(input): a capture holds packets, not a scenario, so there is nothing to re-run "
                                 + "(replay the scenario that made it)")
        }
        let scenario = try ScenarioResolver.scenario(named: input, overrides: overrides)
        return ReplaySource(scenario: scenario, description: "scenario file \(input)")
    }

    static func fromTrace(at path: String, overrides: ScenarioOverrides) throws -> ReplaySource {
        let bytes = try ScenarioFiles.read(path, limit: InputLimits.traceFileSize, limitName: "trace file size")
        let trace: Trace
        do {
            trace = try TraceFile.read(bytes: bytes, file: path)
        } catch {
            throw CommandFailure(error.description)
        }
        do throws(ReplayError) {
            let recorded = try RecordedScenario(trace: trace)
            return ReplaySource(scenario: overrides.applied(to: recorded.scenario), description: "\(path): \(recorded.note)")
        } catch {
            throw CommandFailure("\(path): \(error)")
        }
    }
}
