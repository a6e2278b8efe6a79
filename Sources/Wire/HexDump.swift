/// Hex text for bytes, as in test fixtures and error reports.
public enum HexDump {
    /// Lines of 16 space-separated lowercase octets, each prefixed by its offset when `offsets` is set:
    /// `0000  45 00 00 3c ...`.
    public static func format(_ bytes: [UInt8], offsets: Bool = false) -> String {
        let digits = Array("0123456789abcdef")
        var lines: [String] = []
        var start = 0
        while start < bytes.count {
            let end = min(start + 16, bytes.count)
            var line = offsets ? hex16(UInt16(truncatingIfNeeded: start)) + "  " : ""
            for i in start..<end {
                if i > start { line.append(" ") }
                line.append(digits[Int(bytes[i] >> 4)])
                line.append(digits[Int(bytes[i] & 0x0F)])
            }
            lines.append(line)
            start = end
        }
        return lines.joined(separator: "\n")
    }

    /// Parses hex text: pairs of hex digits, whitespace ignored, `#` starts a comment to the end
    /// of the line. Nil for any other character or an odd number of digits.
    public static func parse(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var high: UInt8?
        var inComment = false
        for scalar in text.unicodeScalars {
            if inComment {
                if scalar == "\n" { inComment = false }
                continue
            }
            if scalar == "#" { inComment = true; continue }
            if scalar == " " || scalar == "\n" || scalar == "\t" || scalar == "\r" { continue }
            guard let nibble = UInt8(String(scalar), radix: 16) else { return nil }
            if let h = high {
                bytes.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return high == nil ? bytes : nil
    }
}
