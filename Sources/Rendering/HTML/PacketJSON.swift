import Tracing

/// A decoded packet as the pages' packet pane reads it:
///
///     {"layers":[{"title":"…","fields":[["tcp.flags","FIN+ACK",33,34],…]},…],"hex":"4500…","length":52}
///
/// Each field is its name, its value and its byte range `[start, end)` in the IPv4 packet; the
/// labels are kept once per page (`labels(of:)`), not once per packet. `hex` holds the packet's
/// bytes, or its first `hexLimit` bytes when it is longer (`length` tells the whole size).
public enum PacketJSON {
    public static func value(layers: [PacketLayer], bytes: [UInt8], hexLimit: Int? = nil) -> JSONValue {
        .object([("layers", self.layers(layers))] + self.bytes(bytes, hexLimit: hexLimit))
    }

    /// The `layers` member alone (a lesson page keeps one per language beside one copy of the bytes).
    public static func layers(_ layers: [PacketLayer]) -> JSONValue {
        .array(layers.map { layer in
            .object([
                ("title", .string(layer.title)),
                ("fields", .array(layer.fields.map { field in
                    .array([.string(field.name), .string(field.value), .int(Int64(field.range.lowerBound)),
                            .int(Int64(field.range.upperBound))])
                })),
            ])
        })
    }

    /// The `hex` and `length` members.
    public static func bytes(_ bytes: [UInt8], hexLimit: Int? = nil) -> [(String, JSONValue)] {
        [("hex", .string(hex(bytes.prefix(hexLimit ?? bytes.count)))), ("length", .int(Int64(bytes.count)))]
    }

    /// `{name: label}` for every field of `layers`, in the order the fields first appear.
    public static func labels(of layers: [[PacketLayer]]) -> JSONValue {
        var seen: Set<String> = []
        var members: [(String, JSONValue)] = []
        for field in layers.joined().flatMap(\.fields) where seen.insert(field.name).inserted {
            members.append((field.name, .string(field.label)))
        }
        return .object(members)
    }

    /// Lowercase hex, two digits a byte.
    static func hex<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
