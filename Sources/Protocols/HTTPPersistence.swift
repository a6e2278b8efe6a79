/// Whether a connection persists after a message, from its version and `Connection` field
/// (RFC 9112 §9.3).
public enum HTTPPersistence {
    /// True unless the message says `close`, or it is HTTP/1.0 without `keep-alive`.
    ///
    /// RFC 9112 §9.3: the `close` connection option ends persistence in any version; otherwise
    /// HTTP/1.1 persists by default, and HTTP/1.0 persists only with the `keep-alive` option
    /// (RFC 9112 §C.2.2). Options are list elements compared without case (RFC 9110 §7.6.1).
    public static func persists(version: HTTPVersion, headers: HTTPHeaders) -> Bool {
        if headers.hasToken("close", in: "Connection") {
            return false
        }
        switch version {
        case .http1_1: return true
        case .http1_0: return headers.hasToken("keep-alive", in: "Connection")
        }
    }
}
