/// An ordered JSON value: objects keep their members in insertion order, so serializing a value
/// always produces the same bytes (trace files and `--json` output rely on that).
///
/// Deliberate simplifications:
/// - `double` exists for reading arbitrary JSON and for `--json` reports; trace records hold
///   integers only (see DESIGN.md, "Determinism rules").
/// - A non-finite double (NaN, infinity) has no JSON spelling and serializes as `null`.
/// - Equality compares object members in order: `{"a":1,"b":2}` is not equal to `{"b":2,"a":1}`.
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    /// Members in insertion order. Keys are expected to be unique; the parser rejects duplicates.
    case object([(String, JSONValue)])
}

extension JSONValue {
    /// An unsigned 64-bit integer (a seed): a JSON integer when it fits in 63 bits, else its
    /// decimal text, so no reader loses precision. The one encoding of seeds in StackLab's JSON.
    public static func unsigned(_ value: UInt64) -> JSONValue {
        value <= UInt64(Int64.max) ? .int(Int64(value)) : .string(String(value))
    }

    /// The value `unsigned(_:)` wrote, or nil.
    public var unsignedValue: UInt64? {
        switch self {
        case .int(let value) where value >= 0: UInt64(value)
        case .string(let text): UInt64(text)
        default: nil
        }
    }
}

extension JSONValue: Equatable {
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null):
            return true
        case let (.bool(a), .bool(b)):
            return a == b
        case let (.int(a), .int(b)):
            return a == b
        case let (.double(a), .double(b)):
            return a == b
        case let (.string(a), .string(b)):
            return a == b
        case let (.array(a), .array(b)):
            return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.null, _), (.bool, _), (.int, _), (.double, _), (.string, _), (.array, _), (.object, _):
            return false
        }
    }
}

// MARK: - Access

extension JSONValue {
    /// The value of the first member named `key`, if this is an object that has one.
    public subscript(key: String) -> JSONValue? {
        guard case let .object(members) = self else { return nil }
        return members.first(where: { $0.0 == key })?.1
    }

    /// The element at `index`, if this is an array and the index is in bounds.
    public subscript(index: Int) -> JSONValue? {
        guard case let .array(elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    public var boolValue: Bool? {
        if case let .bool(value) = self { return value }
        return nil
    }

    public var intValue: Int64? {
        if case let .int(value) = self { return value }
        return nil
    }

    /// The number as a `Double`, for both `int` and `double`.
    public var doubleValue: Double? {
        switch self {
        case let .int(value): return Double(value)
        case let .double(value): return value
        case .null, .bool, .string, .array, .object: return nil
        }
    }

    public var stringValue: String? {
        if case let .string(value) = self { return value }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case let .array(value) = self { return value }
        return nil
    }

    public var objectValue: [(String, JSONValue)]? {
        if case let .object(value) = self { return value }
        return nil
    }
}

// MARK: - Literals

extension JSONValue: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) { self = .int(value) }
}

extension JSONValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension JSONValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension JSONValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    /// Keeps the members in the order they are written.
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(elements) }
}

// MARK: - Serializing

extension JSONValue {
    /// One line, no spaces, members in order: the form used for JSON Lines trace files.
    public var compactText: String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        JSONWriter.writeCompact(self, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Two-space indentation, `"key": value`, for `--json` output. Ends without a newline.
    public var prettyText: String {
        var out: [UInt8] = []
        out.reserveCapacity(128)
        JSONWriter.writePretty(self, indent: 0, into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

extension JSONValue: CustomStringConvertible {
    public var description: String { compactText }
}

/// The serializers behind `compactText` and `prettyText`; they write UTF-8 bytes.
enum JSONWriter {
    static func writeCompact(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null, .bool, .int, .double, .string:
            writeScalar(value, into: &out)
        case let .array(elements):
            out.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                writeCompact(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case let .object(members):
            out.append(UInt8(ascii: "{"))
            for (i, (key, member)) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                writeCompact(member, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func writePretty(_ value: JSONValue, indent: Int, into out: inout [UInt8]) {
        switch value {
        case .null, .bool, .int, .double, .string:
            writeScalar(value, into: &out)
        case let .array(elements):
            if elements.isEmpty {
                out.append(contentsOf: "[]".utf8)
                return
            }
            out.append(contentsOf: "[\n".utf8)
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(contentsOf: ",\n".utf8) }
                writeIndent(indent + 1, into: &out)
                writePretty(element, indent: indent + 1, into: &out)
            }
            out.append(UInt8(ascii: "\n"))
            writeIndent(indent, into: &out)
            out.append(UInt8(ascii: "]"))
        case let .object(members):
            if members.isEmpty {
                out.append(contentsOf: "{}".utf8)
                return
            }
            out.append(contentsOf: "{\n".utf8)
            for (i, (key, member)) in members.enumerated() {
                if i > 0 { out.append(contentsOf: ",\n".utf8) }
                writeIndent(indent + 1, into: &out)
                writeString(key, into: &out)
                out.append(contentsOf: ": ".utf8)
                writePretty(member, indent: indent + 1, into: &out)
            }
            out.append(UInt8(ascii: "\n"))
            writeIndent(indent, into: &out)
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func writeIndent(_ level: Int, into out: inout [UInt8]) {
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
    }

    private static func writeScalar(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null:
            out.append(contentsOf: "null".utf8)
        case let .bool(flag):
            out.append(contentsOf: (flag ? "true" : "false").utf8)
        case let .int(number):
            out.append(contentsOf: String(number).utf8)
        case let .double(number):
            // Swift prints the shortest text that reads back as the same Double, always with a
            // '.' or an exponent ("1.0", "1e-05"), so it reads back as a double, not an int.
            out.append(contentsOf: (number.isFinite ? number.description : "null").utf8)
        case let .string(text):
            writeString(text, into: &out)
        case .array, .object:
            writeCompact(value, into: &out)
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Escapes '"', '\' and the control characters U+0000...U+001F; everything else, including
    /// non-ASCII text, is copied as UTF-8.
    static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x00..<0x20:
                out.append(contentsOf: "\\u00".utf8)
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            default:
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
