/// Measuring and wrapping text for an 80-column terminal.
public enum TextLayout {
    /// Columns a string occupies on a terminal: East Asian wide characters and most emoji take
    /// two, combining marks none, everything else one (a simplified `wcwidth`).
    public static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + width(of: $1) }
    }

    static func width(of scalar: Unicode.Scalar) -> Int {
        switch scalar.value {
        case 0x0300...0x036F, 0x200B...0x200F, 0xFE00...0xFE0F:
            return 0
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }

    /// `text` padded with spaces to `width` columns, on the left for `.right`.
    static func pad(_ text: String, to width: Int, alignRight: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - displayWidth(text)))
        return alignRight ? padding + text : text + padding
    }

    /// Cuts `text` to at most `width` columns, ending with "…" when it was cut.
    static func truncate(_ text: String, to width: Int) -> String {
        guard displayWidth(text) > width else { return text }
        guard width > 0 else { return "" }
        var result = ""
        var used = 0
        for character in text {
            let w = displayWidth(String(character))
            if used + w > width - 1 { break }
            result.append(character)
            used += w
        }
        return result + "…"
    }

    /// Greedy word wrap to `width` columns; a word longer than the width gets a line of its own.
    /// Each '\n' in `text` starts a new line; blank lines are kept.
    public static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var lineWidth = 0
            for word in paragraph.split(separator: " ") {
                let wordWidth = displayWidth(String(word))
                if lineWidth > 0, lineWidth + 1 + wordWidth > width {
                    lines.append(line)
                    line = ""
                    lineWidth = 0
                }
                if lineWidth > 0 {
                    line += " "
                    lineWidth += 1
                }
                line += word
                lineWidth += wordWidth
            }
            lines.append(line)
        }
        return lines
    }

    /// Two columns, such as option names and their help: labels padded to a common width (at
    /// most `maxLabelWidth`; a longer label puts its help on the next line), help wrapped.
    /// Pass `alignWith` to align several blocks to the same column.
    static func twoColumns(
        _ rows: [(String, String)], alignWith allRows: [(String, String)]? = nil,
        indent: Int = 2, maxLabelWidth: Int = 26, width: Int = 80
    ) -> [String] {
        let labelWidth = (allRows ?? rows).map { displayWidth($0.0) }.filter { $0 <= maxLabelWidth }.max() ?? 0
        let helpColumn = indent + labelWidth + 2
        let margin = String(repeating: " ", count: indent)
        let hanging = String(repeating: " ", count: helpColumn)
        var lines: [String] = []
        for (label, help) in rows {
            let helpLines = help.isEmpty ? [] : wrap(help, width: width - helpColumn)
            if displayWidth(label) <= labelWidth, let first = helpLines.first {
                lines.append(margin + pad(label, to: labelWidth) + "  " + first)
                lines.append(contentsOf: helpLines.dropFirst().map { hanging + $0 })
            } else {
                lines.append(margin + label)
                lines.append(contentsOf: helpLines.map { hanging + $0 })
            }
        }
        return lines
    }
}
