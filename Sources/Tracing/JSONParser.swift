/// A strict RFC 8259 JSON parser that produces ordered `JSONValue`s.
///
/// It never traps on any input: nesting is limited (`maxDepth`, 64 by default) so recursion is
/// bounded, and every error carries the byte offset, the line and the column where the input
/// went wrong, and what was expected there.
///
/// Deliberate choices:
/// - Integers that fit `Int64` become `.int`; larger integers and numbers with a fraction or an
///   exponent become `.double`. A number too large for a `Double` (`1e999`) is an error.
/// - Duplicate object keys are an error unless `allowsDuplicateKeys` is set.
/// - No byte-order mark, no comments, no trailing commas, only the four JSON whitespace bytes.
public struct JSONParser: Sendable {
    /// The deepest nesting of arrays and objects accepted.
    public var maxDepth: Int
    public var allowsDuplicateKeys: Bool

    public init(maxDepth: Int = 64, allowsDuplicateKeys: Bool = false) {
        self.maxDepth = maxDepth
        self.allowsDuplicateKeys = allowsDuplicateKeys
    }

    public func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(bytes: Array(text.utf8))
    }

    /// Parses UTF-8 bytes; invalid UTF-8 inside a string is reported as an error.
    public func parse(bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        var reader = JSONReader(bytes: bytes, maxDepth: maxDepth, allowsDuplicateKeys: allowsDuplicateKeys)
        return try reader.parseDocument()
    }
}

extension JSONValue {
    /// Parses `text` with the default `JSONParser`.
    public init(parsing text: String) throws(JSONParseError) {
        self = try JSONParser().parse(text)
    }
}

/// Where and why JSON input was rejected.
public struct JSONParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: Equatable, Sendable {
        /// Something else was required here; the payload completes "expected ...".
        case expected(String)
        case unterminatedString
        case controlCharacterInString(UInt8)
        case invalidEscape(UInt8)
        case invalidUnicodeEscape
        case unpairedSurrogate(UInt16)
        case invalidUTF8(UInt8)
        case leadingZero
        case numberOutOfRange
        case duplicateKey(String)
        case tooDeep(limit: Int)
    }

    public var reason: Reason
    /// Byte offset into the UTF-8 input, from 0.
    public var offset: Int
    /// Line, from 1; lines end at '\n'.
    public var line: Int
    /// Column, from 1, counted in Unicode scalars.
    public var column: Int

    public init(reason: Reason, offset: Int, line: Int, column: Int) {
        self.reason = reason
        self.offset = offset
        self.line = line
        self.column = column
    }

    public var message: String {
        switch reason {
        case let .expected(what):
            return "expected \(what)"
        case .unterminatedString:
            return "unterminated string: expected '\"' before the end of input"
        case let .controlCharacterInString(byte):
            return "control character \(Self.hex(UInt16(byte))) in string must be escaped"
        case let .invalidEscape(byte):
            let shown = (0x21...0x7E).contains(byte) ? "\\" + String(UnicodeScalar(byte)) : "\\" + Self.hex(UInt16(byte))
            return "invalid escape '\(shown)' in string: expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u"
        case .invalidUnicodeEscape:
            return "expected 4 hex digits after '\\u'"
        case let .unpairedSurrogate(unit):
            return "unpaired surrogate \(Self.hex(unit)) in string"
        case let .invalidUTF8(byte):
            return "invalid UTF-8 byte 0x\(String(byte, radix: 16, uppercase: true))"
        case .leadingZero:
            return "leading zeros are not allowed in numbers"
        case .numberOutOfRange:
            return "number is out of range"
        case let .duplicateKey(key):
            return "duplicate object key \(JSONValue.string(key).compactText)"
        case let .tooDeep(limit):
            return "arrays and objects nested deeper than \(limit) levels"
        }
    }

    public var description: String { "line \(line), column \(column): \(message)" }

    private static func hex(_ value: UInt16) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

/// The parser's cursor over the input bytes.
struct JSONReader {
    private let bytes: [UInt8]
    private var position = 0
    private let maxDepth: Int
    private let allowsDuplicateKeys: Bool

    init(bytes: [UInt8], maxDepth: Int, allowsDuplicateKeys: Bool) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        self.allowsDuplicateKeys = allowsDuplicateKeys
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        let value = try parseValue(depth: 0)
        skipWhitespace()
        if position < bytes.count {
            throw error(.expected("end of input after the JSON value"))
        }
        return value
    }

    // MARK: Values

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        guard let byte = peek() else { throw error(.expected("a value")) }
        switch byte {
        case UInt8(ascii: "{"):
            return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["):
            return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"):
            try parseLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try parseLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try parseLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        default:
            throw error(.expected("a value"))
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        if depth > maxDepth { throw error(.tooDeep(limit: maxDepth)) }
        position += 1  // '{'
        var members: [(String, JSONValue)] = []
        var keys: Set<String> = []
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw error(.expected("a string as object key")) }
            let keyStart = position
            let key = try parseString()
            if !allowsDuplicateKeys {
                if keys.contains(key) { throw error(.duplicateKey(key), at: keyStart) }
                keys.insert(key)
            }
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw error(.expected("':' after object key")) }
            position += 1
            let value = try parseValue(depth: depth)
            members.append((key, value))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                position += 1
            case UInt8(ascii: "}"):
                position += 1
                return .object(members)
            default:
                throw error(.expected("',' or '}' after object member"))
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        if depth > maxDepth { throw error(.tooDeep(limit: maxDepth)) }
        position += 1  // '['
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","):
                position += 1
            case UInt8(ascii: "]"):
                position += 1
                return .array(elements)
            default:
                throw error(.expected("',' or ']' after array element"))
            }
        }
    }

    private mutating func parseLiteral(_ word: String) throws(JSONParseError) {
        let start = position
        for byte in word.utf8 {
            guard peek() == byte else {
                throw error(.expected("'\(word)'"), at: start)
            }
            position += 1
        }
    }

    // MARK: Numbers

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = position
        var isInteger = true
        if peek() == UInt8(ascii: "-") { position += 1 }
        guard let first = peek(), isDigit(first) else { throw error(.expected("a digit after '-'")) }
        position += 1
        if first == UInt8(ascii: "0"), let next = peek(), isDigit(next) {
            throw error(.leadingZero, at: start)
        }
        skipDigits()
        if peek() == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard let digit = peek(), isDigit(digit) else { throw error(.expected("a digit after '.'")) }
            skipDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard let digit = peek(), isDigit(digit) else { throw error(.expected("a digit in the exponent")) }
            skipDigits()
        }
        let text = bytes[start..<position]
        if isInteger, let value = Self.int64(text) {
            return .int(value)
        }
        guard let value = Double(String(decoding: text, as: UTF8.self)), value.isFinite else {
            throw error(.numberOutOfRange, at: start)
        }
        return .double(value)
    }

    /// The integer spelled by `text` (an optional '-' and digits), or nil if it overflows Int64.
    private static func int64(_ text: ArraySlice<UInt8>) -> Int64? {
        var digits = text[...]
        let negative = digits.first == UInt8(ascii: "-")
        if negative { digits = digits.dropFirst() }
        var value: Int64 = 0
        for byte in digits {
            let digit = Int64(byte - UInt8(ascii: "0"))
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            // Accumulate negatively so that Int64.min is representable.
            let (next, overflow2) = shifted.subtractingReportingOverflow(digit)
            if overflow1 || overflow2 { return nil }
            value = next
        }
        if negative { return value }
        let (positive, overflow) = Int64(0).subtractingReportingOverflow(value)
        return overflow ? nil : positive
    }

    private mutating func skipDigits() {
        while let byte = peek(), isDigit(byte) { position += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    // MARK: Strings

    private mutating func parseString() throws(JSONParseError) -> String {
        position += 1  // opening '"'
        var out: [UInt8] = []
        while true {
            guard let byte = peek() else { throw error(.unterminatedString) }
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &out)
            case 0x00..<0x20:
                throw error(.controlCharacterInString(byte))
            case 0x20..<0x80:
                out.append(byte)
                position += 1
            default:
                try copyUTF8Sequence(into: &out)
            }
        }
    }

    private mutating func parseEscape(into out: inout [UInt8]) throws(JSONParseError) {
        let start = position
        position += 1  // '\'
        guard let byte = peek() else { throw error(.unterminatedString) }
        position += 1
        switch byte {
        case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "/"): out.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try parseHex4()
            let scalarValue: UInt32
            switch unit {
            case 0xD800...0xDBFF:
                // A high surrogate must be followed by an escaped low surrogate.
                guard peek() == UInt8(ascii: "\\"), peek(offset: 1) == UInt8(ascii: "u") else {
                    throw error(.unpairedSurrogate(unit), at: start)
                }
                position += 2
                let low = try parseHex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw error(.unpairedSurrogate(unit), at: start) }
                scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            case 0xDC00...0xDFFF:
                throw error(.unpairedSurrogate(unit), at: start)
            default:
                scalarValue = UInt32(unit)
            }
            guard let scalar = Unicode.Scalar(scalarValue) else { throw error(.invalidUnicodeEscape, at: start) }
            out.append(contentsOf: String(Character(scalar)).utf8)
        default:
            throw error(.invalidEscape(byte), at: start)
        }
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt16 {
        var value: UInt16 = 0
        for i in 0..<4 {
            guard let byte = peek(offset: i), let digit = Self.hexValue(byte) else {
                throw error(.invalidUnicodeEscape)
            }
            value = value << 4 | UInt16(digit)
        }
        position += 4
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Copies one well-formed multi-byte UTF-8 sequence (RFC 3629, table 3-7 of Unicode).
    private mutating func copyUTF8Sequence(into out: inout [UInt8]) throws(JSONParseError) {
        let lead = bytes[position]
        let secondRange: ClosedRange<UInt8>
        let continuationCount: Int
        switch lead {
        case 0xC2...0xDF: secondRange = 0x80...0xBF; continuationCount = 1
        case 0xE0: secondRange = 0xA0...0xBF; continuationCount = 2
        case 0xE1...0xEC, 0xEE...0xEF: secondRange = 0x80...0xBF; continuationCount = 2
        case 0xED: secondRange = 0x80...0x9F; continuationCount = 2
        case 0xF0: secondRange = 0x90...0xBF; continuationCount = 3
        case 0xF1...0xF3: secondRange = 0x80...0xBF; continuationCount = 3
        case 0xF4: secondRange = 0x80...0x8F; continuationCount = 3
        default: throw error(.invalidUTF8(lead))
        }
        for i in 1...continuationCount {
            guard let byte = peek(offset: i) else { throw error(.unterminatedString, at: position + i) }
            let allowed = i == 1 ? secondRange : 0x80...0xBF
            guard allowed.contains(byte) else { throw error(.invalidUTF8(byte), at: position + i) }
        }
        out.append(contentsOf: bytes[position...(position + continuationCount)])
        position += continuationCount + 1
    }

    // MARK: Cursor

    private func peek(offset: Int = 0) -> UInt8? {
        let index = position + offset
        return index < bytes.count ? bytes[index] : nil
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
            position += 1
        }
    }

    private func error(_ reason: JSONParseError.Reason, at offset: Int? = nil) -> JSONParseError {
        let offset = min(offset ?? position, bytes.count)
        var line = 1
        var column = 1
        for byte in bytes[..<offset] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return JSONParseError(reason: reason, offset: offset, line: line, column: column)
    }
}
