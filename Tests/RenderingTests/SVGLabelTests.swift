import Apps
import Foundation
import Rendering
import Runs
import Testing
import Tracing

/// A text label of an SVG, read back from the document: where it is, how big, how turned.
struct SVGLabel {
    var text: String
    var corners: [(Double, Double)]

    var minX: Double { corners.map(\.0).min()! }
    var maxX: Double { corners.map(\.0).max()! }
    var minY: Double { corners.map(\.1).min()! }
    var maxY: Double { corners.map(\.1).max()! }

    /// Whether two (possibly rotated) boxes overlap by more than `tolerance` px (separating axes).
    func overlaps(_ other: SVGLabel, tolerance: Double = 1) -> Bool {
        for box in [corners, other.corners] {
            for i in 0..<2 {
                let (ax, ay) = (box[i + 1].0 - box[i].0, box[i + 1].1 - box[i].1)
                let length = (ax * ax + ay * ay).squareRoot()
                guard length > 0 else { continue }
                let axis = (ax / length, ay / length)
                let p = corners.map { $0.0 * axis.0 + $0.1 * axis.1 }, q = other.corners.map { $0.0 * axis.0 + $0.1 * axis.1 }
                if p.max()! - tolerance <= q.min()! || q.max()! - tolerance <= p.min()! { return false }
            }
        }
        return true
    }
}

/// Reads the `<text>` elements of an SVG (as StackLab writes them: one per line or run of
/// elements, attributes in double quotes) into label boxes: 0.55 em a character (1 em for wide
/// characters), from 0.8 em above the baseline to 0.2 em below it, rotated as `transform` says.
enum SVGText {
    static func sizes(_ svg: String) -> [String: Double] {
        var sizes: [String: Double] = [:]
        for match in svg.matches(of: /\.([a-z-]+) \{ ?font-size: ?([0-9.]+)px/) {
            sizes[String(match.1)] = Double(match.2)!
        }
        return sizes
    }

    static func labels(_ svg: String) -> [SVGLabel] {
        let classSizes = sizes(svg)
        var labels: [SVGLabel] = []
        for match in svg.matches(of: /<text([^>]*)>([^<]*)<\/text>/) {
            let attributes = String(match.1)
            let text = String(match.2).replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
                .replacingOccurrences(of: "&amp;", with: "&")
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            func attribute(_ name: String) -> String? {
                guard let range = attributes.range(of: " \(name)=\"") else { return nil }
                let rest = attributes[range.upperBound...]
                return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
            }
            let x = Double(attribute("x") ?? "0") ?? 0, y = Double(attribute("y") ?? "0") ?? 0
            var size = Double(attribute("font-size") ?? "") ?? 0
            if size == 0 {
                let classes = (attribute("class") ?? "").split(separator: " ").map(String.init)
                size = classes.compactMap { classSizes[$0] }.max() ?? 16
            }
            // Leading spaces of preserved text move its start.
            let leading = Double(text.prefix { $0 == " " }.count)
            let ems = trimmed.unicodeScalars.reduce(0.0) { $0 + ($1.value >= 0x2E80 ? 1.0 : 0.55) }
            let width = ems * size
            let start: Double
            switch attribute("text-anchor") {
            case "middle": start = x - width / 2
            case "end": start = x - width
            default: start = x + leading * 0.6 * size
            }
            var corners = [(start, y - 0.8 * size), (start + width, y - 0.8 * size), (start + width, y + 0.2 * size), (start, y + 0.2 * size)]
            if let transform = attribute("transform"), let m = transform.firstMatch(of: /rotate\(([-0-9.]+) ([-0-9.]+) ([-0-9.]+)\)/) {
                let radians = Double(m.1)! * Double.pi / 180, cx = Double(m.2)!, cy = Double(m.3)!
                corners = corners.map { p in
                    let dx = p.0 - cx, dy = p.1 - cy
                    return (cx + dx * cos(radians) - dy * sin(radians), cy + dx * sin(radians) + dy * cos(radians))
                }
            }
            labels.append(SVGLabel(text: trimmed, corners: corners))
        }
        return labels
    }

    static func canvas(_ svg: String) -> (width: Double, height: Double) {
        let m = svg.firstMatch(of: /<svg [^>]*width="([0-9.]+)" height="([0-9.]+)"/)!
        return (Double(m.1)!, Double(m.2)!)
    }

    /// Pairs of labels that overlap, found by a sweep down the page.
    static func overlaps(_ labels: [SVGLabel]) -> [(String, String)] {
        let sorted = labels.sorted { $0.minY < $1.minY }
        var found: [(String, String)] = []
        for i in sorted.indices {
            var j = i + 1
            while j < sorted.count, sorted[j].minY < sorted[i].maxY {
                if sorted[i].overlaps(sorted[j]) { found.append((sorted[i].text, sorted[j].text)) }
                j += 1
            }
        }
        return found
    }
}

let rsvgConvertAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/rsvg-convert")
    || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/rsvg-convert")

@Suite("SVG figures are readable")
struct SVGLabelTests {
    static let names = BuiltInScenarios.names

    static func svgs(_ name: String) -> [(String, String)] {
        let trace = Traces.of(name)
        return [("\(name) ladder", SVGLadderRenderer(trace: trace).render()),
                ("\(name) ladder, x and y", SVGLadderRenderer(trace: trace, options: DiagramOptions(sequence: .symbolic)).render()),
                ("\(name) states", StateDiagramSVG(marks: StateDiagram.marks(trace.events), title: name).render())]
    }

    @Test(arguments: names)
    func noTwoLabelsOverlapAndNoneLeavesTheCanvas(name: String) {
        for (what, svg) in Self.svgs(name) {
            let labels = SVGText.labels(svg)
            #expect(!labels.isEmpty, "\(what): no labels read")
            let overlaps = SVGText.overlaps(labels)
            #expect(overlaps.isEmpty, "\(what): \(overlaps.count) overlapping labels, e.g. \(overlaps.prefix(3))")
            let canvas = SVGText.canvas(svg)
            for label in labels where label.minX < 0 || label.minY < 0 || label.maxX > canvas.width || label.maxY > canvas.height {
                Issue.record("\(what): '\(label.text)' leaves the \(canvas.width)×\(canvas.height) canvas")
            }
        }
    }

    @Test(arguments: names)
    func defaultScenariosAreAtMostEightThousandPixelsTall(name: String) {
        let canvas = SVGText.canvas(SVGLadderRenderer(trace: Traces.of(name)).render())
        #expect(canvas.height <= 8_000, "\(name): \(canvas.height) px tall")
    }

    @Test func aLossyBulkTransferStaysWithinTheLimitToo() {
        let trace = Traces.of("bulk-transfer", overrides: ScenarioOverrides(lossPPM: 50_000))
        let svg = SVGLadderRenderer(trace: trace).render()
        #expect(SVGText.canvas(svg).height <= 8_000)
        #expect(SVGText.overlaps(SVGText.labels(svg)).isEmpty)
    }

    @Test func crossingFINsInASimultaneousCloseKeepTheirLabelsApart() {
        let svg = SVGLadderRenderer(trace: Traces.of("simultaneous-close")).render()
        let fins = SVGText.labels(svg).filter { $0.text.hasPrefix("FIN,ACK") }
        #expect(fins.count == 2)
        #expect(fins.count == 2 && !fins[0].overlaps(fins[1]))
    }

    @Test func synsRefusedByAFullBacklogAreDrawnAsDropped() {
        let trace = Traces.of("many-clients")
        let model = LadderModel(trace: trace)
        let refused = model.flights.filter { $0.drop?.reason == .listenBacklogFull }
        #expect(refused.count >= 1)
        #expect(refused.allSatisfy { $0.arrivals.isEmpty && $0.drop?.onLink == false })
        let svg = SVGLadderRenderer(trace: trace).render()
        #expect(svg.contains(">listen backlog full</text>"))
        #expect(LadderRenderer(trace: trace, options: DiagramOptions(width: 160)).render().contains("✗"))
    }

    @Test(.enabled(if: rsvgConvertAvailable, "needs rsvg-convert (Debian package librsvg2-bin)"), arguments: names)
    func rsvgConvertRendersEveryFigure(name: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-svg-\(getpid())-\(name)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (i, (what, svg)) in Self.svgs(name).enumerated() {
            let input = directory.appendingPathComponent("\(i).svg"), output = directory.appendingPathComponent("\(i).png")
            try svg.write(to: input, atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["rsvg-convert", input.path, "-o", output.path]
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(what): rsvg-convert failed")
            let png = try Data(contentsOf: output)
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(what): not a PNG")
        }
    }
}
