import Tracing

/// How a diagram is drawn.
public struct DiagramOptions: Hashable, Sendable {
    /// Plain ASCII instead of Unicode box drawing (terminal renderers only).
    public var ascii: Bool
    /// ANSI colour; the command line turns it on only for a terminal without NO_COLOR.
    public var colors: Bool
    /// How sequence numbers are written: relative to each side's ISN, absolute, or as x and y.
    public var sequence: SequenceDisplay
    /// Columns the terminal ladder may use: its lifelines are spaced to fill them, down to a
    /// minimum spacing past which the ladder is wider (and a viewer scrolls it).
    public var width: Int
    /// The closest two lifelines may come before the ladder grows wider than `width`.
    public var minimumSpacing: Int = LadderRenderer.minimumSpacing

    /// Raw sequence numbers instead of numbers relative to each side's initial sequence number.
    public var absolute: Bool {
        get { sequence == .absolute }
        set { sequence = newValue ? .absolute : .relative }
    }

    public init(ascii: Bool = false, colors: Bool = false, absolute: Bool = false, width: Int = 80,
                sequence: SequenceDisplay? = nil) {
        self.ascii = ascii
        self.colors = colors
        self.sequence = sequence ?? (absolute ? .absolute : .relative)
        self.width = width
    }
}

/// The terminal ladder (sequence) diagram: a lifeline per endpoint, one line per thing that
/// happens, time in milliseconds in the left margin.
///
/// A packet is drawn once, as an arrow on the line where it is sent, labelled `SYN,ACK seq=0
/// ack=1` or, when it carries data, `1460 bytes seq=1 ack=1`; its arrival shows in what the
/// receiver does next (a state written beside its lifeline, an answer). Only the second copy of a
/// duplicated packet gets a line of its own. A packet a link loses stops two thirds of the way
/// with `✗ reason`; one the receiving host refuses (a full listen backlog) reaches its lifeline
/// as `✗ reason`. While a timer that matters runs (an RTO that will fire, TIME-WAIT's 2MSL,
/// keepalive) the lifeline is drawn heavy (`┃`, `#` in ASCII). Quiet gaps of half a second or
/// more are cut and labelled with the time that passed.
///
/// Lifelines are spaced to fill `options.width`, but never closer than `minimumSpacing`: a ladder
/// with many lifelines is then wider, and a viewer shows a window of it with
/// `render(upTo:highlight:scroll:width:)`, keeping the time margin.
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
    /// Columns of the whole ladder (at least `options.width` when it has two lifelines).
    public let width: Int
    /// The rows drawn (indices into `model.rows`): every row but first arrivals.
    private let drawn: [Int]
    /// Per model row: the drawn row that shows it (an arrival shows on its packet's send row).
    private let drawnOfRow: [Int]
    /// Per drawn row: the lifelines with a timer bar, as a bit mask.
    private let barMasks: [UInt64]
    /// Per drawn row: the output line it is drawn on (header and gap lines come before).
    private let lineOfRow: [Int]
    /// Per drawn row: the gap line drawn before it, if any: its text.
    private let gapBefore: [String?]
    public static let headerLineCount = 2
    static let gapThreshold: Int64 = 500_000_000
    /// The closest two lifelines come: room for a state name beside one and a short label.
    public static let minimumSpacing = 16
    /// Columns kept right of the last lifeline for its state names.
    static let stateWidth = 13

    public init(trace: Trace, options: DiagramOptions = DiagramOptions()) {
        self.init(model: LadderModel(trace: trace, sequence: options.sequence), options: options)
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
        let last = max(options.width - 1 - Self.stateWidth, prefix + options.minimumSpacing)
        let spacing = n == 1 ? 0 : max(options.minimumSpacing, (last - prefix) / (n - 1))
        xs = (0..<n).map { prefix + $0 * spacing }
        width = max(options.width, xs.last! + 1 + Self.stateWidth)
        // Rows drawn: a first arrival is shown by its packet's arrow.
        var drawn: [Int] = []
        var drawnOfRow = Array(repeating: 0, count: model.rows.count)
        var sendDrawn = Array(repeating: 0, count: model.flights.count)
        for (r, row) in model.rows.enumerated() {
            switch row.content {
            case .arrival(let f, false):
                drawnOfRow[r] = sendDrawn[f]
                continue
            case .send(let f):
                sendDrawn[f] = drawn.count
            case .arrival, .hostDrop, .state, .timerFired:
                break
            }
            drawnOfRow[r] = drawn.count
            drawn.append(r)
        }
        self.drawn = drawn
        self.drawnOfRow = drawnOfRow
        // Timer bars: a sweep over drawn rows by event index.
        var masks = Array(repeating: UInt64(0), count: drawn.count)
        for span in model.timers where span.lifeline < 64 {
            let from = span.setIndex
            let to = span.endIndex ?? Int.max
            let bit = UInt64(1) << UInt64(span.lifeline)
            var lo = 0, hi = drawn.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if model.rows[drawn[mid]].eventIndex < from { lo = mid + 1 } else { hi = mid }
            }
            var d = lo
            while d < drawn.count, model.rows[drawn[d]].eventIndex <= to {
                masks[d] |= bit
                d += 1
            }
        }
        barMasks = masks
        var lines: [Int] = []
        var gaps: [String?] = []
        var line = Self.headerLineCount
        var previous: Int64 = 0
        for (d, r) in drawn.enumerated() {
            let time = model.rows[r].time
            let elapsed = time - previous
            if d > 0, elapsed >= Self.gapThreshold {
                gaps.append(Self.duration(elapsed))
                line += 1
            } else {
                gaps.append(nil)
            }
            lines.append(line)
            line += 1
            previous = time
        }
        lineOfRow = lines
        gapBefore = gaps
    }

    /// The column of each lifeline in the whole ladder.
    public var lifelineColumns: [Int] { xs }

    /// Columns of the time margin, kept in place when the ladder scrolls sideways.
    public var marginWidth: Int { 1 + timeWidth + 2 }

    /// The output line (an index into `render()`'s lines) that shows trace event `index`, if any.
    public func line(ofEvent index: Int) -> Int? {
        guard let d = drawnRow(ofEvent: index) else { return nil }
        return lineOfRow[d]
    }

    private func drawnRow(ofEvent index: Int) -> Int? {
        guard index >= 0, index < model.rowOfEvent.count, let row = model.rowOfEvent[index] else { return nil }
        return drawnOfRow[row]
    }

    /// The lifelines trace event `index` involves: a packet's sender and receiver, the lifeline
    /// of a state change or a timer. Empty for events the ladder does not show.
    public func lifelines(ofEvent index: Int) -> [Int] {
        guard index >= 0, index < model.rowOfEvent.count, let row = model.rowOfEvent[index] else { return [] }
        switch model.rows[row].content {
        case .send(let f), .arrival(let f, _), .hostDrop(let f):
            let flight = model.flights[f]
            return flight.from == flight.to ? [flight.from] : [min(flight.from, flight.to), max(flight.from, flight.to)]
        case .state(let s): return [model.states[s].lifeline]
        case .timerFired(let t): return [model.timers[t].lifeline]
        }
    }

    /// The sideways scroll (columns hidden right of the margin) that shows `lifelines` in a
    /// window `columns` wide: 0 when the whole ladder fits.
    public func scroll(showing lifelines: [Int], columns: Int) -> Int {
        let view = columns - marginWidth
        guard width > columns, view > 0, let low = lifelines.min(), let high = lifelines.max() else { return 0 }
        let left = xs[low] - marginWidth - 2
        let right = (high + 1 < xs.count ? xs[high] + 3 : xs[high] + 2 + Self.stateWidth) - marginWidth
        let maximum = width - marginWidth - view
        // Centre the pair when it fits; otherwise start at the left one.
        let wanted = right - left <= view ? (left + right - view) / 2 : left
        return max(0, min(maximum, wanted))
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
    /// nil), with the row of event `highlight` marked in the margin (and in reverse video when
    /// coloured). With `columns`, each line is a window that wide: the time margin, then the
    /// ladder from `scroll` columns past it.
    public func render(upTo eventIndex: Int?, highlight: Int?, scroll: Int = 0, columns: Int? = nil) -> [String] {
        let window = columns.map { (scroll, max(0, $0 - marginWidth)) }
        var lines = header(window)
        let highlightRow = highlight.flatMap { drawnRow(ofEvent: $0) }
        let lastRow = eventIndex.map { lastDrawnRow(atOrBefore: $0) }
        lines.reserveCapacity(lines.count + drawn.count + 8)
        for (d, r) in drawn.enumerated() {
            if let lastRow, d > lastRow { break }
            if let gap = gapBefore[d] { lines.append(gapLine(gap, mask: barMasks[d]).output(window, colors: options.colors, margin: marginWidth)) }
            let row = model.rows[r]
            let showsTime = d == 0 || model.rows[drawn[d - 1]].time != row.time || gapBefore[d] != nil
            let highlighted = d == highlightRow
            lines.append(rowLine(d, showsTime: showsTime, highlighted: highlighted)
                .output(window, colors: options.colors, margin: marginWidth, highlight: highlighted))
        }
        return lines
    }

    /// The last drawn row showing an event at or before `index`, or -1.
    private func lastDrawnRow(atOrBefore index: Int) -> Int {
        var lo = 0, hi = drawn.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if model.rows[drawn[mid]].eventIndex <= index { lo = mid + 1 } else { hi = mid }
        }
        return lo - 1
    }

    // MARK: Lines

    private func header(_ window: (Int, Int)?) -> [String] {
        let h = model.trace.header
        var title = h.scenario
        if h.profile != PcapTraceReader.profile { title += (options.ascii ? " - " : " — ") + "seed \(h.seed), profile \(h.profile)" }
        var names = TextCanvas(width: width)
        names.ellipsis = glyphs.ellipsis
        names.write(String(repeating: " ", count: timeWidth - 2) + "ms", at: 1, .dim)
        // A name starts at its lifeline, or further left where the last one would run off the edge;
        // each is cut a column short of where the next one starts.
        let starts = model.lifelines.enumerated().map { l, lifeline in
            max(min(xs[l], width - lifeline.name.unicodeScalars.count), 0)
        }
        for (l, lifeline) in model.lifelines.enumerated() {
            let end = l + 1 < starts.count ? max(min(xs[l + 1], starts[l + 1]) - 1, starts[l] + 1) : nil
            names.write(lifeline.name, at: starts[l], limit: end, .label)
        }
        var titleCanvas = TextCanvas(width: width)
        titleCanvas.ellipsis = glyphs.ellipsis
        titleCanvas.write(title, at: 1, .label)
        // The title stays put when the ladder scrolls.
        let titleWindow = window.map { (0, $0.1) }
        return [titleCanvas.output(titleWindow, colors: options.colors, margin: marginWidth),
                names.output(window, colors: options.colors, margin: marginWidth)]
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

    private func gapLine(_ text: String, mask: UInt64) -> TextCanvas {
        var canvas = baseCanvas(mask: mask, gap: true)
        let label = "\(glyphs.dots) \(text) later \(glyphs.dots)"
        let mid = xs.count > 1 ? (xs[0] + xs[1]) / 2 : xs[0] + 10
        canvas.write(label, at: max(xs[0] + 2, mid - label.unicodeScalars.count / 2), .dim)
        return canvas
    }

    private func rowLine(_ d: Int, showsTime: Bool, highlighted: Bool) -> TextCanvas {
        let row = model.rows[drawn[d]]
        var canvas = baseCanvas(mask: barMasks[d])
        if highlighted { canvas.put(glyphs.marker, at: 0, .marker) }
        if showsTime {
            let time = LadderModel.milliseconds(row.time)
            canvas.write(time, at: 1 + timeWidth - time.count, .dim)
        }
        switch row.content {
        case .send(let f), .hostDrop(let f):
            drawSend(model.flights[f], on: &canvas)
        case .arrival(let f, _):
            drawDuplicate(model.flights[f], on: &canvas)
        case .state(let s):
            let mark = model.states[s]
            var text = mark.state.rawValue
            if let peer = mark.peer { text += " (\(peer))" }
            canvas.write(text, at: xs[mark.lifeline] + 2, limit: nextLifeline(after: mark.lifeline), .state)
        case .timerFired(let t):
            let span = model.timers[t]
            canvas.write(Self.timerText(span.timer), at: xs[span.lifeline] + 2, limit: nextLifeline(after: span.lifeline), .timer)
        }
        return canvas
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
        var labelLow = low, labelHigh = high
        if let drop = flight.drop {
            canvas.put(glyphs.cross, at: stop, .lost)
            let reason = "\(drop.reason)"
            let count = reason.unicodeScalars.count
            if lostOnLink {
                // The reason goes in the part of the line the packet never reached.
                if right { canvas.write(reason, at: stop + 2, limit: b, .lost) } else {
                    canvas.write(reason, at: max(b + 1, stop - 1 - count), limit: stop - 1, .lost)
                }
            } else if right {
                // Refused by the receiver: the reason sits just before it, on the arrow.
                let at = max(a + 2, stop - 1 - count)
                canvas.write(reason, at: at, limit: stop - 1, .lost)
                labelHigh = at - 1
            } else {
                canvas.write(reason, at: stop + 2, limit: min(a, stop + 2 + count), .lost)
                labelLow = min(a - 1, stop + 2 + count)
            }
        } else {
            canvas.put(right ? glyphs.headRight : glyphs.headLeft, at: stop, style)
        }
        // The label sits on the arrow, one space clear of the line on each side.
        let room = labelHigh - labelLow - 5
        guard room > 3 else { return }
        let label = " \(flight.label) "
        let count = min(label.unicodeScalars.count, room)
        let start = labelLow + 2 + (room - count) / 2
        canvas.write(label, at: start, limit: start + count, style == .plain ? .label : style)
    }

    /// The second copy of a duplicated packet: a short dim arrow into the receiver.
    private func drawDuplicate(_ flight: LadderModel.Flight, on canvas: inout TextCanvas) {
        let a = xs[flight.from], b = xs[flight.to]
        guard a != b else { return }
        let text = Self.arrivalLabel(flight) + " (duplicate)"
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
        flight.label
    }

    static func timerText(_ timer: TCPTimer) -> String {
        switch timer {
        case .retransmission: "RTO fired"
        case .timeWait: "2MSL timer fired"
        case .keepalive: "keepalive timer fired"
        case .persist: "persist timer fired"
        case .delayedACK: "delayed-ACK timer fired"
        case .lossProbe: "loss-probe timer fired"
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
