/// A step's narration as it is shown: the lesson's light Markdown (`code`, *emphasis*,
/// **strong**) turned into terminal styles (or plain text without colour), paragraphs wrapped to
/// the screen with a blank line between them, list items with a hanging indent.
enum Narration {
    enum Kind { case text, code, emphasis, strong }

    /// The paragraph cut into runs of one kind. An opening mark without its closing one is text.
    static func spans(_ paragraph: String) -> [(text: String, kind: Kind)] {
        var spans: [(String, Kind)] = []
        var rest = Substring(paragraph)
        var text = ""
        while let first = rest.first {
            let (mark, kind): (String, Kind) = first == "`" ? ("`", .code)
                : rest.hasPrefix("**") ? ("**", .strong) : first == "*" ? ("*", .emphasis) : ("", .text)
            if !mark.isEmpty, let close = find(mark, in: rest.dropFirst(mark.count)) {
                let inner = rest[rest.index(rest.startIndex, offsetBy: mark.count)..<close.lowerBound]
                if !inner.isEmpty, inner.first != " " {
                    if !text.isEmpty { spans.append((text, .text)); text = "" }
                    spans.append((String(inner), kind))
                    rest = rest[close.upperBound...]
                    continue
                }
            }
            text.append(first)
            rest = rest.dropFirst()
        }
        if !text.isEmpty { spans.append((text, .text)) }
        return spans
    }

    /// Where `mark` first occurs in `text`.
    static func find(_ mark: String, in text: Substring) -> Range<Substring.Index>? {
        var index = text.startIndex
        while index < text.endIndex {
            if text[index...].hasPrefix(mark) { return index..<text.index(index, offsetBy: mark.count) }
            index = text.index(after: index)
        }
        return nil
    }

    /// The paragraph with its marks applied as `style` draws them.
    static func styled(_ paragraph: String, style: ScreenStyle) -> String {
        spans(paragraph).map { span in
            switch span.kind {
            case .text: span.text
            case .code: style.code(span.text)
            case .emphasis: style.emphasis(span.text)
            case .strong: style.bold(span.text)
            }
        }.joined()
    }

    /// Wrapped lines of all paragraphs, a blank line between two paragraphs (not between two
    /// list items), each line starting with `indent`.
    static func lines(_ paragraphs: [String], width: Int, style: ScreenStyle, indent: String = "") -> [String] {
        var lines: [String] = []
        var previousWasItem = false
        for paragraph in paragraphs {
            let item = paragraph.hasPrefix("- ") || paragraph.hasPrefix("* ")
            if !lines.isEmpty && !(item && previousWasItem) { lines.append("") }
            let text = item ? "• " + paragraph.dropFirst(2) : paragraph
            let wrapped = TextWidth.wrap(styled(text, style: style), width: width - TextWidth.columns(indent),
                                         indent: item ? "  " : "")
            lines += wrapped.map { indent + $0 }
            previousWasItem = item
        }
        return lines
    }
}
