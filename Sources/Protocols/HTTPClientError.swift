/// Why a request sent on an `HTTPClientConnection` got no response.
public enum HTTPClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The response could not be parsed; the connection is closed.
    case malformedResponse(HTTPParseError)
    /// The stream ended inside the response (the error locates where).
    case incompleteResponse(HTTPParseError)
    /// The request was written but the connection closed before its response began: retry
    /// only if the method is idempotent (RFC 9110 §9.2.2, RFC 9112 §9.3.1).
    case closedBeforeResponse
    /// The connection closed before the request was written: safe to send on a new connection.
    case notSent
    /// A 101 (Switching Protocols) answered a request that did not ask for an upgrade.
    case unexpectedUpgrade

    /// Whether sending the request again on a new connection is safe (RFC 9112 §9.3.1).
    public func allowsRetry(of method: HTTPMethod) -> Bool {
        switch self {
        case .notSent: return true
        case .closedBeforeResponse: return method.isIdempotent
        case .malformedResponse, .incompleteResponse, .unexpectedUpgrade: return false
        }
    }

    public var description: String {
        switch self {
        case .malformedResponse(let error): return "malformed response: \(error)"
        case .incompleteResponse(let error): return "incomplete response: \(error)"
        case .closedBeforeResponse: return "connection closed before the response"
        case .notSent: return "connection closed before the request was sent"
        case .unexpectedUpgrade: return "unexpected 101 Switching Protocols"
        }
    }
}
