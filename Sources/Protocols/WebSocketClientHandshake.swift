/// The client side of the opening handshake (RFC 6455 §4.1): the upgrade request to send and
/// the check of the server's answer.
///
/// The 16 random key bytes come from the caller (RFC 6455 §4.1 asks for a fresh random nonce),
/// so a seeded run produces the same key every time.
public struct WebSocketClientHandshake: Sendable {
    /// The `Sec-WebSocket-Key` sent: Base64 of the 16 nonce bytes (§4.1, item 7).
    public let key: String
    /// The subprotocols offered, most preferred first (`Sec-WebSocket-Protocol`, §4.1 item 10).
    public let subprotocols: [String]
    /// The request to send.
    public let request: WebSocketHandshakeRequest

    /// Builds the request for `path` on `host` (with `:port` when not the default one).
    ///
    /// - Precondition: `keyBytes` holds exactly 16 bytes (§4.1, item 7).
    public init(host: String, path: String = "/", keyBytes: [UInt8], origin: String? = nil,
                subprotocols: [String] = []) {
        precondition(keyBytes.count == 16, "Sec-WebSocket-Key needs exactly 16 random bytes (RFC 6455 §4.1)")
        key = Base64.encode(keyBytes)
        self.subprotocols = subprotocols
        // The field order of RFC 6455 §1.2's example.
        var headers: [(name: String, value: String)] = [
            (name: "Host", value: host),
            (name: "Upgrade", value: "websocket"),
            (name: "Connection", value: "Upgrade"),
            (name: "Sec-WebSocket-Key", value: key),
        ]
        if let origin { headers.append((name: "Origin", value: origin)) }
        if !subprotocols.isEmpty {
            headers.append((name: "Sec-WebSocket-Protocol", value: subprotocols.joined(separator: ", ")))
        }
        headers.append((name: "Sec-WebSocket-Version", value: WebSocket.version))
        request = WebSocketHandshakeRequest(method: "GET", target: path, version: "HTTP/1.1", headers: headers)
    }

    /// The `Sec-WebSocket-Accept` value a correct server answers with.
    public var expectedAccept: String { WebSocket.accept(key: key) }

    /// Checks the server's response in the order of RFC 6455 §4.1 and returns the subprotocol
    /// the server chose, if any.
    public func validate(_ response: WebSocketHandshakeResponse) throws(WebSocketHandshakeError) -> String? {
        typealias Fields = WebSocketHeaderFields
        let headers = response.headers
        // 1. Anything but 101 is handled as HTTP; the WebSocket connection is not established.
        guard response.status == 101 else { throw .unexpectedStatus(response.status) }
        // 2. `Upgrade` must be exactly "websocket", case-insensitively.
        let upgrade = Fields.values("Upgrade", in: headers)
        guard let firstUpgrade = upgrade.first else { throw .missingHeader("Upgrade") }
        guard upgrade.count == 1, Fields.equalIgnoringASCIICase(firstUpgrade, "websocket") else {
            throw .invalidHeaderValue(name: "Upgrade", value: upgrade.joined(separator: ", "))
        }
        // 3. `Connection` must hold the token "Upgrade".
        let connection = Fields.values("Connection", in: headers)
        guard !connection.isEmpty else { throw .missingHeader("Connection") }
        guard Fields.contains(token: "Upgrade", in: "Connection", of: headers) else {
            throw .invalidHeaderValue(name: "Connection", value: connection.joined(separator: ", "))
        }
        // 4. `Sec-WebSocket-Accept` must prove that the server read our key.
        guard let accept = try Fields.single("Sec-WebSocket-Accept", in: headers) else {
            throw .missingHeader("Sec-WebSocket-Accept")
        }
        guard accept == expectedAccept else { throw .acceptMismatch(expected: expectedAccept, received: accept) }
        // 5. We offer no extension, so the server may not choose one.
        if let extensionName = Fields.list("Sec-WebSocket-Extensions", in: headers).first {
            throw .unrequestedExtension(extensionName)
        }
        // 6. The subprotocol, if any, must be exactly one of those offered.
        let chosen = Fields.list("Sec-WebSocket-Protocol", in: headers)
        guard let subprotocol = chosen.first else { return nil }
        guard chosen.count == 1, subprotocols.contains(subprotocol) else {
            throw .unrequestedSubprotocol(chosen.joined(separator: ", "))
        }
        return subprotocol
    }
}
