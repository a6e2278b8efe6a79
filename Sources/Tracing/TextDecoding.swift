/// Input files as text: UTF-8 or a located error. The one place that says where a file stops
/// being UTF-8, so scenario files, lessons and text traces all report it the same way.
public enum TextDecoding {
    /// Where the first byte that is not part of valid UTF-8 sits.
    public struct InvalidByte: Error, Equatable, Sendable, CustomStringConvertible {
        /// 1-based line, counted by line feeds before the byte.
        public var line: Int
        /// 1-based column in characters (Unicode scalars) on that line.
        public var column: Int
        /// 0-based offset in the file.
        public var offset: Int
        public var byte: UInt8

        public var description: String {
            let hex = String(byte, radix: 16, uppercase: false)
            return "\(line):\(column): not UTF-8 text: byte 0x\(hex.count < 2 ? "0" + hex : hex) at offset \(offset)"
        }
    }

    /// The text of `bytes`, or where it stops being UTF-8.
    public static func text(_ bytes: [UInt8]) -> Result<String, InvalidByte> {
        if let text = String(validating: bytes, as: UTF8.self) { return .success(text) }
        return .failure(firstInvalidByte(bytes))
    }

    /// The first byte of `bytes` that does not start or continue a valid UTF-8 sequence (the
    /// decoder's own rules: no overlong forms, no surrogates, nothing above U+10FFFF).
    static func firstInvalidByte(_ bytes: [UInt8]) -> InvalidByte {
        var line = 1, column = 1, offset = 0
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar)
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            case .emptyInput:
                // Unreachable for invalid input; say the end.
                return InvalidByte(line: line, column: column, offset: offset, byte: 0)
            case .error:
                return InvalidByte(line: line, column: column, offset: offset, byte: bytes[min(offset, bytes.count - 1)])
            }
        }
    }
}
