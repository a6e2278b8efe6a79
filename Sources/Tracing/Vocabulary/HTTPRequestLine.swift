/// An HTTP request line without its CRLF: `GET /index.html HTTP/1.1` (RFC 9112 §3).
public struct HTTPRequestLine: Hashable, Sendable, CustomStringConvertible {
    /// The method token, e.g. `GET`.
    public var method: String
    /// The request target as written, e.g. `/index.html`.
    public var target: String
    /// `HTTP/1.0` or `HTTP/1.1`.
    public var version: String

    public init(method: String, target: String, version: String) {
        self.method = method
        self.target = target
        self.version = version
    }

    public var description: String { "\(method) \(target) \(version)" }
}
