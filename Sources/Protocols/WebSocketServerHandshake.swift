/// The server side of the opening handshake (RFC 6455 §4.2): the check of a client's upgrade
/// request and the 101 response that accepts it.
///
/// Creating a value validates the request; a failure is a `WebSocketHandshakeError` whose
/// `rejection` is the 400 or 426 response to send instead.
public struct WebSocketServerHandshake: Sendable {
    /// The client's `Sec-WebSocket-Key`.
    public let key: String
    /// The subprotocol chosen: the first one the client offered that the server supports.
    public let subprotocol: String?
    /// The 101 Switching Protocols response to send (§4.2.2, item 5).
    public let response: WebSocketHandshakeResponse

    /// Validates `request` in the order of RFC 6455 §4.2.1 and prepares the response.
    ///
    /// - Parameter supportedSubprotocols: the subprotocols this server speaks; the client's
    ///   order of preference decides among those both sides support.
    public init(request: WebSocketHandshakeRequest, supportedSubprotocols: [String] = [])
        throws(WebSocketHandshakeError) {
        typealias Fields = WebSocketHeaderFields
        let headers = request.headers
        // 1. An HTTP/1.1 or later GET with a resource name.
        guard request.method == "GET" else { throw .methodNotGet(request.method) }
        guard Self.isHTTP11OrLater(request.version) else { throw .unsupportedHTTPVersion(request.version) }
        guard Self.isValidTarget(request.target) else { throw .invalidTarget(request.target) }
        // 2. A `Host` field, exactly one (RFC 7230 §5.4).
        guard let host = try Fields.single("Host", in: headers) else { throw .missingHeader("Host") }
        guard !host.isEmpty else { throw .invalidHeaderValue(name: "Host", value: host) }
        // 3. `Upgrade` holding "websocket".
        let upgrade = Fields.values("Upgrade", in: headers)
        guard !upgrade.isEmpty else { throw .missingHeader("Upgrade") }
        guard Fields.contains(token: "websocket", in: "Upgrade", of: headers) else {
            throw .invalidHeaderValue(name: "Upgrade", value: upgrade.joined(separator: ", "))
        }
        // 4. `Connection` holding the token "Upgrade".
        let connection = Fields.values("Connection", in: headers)
        guard !connection.isEmpty else { throw .missingHeader("Connection") }
        guard Fields.contains(token: "Upgrade", in: "Connection", of: headers) else {
            throw .invalidHeaderValue(name: "Connection", value: connection.joined(separator: ", "))
        }
        // 5. `Sec-WebSocket-Key`: Base64 of 16 bytes.
        guard let key = try Fields.single("Sec-WebSocket-Key", in: headers) else {
            throw .missingHeader("Sec-WebSocket-Key")
        }
        guard Base64.decode(key)?.count == 16 else { throw .invalidHeaderValue(name: "Sec-WebSocket-Key", value: key) }
        // 6. `Sec-WebSocket-Version: 13`; any other version is answered with 426 (§4.4).
        guard let version = try Fields.single("Sec-WebSocket-Version", in: headers) else {
            throw .missingHeader("Sec-WebSocket-Version")
        }
        guard version == WebSocket.version else { throw .unsupportedVersion(version) }
        // 8. `Sec-WebSocket-Protocol`, optional: pick one the server supports, or none.
        let offered = Fields.list("Sec-WebSocket-Protocol", in: headers)
        let subprotocol = offered.first { supportedSubprotocols.contains($0) }

        self.key = key
        self.subprotocol = subprotocol
        var fields: [(name: String, value: String)] = [
            (name: "Upgrade", value: "websocket"),
            (name: "Connection", value: "Upgrade"),
            (name: "Sec-WebSocket-Accept", value: WebSocket.accept(key: key)),
        ]
        if let subprotocol { fields.append((name: "Sec-WebSocket-Protocol", value: subprotocol)) }
        response = WebSocketHandshakeResponse(status: 101, reason: "Switching Protocols", headers: fields)
    }

    /// Whether `version` is `HTTP/1.1` or a later `HTTP/x.y` (RFC 6455 §4.1, item 2).
    static func isHTTP11OrLater(_ version: String) -> Bool {
        guard version.hasPrefix("HTTP/") else { return false }
        let numbers = version.dropFirst(5).split(separator: ".", omittingEmptySubsequences: false)
        guard numbers.count == 2, let major = Int(numbers[0]), let minor = Int(numbers[1]),
              numbers.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return false }
        return major > 1 || (major == 1 && minor >= 1)
    }

    /// Whether `target` is a resource name (`/path?query`, RFC 6455 §3) or an absolute URI,
    /// with no white space or control characters.
    static func isValidTarget(_ target: String) -> Bool {
        guard !target.isEmpty, target.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else { return false }
        return target.hasPrefix("/") || target.contains("://")
    }
}
