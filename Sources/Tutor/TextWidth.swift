/// Terminal column arithmetic: East Asian wide characters (Chinese) take two columns, escape
/// sequences none. Every screen function pads and wraps with these, never with `count`.
public enum TextWidth {
    /// Columns `text` occupies on a terminal, ignoring SGR escape sequences.
    public static func columns(_ text: String) -> Int {
        var width = 0
        var inEscape = false
        for scalar in text.unicodeScalars {
            if inEscape {
                if scalar.value >= 0x40 && scalar.value <= 0x7E && scalar != "[" { inEscape = false }
                continue
            }
            if scalar == "\u{1B}" { inEscape = true; continue }
            width += columns(of: scalar)
        }
        return width
    }

    /// 0 for combining marks and controls, 2 for wide characters, 1 otherwise.
    public static func columns(of scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if (0x0300...0x036F).contains(v) || (0x200B...0x200F).contains(v) { return 0 }
        if (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
            || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
            || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v) {
            return 2
        }
        return 1
    }

    /// `text` padded with spaces (or cut, with an ellipsis) to exactly `width` columns.
    public static func fit(_ text: String, _ width: Int) -> String {
        let current = columns(text)
        if current <= width { return text + String(repeating: " ", count: width - current) }
        return truncate(text, width)
    }

    /// `text` cut to at most `width` columns, ending in `…` when something was cut. Escape
    /// sequences are kept (a reset is appended when any was open).
    public static func truncate(_ text: String, _ width: Int) -> String {
        guard columns(text) > width else { return text }
        guard width > 0 else { return "" }
        var result = ""
        var used = 0
        var inEscape = false
        var sawEscape = false
        for scalar in text.unicodeScalars {
            if inEscape {
                result.unicodeScalars.append(scalar)
                if scalar.value >= 0x40 && scalar.value <= 0x7E && scalar != "[" { inEscape = false }
                continue
            }
            if scalar == "\u{1B}" { inEscape = true; sawEscape = true; result.unicodeScalars.append(scalar); continue }
            let w = columns(of: scalar)
            if used + w > width - 1 { break }
            result.unicodeScalars.append(scalar)
            used += w
        }
        result += "…"
        used += 1
        if sawEscape { result += "\u{1B}[0m" }
        return result + String(repeating: " ", count: max(0, width - used))
    }

    /// Wraps one paragraph to `width` columns: at spaces for Latin text, between any two wide
    /// characters for Chinese (never before a closing punctuation mark). `indent` starts every
    /// line after the first. SGR escape sequences take no room.
    public static func wrap(_ paragraph: String, width: Int, indent: String = "") -> [String] {
        let width = max(width, 10)
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        var word = ""
        var wordWidth = 0
        let noBreakBefore: Set<Character> = ["，", "。", "、", "；", "：", "！", "？", "）", "」", "』", "》", ",", ".", ")", ";", ":", "…", "”"]

        func flushWord() {
            guard !word.isEmpty else { return }
            if lineWidth + wordWidth > width && lineWidth > TextWidth.columns(indent) && !line.isEmpty {
                lines.append(trimTrailing(line))
                line = indent
                lineWidth = columns(indent)
                if word.first == " " { word.removeFirst(); wordWidth -= 1 }
            }
            line += word
            lineWidth += wordWidth
            word = ""
            wordWidth = 0
        }

        var inEscape = false
        for character in paragraph {
            // SGR sequences take no columns and belong to the word they are in.
            if inEscape || character == "\u{1B}" {
                word.append(character)
                if character != "\u{1B}", let v = character.unicodeScalars.first?.value, v >= 0x40 && v <= 0x7E && character != "[" {
                    inEscape = false
                } else {
                    inEscape = true
                }
                continue
            }
            let w = character.unicodeScalars.first.map { columns(of: $0) } ?? 1
            if character == " " {
                flushWord()
                word = " "
                wordWidth = 1
            } else if w == 2 {
                if !noBreakBefore.contains(character) { flushWord() }
                word.append(character)
                wordWidth += 2
            } else {
                if let last = word.last, last.unicodeScalars.first.map({ columns(of: $0) }) == 2, !noBreakBefore.contains(character) {
                    flushWord()
                }
                word.append(character)
                wordWidth += w
            }
            // A very long word (a URL) is cut hard.
            while wordWidth > width {
                flushWord()
            }
        }
        flushWord()
        if !trimTrailing(line).isEmpty || lines.isEmpty { lines.append(trimTrailing(line)) }
        return lines
    }

    public static func trimTrailing(_ text: String) -> String {
        var text = text
        while text.last == " " { text.removeLast() }
        return text
    }
}
