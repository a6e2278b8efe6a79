import Tracing

/// The state diagram as an SVG: the figure's grid drawn in a monospaced font, each endpoint's
/// state box and last transition's label behind a band of the endpoint's colour, and a legend.
public struct StateDiagramSVG: Sendable {
    public let marks: [StateDiagram.Mark]
    public let title: String

    static let cell = 8.4
    static let line = 20.0
    static let fontSize = 14.0
    static let left = 30.0
    static let top = 90.0
    /// The endpoints' colours, first endpoint first (later ones reuse them).
    public static let fills = ["#a5f3fc", "#fde68a", "#f5d0fe", "#bbf7d0"]
    public static let strokes = ["#0891b2", "#d97706", "#c026d3", "#16a34a"]

    public init(marks: [StateDiagram.Mark], title: String) {
        self.marks = marks
        self.title = title
    }

    /// A highlight behind the figure's text: an endpoint's state box or its last transition's
    /// label, in the endpoint's colour.
    public struct Band: Hashable, Sendable {
        public var x: Double
        public var y: Double
        public var width: Double
        public var height: Double
        public var fill: String
        public var stroke: String
    }

    /// The bands that show where each of `marks` is and how it got there, in drawing order.
    public func bands() -> [Band] {
        var bands: [Band] = []
        func band(_ span: StateDiagram.Span, _ i: Int) {
            bands.append(Band(x: Self.left + Double(span.column) * Self.cell - 2, y: Self.top + Double(span.row) * Self.line - Self.fontSize,
                              width: Double(span.width) * Self.cell + 4, height: Self.fontSize + 5,
                              fill: Self.fills[i % 4], stroke: Self.strokes[i % 4]))
        }
        for (i, mark) in marks.enumerated() {
            let box = StateDiagram.box(of: mark)
            band(StateDiagram.Span(row: box.row, column: box.column, width: box.width), i)
            for label in StateDiagram.transition(of: mark)?.labels ?? [] { band(label, i) }
        }
        return bands
    }

    /// The SVG document. With `bandsGroupID`, the bands sit in `<g id="…">` (empty without marks),
    /// so a page can redraw them behind the text for each step.
    public func render(bandsGroupID: String? = nil) -> String {
        let columns = StateDiagram.grid.map { $0.count }.max() ?? 80
        let width = Self.left * 2 + Double(columns) * Self.cell + 20
        let legendTop = Self.top + Double(StateDiagram.grid.count) * Self.line + 20
        let height = legendTop + Double(marks.count + 1) * 22 + 30
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" "
        out += "viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"\(SVGLadderRenderer.fontStack)\">\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        out += "<text x=\"\(f(Self.left))\" y=\"40\" font-size=\"22\" font-weight=\"700\" fill=\"#111827\">\(xml(title))</text>\n"
        out += "<text x=\"\(f(Self.left))\" y=\"64\" font-size=\"13\" fill=\"#6b7280\">RFC 9293 §3.3.2 connection states</text>\n"
        if let bandsGroupID { out += "<g id=\"\(xml(bandsGroupID))\">\n" }
        for band in bands() {
            out += "<rect class=\"mark\" x=\"\(f(band.x))\" y=\"\(f(band.y))\" width=\"\(f(band.width))\" "
            out += "height=\"\(f(band.height))\" rx=\"4\" fill=\"\(band.fill)\" stroke=\"\(band.stroke)\"/>\n"
        }
        if bandsGroupID != nil { out += "</g>\n" }
        for (r, row) in StateDiagram.grid.enumerated() {
            let y = Self.top + Double(r) * Self.line
            out += "<text x=\"\(f(Self.left))\" y=\"\(f(y))\" font-family=\"'DejaVu Sans Mono', Menlo, Consolas, monospace\" "
            out += "font-size=\"\(f(Self.fontSize))\" fill=\"#1f2937\" xml:space=\"preserve\">\(xml(row))</text>\n"
        }
        for (i, mark) in marks.enumerated() {
            let y = legendTop + Double(i) * 22 + 14
            out += "<rect x=\"\(f(Self.left))\" y=\"\(f(y - 12))\" width=\"16\" height=\"16\" rx=\"3\" fill=\"\(Self.fills[i % 4])\" "
            out += "stroke=\"\(Self.strokes[i % 4])\"/>"
            var text = "\(mark.endpoint): "
            if let from = mark.from { text += "\(from) → \(mark.state)" + (mark.cause.map { " (\($0))" } ?? "") } else {
                text += "\(mark.state)"
            }
            out += "<text x=\"\(f(Self.left + 24))\" y=\"\(f(y + 1))\" font-size=\"13\" fill=\"#111827\">\(xml(text))</text>\n"
        }
        let noteY = legendTop + Double(marks.count) * 22 + 14
        let weight = marks.contains(where: StateDiagram.tookUndrawnTransition) ? " font-weight=\"700\"" : ""
        out += "<text x=\"\(f(Self.left))\" y=\"\(f(noteY + 1))\" font-size=\"12\" fill=\"#4b5563\"\(weight)>"
        out += "\(xml(StateDiagram.abortiveNote))</text>\n"
        out += "</svg>\n"
        return out
    }
}
