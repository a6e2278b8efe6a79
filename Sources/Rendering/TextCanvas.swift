/// One line of terminal text being drawn: a cell per column, each with a style, turned into a
/// string with ANSI SGR sequences only when colour is asked for.
struct TextCanvas {
    /// Cell styles; `plain` draws no escape sequence.
    enum Style: UInt8 {
        case plain, dim, state, timer, lost, retransmission, label, marker

        var sgr: String {
            switch self {
            case .plain: ""
            case .dim: "2"
            case .state: "1;36"
            case .timer: "33"
            case .lost: "1;31"
            case .retransmission: "35"
            case .label: "1"
            case .marker: "1;33"
            }
        }
    }

    var cells: [Unicode.Scalar]
    var styles: [Style]
    /// Marks text cut short.
    var ellipsis: Unicode.Scalar = "…"

    init(width: Int) {
        cells = Array(repeating: " ", count: width)
        styles = Array(repeating: .plain, count: width)
    }

    var width: Int { cells.count }

    mutating func put(_ scalar: Unicode.Scalar, at x: Int, _ style: Style = .plain) {
        guard x >= 0, x < cells.count else { return }
        cells[x] = scalar
        styles[x] = style
    }

    /// Writes `text` from column `x`, cut at `limit` (exclusive) with an ellipsis when too long.
    mutating func write(_ text: String, at x: Int, limit: Int? = nil, _ style: Style = .plain) {
        let end = min(limit ?? cells.count, cells.count)
        let scalars = Array(text.unicodeScalars)
        var column = x
        for (i, scalar) in scalars.enumerated() {
            guard column < end else { break }
            if column == end - 1, i < scalars.count - 1 {
                put(ellipsis, at: column, style)
                break
            }
            put(scalar, at: column, style)
            column += 1
        }
    }

    /// The line as `text` gives it, or with `window` (scroll, columns) only the first `margin`
    /// columns and then `columns` columns from `margin + scroll`.
    func output(_ window: (Int, Int)?, colors: Bool, margin: Int, highlight: Bool = false) -> String {
        guard let (scroll, columns) = window else { return text(colors: colors, highlight: highlight) }
        var view = TextCanvas(width: margin + columns)
        view.ellipsis = ellipsis
        for x in 0..<min(margin, width) { view.put(cells[x], at: x, styles[x]) }
        for x in 0..<columns where margin + scroll + x < width {
            view.put(cells[margin + scroll + x], at: margin + x, styles[margin + scroll + x])
        }
        return view.text(colors: colors, highlight: highlight)
    }

    /// The line, without trailing spaces; `highlight` draws it in reverse video when coloured.
    func text(colors: Bool, highlight: Bool = false) -> String {
        var last = cells.count
        while last > 0, cells[last - 1] == " " { last -= 1 }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(last * 3 + (colors ? 64 : 0))
        var current: Style? = nil
        for x in 0..<last {
            if colors, styles[x] != current {
                current = styles[x]
                let code = (highlight ? "7" : "") + (highlight && !styles[x].sgr.isEmpty ? ";" : "") + styles[x].sgr
                bytes += "\u{1B}[0m".utf8
                if !code.isEmpty { bytes += "\u{1B}[\(code)m".utf8 }
            }
            Self.appendUTF8(cells[x].value, to: &bytes)
        }
        if colors { bytes += "\u{1B}[0m".utf8 }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func appendUTF8(_ v: UInt32, to bytes: inout [UInt8]) {
        switch v {
        case ..<0x80:
            bytes.append(UInt8(v))
        case ..<0x800:
            bytes.append(UInt8(0xC0 | v >> 6))
            bytes.append(UInt8(0x80 | v & 0x3F))
        case ..<0x10000:
            bytes.append(UInt8(0xE0 | v >> 12))
            bytes.append(UInt8(0x80 | v >> 6 & 0x3F))
            bytes.append(UInt8(0x80 | v & 0x3F))
        default:
            bytes.append(UInt8(0xF0 | v >> 18))
            bytes.append(UInt8(0x80 | v >> 12 & 0x3F))
            bytes.append(UInt8(0x80 | v >> 6 & 0x3F))
            bytes.append(UInt8(0x80 | v & 0x3F))
        }
    }
}
