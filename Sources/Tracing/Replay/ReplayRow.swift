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

/// Where an equivalence was applied: its first place in one direction of one connection (or, for the
/// socket-level comparison, at one end's socket), and how many times in all there.
public struct AppliedEquivalence: Hashable, Sendable {
    public var equivalence: ReplayEquivalence
    public var connection: ReplayConnectionKey
    /// The direction of the segments it covered; nil when it applied to a socket.
    public var direction: ReplayDirection?
    /// The end whose socket it applied to, in the socket-level comparison.
    public var socket: ReplayEndpoint?
    /// Index within the direction of the first simulated segment it covered, if any.
    public var simulatedSegment: Int?
    /// Index within the direction of the first kernel segment it covered, if any.
    public var kernelSegment: Int?
    public var count: Int

    public init(equivalence: ReplayEquivalence, connection: ReplayConnectionKey, direction: ReplayDirection?,
                socket: ReplayEndpoint? = nil, simulatedSegment: Int?, kernelSegment: Int?, count: Int) {
        self.equivalence = equivalence
        self.connection = connection
        self.direction = direction
        self.socket = socket
        self.simulatedSegment = simulatedSegment
        self.kernelSegment = kernelSegment
        self.count = count
    }

    /// `client>server:80 from server:80: simulated #1, kernel #1 (×2)`: the connection, the end that
    /// sent the segments, and their indices among the segments that end sent on it; or
    /// `client>server:80, the socket of server:80`.
    public var whereText: String {
        guard let direction else { return "\(connection), the socket of \(socket?.description ?? "?")" }
        var parts: [String] = []
        if let simulatedSegment { parts.append("simulated #\(simulatedSegment)") }
        if let kernelSegment { parts.append("kernel #\(kernelSegment)") }
        return "\(connection) from \(direction.sender(of: connection)): " + parts.joined(separator: ", ")
            + (count > 1 ? " (×\(count))" : "")
    }
}

/// What differs first, with both sides shown.
public struct ReplayDifference: Hashable, Sendable {
    /// Nil for a difference that concerns no one connection.
    public var connection: ReplayConnectionKey?
    public var direction: ReplayDirection?
    /// The end whose socket differs, for a socket-level difference.
    public var socket: ReplayEndpoint?
    public var simulated: ReplaySegment?
    public var kernel: ReplaySegment?
    public var reason: String

    public init(connection: ReplayConnectionKey?, direction: ReplayDirection?, socket: ReplayEndpoint? = nil,
                simulated: ReplaySegment?, kernel: ReplaySegment?, reason: String) {
        self.connection = connection
        self.direction = direction
        self.socket = socket
        self.simulated = simulated
        self.kernel = kernel
        self.reason = reason
    }
}
