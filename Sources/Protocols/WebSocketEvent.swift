/// A complete WebSocket message, all fragments joined (RFC 6455 §5.4, §5.6).
public enum WebSocketMessage: Sendable, Equatable {
    /// A text message (opcode 0x1), valid UTF-8.
    case text(String)
    /// A binary message (opcode 0x2).
    case binary([UInt8])
}

/// What a WebSocket endpoint tells its application: the browser API's four events (`open`,
/// `message`, `error`, `close`), plus the pongs that browsers keep to themselves.
public enum WebSocketEvent: Sendable, Equatable {
    /// The connection is open: the opening handshake has completed (§4.1, §4.2.2).
    case open
    /// A message arrived.
    case message(WebSocketMessage)
    /// A pong arrived, with its application data (§5.5.3).
    case pong([UInt8])
    /// The peer broke the protocol; the endpoint has sent a Close frame with
    /// `error.closeCode` (when it could) and is closing the transport (§7.1.7).
    case error(WebSocketProtocolError)
    /// The connection is closed (§7.1.4). `code` and `reason` come from the peer's Close frame
    /// (1005 when it had no code, 1006 when none arrived, §7.1.5); `wasClean` says whether the
    /// close handshake completed before the transport closed.
    case close(code: WebSocketCloseCode, reason: String, wasClean: Bool)
}

/// What a WebSocket endpoint asks its transport to do.
public enum WebSocketAction: Sendable, Equatable {
    /// Write these bytes (one whole frame) to the TCP connection.
    case send([UInt8])
    /// Close the TCP connection (§7.1.1: "_Close the WebSocket Connection_").
    case closeTransport
}

/// The result of one call into a `WebSocketConnection`: actions for the transport, in order,
/// and events for the application, in order.
public struct WebSocketOutput: Sendable, Equatable {
    /// What to do with the transport.
    public var actions: [WebSocketAction]
    /// What to tell the application.
    public var events: [WebSocketEvent]
    /// The frames parsed from the bytes of this call, in order, unmasked (for tracing: the
    /// application's view is `events`).
    public var framesReceived: [WebSocketFrame]

    /// An output with these actions and events.
    public init(actions: [WebSocketAction] = [], events: [WebSocketEvent] = [], framesReceived: [WebSocketFrame] = []) {
        self.actions = actions
        self.events = events
        self.framesReceived = framesReceived
    }

    /// The bytes of every `.send` action, concatenated.
    public var sentBytes: [UInt8] {
        actions.flatMap { action -> [UInt8] in
            switch action {
            case .send(let bytes): bytes
            case .closeTransport: []
            }
        }
    }

    /// Whether the actions include closing the transport.
    public var closesTransport: Bool { actions.contains(.closeTransport) }
}

/// A call that the WebSocket API refuses, as the browser's `send`, `close` and the protocol's
/// ping would (RFC 6455 §5.5, §7.4; the WebSocket interface's `InvalidAccessError` and
/// `SyntaxError`).
public enum WebSocketUsageError: Error, Sendable, Equatable {
    /// The close code may not be sent (§7.4): e.g. 1005, 1006, 1015 or outside the ranges.
    case invalidCloseCode(WebSocketCloseCode)
    /// A close reason needs a code, and with it at most 123 UTF-8 octets (§5.5, §5.5.1).
    case invalidCloseReason(String)
    /// A ping payload over 125 octets (§5.5).
    case controlPayloadTooLong(Int)
}
