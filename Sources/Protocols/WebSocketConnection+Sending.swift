/// What the application sends: messages, pings and the start of the close handshake.
extension WebSocketConnection {
    /// Sends a message, split into frames of at most `fragmentSize` payload octets (§5.4), or
    /// `configuration.fragmentSize` when nil. Does nothing unless the connection is open: after
    /// sending a Close frame an endpoint sends no more data (§5.5.1).
    ///
    /// A text message may be split inside a character; only the whole message must be valid
    /// UTF-8 (§5.6, §8.1).
    ///
    /// - Precondition: the fragment size, if any, is at least 1.
    public mutating func send(_ message: WebSocketMessage, fragmentSize: Int? = nil, now: Int64) -> WebSocketOutput {
        let size = fragmentSize ?? configuration.fragmentSize
        if let size { precondition(size >= 1, "a fragment carries at least one octet") }
        guard state == .open else { return WebSocketOutput() }
        let (opcode, payload): (WebSocketOpcode, [UInt8]) = switch message {
        case .text(let text): (.text, Array(text.utf8))
        case .binary(let bytes): (.binary, bytes)
        }
        guard let size, payload.count > size else {
            return WebSocketOutput(actions: [.send(encode(WebSocketFrame(opcode: opcode, payload: payload)))])
        }
        var output = WebSocketOutput()
        for start in stride(from: 0, to: payload.count, by: size) {
            let end = min(payload.count, start + size)
            let frame = WebSocketFrame(fin: end == payload.count, opcode: start == 0 ? opcode : .continuation,
                                       payload: Array(payload[start..<end]))
            output.actions.append(.send(encode(frame)))
        }
        return output
    }

    /// Sends a text message (see `send(_:fragmentSize:now:)`).
    public mutating func send(text: String, now: Int64) -> WebSocketOutput {
        send(.text(text), now: now)
    }

    /// Sends a binary message (see `send(_:fragmentSize:now:)`).
    public mutating func send(binary: [UInt8], now: Int64) -> WebSocketOutput {
        send(.binary(binary), now: now)
    }

    /// Sends a ping with up to 125 octets of application data (§5.5.2); the peer answers with a
    /// pong carrying the same data, reported as a `pong` event. Does nothing unless open.
    public mutating func ping(_ payload: [UInt8] = [], now: Int64) throws(WebSocketUsageError) -> WebSocketOutput {
        guard payload.count <= WebSocket.maxControlPayload else { throw .controlPayloadTooLong(payload.count) }
        guard state == .open else { return WebSocketOutput() }
        return WebSocketOutput(actions: [.send(encode(WebSocketFrame(opcode: .ping, payload: payload)))])
    }

    /// Starts the close handshake (§5.5.1, §7.1.2): sends a Close frame with `code` (none when
    /// nil) and `reason`, then waits for the peer's Close frame. Does nothing unless open.
    ///
    /// The code must be valid on the wire (§7.4) and the reason at most 123 UTF-8 octets, so
    /// that the body fits a control frame (§5.5).
    public mutating func close(code: WebSocketCloseCode? = .normalClosure, reason: String = "",
                               now: Int64) throws(WebSocketUsageError) -> WebSocketOutput {
        if let code, !code.isValidOnWire { throw .invalidCloseCode(code) }
        if (code == nil && !reason.isEmpty) || reason.utf8.count > WebSocket.maxControlPayload - 2 {
            throw .invalidCloseReason(reason)
        }
        guard state == .open else { return WebSocketOutput() }
        state = .closeSent(since: now)
        return WebSocketOutput(actions: [.send(encode(.close(code: code, reason: reason)))])
    }
}
