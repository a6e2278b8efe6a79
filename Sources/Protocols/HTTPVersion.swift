/// An HTTP/1.x protocol version (RFC 9110 §2.5, RFC 9112 §2.3).
public enum HTTPVersion: Sendable, Hashable, CustomStringConvertible {
    /// HTTP/1.0 (RFC 1945): a connection closes after each response unless keep-alive is agreed.
    case http1_0
    /// HTTP/1.1 (RFC 9112): connections persist unless one side says `Connection: close`.
    case http1_1

    /// The `HTTP-version` text as it appears on the wire, e.g. `HTTP/1.1`.
    public var description: String {
        switch self {
        case .http1_0: return "HTTP/1.0"
        case .http1_1: return "HTTP/1.1"
        }
    }
}
