/// One line of a replay's two-column ladder: segments of one direction of one connection, some from
/// the simulated trace, some from the kernel's, that the comparison put side by side.
public struct ReplayRow: Hashable, Sendable {
    public enum Status: Hashable, Sendable {
        /// The same segment on both sides (header details aside, unless strict).
        case same
        /// Different segments that an equivalence excuses.
        case equivalent(ReplayEquivalence)
        /// The first difference of its direction.
        case different
        /// After the first difference: shown side by side, not compared.
        case unaligned
    }

    public var direction: ReplayDirection
    /// Positions in the connection's simulated segments (`ReplayConnection.segments`).
    public var simulated: [Int]
    /// Positions in the connection's kernel segments.
    public var kernel: [Int]
    public var status: Status
    /// Equivalences to name in the margin of this row (its own, and `timestamps-and-options` where
    /// it first applies in the direction).
    public var equivalences: [ReplayEquivalence]

    public init(direction: ReplayDirection, simulated: [Int], kernel: [Int], status: Status,
                equivalences: [ReplayEquivalence] = []) {
        self.direction = direction
        self.simulated = simulated
        self.kernel = kernel
        self.status = status
        self.equivalences = equivalences
    }
}
