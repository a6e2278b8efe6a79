import Rendering

/// The packet pane: layers and fields on the left (the selected field's layer expanded, as in
/// Wireshark's detail pane), hex bytes on the right, the selected field highlighted in both.
enum PacketPane {
    static func lines(layers: [PacketLayer], bytes: [UInt8], focus: String?, width: Int, maxLines: Int,
                      style: ScreenStyle, language: LessonLanguage = .en) -> [String] {
        let layers = PacketDissector.localized(layers, language)
        let bytesPerLine = width >= 76 ? 8 : 4
        let hexWidth = 5 + bytesPerLine * 3 + 1
        let leftWidth = width - hexWidth - 1
        var left: [String] = []
        var selectedLine = 0
        let selected = layers.flatMap(\.fields).first { $0.name == focus }
        for layer in layers {
            let expanded = layer.fields.contains { $0.name == focus }
            left.append((expanded ? "▾ " : "▸ ") + TextWidth.truncate(layer.title, leftWidth - 2))
            guard expanded else { continue }
            for field in layer.fields {
                let text = TextWidth.fit("  \(field.label): \(field.value)", leftWidth - 1)
                if field.name == focus { selectedLine = left.count }
                left.append(field.name == focus ? (style.color ? style.reverse(text) : "▶" + String(text.dropFirst())) : text)
            }
        }
        // The tree keeps the selected field in view when it does not fit.
        if left.count > maxLines {
            let start = min(max(0, selectedLine - maxLines / 2), left.count - maxLines)
            left = Array(left[start..<(start + maxLines)])
        }
        // Hex: show the lines around the selected field when the packet is long.
        let all = PacketDissector.hexLines(bytes, bytesPerLine: bytesPerLine, highlight: selected?.range)
        var right: [String] = []
        let firstLine = max(0, (selected?.range.lowerBound ?? 0) / bytesPerLine - 2)
        let available = max(left.count, min(maxLines, 8))
        let start = all.count <= available ? 0 : min(firstLine, all.count - available)
        for entry in all[start..<min(all.count, start + available)] {
            right.append(mark(entry.text, entry.marks, style: style))
        }
        if start + available < all.count { right[right.count - 1] = "… \(bytes.count) bytes" }
        let count = min(maxLines, max(left.count, right.count))
        return (0..<count).map { row in
            let l = row < left.count ? TextWidth.fit(left[row], leftWidth) : String(repeating: " ", count: leftWidth)
            let r = row < right.count ? right[row] : ""
            return TextWidth.trimTrailing(l + " " + r)
        }
    }

    /// Marks character ranges of a hex line: reverse video, or `[..]` in place of the spaces.
    static func mark(_ text: String, _ marks: [Range<Int>], style: ScreenStyle) -> String {
        guard let first = marks.first, let last = marks.last else { return text }
        var chars = Array(text)
        if style.color {
            let before = String(chars[0..<first.lowerBound])
            let inside = String(chars[first.lowerBound..<last.upperBound])
            let after = String(chars[last.upperBound...])
            return before + style.reverse(inside) + after
        }
        chars[first.lowerBound - 1] = "["
        if last.upperBound < chars.count { chars[last.upperBound] = "]" } else { chars.append("]") }
        return String(chars)
    }
}
