/// The parts of an HTTP request that the WebSocket opening handshake looks at (RFC 6455 §4.1).
///
/// Plain values, so that the handshake does not depend on an HTTP parser: the glue copies the
/// request line and the header fields in here, in the order they arrived.
public struct WebSocketHandshakeRequest: Sendable {
    /// The request method; the handshake requires `GET` (RFC 6455 §4.1, item 2).
    public var method: String
    /// The request target, e.g. `/chat` (RFC 6455 §4.1: the resource name).
    public var target: String
    /// The protocol version of the request line, e.g. `HTTP/1.1`.
    public var version: String
    /// The header fields in arrival order; names compare ASCII case-insensitively.
    public var headers: [(name: String, value: String)]

    /// A request from its request line and header fields.
    public init(method: String, target: String, version: String, headers: [(name: String, value: String)]) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
    }
}

/// The parts of an HTTP response that the WebSocket opening handshake looks at (RFC 6455 §4.2.2).
public struct WebSocketHandshakeResponse: Sendable {
    /// The status code: 101 when the server accepts the upgrade.
    public var status: Int
    /// The reason phrase, e.g. `Switching Protocols`.
    public var reason: String
    /// The protocol version of the status line, e.g. `HTTP/1.1`.
    public var version: String
    /// The header fields in order; names compare ASCII case-insensitively.
    public var headers: [(name: String, value: String)]

    /// A response from its status line and header fields.
    public init(status: Int, reason: String, version: String = "HTTP/1.1",
                headers: [(name: String, value: String)]) {
        self.status = status
        self.reason = reason
        self.version = version
        self.headers = headers
    }
}

/// Reading header fields as RFC 7230 defines them: names are case-insensitive (§3.2), a field
/// may be repeated when its value is a comma-separated list (§3.2.2), and list elements are
/// separated by commas with optional white space, empty elements ignored (§7).
enum WebSocketHeaderFields {
    /// The values of every field called `name`, in order, trimmed of optional white space.
    static func values(_ name: String, in headers: [(name: String, value: String)]) -> [String] {
        headers.filter { equalIgnoringASCIICase($0.name, name) }.map { trimmed($0.value) }
    }

    /// The single value of `name`: nil when absent; an error when it appears more than once
    /// (RFC 6455 §11.3.1, §11.3.3, §11.3.5 forbid repeating Key, Accept and Version).
    static func single(_ name: String, in headers: [(name: String, value: String)])
        throws(WebSocketHandshakeError) -> String? {
        let found = values(name, in: headers)
        guard found.count <= 1 else { throw .duplicateHeader(name) }
        return found.first
    }

    /// The elements of the list-valued field `name`, across all of its occurrences, in order.
    static func list(_ name: String, in headers: [(name: String, value: String)]) -> [String] {
        values(name, in: headers).flatMap { value in
            value.split(separator: ",", omittingEmptySubsequences: false).map { trimmed(String($0)) }
        }.filter { !$0.isEmpty }
    }

    /// Whether the list-valued field `name` holds `token`, compared ASCII case-insensitively.
    static func contains(token: String, in name: String, of headers: [(name: String, value: String)]) -> Bool {
        list(name, in: headers).contains { equalIgnoringASCIICase($0, token) }
    }

    /// Whether two strings are equal once ASCII letters are folded to lower case.
    static func equalIgnoringASCIICase(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.count == rhs.utf8.count && zip(lhs.utf8, rhs.utf8).allSatisfy { lower($0) == lower($1) }
    }

    /// `text` without leading and trailing spaces and tabs (RFC 7230 §3.2.3, OWS).
    static func trimmed(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }),
              let last = bytes.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }

    private static func lower(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
    }
}
