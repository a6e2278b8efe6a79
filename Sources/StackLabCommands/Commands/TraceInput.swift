import Apps
import Runs
import Tracing

/// What `diagram` and `check --trace` draw or check: a built-in scenario (run now), a scenario
/// file (run now), a JSON Lines trace, or a pcap capture.
enum TraceInput {
    /// Trace and capture files larger than this are refused unread.
    static let maximumInputSize = 256 << 20

    /// Reads or runs `input`. `overrides` apply to scenarios; `limit` keeps a capture's first
    /// `limit` TCP connections.
    static func load(_ input: String, overrides: ScenarioOverrides = ScenarioOverrides(), limit: Int? = nil) throws -> Trace {
        if let scenario = BuiltInScenarios.scenario(named: input, overrides: overrides) {
            return SimulatedRuntime().run(scenario).trace
        }
        guard ScenarioFiles.isFile(input) else {
            _ = try ScenarioResolver.scenario(named: input, overrides: overrides)
            throw CommandFailure("\(input): no such file or scenario")
        }
        if input.hasSuffix(".scn") {
            return SimulatedRuntime().run(overrides.applied(to: try ScenarioFiles.readScenario(at: input))).trace
        }
        let bytes = try ScenarioFiles.read(input, limit: maximumInputSize)
        if input.hasSuffix(".jsonl") {
            do {
                return try TraceFile.read(bytes: bytes, file: input)
            } catch {
                throw CommandFailure(error.description)
            }
        }
        let name = input.split(separator: "/").last.map(String.init) ?? input
        do {
            return try PcapTraceReader.trace(fromPcap: bytes, name: name, limit: limit)
        } catch {
            throw CommandFailure("\(input): \(error)")
        }
    }
}
