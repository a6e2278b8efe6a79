import Loopback
import Tracing

/// A replay's verdict: the comparison's, or that the kernel could not reproduce what was asked.
public enum ReplayVerdict: Hashable, Sendable {
    case match
    case matchWithEquivalences
    case mismatch
    /// The kernel cannot be made to do what the scenario asks (a race it always loses), and did not.
    case notReproducible(reason: String)

    /// `match`, `match_with_equivalences`, `mismatch`, `not_reproducible` (the JSON form).
    public var name: String {
        switch self {
        case .match: "match"
        case .matchWithEquivalences: "match_with_equivalences"
        case .mismatch: "mismatch"
        case .notReproducible: "not_reproducible"
        }
    }

    /// `match`, `match with equivalences`, `mismatch`, `not reproducible on the kernel`.
    public var text: String {
        switch self {
        case .match: "match"
        case .matchWithEquivalences: "match with equivalences"
        case .mismatch: "mismatch"
        case .notReproducible: "not reproducible on the kernel"
        }
    }

    public var isMismatch: Bool { self == .mismatch }
}

/// Everything a replay found: both runs, the comparison, and what the kernel run reported.
public struct ReplayReport: Sendable {
    /// The scenario as asked for.
    public var original: Scenario
    /// The loopback-like scenario both runtimes ran (`ReplayPlan.loopbackLike`).
    public var replayed: Scenario
    public var simulated: Run
    public var kernel: Run
    /// Capture status, port mapping, outcome and pcap of the kernel run.
    public var kernelReport: LoopbackRuntime.Report
    public var comparison: ReplayComparison
    public var verdict: ReplayVerdict
    /// Things a reader should know: the link used, ports moved, cleanup not compared, no capture.
    public var notes: [String]

    /// The kernel's packets were captured and compared.
    public var packetsCaptured: Bool { comparison.packetsCompared }
}

/// Why a scenario could not be replayed.
public enum ReplayError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The scenario relies on link faults that loopback cannot reproduce.
    case notReplayable(scenario: String, reasons: [String])
    /// A trace names a scenario StackLab does not know, so there is nothing to re-run.
    case unknownScenario(String)
    /// The kernel run could not happen.
    case runtime(RuntimeError)

    public var description: String {
        switch self {
        case .notReplayable(let scenario, let reasons):
            "\(scenario) cannot be replayed on loopback: it relies on " + reasons.joined(separator: ", ")
        case .unknownScenario(let name):
            "the trace records scenario '\(name)', which is not a built-in scenario, so it cannot be re-run "
                + "(replay its scenario file instead)"
        case .runtime(let error):
            "the kernel run failed: \(error)"
        }
    }
}
