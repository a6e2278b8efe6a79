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
