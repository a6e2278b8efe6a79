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
