/// WebSocket frames inside a TCP segment's payload (RFC 6455 §5.2), when the payload is a whole
/// number of them: each frame's first octet (FIN, RSV1-3, opcode), its MASK bit and payload
/// length, its masking key, and its payload shown unmasked.
extension PacketDissector {
    static let webSocketFieldNames = ["ws.flags", "ws.length", "ws.mask", "ws.payload"]

    static let webSocketOpcodes: [UInt8: String] = [0x0: "continuation", 0x1: "text", 0x2: "binary", 0x8: "close",
                                                    0x9: "ping", 0xA: "pong"]

    static func webSocketLayers(_ bytes: [UInt8], _ range: Range<Int>) -> [PacketLayer]? {
        var layers: [PacketLayer] = []
        var index = range.lowerBound
        while index < range.upperBound {
            guard index + 2 <= range.upperBound else { return nil }
            let first = bytes[index], second = bytes[index + 1]
            // RSV bits clear (no extension), a defined opcode, control frames final and short (§5.2, §5.5).
            guard first & 0x70 == 0, let kind = webSocketOpcodes[first & 0x0F] else { return nil }
            let isControl = first & 0x08 != 0
            let fin = first & 0x80 != 0
            let masked = second & 0x80 != 0
            var length = Int(second & 0x7F)
            var cursor = index + 2
            if length == 126 || length == 127 {
                let octets = length == 126 ? 2 : 8
                guard cursor + octets <= range.upperBound else { return nil }
                length = 0
                for octet in bytes[cursor..<(cursor + octets)] {
                    guard length < 1 << 48 else { return nil }
                    length = length << 8 | Int(octet)
                }
                cursor += octets
            }
            if isControl && (!fin || length > 125) { return nil }
            let lengthRange = (index + 1)..<cursor
            var key: [UInt8] = []
            if masked {
                guard cursor + 4 <= range.upperBound else { return nil }
                key = Array(bytes[cursor..<(cursor + 4)])
                cursor += 4
            }
            guard cursor + length <= range.upperBound else { return nil }
            let payload = cursor..<(cursor + length)
            var fields = [
                PacketField(name: "ws.flags", label: "FIN, RSV, opcode",
                            value: (fin ? "FIN" : "not final") + ", opcode 0x\(String(first & 0x0F, radix: 16)) (\(kind))",
                            range: index..<(index + 1)),
                PacketField(name: "ws.length", label: "MASK, payload length",
                            value: (masked ? "masked" : "not masked") + ", \(length)", range: lengthRange),
            ]
            if masked {
                fields.append(PacketField(name: "ws.mask", label: "Masking key",
                                          value: key.map { hexByte($0) }.joined(separator: " "),
                                          range: (payload.lowerBound - 4)..<payload.lowerBound))
            }
            if length > 0 {
                let shown = bytes[payload.lowerBound..<min(payload.upperBound, payload.lowerBound + 24)].enumerated().map {
                    masked ? $0.element ^ key[$0.offset % 4] : $0.element
                }
                let preview = String(shown.map { (0x20..<0x7F).contains($0) ? Character(Unicode.Scalar($0)) : "." })
                fields.append(PacketField(name: "ws.payload", label: "Payload",
                                          value: "\(length) bytes" + (masked ? ", unmasked" : "") + " \"\(preview)"
                                              + (length > 24 ? "\"…" : "\""),
                                          range: payload))
            }
            layers.append(PacketLayer(title: "WebSocket frame, \(kind), " + (fin ? "FIN" : "not final") + ", "
                                          + (masked ? "masked" : "not masked") + ", \(length)-byte payload",
                                      fields: fields))
            index = payload.upperBound
        }
        return layers.isEmpty ? nil : layers
    }

    static func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
