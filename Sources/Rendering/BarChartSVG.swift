/// Horizontal bar charts as one standalone SVG: a panel per measure, a bar per category (for
/// `stacklab compare`, a scenario), each bar with its value written beside it.
///
/// Measures with different units never share an axis: every panel is scaled to its own largest
/// bar, from zero. A panel whose bars have several parts (bytes on the wire: headers, payload,
/// ...) stacks them in the parts' colours and shows a legend; a panel with one part colours each
/// category with its own colour, the same in every panel.
public struct BarChartSVG: Sendable {
    /// One measure: a title, the names of its parts (one for a plain bar), and per category the
    /// parts' values and the label written after the bar.
    public struct Panel: Sendable {
        public var title: String
        public var parts: [String]
        /// `values[category][part]`, not negative.
        public var values: [[Double]]
        public var labels: [String]

        public init(title: String, parts: [String] = [""], values: [[Double]], labels: [String]) {
            self.title = title
            self.parts = parts
            self.values = values
            self.labels = labels
        }
    }

    public var title: String
    public var subtitle: String
    public var categories: [String]
    public var panels: [Panel]

    public init(title: String, subtitle: String, categories: [String], panels: [Panel]) {
        self.title = title
        self.subtitle = subtitle
        self.categories = categories
        self.panels = panels
    }

    static let width = 760.0
    static let labelWidth = 150.0
    static let valueWidth = 130.0
    static let barHeight = 18.0
    static let rowHeight = 26.0
    /// Category colours (Okabe–Ito, distinguishable with the common colour-vision deficiencies).
    static let categoryColors = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000"]
    /// Part colours of stacked bars, from the lowest layer up.
    static let partColors = ["#9ca3af", "#f59e0b", "#2563eb", "#dc2626", "#7c3aed", "#059669"]

    /// The SVG document.
    public func render() -> String {
        var body = ""
        var y = 88.0
        let barLeft = 24 + Self.labelWidth
        let barSpan = Self.width - barLeft - Self.valueWidth
        for panel in panels {
            body += "<text class=\"panel\" x=\"24\" y=\"\(f(y))\">\(xml(panel.title))</text>\n"
            y += 12
            let totals = panel.values.map { $0.reduce(0) { $0 + max(0, $1) } }
            let largest = totals.max() ?? 0
            let scale = largest > 0 ? barSpan / largest : 0
            for (index, category) in categories.enumerated() {
                let rowTop = y + (Self.rowHeight - Self.barHeight) / 2
                body += "<text class=\"category\" x=\"\(f(barLeft - 10))\" y=\"\(f(rowTop + 13))\" text-anchor=\"end\">"
                    + "\(xml(category))</text>\n"
                var x = barLeft
                let parts = index < panel.values.count ? panel.values[index] : []
                for (part, value) in parts.enumerated() where value > 0 {
                    let width = value * scale
                    let color = panel.parts.count > 1 ? Self.partColors[part % Self.partColors.count]
                        : Self.categoryColors[index % Self.categoryColors.count]
                    let name = panel.parts.count > 1 ? "\(category): \(panel.parts[part])" : category
                    body += "<rect x=\"\(f(x))\" y=\"\(f(rowTop))\" width=\"\(f(max(width, 0.5)))\" "
                        + "height=\"\(f(Self.barHeight))\" fill=\"\(color)\"><title>\(xml(name))</title></rect>\n"
                    x += width
                }
                let label = index < panel.labels.count ? panel.labels[index] : ""
                body += "<text class=\"value\" x=\"\(f(x + 8))\" y=\"\(f(rowTop + 13))\">\(xml(label))</text>\n"
                y += Self.rowHeight
            }
            if panel.parts.count > 1 {
                var x = barLeft
                y += 4
                for (part, name) in panel.parts.enumerated() {
                    body += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"12\" height=\"12\" "
                        + "fill=\"\(Self.partColors[part % Self.partColors.count])\"/>\n"
                    body += "<text class=\"legend\" x=\"\(f(x + 17))\" y=\"\(f(y + 10.5))\">\(xml(name))</text>\n"
                    x += 17 + Double(name.count) * 6.6 + 18
                }
                y += 16
            }
            y += 22
        }
        let height = y + 8
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(Self.width))\" height=\"\(f(height))\" "
        out += "viewBox=\"0 0 \(f(Self.width)) \(f(height))\">\n"
        out += "<style>\n"
        out += "text { font-family: \(SVGLadderRenderer.fontStack); fill: #111827; }\n"
        out += ".title { font-size: 22px; font-weight: 700; }\n"
        out += ".subtitle { font-size: 13px; fill: #6b7280; }\n"
        out += ".panel { font-size: 15px; font-weight: 600; }\n"
        out += ".category { font-size: 13px; }\n"
        out += ".value { font-size: 13px; fill: #374151; }\n"
        out += ".legend { font-size: 11px; fill: #374151; }\n"
        out += "</style>\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        out += "<text class=\"title\" x=\"24\" y=\"38\">\(xml(title))</text>\n"
        out += "<text class=\"subtitle\" x=\"24\" y=\"60\">\(xml(subtitle))</text>\n"
        out += body
        out += "</svg>\n"
        return out
    }
}
