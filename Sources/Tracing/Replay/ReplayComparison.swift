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

/// One connection or flow compared.
public struct ConnectionComparison: Sendable {
    public var key: ReplayConnectionKey
    /// How each trace names it (`client:49152>server:80`), nil where it is missing.
    public var simulatedName: String?
    public var kernelName: String?
    public var simulated: [ReplaySegment]
    public var kernel: [ReplaySegment]
    /// Rows in display order, with positions in `simulated` and `kernel`.
    public var rows: [ReplayRow]
    public var difference: ReplayDifference?
    /// The simulated FINs crossed (a simultaneous close).
    public var finsCrossed: Bool
    /// The TIME-WAIT check on each trace (TCP only).
    public var simulatedTimeWait: TimeWaitFinding?
    public var kernelTimeWait: TimeWaitFinding?
}
