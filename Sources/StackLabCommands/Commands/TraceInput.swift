import Apps
import Runs
import Tracing

/// What `diagram` and `check --trace` draw or check: a built-in scenario (run now), a scenario
/// file (run now), a JSON Lines trace, or a pcap capture.
enum TraceInput {
    /// Reads or runs `input`. `overrides` apply to scenarios; `limit` keeps a capture's first
    /// `limit` TCP connections.
    static func load(_ input: String, overrides: ScenarioOverrides = ScenarioOverrides(), limit: Int? = nil,
                     budget: RunBudget = .standard) throws -> Trace {
        try loadNoting(input, overrides: overrides, limit: limit, budget: budget).trace
    }

    /// `load`, with a note for the user when `limit` left connections of a capture out.
    static func loadNoting(_ input: String, overrides: ScenarioOverrides = ScenarioOverrides(), limit: Int? = nil,
                           budget: RunBudget = .standard) throws -> (trace: Trace, note: String?) {
        func run(_ scenario: Scenario) throws -> Trace {
            let run = SimulatedRuntime(budget: budget).run(scenario)
            try RunBudgets.require(run, name: input, raisable: true)
            return run.trace
        }
        if let scenario = BuiltInScenarios.scenario(named: input, overrides: overrides) {
            return (try run(scenario), nil)
        }
        guard ScenarioFiles.isFile(input) else {
            // A name with a path or a file suffix is a file that is not there, not a scenario.
            if input.contains("/") || [".scn", ".jsonl", ".pcap", ".pcapng"].contains(where: input.hasSuffix) {
                throw CommandFailure("\(input): no such file")
            }
            _ = try ScenarioResolver.scenario(named: input, overrides: overrides)
            throw CommandFailure("\(input): no such file or scenario")
        }
        if input.hasSuffix(".scn") {
            return (try run(overrides.applied(to: try ScenarioFiles.readScenario(at: input))), nil)
        }
        let bytes = try ScenarioFiles.read(input, limit: InputLimits.traceFileSize, limitName: "trace file size")
        if input.hasSuffix(".jsonl") {
            do {
                return (try TraceFile.read(bytes: bytes, file: input), nil)
            } catch {
                throw CommandFailure(error.description)
            }
        }
        let name = input.split(separator: "/").last.map(String.init) ?? input
        do {
            let reading = try PcapTraceReader.read(bytes, name: name, limit: limit)
            guard reading.connectionsKept < reading.connections else { return (reading.trace, nil) }
            let left = reading.connections - reading.connectionsKept
            return (reading.trace, "\(input): drew the first \(InputLimits.grouped(reading.connectionsKept)) of "
                    + "\(InputLimits.grouped(reading.connections)) TCP connections (\(InputLimits.grouped(left)) left out, "
                    + "limit \"connections drawn\"); --limit N draws more")
        } catch {
            throw CommandFailure("\(input): \(error)")
        }
    }
}
