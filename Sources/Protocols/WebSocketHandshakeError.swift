/// Why an opening handshake failed (RFC 6455 §4.1 for the client, §4.2.1 for the server).
///
/// On the server, `status` and `rejection` give the answer to send; on the client, the
/// connection must be failed (RFC 6455 §4.1: "_Fail the WebSocket Connection_").
public enum WebSocketHandshakeError: Error, Sendable, Equatable {
    /// The request method is not `GET` (§4.1, item 2).
    case methodNotGet(String)
    /// The request line's version is not HTTP/1.1 or later (§4.1, item 2).
    case unsupportedHTTPVersion(String)
    /// The request target is not a resource name (§3: absolute path and query) or absolute URI.
    case invalidTarget(String)
    /// A required header field is absent.
    case missingHeader(String)
    /// A header field that must appear at most once appears more than once (§11.3).
    case duplicateHeader(String)
    /// A header field has a value the handshake does not allow.
    case invalidHeaderValue(name: String, value: String)
    /// The client asks for a protocol version other than 13 (§4.2.2, §4.4).
    case unsupportedVersion(String)
    /// The server answered with a status other than 101 (§4.1: "handled per HTTP procedures").
    case unexpectedStatus(Int)
    /// `Sec-WebSocket-Accept` is not Base64(SHA-1(key + GUID)) for the key sent (§4.1, item 4).
    case acceptMismatch(expected: String, received: String)
    /// The server chose an extension the client did not offer (§4.1, item 5).
    case unrequestedExtension(String)
    /// The server chose a subprotocol the client did not offer (§4.1, item 6).
    case unrequestedSubprotocol(String)

    /// The header field at fault, when the problem is a header field.
    public var headerName: String? {
        switch self {
        case .missingHeader(let name), .duplicateHeader(let name), .invalidHeaderValue(let name, _): name
        case .unsupportedVersion: "Sec-WebSocket-Version"
        case .acceptMismatch: "Sec-WebSocket-Accept"
        case .unrequestedExtension: "Sec-WebSocket-Extensions"
        case .unrequestedSubprotocol: "Sec-WebSocket-Protocol"
        case .methodNotGet, .unsupportedHTTPVersion, .invalidTarget, .unexpectedStatus: nil
        }
    }

    /// The status a server answers with: 426 Upgrade Required for a version it does not speak
    /// (§4.2.2, §4.4), 400 Bad Request for anything else (§4.2.1).
    public var status: Int {
        switch self {
        case .unsupportedVersion: 426
        case .methodNotGet, .unsupportedHTTPVersion, .invalidTarget, .missingHeader, .duplicateHeader,
             .invalidHeaderValue, .unexpectedStatus, .acceptMismatch, .unrequestedExtension,
             .unrequestedSubprotocol: 400
        }
    }

    /// The response a server sends to refuse the handshake: 426 carries
    /// `Sec-WebSocket-Version: 13` to say which version to retry with (§4.4).
    public var rejection: WebSocketHandshakeResponse {
        switch status {
        case 426:
            WebSocketHandshakeResponse(status: 426, reason: "Upgrade Required",
                                       headers: [(name: "Sec-WebSocket-Version", value: WebSocket.version)])
        default:
            WebSocketHandshakeResponse(status: 400, reason: "Bad Request", headers: [])
        }
    }
}
