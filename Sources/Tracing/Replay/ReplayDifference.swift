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
