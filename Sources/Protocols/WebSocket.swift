// WebSocket (RFC 6455): the opening handshake over plain header values, frames and their
// incremental parser, and a sans-I/O endpoint with the browser's four events.
//
// Files: WebSocketHandshakeMessage, WebSocketClientHandshake, WebSocketServerHandshake and
// WebSocketHandshakeError (§4); WebSocketOpcode, WebSocketFrame, WebSocketMaskingKey,
// WebSocketFrameParser and WebSocketProtocolError (§5); WebSocketCloseCode (§7.4);
// WebSocketConnection, WebSocketConnection+Sending and WebSocketEvent (§5.5, §6, §7).
//
// Deliberate simplifications:
// - No extensions: permessage-deflate (RFC 7692) and any other `Sec-WebSocket-Extensions` are
//   neither offered nor accepted, so a frame with RSV1-3 set is always a protocol error (§5.2).
// - The handshake is modelled over plain values (method, target, version, an ordered header
//   list); it does not parse HTTP. It does not check `Origin` (§10.2: a server's policy) and
//   does not follow redirects or authenticate (§4.1 allows both, we do neither).
// - Close codes valid on the wire are those of RFC 6455 §7.4 (1000-1003, 1007-1011) and the
//   private and registered ranges 3000-4999; the later IANA codes 1012-1014 are refused.
// - As in browsers, messages that arrive after this endpoint has sent its Close frame are
//   discarded, and pings are answered only while the connection is open.
// - Payloads are buffered whole per frame (up to the configured limits); there is no streaming
//   delivery of partial messages to the application.

/// Which end of a WebSocket connection an endpoint is (RFC 6455 §5.1: clients mask every
/// frame they send, servers mask none).
public enum WebSocketRole: Sendable, Equatable {
    /// The end that sent the opening handshake.
    case client
    /// The end that answered it.
    case server
}

/// Constants shared by the handshake, the frame codec and the endpoint.
public enum WebSocket {
    /// The GUID appended to `Sec-WebSocket-Key` before hashing (RFC 6455 §1.3, §4.2.2).
    public static let acceptGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// The only protocol version this module speaks (RFC 6455 §4.1, `Sec-WebSocket-Version`).
    public static let version = "13"

    /// The `Sec-WebSocket-Accept` value for a key: Base64(SHA-1(key + GUID)) (RFC 6455 §4.2.2).
    ///
    /// RFC 6455 §1.3: the key "dGhlIHNhbXBsZSBub25jZQ==" gives "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=".
    public static func accept(key: String) -> String {
        Base64.encode(SHA1.hash(Array((key + acceptGUID).utf8)))
    }

    /// The largest payload a control frame may carry (RFC 6455 §5.5).
    public static let maxControlPayload = 125
}
