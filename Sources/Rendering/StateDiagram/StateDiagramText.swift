import Tracing

/// The state diagram for the terminal: the figure with each endpoint's state box and its last
/// transition's label drawn in the endpoint's colour (with colour), or marked `▶ STATE ◀` and
/// `»label«` (without), and a legend line per endpoint saying where it is and how it got there.
public struct StateDiagramText: Sendable {
    public let marks: [StateDiagram.Mark]
    public let options: DiagramOptions

    /// SGR colours of the first endpoints; later ones reuse them.
    static let colors = ["1;30;46", "1;30;43", "1;30;45", "1;30;42"]

    public init(marks: [StateDiagram.Mark], options: DiagramOptions = DiagramOptions()) {
        self.marks = marks
        self.options = options
    }

    /// The figure, one string per row.
    public func lines() -> [String] {
        var rows = StateDiagram.grid.map { Array($0.unicodeScalars) }
        var styles = rows.map { Array(repeating: -1, count: $0.count) }
        func paint(_ span: StateDiagram.Span, _ endpoint: Int, bracket: (Unicode.Scalar, Unicode.Scalar)) {
            let row = span.row
            if options.colors {
                for x in span.column..<min(span.column + span.width, styles[row].count) {
                    styles[row][x] = styles[row][x] == -1 ? endpoint : styles[row][x]
                }
            } else {
                if span.column > 0 { rows[row][span.column - 1] = bracket.0 }
                if span.column + span.width < rows[row].count {
                    rows[row][span.column + span.width] = bracket.1
                } else {
                    rows[row].append(bracket.1)
                    styles[row].append(-1)
                }
            }
        }
        for (i, mark) in marks.enumerated() {
            let box = StateDiagram.box(of: mark)
            if options.colors {
                paint(StateDiagram.Span(row: box.row, column: box.column, width: box.width), i, bracket: (" ", " "))
            } else {
                rows[box.row][box.column] = "▶"
                rows[box.row][box.column + box.width - 1] = "◀"
            }
            for label in StateDiagram.transition(of: mark)?.labels ?? [] { paint(label, i, bracket: ("»", "«")) }
        }
        return rows.indices.map { r in
            var out = ""
            var current = -1
            for (x, scalar) in rows[r].enumerated() {
                if options.colors, styles[r][x] != current {
                    current = styles[r][x]
                    out += current == -1 ? "\u{1B}[0m" : "\u{1B}[\(Self.colors[current % Self.colors.count])m"
                }
                out.unicodeScalars.append(scalar)
            }
            if current != -1 { out += "\u{1B}[0m" }
            while out.hasSuffix(" ") { out.removeLast() }
            return out
        }
    }

    /// One line per endpoint (`client:49152  SYN-SENT → ESTABLISHED  rcv SYN,ACK`), then the
    /// note on the transitions the figure does not draw.
    public func legend() -> [String] {
        var lines: [String] = []
        for (i, mark) in marks.enumerated() {
            var text = " \(mark.endpoint)  "
            if let from = mark.from {
                text += "\(from) → \(mark.state)" + (mark.cause.map { "  (\($0))" } ?? "")
            } else {
                text += "\(mark.state)"
            }
            let swatch = options.colors ? "\u{1B}[\(Self.colors[i % Self.colors.count])m  \u{1B}[0m" : (i == 0 ? "▶" : "▷")
            lines.append(swatch + text)
        }
        let undrawn = marks.contains(where: StateDiagram.tookUndrawnTransition)
        lines.append((undrawn ? (options.colors ? "\u{1B}[1m" : "» ") : " ") + StateDiagram.abortiveNote
                     + (undrawn && options.colors ? "\u{1B}[0m" : ""))
        return lines
    }
}
