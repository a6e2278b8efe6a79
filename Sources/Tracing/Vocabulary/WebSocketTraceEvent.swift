/// What a WebSocket endpoint did (RFC 6455), as the trace records it: the two halves of the
/// opening handshake, every frame, and the browser API's four events (`onopen`, `onmessage`,
/// `onerror`, `onclose`), named `websocket-…` so that they are never mistaken for the socket's own
/// `open`, `message`, `error` and `close` (a socket is an API; WebSocket is a protocol on top of it).
public enum WebSocketTraceEvent: Hashable, Sendable {
    /// The opening handshake's HTTP Upgrade request (§4.1) with its `Sec-WebSocket-Key`, and the
    /// size of its header section.
    case upgrade(ApplicationEvent.Direction, key: String, headerBytes: Int)
    /// The server's `101 Switching Protocols` (§4.2.2) with its `Sec-WebSocket-Accept`.
    case accept(ApplicationEvent.Direction, accept: String, headerBytes: Int)
    /// One frame (§5.2): its opcode, FIN, whether it was masked, its header and payload sizes.
    case frame(ApplicationEvent.Direction, opcode: WebSocketFrameOpcode, fin: Bool, masked: Bool, headerBytes: Int,
               payloadBytes: Int)
    /// `onopen`: the handshake is complete (§4.1: "_The WebSocket Connection is Established_").
    case open
    /// A whole message (all its fragments): `send()` on the way out, `onmessage` on the way in.
    case message(ApplicationEvent.Direction, binary: Bool, bytes: Int)
    /// `onerror`: the peer broke the protocol; the endpoint answers with close `code` (§7.1.7).
    case error(code: Int, reason: String)
    /// `onclose`: the close code and whether the close handshake completed (`wasClean`, §7.1.4).
    case close(code: Int, clean: Bool)

    /// Every event name, in the order above.
    public static let names = ["websocket-upgrade", "websocket-accept", "websocket-frame", "websocket-open",
                               "websocket-message", "websocket-error", "websocket-close"]

    public var name: String {
        switch self {
        case .upgrade: "websocket-upgrade"
        case .accept: "websocket-accept"
        case .frame: "websocket-frame"
        case .open: "websocket-open"
        case .message: "websocket-message"
        case .error: "websocket-error"
        case .close: "websocket-close"
        }
    }

    public var direction: ApplicationEvent.Direction? {
        switch self {
        case .upgrade(let direction, _, _), .accept(let direction, _, _), .frame(let direction, _, _, _, _, _),
             .message(let direction, _, _):
            direction
        case .open, .error, .close:
            nil
        }
    }

    /// `sent key dGhl… header 180`, `received text fin masked header 6 payload 5`,
    /// `sent binary 3 bytes`, `1002 reserved bits set`, `code 1000 clean`; empty for `open`.
    public var detail: String {
        switch self {
        case .upgrade(let direction, let key, let header):
            "\(direction.rawValue) key \(key) header \(header)"
        case .accept(let direction, let accept, let header):
            "\(direction.rawValue) accept \(accept) header \(header)"
        case .frame(let direction, let opcode, let fin, let masked, let header, let payload):
            "\(direction.rawValue) \(opcode.rawValue) \(fin ? "fin" : "more") \(masked ? "masked" : "unmasked") "
                + "header \(header) payload \(payload)"
        case .open:
            ""
        case .message(let direction, let binary, let bytes):
            "\(direction.rawValue) \(binary ? "binary" : "text") \(bytes) bytes"
        case .error(let code, let reason):
            reason.isEmpty ? "\(code)" : "\(code) \(reason)"
        case .close(let code, let clean):
            "code \(code) \(clean ? "clean" : "unclean")"
        }
    }

    /// The event named `name` with `detail` as `detail` writes it, or nil.
    init?(name: String, detail: String) {
        var reader = DetailReader(detail)
        switch name {
        case "websocket-upgrade", "websocket-accept":
            let keyword = name == "websocket-upgrade" ? "key" : "accept"
            guard let direction = reader.direction(), let value = reader.text(after: keyword),
                  let header = reader.count(after: "header") else { return nil }
            self = name == "websocket-upgrade" ? .upgrade(direction, key: value, headerBytes: header)
                : .accept(direction, accept: value, headerBytes: header)
        case "websocket-frame":
            guard let direction = reader.direction(), let opcode = reader.word().flatMap({
                      WebSocketFrameOpcode(rawValue: String($0)) }),
                  let fin = reader.word(), fin == "fin" || fin == "more",
                  let masked = reader.word(), masked == "masked" || masked == "unmasked",
                  let header = reader.count(after: "header"), let payload = reader.count(after: "payload") else {
                return nil
            }
            self = .frame(direction, opcode: opcode, fin: fin == "fin", masked: masked == "masked", headerBytes: header,
                          payloadBytes: payload)
        case "websocket-open":
            self = .open
        case "websocket-message":
            guard let direction = reader.direction(), let kind = reader.word(), kind == "text" || kind == "binary",
                  let bytes = reader.count(), reader.word() == "bytes" else { return nil }
            self = .message(direction, binary: kind == "binary", bytes: bytes)
        case "websocket-error":
            guard let code = reader.count(), code <= 0xFFFF else { return nil }
            self = .error(code: code, reason: reader.rest())
        case "websocket-close":
            guard let code = reader.count(after: "code"), code <= 0xFFFF, let clean = reader.word(),
                  clean == "clean" || clean == "unclean" else { return nil }
            self = .close(code: code, clean: clean == "clean")
        default:
            return nil
        }
        guard reader.isAtEnd else { return nil }
    }
}

/// A frame's opcode as the trace names it (RFC 6455 §5.2, §11.8). Reserved opcodes never make a
/// frame: the receiver fails the connection instead, and the trace says so with `websocket-error`.
public enum WebSocketFrameOpcode: String, Hashable, Sendable, CaseIterable {
    case continuation, text, binary, close, ping, pong

    /// The opcode for a frame's 4-bit value, or nil for a reserved one.
    public init?(value: UInt8) {
        switch value & 0x0F {
        case 0x0: self = .continuation
        case 0x1: self = .text
        case 0x2: self = .binary
        case 0x8: self = .close
        case 0x9: self = .ping
        case 0xA: self = .pong
        default: return nil
        }
    }
}
