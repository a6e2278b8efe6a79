import Tracing

/// Knobs a user may turn on any scenario, from the command line (`--seed`, `--rtt`, `--loss`,
/// `--profile`, `--bytes`) or a lesson's header (also jitter, duplication, reordering and
/// corruption). Nil keeps the scenario's own value. `bytes` is read by the built-in scenarios
/// that send a stream (`BuiltInScenarios.scenario(named:overrides:)`).
public struct ScenarioOverrides: Hashable, Sendable {
    public var seed: UInt64?
    /// Round-trip time, nanoseconds.
    public var rtt: Int64?
    public var lossPPM: Int?
    public var profile: StackProfile?
    public var bytes: Int?
    /// Jitter, ± nanoseconds.
    public var jitter: Int64?
    public var duplicatePPM: Int?
    public var reorderPPM: Int?
    public var corruptPPM: Int?

    public init(
        seed: UInt64? = nil, rtt: Int64? = nil, lossPPM: Int? = nil, profile: StackProfile? = nil, bytes: Int? = nil,
        jitter: Int64? = nil, duplicatePPM: Int? = nil, reorderPPM: Int? = nil, corruptPPM: Int? = nil
    ) {
        self.seed = seed
        self.rtt = rtt
        self.lossPPM = lossPPM
        self.profile = profile
        self.bytes = bytes
        self.jitter = jitter
        self.duplicatePPM = duplicatePPM
        self.reorderPPM = reorderPPM
        self.corruptPPM = corruptPPM
    }

    /// The scenario with these overrides applied to its header (seed, profile, link).
    public func applied(to scenario: Scenario) -> Scenario {
        var result = scenario
        if let seed { result.seed = seed }
        if let rtt { result.link.rtt = rtt }
        if let lossPPM { result.link.lossPPM = lossPPM }
        if let profile { result.profile = profile }
        if let jitter { result.link.jitter = jitter }
        if let duplicatePPM { result.link.duplicatePPM = duplicatePPM }
        if let reorderPPM { result.link.reorderPPM = reorderPPM }
        if let corruptPPM { result.link.corruptPPM = corruptPPM }
        return result
    }
}
