/// A frame's 4-bit opcode (RFC 6455 §5.2, registry in §11.8).
///
/// Reserved opcodes are kept with their raw value so that a protocol error can say which one
/// arrived; they are never valid on the wire (§5.2: "_Fail the WebSocket Connection_").
public enum WebSocketOpcode: Sendable, Hashable {
    /// 0x0: a continuation of a fragmented message (§5.4).
    case continuation
    /// 0x1: the first frame of a text message, UTF-8 (§5.6).
    case text
    /// 0x2: the first frame of a binary message (§5.6).
    case binary
    /// 0x8: the close handshake (§5.5.1).
    case close
    /// 0x9: a ping, to be answered by a pong (§5.5.2).
    case ping
    /// 0xA: a pong (§5.5.3).
    case pong
    /// 0x3-0x7 (reserved non-control) or 0xB-0xF (reserved control).
    case reserved(UInt8)

    /// The opcode for the low four bits of `value`.
    public init(rawValue value: UInt8) {
        switch value & 0x0F {
        case 0x0: self = .continuation
        case 0x1: self = .text
        case 0x2: self = .binary
        case 0x8: self = .close
        case 0x9: self = .ping
        case 0xA: self = .pong
        case let other: self = .reserved(other)
        }
    }

    /// The 4-bit value on the wire.
    public var rawValue: UInt8 {
        switch self {
        case .continuation: 0x0
        case .text: 0x1
        case .binary: 0x2
        case .close: 0x8
        case .ping: 0x9
        case .pong: 0xA
        case .reserved(let value): value & 0x0F
        }
    }

    /// Whether this is a control opcode: the most significant opcode bit is set (§5.5).
    public var isControl: Bool { rawValue & 0x8 != 0 }
}
