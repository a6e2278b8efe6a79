/// A table of text laid out in aligned columns, two spaces apart, within a width.
///
/// Columns whose every non-empty cell is a number (optionally followed by a unit: `12.5 ms`,
/// `3%`) are right-aligned unless an alignment is given. When the table is too wide, the widest
/// left-aligned column is narrowed and its cells cut with "…"; numbers are never cut.
public struct Table: Sendable {
    public enum Alignment: Sendable {
        case automatic, left, right
    }

    public struct Column: Sendable {
        public var header: String
        public var alignment: Alignment

        public init(_ header: String, alignment: Alignment = .automatic) {
            self.header = header
            self.alignment = alignment
        }
    }

    public var columns: [Column]
    public var rows: [[String]]

    public init(columns: [Column], rows: [[String]] = []) {
        self.columns = columns
        self.rows = rows
    }

    /// A table without a header line.
    public init(rows: [[String]]) {
        let count = rows.map(\.count).max() ?? 0
        self.columns = Array(repeating: Column(""), count: count)
        self.rows = rows
    }

    public mutating func append(_ row: [String]) {
        rows.append(row)
    }

    var hasHeader: Bool { columns.contains { !$0.header.isEmpty } }

    /// The lines of the table (header first if any), no trailing spaces.
    public func render(width: Int = 80) -> [String] {
        let count = columns.count
        guard count > 0 else { return [] }
        let body = rows.map { row in (0..<count).map { $0 < row.count ? row[$0] : "" } }
        let alignRight = (0..<count).map { column -> Bool in
            switch columns[column].alignment {
            case .left: return false
            case .right: return true
            case .automatic:
                let cells = body.map { $0[column] }.filter { !$0.isEmpty }
                return !cells.isEmpty && cells.allSatisfy(Self.looksNumeric)
            }
        }
        var widths = (0..<count).map { column in
            ([hasHeader ? columns[column].header : ""] + body.map { $0[column] }).map(TextLayout.displayWidth).max() ?? 0
        }
        let gap = 2
        // Narrow the widest text column until the table fits, but not below 8 columns.
        while widths.reduce(0, +) + gap * (count - 1) > width {
            let candidates = (0..<count).filter { !alignRight[$0] && widths[$0] > 8 }
            guard let widest = candidates.max(by: { widths[$0] < widths[$1] }) else { break }
            let excess = widths.reduce(0, +) + gap * (count - 1) - width
            widths[widest] = max(8, widths[widest] - excess)
        }
        func line(_ cells: [String]) -> String {
            var text = ""
            for column in 0..<count {
                let cell = TextLayout.truncate(cells[column], to: widths[column])
                text += TextLayout.pad(cell, to: widths[column], alignRight: alignRight[column])
                if column < count - 1 { text += String(repeating: " ", count: gap) }
            }
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        var lines: [String] = []
        if hasHeader {
            lines.append(line(columns.map(\.header)))
        }
        lines.append(contentsOf: body.map(line))
        return lines
    }

    /// "42", "-3.5", "1,024", "12.5 ms", "3%", "2.0x".
    static func looksNumeric(_ cell: String) -> Bool {
        var text = Substring(cell)
        while let last = text.last, last.isLetter || last == "%" || last == "µ" { text.removeLast() }
        while text.last == " " { text.removeLast() }
        if text.first == "-" || text.first == "+" { text.removeFirst() }
        guard let first = text.first, first.isASCII, first.isNumber else { return false }
        return text.allSatisfy { ($0.isASCII && $0.isNumber) || $0 == "." || $0 == "," || $0 == "_" }
    }
}
