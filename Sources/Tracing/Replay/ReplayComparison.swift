/// The outcome of comparing a simulated trace with a kernel trace of the same scenario.
public struct ReplayComparison: Sendable {
    public enum Verdict: String, Hashable, Sendable {
        /// Every segment the same (header details aside, unless strict), every socket alike.
        case match
        /// The same once the listed equivalences are applied.
        case matchWithEquivalences = "match with equivalences"
        /// A difference no equivalence excuses.
        case mismatch
    }

    public var verdict: Verdict
    /// Connections and flows: the simulated trace's in order, then any only the kernel has.
    public var connections: [ConnectionComparison]
    /// Every equivalence applied, where first and how often, in connection and direction order.
    public var equivalences: [AppliedEquivalence]
    /// The first difference: in packets if any, else the TIME-WAIT check, else in what the sockets saw.
    public var firstDifference: ReplayDifference?
    /// Every socket-level difference.
    public var socketDifferences: [ReplayDifference]
    /// Whether packets were compared (the kernel's were captured).
    public var packetsCompared: Bool
    /// The sockets of each trace, for reports.
    public var simulatedStreams: [StreamHistory]
    public var kernelStreams: [StreamHistory]

    /// The distinct equivalences applied, in catalogue order.
    public var equivalenceNames: [ReplayEquivalence] {
        ReplayEquivalence.allCases.filter { name in equivalences.contains { $0.equivalence == name } }
    }
}
