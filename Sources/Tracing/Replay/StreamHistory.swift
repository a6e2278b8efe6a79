/// One end of a TCP connection in one trace, as its application and the state samples saw it.
public struct StreamHistory: Hashable, Sendable {
    public var connection: ReplayConnectionKey
    /// The local end.
    public var end: ReplayEndpoint
    /// The trace's name for the socket, `client:52583>server:80`.
    public var name: String
    public var steps: [SocketStep] = []
    public var bytesSent = 0
    public var bytesReceived = 0
    public var intact = true
    /// The last state recorded, with a TIME-WAIT that ended by its 2MSL timer counted as TIME-WAIT
    /// (the kernel's TIME-WAIT is seen in `/proc/net/tcp` and not waited for); CLOSED if none.
    public var settledState: TCPState = .closed
    /// The end entered TIME-WAIT.
    public var heldTimeWait = false
    /// Event index of the application's first `close` or `shutdown`.
    var firstCloseEvent: Int?
    var aborted = false

    /// The application made calls on it or heard from it.
    var isUsed: Bool { !steps.isEmpty || bytesSent > 0 || bytesReceived > 0 }
}
