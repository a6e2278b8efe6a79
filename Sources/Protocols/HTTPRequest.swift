/// A complete HTTP request: request line, header section, body and trailer section (RFC 9112 §3).
public struct HTTPRequest: Sendable, Hashable {
    /// The method, e.g. GET (RFC 9110 §9).
    public var method: HTTPMethod
    /// The request target exactly as on the request line, e.g. `/index.html` (RFC 9112 §3.2).
    public var target: String
    /// The protocol version of the request line.
    public var version: HTTPVersion
    /// The header section, in order.
    public var headers: HTTPHeaders
    /// The content, after removing any chunked transfer coding.
    public var body: [UInt8]
    /// Trailer fields received after a chunked body (RFC 9112 §7.1.2); empty otherwise.
    public var trailers: HTTPHeaders

    public init(
        method: HTTPMethod = .get,
        target: String,
        version: HTTPVersion = .http1_1,
        headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = [],
        trailers: HTTPHeaders = HTTPHeaders()
    ) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
        self.trailers = trailers
    }

    /// Whether the client lets the connection persist after this request (RFC 9112 §9.3).
    public var keepsConnectionAlive: Bool {
        HTTPPersistence.persists(version: version, headers: headers)
    }

    /// Whether the request asks to switch protocols: HTTP/1.1 with an `Upgrade` field and the
    /// `upgrade` connection option (RFC 9110 §7.8; an HTTP/1.0 `Upgrade` is ignored).
    public var isUpgradeRequest: Bool {
        Self.asksForUpgrade(version: version, headers: headers)
    }

    /// The rule behind `isUpgradeRequest`, shared with the parser, which stops after such a request.
    static func asksForUpgrade(version: HTTPVersion, headers: HTTPHeaders) -> Bool {
        version == .http1_1 && headers.contains(name: "Upgrade") && headers.hasToken("upgrade", in: "Connection")
    }
}
