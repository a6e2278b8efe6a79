/// One WebSocket frame (RFC 6455 §5.2), with its payload unmasked.
///
///      0                   1                   2                   3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-------+-+-------------+-------------------------------+
///     |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
///     |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
///     |N|V|V|V|       |S|             |   (if payload len==126/127)   |
///     | |1|2|3|       |K|             |                               |
///     +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
///     |     Extended payload length continued, if payload len == 127  |
///     + - - - - - - - - - - - - - - - +-------------------------------+
///     |                               |Masking-key, if MASK set to 1  |
///     +-------------------------------+-------------------------------+
///     | Masking-key (continued)       |          Payload Data         |
///     +-------------------------------- - - - - - - - - - - - - - - - +
///
/// `payload` is always the application data: `encoded()` masks it when `maskingKey` is set,
/// and the parser unmasks it before handing the frame over.
public struct WebSocketFrame: Sendable, Equatable {
    /// FIN: this is the final fragment of a message (§5.2, §5.4).
    public var fin: Bool
    /// RSV1: reserved for extensions; must be clear without one (§5.2).
    public var rsv1: Bool
    /// RSV2: reserved for extensions.
    public var rsv2: Bool
    /// RSV3: reserved for extensions.
    public var rsv3: Bool
    /// How to interpret the payload (§5.2, §11.8).
    public var opcode: WebSocketOpcode
    /// The masking key, present exactly on frames sent by a client (§5.1, §5.3).
    public var maskingKey: WebSocketMaskingKey?
    /// The unmasked payload.
    public var payload: [UInt8]

    /// A frame; by default final, with no reserved bits and unmasked.
    public init(fin: Bool = true, rsv1: Bool = false, rsv2: Bool = false, rsv3: Bool = false,
                opcode: WebSocketOpcode, maskingKey: WebSocketMaskingKey? = nil, payload: [UInt8] = []) {
        self.fin = fin
        self.rsv1 = rsv1
        self.rsv2 = rsv2
        self.rsv3 = rsv3
        self.opcode = opcode
        self.maskingKey = maskingKey
        self.payload = payload
    }

    /// A close frame (§5.5.1): the status code big-endian, then the UTF-8 reason; no body when
    /// `code` is nil.
    public static func close(code: WebSocketCloseCode?, reason: String = "",
                             maskingKey: WebSocketMaskingKey? = nil) -> WebSocketFrame {
        var body: [UInt8] = []
        if let code {
            body = [UInt8(truncatingIfNeeded: code.rawValue >> 8), UInt8(truncatingIfNeeded: code.rawValue)]
            body += Array(reason.utf8)
        }
        return WebSocketFrame(opcode: .close, maskingKey: maskingKey, payload: body)
    }

    /// The status code of a close frame's body, or nil when the body is shorter than 2 octets.
    public var closeCode: WebSocketCloseCode? {
        guard opcode == .close, payload.count >= 2 else { return nil }
        return WebSocketCloseCode(rawValue: UInt16(payload[0]) << 8 | UInt16(payload[1]))
    }

    /// The reason of a close frame's body (after the status code), decoded as UTF-8.
    public var closeReason: String {
        guard opcode == .close, payload.count > 2 else { return "" }
        return String(decoding: payload[2...], as: UTF8.self)
    }
}

extension WebSocketFrame {
    /// The frame on the wire, with the shortest length encoding (§5.2: "the minimal number of
    /// bytes MUST be used"), and the payload masked when `maskingKey` is set (§5.3).
    public func encoded() -> [UInt8] {
        var bytes = Self.header(fin: fin, rsv: (rsv1, rsv2, rsv3), opcode: opcode, maskingKey: maskingKey,
                                payloadLength: payload.count)
        let start = bytes.count
        bytes += payload
        if let maskingKey {
            for index in 0..<payload.count { bytes[start + index] ^= maskingKey[index] }
        }
        return bytes
    }

    /// How many header octets a payload of `payloadLength` needs: 2, plus 2 for lengths
    /// 126...65535 or 8 beyond, plus 4 for a masking key (§5.2).
    public static func headerLength(payloadLength: Int, masked: Bool) -> Int {
        let extended = payloadLength <= 125 ? 0 : payloadLength <= 0xFFFF ? 2 : 8
        return 2 + extended + (masked ? 4 : 0)
    }

    /// The header octets for a frame with these fields (§5.2), payload length encoded minimally.
    static func header(fin: Bool, rsv: (Bool, Bool, Bool), opcode: WebSocketOpcode,
                       maskingKey: WebSocketMaskingKey?, payloadLength: Int) -> [UInt8] {
        var first = opcode.rawValue
        if fin { first |= 0x80 }
        if rsv.0 { first |= 0x40 }
        if rsv.1 { first |= 0x20 }
        if rsv.2 { first |= 0x10 }
        let maskBit: UInt8 = maskingKey == nil ? 0 : 0x80
        var bytes = [first]
        bytes.reserveCapacity(headerLength(payloadLength: payloadLength, masked: maskingKey != nil) + payloadLength)
        switch payloadLength {
        case 0...125:
            bytes.append(maskBit | UInt8(payloadLength))
        case 126...0xFFFF:
            bytes.append(maskBit | 126)
            bytes += [UInt8(truncatingIfNeeded: payloadLength >> 8), UInt8(truncatingIfNeeded: payloadLength)]
        default:
            bytes.append(maskBit | 127)
            let length = UInt64(payloadLength)
            for shift in stride(from: 56, through: 0, by: -8) {
                bytes.append(UInt8(truncatingIfNeeded: length >> UInt64(shift)))
            }
        }
        if let maskingKey { bytes += maskingKey.array }
        return bytes
    }
}
