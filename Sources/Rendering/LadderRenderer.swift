import Tracing

/// How a diagram is drawn.
public struct DiagramOptions: Hashable, Sendable {
    /// Plain ASCII instead of Unicode box drawing (terminal renderers only).
    public var ascii: Bool
    /// ANSI colour; the command line turns it on only for a terminal without NO_COLOR.
    public var colors: Bool
    /// Raw sequence numbers instead of numbers relative to each side's initial sequence number.
    public var absolute: Bool
    /// Width of the terminal ladder when it has two lifelines; more lifelines make it wider.
    public var width: Int

    public init(ascii: Bool = false, colors: Bool = false, absolute: Bool = false, width: Int = 80) {
        self.ascii = ascii
        self.colors = colors
        self.absolute = absolute
        self.width = width
    }
}

/// The terminal ladder (sequence) diagram: a lifeline per endpoint, one line per thing that
/// happens, time in milliseconds in the left margin.
///
/// A packet is drawn as a full arrow on the line where it is sent, labelled `SYN,ACK seq=0 ack=1`;
/// where it arrives, a short `SYN,ACK ─▶│` stub marks the receiver. A packet a link loses stops
/// two thirds of the way with `✗ reason`. The receiving end's new TCP state is written beside its
/// lifeline. While a timer that matters runs (an RTO that will fire, TIME-WAIT's 2MSL, keepalive)
/// the lifeline is drawn heavy (`┃`, `#` in ASCII). Quiet gaps of half a second or more are cut
/// and labelled with the time that passed.
///
/// A lesson stepper draws the ladder so far with `render(upTo:highlight:)` and finds the line of
/// an event with `line(ofEvent:)`.
public struct LadderRenderer: Sendable {
    public let model: LadderModel
    public let options: DiagramOptions

    private struct Glyphs {
        var line, bar, gap, horizontal, leftTee, rightTee, headRight, headLeft, cross, marker: Unicode.Scalar
        var dots: String
        var ellipsis: Unicode.Scalar
    }

    private let glyphs: Glyphs
    private let timeWidth: Int
    private let xs: [Int]
    private let width: Int
    /// Per row: the lifelines with a timer bar, as a bit mask.
    private let barMasks: [UInt64]
    /// Per row: the output line it is drawn on (header and gap lines come before).
    private let lineOfRow: [Int]
    /// Per row: the gap line drawn before it, if any: its text.
    private let gapBefore: [String?]
    public static let headerLineCount = 2
    static let gapThreshold: Int64 = 500_000_000

    public init(trace: Trace, options: DiagramOptions = DiagramOptions()) {
        self.init(model: LadderModel(trace: trace, absolute: options.absolute), options: options)
    }

    public init(model: LadderModel, options: DiagramOptions) {
        self.model = model
        self.options = options
        glyphs = options.ascii
            ? Glyphs(line: "|", bar: "#", gap: ":", horizontal: "-", leftTee: "+", rightTee: "+", headRight: ">",
                     headLeft: "<", cross: "X", marker: ">", dots: ". . .", ellipsis: "~")
            : Glyphs(line: "│", bar: "┃", gap: "┊", horizontal: "─", leftTee: "├", rightTee: "┤", headRight: "▶",
                     headLeft: "◀", cross: "✗", marker: "▶", dots: "⋯", ellipsis: "…")
        timeWidth = max(2, model.rows.map { LadderModel.milliseconds($0.time).count }.max() ?? 1)
        let prefix = 1 + timeWidth + 2
        let n = max(model.lifelines.count, 1)
        let stateWidth = 13
        var positions: [Int] = []
        if n <= 2 {
            let last = max(prefix + 30, options.width - 1 - stateWidth)
            positions = n == 1 ? [prefix] : [prefix, last]
            width = max(options.width, last + 1 + stateWidth)
        } else {
            let longest = model.states.map { $0.state.rawValue.count + ($0.peer.map { $0.count + 3 } ?? 0) }.max() ?? 12
            let gap = max(36, longest + 4)
            positions = (0..<n).map { prefix + $0 * gap }
            width = positions.last! + 2 + longest + 1
        }
        xs = positions
        // Timer bars: a sweep over rows by event index.
        var masks = Array(repeating: UInt64(0), count: model.rows.count)
        for span in model.timers where span.lifeline < 64 {
            let from = span.setIndex
            let to = span.endIndex ?? Int.max
            let bit = UInt64(1) << UInt64(span.lifeline)
            // Rows are in event order: find the first row at or after `from` by binary search.
            var lo = 0, hi = model.rows.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if model.rows[mid].eventIndex < from { lo = mid + 1 } else { hi = mid }
            }
            var r = lo
            while r < model.rows.count, model.rows[r].eventIndex <= to {
                masks[r] |= bit
                r += 1
            }
        }
        barMasks = masks
        var lines: [Int] = []
        var gaps: [String?] = []
        var line = Self.headerLineCount
        var previous: Int64 = 0
        for (r, row) in model.rows.enumerated() {
            let elapsed = row.time - previous
            if r > 0, elapsed >= Self.gapThreshold {
                gaps.append(Self.duration(elapsed))
                line += 1
            } else {
                gaps.append(nil)
            }
            lines.append(line)
            line += 1
            previous = row.time
        }
        lineOfRow = lines
        gapBefore = gaps
    }

    /// The output line (an index into `render()`'s lines) that shows trace event `index`, if any.
    public func line(ofEvent index: Int) -> Int? {
        guard index >= 0, index < model.rowOfEvent.count, let row = model.rowOfEvent[index] else { return nil }
        return lineOfRow[row]
    }

    /// The whole ladder as one string, lines ending in newlines.
    public func render() -> String {
        let lines = render(upTo: nil, highlight: nil)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(lines.reduce(0) { $0 + $1.utf8.count + 1 })
        for line in lines {
            bytes += line.utf8
            bytes.append(10)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The ladder's lines: header, then the rows of events up to and including `upTo` (all when
    /// nil), with the row of event `highlight` marked in the margin (and in reverse video when coloured).
    public func render(upTo eventIndex: Int?, highlight: Int?) -> [String] {
        var lines = header()
        let highlightRow = highlight.flatMap { $0 >= 0 && $0 < model.rowOfEvent.count ? model.rowOfEvent[$0] : nil }
        lines.reserveCapacity(lines.count + model.rows.count + 8)
        for (r, row) in model.rows.enumerated() {
            if let eventIndex, row.eventIndex > eventIndex { break }
            if let gap = gapBefore[r] { lines.append(gapLine(gap, mask: barMasks[r])) }
            let showsTime = r == 0 || model.rows[r - 1].time != row.time || gapBefore[r] != nil
            lines.append(rowLine(r, showsTime: showsTime, highlighted: r == highlightRow))
        }
        return lines
    }

    // MARK: Lines

    private func header() -> [String] {
        let h = model.trace.header
        var title = h.scenario
        if h.profile != PcapTraceReader.profile { title += (options.ascii ? " - " : " — ") + "seed \(h.seed), profile \(h.profile)" }
        var names = TextCanvas(width: width)
        names.ellipsis = glyphs.ellipsis
        names.write(String(repeating: " ", count: timeWidth - 2) + "ms", at: 1, .dim)
        for (l, lifeline) in model.lifelines.enumerated() {
            let start = min(xs[l], width - lifeline.name.unicodeScalars.count)
            names.write(lifeline.name, at: max(start, 0), .label)
        }
        var titleCanvas = TextCanvas(width: width)
        titleCanvas.ellipsis = glyphs.ellipsis
        titleCanvas.write(title, at: 1, .label)
        return [titleCanvas.text(colors: options.colors), names.text(colors: options.colors)]
    }

    private func baseCanvas(mask: UInt64, gap: Bool = false) -> TextCanvas {
        var canvas = TextCanvas(width: width)
        canvas.ellipsis = glyphs.ellipsis
        for (l, x) in xs.enumerated() {
            let hasBar = l < 64 && mask & (UInt64(1) << UInt64(l)) != 0
            canvas.put(hasBar ? glyphs.bar : gap ? glyphs.gap : glyphs.line, at: x, hasBar ? .timer : .dim)
        }
        return canvas
    }

    private func gapLine(_ text: String, mask: UInt64) -> String {
        var canvas = baseCanvas(mask: mask, gap: true)
        let label = "\(glyphs.dots) \(text) later \(glyphs.dots)"
        let mid = xs.count > 1 ? (xs[0] + xs[xs.count - 1]) / 2 : xs[0] + 10
        canvas.write(label, at: max(xs[0] + 2, mid - label.unicodeScalars.count / 2), .dim)
        return canvas.text(colors: options.colors)
    }

    private func rowLine(_ r: Int, showsTime: Bool, highlighted: Bool) -> String {
        let row = model.rows[r]
        var canvas = baseCanvas(mask: barMasks[r])
        if highlighted { canvas.put(glyphs.marker, at: 0, .marker) }
        if showsTime {
            let time = LadderModel.milliseconds(row.time)
            canvas.write(time, at: 1 + timeWidth - time.count, .dim)
        }
        switch row.content {
        case .send(let f):
            drawSend(model.flights[f], on: &canvas)
        case .arrival(let f, let duplicate):
            drawArrival(model.flights[f], duplicate: duplicate, on: &canvas)
        case .hostDrop(let f):
            let flight = model.flights[f]
            let x = xs[flight.to]
            let text = "\(flight.shortLabel) dropped: \(flight.drop.map { "\($0.reason)" } ?? "")"
            if xs[flight.from] < x {
                canvas.put(glyphs.cross, at: x - 1, .lost)
                let count = text.unicodeScalars.count
                canvas.write(text, at: max(xs[flight.from] + 1, x - 2 - count), limit: x - 2, .lost)
            } else {
                canvas.put(glyphs.cross, at: x + 1, .lost)
                canvas.write(text, at: x + 3, limit: xs[flight.from], .lost)
            }
        case .state(let s):
            let mark = model.states[s]
            var text = mark.state.rawValue
            if let peer = mark.peer { text += " (\(peer))" }
            canvas.write(text, at: xs[mark.lifeline] + 2, limit: nextLifeline(after: mark.lifeline), .state)
        case .timerFired(let t):
            let span = model.timers[t]
            canvas.write(Self.timerText(span.timer), at: xs[span.lifeline] + 2, limit: nextLifeline(after: span.lifeline), .timer)
        }
        return canvas.text(colors: options.colors, highlight: highlighted)
    }

    private func nextLifeline(after l: Int) -> Int {
        l + 1 < xs.count ? xs[l + 1] - 1 : width
    }

    private func drawSend(_ flight: LadderModel.Flight, on canvas: inout TextCanvas) {
        let a = xs[flight.from], b = xs[flight.to]
        guard a != b else {
            canvas.write("\(flight.label) (to itself)", at: a + 2, limit: nextLifeline(after: flight.from))
            return
        }
        let right = a < b
        let style: TextCanvas.Style = flight.isLost ? .lost : flight.isRetransmission ? .retransmission : .plain
        let lostOnLink = flight.drop?.onLink == true
        // The arrow runs from just past the sender's lifeline to just before the receiver's, or
        // to two thirds of the way when a link loses the packet.
        let span = abs(b - a)
        let stop = lostOnLink ? (right ? a + span * 2 / 3 : a - span * 2 / 3) : (right ? b - 1 : b + 1)
        let low = min(a, stop), high = max(a, stop)
        canvas.put(right ? glyphs.leftTee : glyphs.rightTee, at: a, style)
        for x in (low + 1)..<high { canvas.put(glyphs.horizontal, at: x, style) }
        if lostOnLink {
            canvas.put(glyphs.cross, at: stop, .lost)
            let reason = flight.drop.map { "\($0.reason)" } ?? "lost"
            if right {
                canvas.write(reason, at: stop + 2, limit: b, .lost)
            } else {
                let count = reason.unicodeScalars.count
                canvas.write(reason, at: max(b + 1, stop - 1 - count), limit: stop - 1, .lost)
            }
        } else {
            canvas.put(right ? glyphs.headRight : glyphs.headLeft, at: stop, style)
        }
        // The label sits on the arrow, one space clear of the line on each side.
        let room = high - low - 5
        guard room > 3 else { return }
        let label = " \(flight.label) "
        let count = min(label.unicodeScalars.count, room)
        let start = low + 2 + (room - count) / 2
        canvas.write(label, at: start, limit: start + count, style == .plain ? .label : style)
    }

    private func drawArrival(_ flight: LadderModel.Flight, duplicate: Bool, on canvas: inout TextCanvas) {
        let a = xs[flight.from], b = xs[flight.to]
        guard a != b else { return }
        var text = Self.arrivalLabel(flight)
        if duplicate { text += " (duplicate)" }
        if a < b {
            canvas.put(glyphs.horizontal, at: b - 2, .dim)
            canvas.put(glyphs.headRight, at: b - 1, .dim)
            let count = text.unicodeScalars.count
            canvas.write(text, at: max(a + 2, b - 3 - count), limit: b - 3, .dim)
        } else {
            canvas.put(glyphs.headLeft, at: b + 1, .dim)
            canvas.put(glyphs.horizontal, at: b + 2, .dim)
            canvas.write(text, at: b + 4, limit: a - 1, .dim)
        }
    }

    /// What an arrival stub says: enough to tell which packet it is.
    static func arrivalLabel(_ flight: LadderModel.Flight) -> String {
        guard let tcp = flight.tcp else { return flight.shortLabel }
        if tcp.length > 0 { return "\(flight.shortLabel) seq=\(tcp.sequence)" }
        if tcp.flags == .ack { return "ACK ack=\(tcp.acknowledgment)" }
        return flight.shortLabel
    }

    static func timerText(_ timer: TCPTimer) -> String {
        switch timer {
        case .retransmission: "RTO fired"
        case .timeWait: "2MSL timer fired"
        case .keepalive: "keepalive timer fired"
        case .persist: "persist timer fired"
        case .delayedACK: "delayed-ACK timer fired"
        }
    }

    /// `1 s`, `59.99 s`, `500 ms`.
    static func duration(_ nanoseconds: Int64) -> String {
        if nanoseconds < 1_000_000_000 { return "\(LadderModel.milliseconds(nanoseconds)) ms" }
        let centis = nanoseconds / 10_000_000
        let whole = centis / 100, fraction = centis % 100
        if fraction == 0 { return "\(whole) s" }
        var f = fraction < 10 ? "0\(fraction)" : "\(fraction)"
        if f.hasSuffix("0") { f.removeLast() }
        return "\(whole).\(f) s"
    }
}
