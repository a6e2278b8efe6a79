/// A complete HTTP response: status line, header section, body and trailer section (RFC 9112 §4).
public struct HTTPResponse: Sendable, Hashable {
    /// The protocol version of the status line.
    public var version: HTTPVersion
    /// The three-digit status code, 100...599 (RFC 9110 §15).
    public var status: Int
    /// The reason phrase; advisory only (RFC 9112 §4).
    public var reason: String
    /// The header section, in order.
    public var headers: HTTPHeaders
    /// The content, after removing any chunked transfer coding.
    public var body: [UInt8]
    /// Trailer fields received after a chunked body (RFC 9112 §7.1.2); empty otherwise.
    public var trailers: HTTPHeaders

    /// A response; `reason` defaults to the RFC 9110 phrase for `status`.
    public init(
        status: Int,
        reason: String? = nil,
        version: HTTPVersion = .http1_1,
        headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = [],
        trailers: HTTPHeaders = HTTPHeaders()
    ) {
        self.version = version
        self.status = status
        self.reason = reason ?? HTTPStatus.reasonPhrase(status)
        self.headers = headers
        self.body = body
        self.trailers = trailers
    }

    /// Whether this is an interim (1xx) response, which precedes the final one (RFC 9110 §15.2).
    public var isInformational: Bool {
        (100...199).contains(status)
    }

    /// Whether the status forbids content, whatever the request: 1xx, 204 and 304 (RFC 9112 §6.3).
    public var statusForbidsBody: Bool {
        isInformational || status == 204 || status == 304
    }

    /// Whether the server lets the connection persist after this response (RFC 9112 §9.3).
    public var keepsConnectionAlive: Bool {
        HTTPPersistence.persists(version: version, headers: headers)
    }
}
