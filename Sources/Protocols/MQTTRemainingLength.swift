/// The Remaining Length of the fixed header (§2.2.3): a variable byte integer of one to four
/// octets, seven bits each, least significant group first, the top bit meaning "more follows".
///
///     0 ... 127                       1 octet    00 ... 7F
///     128 ... 16 383                  2 octets   80 01 ... FF 7F
///     16 384 ... 2 097 151            3 octets   80 80 01 ... FF FF 7F
///     2 097 152 ... 268 435 455       4 octets   80 80 80 01 ... FF FF FF 7F
public enum MQTTRemainingLength {
    /// The most octets an encoding may have.
    public static let maxOctets = 4

    /// The shortest encoding of `value`.
    ///
    /// - Precondition: `0 <= value <= 268 435 455`.
    public static func encode(_ value: Int) -> [UInt8] {
        precondition((0...MQTT.maxRemainingLength).contains(value), "Remaining Length out of range (§2.2.3)")
        var value = value
        var bytes: [UInt8] = []
        repeat {
            var byte = UInt8(value & 0x7F)
            value >>= 7
            if value > 0 { byte |= 0x80 }
            bytes.append(byte)
        } while value > 0
        return bytes
    }

    /// The result of decoding from the start of some octets.
    public enum Decoded: Sendable, Equatable {
        /// The value and how many octets it took.
        case value(Int, octets: Int)
        /// The octets end before the encoding does.
        case needMoreData
        /// The fourth octet says a fifth follows (§2.2.3: at most four).
        case malformed
    }

    /// Decodes a Remaining Length from the start of `bytes`. Longer encodings than needed
    /// (`80 00` for 0) are accepted: MQTT 3.1.1 does not forbid them.
    public static func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Decoded {
        var value = 0
        for (index, byte) in bytes.prefix(maxOctets).enumerated() {
            value |= Int(byte & 0x7F) << (7 * index)
            if byte & 0x80 == 0 { return .value(value, octets: index + 1) }
        }
        return bytes.count >= maxOctets ? .malformed : .needMoreData
    }
}
