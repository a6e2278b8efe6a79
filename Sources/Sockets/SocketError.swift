/// Why a socket operation failed: the cause an application sees in `onerror`.
public enum SocketError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The peer answered the connection request with a reset. The C error is `ECONNREFUSED`.
    case refused
    /// No answer within the retry budget. The C error is `ETIMEDOUT`.
    case timedOut
    /// The peer reset an established connection. The C error is `ECONNRESET`.
    case reset
    /// An ICMP destination-unreachable came back, or no route exists. The C error is `EHOSTUNREACH`.
    case unreachable
    /// The port is already bound. The C error is `EADDRINUSE`.
    case addressInUse
    /// The host name does not resolve.
    case unknownHost(String)
    /// The call makes no sense in the socket's current state, e.g. sending after close.
    case invalidState(String)

    public var description: String {
        switch self {
        case .refused: "connection refused"
        case .timedOut: "connection timed out"
        case .reset: "connection reset by peer"
        case .unreachable: "host unreachable"
        case .addressInUse: "address already in use"
        case .unknownHost(let name): "unknown host '\(name)'"
        case .invalidState(let why): "invalid state: \(why)"
        }
    }
}
