import Tracing

/// The ladder as a standalone SVG for slides.
///
/// Rows are the terminal ladder's rows, laid out top to bottom with time: the distance between
/// two rows grows with the time between them (a one-way transit is about 90 px), at least 20 px
/// so simultaneous events stay apart, and a quiet gap of half a second or more is cut and
/// labelled. So arrows slant in proportion to their transit time. Each packet is one
/// `<path class="segment …">`; a lost one stops midway at a ✗ with the reason. Coloured bands
/// along each lifeline show its TCP state; timer bars (RTO, 2MSL, keepalive) run beside them.
public struct SVGLadderRenderer: Sendable {
    public let model: LadderModel
    public let options: DiagramOptions
    /// When set, every drawn element that shows an event carries `data-event="N"` (the trace
    /// index of the event it shows: a packet's send, a state change, a timer's start), and state
    /// bands and timer bars that end at a later event carry `data-end-event="N"`, so a page can
    /// show the ladder as it stood after any event and mark the current one.
    public var annotated = false

    /// The fonts every figure asks for: the system's own interface font, nothing downloaded.
    public static let fontStack = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
    /// The arrowheads, one per kind of segment (shared with the pages that draw ladders).
    public static let definitions = """
        <defs>
          <marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,1 L10,5 L0,9 z" fill="context-stroke"/>
          </marker>
          <marker id="head-control" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,1 L10,5 L0,9 z" fill="#1d4ed8"/></marker>
          <marker id="head-data" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,1 L10,5 L0,9 z" fill="#111827"/></marker>
          <marker id="head-ack" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,1 L10,5 L0,9 z" fill="#6b7280"/></marker>
          <marker id="head-rexmt" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,1 L10,5 L0,9 z" fill="#d97706"/></marker>
          <marker id="head-lost" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,1 L10,5 L0,9 z" fill="#dc2626"/></marker>
        </defs>
        """
    /// The classes every ladder is drawn with: segments by kind, labels, states, timers, legend.
    public static let stylesheet = """
          .segment { fill: none; stroke-width: 1.6; }
          .control { stroke: #1d4ed8; } .data { stroke: #111827; } .ack { stroke: #6b7280; }
          .rexmt { stroke: #d97706; } .lost { stroke: #dc2626; stroke-dasharray: 6 4; }
          .duplicate { fill: none; stroke: #9ca3af; stroke-width: 1.2; stroke-dasharray: 2 3; }
          .label { font-size: 12px; fill: #1f2937; paint-order: stroke; stroke: #ffffff; stroke-width: 4px; stroke-linejoin: round; }
          .label.control { fill: #1d4ed8; } .label.ack { fill: #4b5563; } .label.rexmt { fill: #b45309; } .label.lost { fill: #b91c1c; }
          .state { font-size: 12px; font-weight: 600; }
          .time { font-size: 11px; fill: #6b7280; font-variant-numeric: tabular-nums; }
          .grid { stroke: #f1f3f5; stroke-width: 1; }
          .lifeline { stroke: #9ca3af; stroke-width: 1.5; }
          .cross { font-size: 18px; font-weight: 700; fill: #dc2626; }
          .reason { font-size: 11px; font-style: italic; fill: #b91c1c; }
          .timer-label { font-size: 10px; font-weight: 600; }
          .legend { font-size: 12px; fill: #374151; }
          .summary { font-size: 12px; font-style: italic; fill: #4b5563; }

        """
    static let top = 150.0
    static let spacing = 440.0
    static let leftMargin = 210.0
    static let rightMargin = 170.0
    static let minimumStep = 20.0
    static let transitHeight = 90.0
    static let gapHeight = 48.0
    static let bandWidth = 14.0

    public init(trace: Trace, options: DiagramOptions = DiagramOptions()) {
        self.init(model: LadderModel(trace: trace, sequence: options.sequence), options: options)
    }

    public init(model: LadderModel, options: DiagramOptions = DiagramOptions()) {
        self.model = model
        self.options = options
    }

    /// Where rows are, and where the cut gaps and shortened runs are.
    struct Layout {
        var y: [Double]
        /// (y of the cut's middle, time skipped, the event of the first row after it).
        var gaps: [(Double, Int64, Int)]
        /// (y of the band's middle, what it stands for, the first event left out): runs of
        /// look-alike segments left out.
        var summaries: [(Double, String, Int)]
        /// Rows not drawn (inside a shortened run).
        var hidden: [Bool]
        var bottom: Double
        var halfTransit: Double
    }

    /// Flights kept at each end of a shortened run.
    static let runEnds = 3
    /// Runs of more flights than this are shortened.
    static let longestRun = 12
    static let summaryHeight = 44.0

    /// Per flight, whether it is drawn: in a long run of plain data segments and ACKs (nothing
    /// lost, retransmitted or changing state in between), only the first and last few are.
    func visibleFlights() -> (visible: [Bool], runs: [(first: Int, last: Int, flights: Int, bytes: Int, time: Int64)]) {
        var visible = Array(repeating: true, count: model.flights.count)
        var runs: [(Int, Int, Int, Int, Int64)] = []
        var run: [Int] = []
        func plain(_ flight: LadderModel.Flight) -> Bool {
            guard let tcp = flight.tcp, !flight.isLost, !flight.isRetransmission else { return false }
            return tcp.flags.intersection([.syn, .fin, .rst]).isEmpty
        }
        func close() {
            defer { run = [] }
            guard run.count > Self.longestRun else { return }
            let middle = run[Self.runEnds..<(run.count - Self.runEnds)]
            for f in middle { visible[f] = false }
            let bytes = middle.reduce(0) { $0 + (model.flights[$1].tcp?.length ?? 0) }
            let time = model.flights[middle.last!].sendTime - model.flights[middle.first!].sendTime
            runs.append((middle.first!, middle.last!, middle.count, bytes, time))
        }
        for row in model.rows {
            switch row.content {
            case .send(let f):
                if plain(model.flights[f]) { run.append(f) } else { close() }
            case .arrival, .hostDrop: continue
            case .state, .timerFired: close()
            }
        }
        close()
        return (visible, runs)
    }

    /// The tallest figure drawn: past it, every vertical distance shrinks in proportion (labels
    /// that no longer find room are left out), so long runs still render everywhere.
    static let maximumHeight = 8_000.0

    func layout() -> Layout {
        let natural = layout(squeeze: 1)
        let room = Self.maximumHeight - 80 - Self.top - 40
        guard natural.bottom - Self.top - 40 > room else { return natural }
        return layout(squeeze: room / (natural.bottom - Self.top - 40))
    }

    func layout(squeeze: Double) -> Layout {
        let rows = model.rows
        // The typical one-way transit sets the scale.
        var transits: [Int64] = []
        for flight in model.flights.prefix(2_000) {
            if let arrival = flight.arrivals.first, arrival.time > flight.sendTime { transits.append(arrival.time - flight.sendTime) }
        }
        transits.sort()
        let typical = transits.isEmpty ? Int64(10_000_000) : transits[transits.count / 2]
        let scale = Self.transitHeight / Double(typical)
        let (visible, runs) = visibleFlights()
        var hidden = Array(repeating: false, count: rows.count)
        for (r, row) in rows.enumerated() {
            switch row.content {
            case .send(let f), .arrival(let f, _), .hostDrop(let f): hidden[r] = !visible[f]
            case .state, .timerFired: break
            }
        }
        var summaryOfFlight: [Int: String] = [:]
        for run in runs {
            let kb = run.bytes >= 10_000 ? "\(run.bytes / 1000) kB" : "\(run.bytes) bytes"
            summaryOfFlight[run.first] = "⋮ \(run.flights) more segments (data and ACKs: \(kb) of data in "
                + "\(LadderModel.milliseconds(run.time)) ms) ⋮"
        }
        var y: [Double] = []
        y.reserveCapacity(rows.count)
        var gaps: [(Double, Int64, Int)] = []
        var summaries: [(Double, String, Int)] = []
        var current = Self.top
        var previousTime = rows.first?.time ?? 0
        var started = false
        // Within one instant, a packet row shares the line of the rows before it unless it
        // touches a lifeline already touched the same way (two sends from one host, say).
        var touched: Set<Int> = []
        for (r, row) in rows.enumerated() {
            if hidden[r] {
                if case .send(let f) = row.content, let text = summaryOfFlight[f] {
                    current += Self.minimumStep * squeeze
                    summaries.append((current + Self.summaryHeight * squeeze / 2, text, row.eventIndex))
                    current += Self.summaryHeight * squeeze
                    touched = []
                    previousTime = row.time
                }
                y.append(current)
                continue
            }
            let touch = touchKey(row.content)
            if started {
                let elapsed = row.time - previousTime
                let scaled = Double(elapsed) * scale
                if elapsed >= LadderRenderer.gapThreshold && scaled > 3 * Self.transitHeight {
                    gaps.append((current + (Self.gapHeight / 2 + Self.minimumStep / 2) * squeeze, elapsed, row.eventIndex))
                    current += (Self.gapHeight + 2 * Self.minimumStep) * squeeze
                    touched = []
                } else if elapsed > 0 {
                    current += min(max(scaled, Self.minimumStep), 3 * Self.transitHeight) * squeeze
                    touched = []
                } else if let touch, touched.contains(touch) || (crossesInNoTime(row.content) && !touched.isEmpty) {
                    current += Self.minimumStep * squeeze
                    touched = []
                }
            }
            started = true
            previousTime = row.time
            if let touch { touched.insert(touch) }
            y.append(current)
        }
        return Layout(y: y, gaps: gaps, summaries: summaries, hidden: hidden, bottom: current + 40,
                      halfTransit: Self.transitHeight / 2 * squeeze)
    }

    /// Whether the row sends a packet that arrives the instant it leaves (a loopback link): its
    /// arrow is level, so it takes a line of its own rather than overlay another packet's.
    private func crossesInNoTime(_ content: LadderModel.RowContent) -> Bool {
        guard case .send(let f) = content else { return false }
        let flight = model.flights[f]
        return flight.arrivals.first.map { $0.time == flight.sendTime } ?? false
    }

    /// Which lifeline a row touches, how, and in which direction; nil for rows that draw no packet.
    private func touchKey(_ content: LadderModel.RowContent) -> Int? {
        switch content {
        case .send(let f):
            let flight = model.flights[f]
            return flight.from * 4 + (flight.to > flight.from ? 0 : 1)
        case .arrival(let f, _), .hostDrop(let f):
            let flight = model.flights[f]
            return flight.to * 4 + (flight.to > flight.from ? 2 : 3)
        case .state, .timerFired:
            return nil
        }
    }

    /// Columns of the lifelines: spaced evenly from a left margin wide enough for the first
    /// lifeline's state names, which are written to its left.
    func xs() -> [Double] {
        let widest = model.states.filter { $0.lifeline == 0 }.map { LabelPlacer.width(stateText($0), size: 12) }.max() ?? 0
        let left = max(Self.leftMargin, 110 + widest)
        return model.lifelines.indices.map { left + Double($0) * Self.spacing }
    }

    func x(_ lifeline: Int) -> Double { xs()[lifeline] }

    func stateText(_ mark: LadderModel.StateMark) -> String {
        mark.state.rawValue + (mark.peer.map { " · \($0)" } ?? "")
    }

    /// The SVG document.
    public func render() -> String {
        let layout = layout()
        let columns = xs()
        let n = max(model.lifelines.count, 1)
        let lastX = columns.last ?? Self.leftMargin
        let widestRight = model.states.filter { $0.lifeline == n - 1 }.map { LabelPlacer.width(stateText($0), size: 12) }.max() ?? 0
        let h = model.trace.header
        var subtitle = "\(model.flights.count) packets"
        if h.profile != PcapTraceReader.profile {
            let link = h.link.loopback ? "loopback link" : "RTT \(LadderModel.milliseconds(h.link.rtt)) ms"
            subtitle = "seed \(h.seed) · profile \(h.profile) · \(link) · " + subtitle
        }
        let titleWidth = max(LabelPlacer.width(h.scenario, size: 24), LabelPlacer.width(subtitle, size: 13)) + 80
        let width = max(lastX + max(Self.rightMargin, widestRight + 60), titleWidth, Self.legendWidth + 60)
        let legendTop = layout.bottom + 10
        let height = legendTop + 70
        var placer = LabelPlacer()
        var shapes = ""
        var texts = ""
        var out = ""
        out.reserveCapacity(600 + model.rows.count * 260)
        out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" "
        out += "viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"\(Self.fontStack)\">\n"
        out += Self.definitions + "\n<style>\n" + Self.stylesheet + "</style>\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        // Title.
        texts += "<text x=\"40\" y=\"44\" font-size=\"24\" font-weight=\"700\" fill=\"#111827\">\(xml(h.scenario))</text>\n"
        placer.reserve(LabelPlacer.box(h.scenario, x: 40, y: 44, size: 24, anchor: .start))
        texts += "<text x=\"40\" y=\"68\" font-size=\"13\" fill=\"#6b7280\">\(xml(subtitle))</text>\n"
        placer.reserve(LabelPlacer.box(subtitle, x: 40, y: 68, size: 13, anchor: .start))
        // Lifelines and their heads.
        for (l, lifeline) in model.lifelines.enumerated() {
            let lx = columns[l]
            shapes += "<line class=\"lifeline\" x1=\"\(f(lx))\" y1=\"136\" x2=\"\(f(lx))\" y2=\"\(f(layout.bottom))\"/>\n"
            let boxWidth = max(110.0, LabelPlacer.width(lifeline.name, size: 14) + 28)
            shapes += "<rect x=\"\(f(lx - boxWidth / 2))\" y=\"84\" width=\"\(f(boxWidth))\" height=\"30\" rx=\"6\" fill=\"#111827\"/>"
            texts += "<text x=\"\(f(lx))\" y=\"104\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"600\" fill=\"#ffffff\">\(xml(lifeline.name))</text>\n"
            placer.reserve(LabelPlacer.box(lifeline.name, x: lx, y: 104, size: 14, anchor: .middle))
            if lifeline.name != lifeline.address.description {
                texts += "<text x=\"\(f(lx))\" y=\"130\" text-anchor=\"middle\" font-size=\"10\" fill=\"#9ca3af\">\(lifeline.address)</text>\n"
                placer.reserve(LabelPlacer.box(lifeline.address.description, x: lx, y: 130, size: 10, anchor: .middle))
            }
        }
        // The time column: wide enough for the longest time or gap label (a long run's `20754.434 ms`).
        let timeTexts = model.rows.map { "\(LadderModel.milliseconds($0.time)) ms" }
            + layout.gaps.map { "+" + LadderRenderer.duration($0.1) }
        let timeRight = max(62, (timeTexts.map { LabelPlacer.width($0, size: 11) }.max() ?? 0) + 10)
        // Cut gaps and shortened runs.
        for (gy, elapsed, event) in layout.gaps {
            shapes += "<rect\(tag(event)) x=\"\(f(timeRight + 8))\" y=\"\(f(gy - 10))\" width=\"\(f(width - timeRight - 28))\" height=\"20\" fill=\"#ffffff\"/>"
            for lx in columns {
                shapes += "<path\(tag(event)) d=\"M\(f(lx - 9)),\(f(gy - 4)) l18,-6 M\(f(lx - 9)),\(f(gy + 6)) l18,-6\" stroke=\"#9ca3af\" stroke-width=\"1.5\"/>"
            }
            let text = "+" + LadderRenderer.duration(elapsed)
            texts += "<text\(tag(event)) x=\"\(f(timeRight))\" y=\"\(f(gy + 4))\" text-anchor=\"end\" font-size=\"11\" font-style=\"italic\" fill=\"#6b7280\">\(xml(text))</text>\n"
            placer.reserve(LabelPlacer.box(text, x: timeRight, y: gy + 4, size: 11, anchor: .end))
        }
        for (sy, text, event) in layout.summaries {
            let mid = ((columns.first ?? 0) + lastX) / 2
            shapes += "<rect\(tag(event)) x=\"70\" y=\"\(f(sy - 14))\" width=\"\(f(width - 90))\" height=\"28\" fill=\"#f9fafb\"/>"
            let spots = [mid, mid - 150, mid + 150, mid - 300, mid + 300]
            guard let k = placer.place(spots.map { LabelPlacer.box(text, x: $0, y: sy + 4, size: 12, anchor: .middle) }) else { continue }
            texts += "<text class=\"summary\"\(tag(event)) x=\"\(f(spots[k]))\" y=\"\(f(sy + 4))\" text-anchor=\"middle\">\(xml(text))</text>\n"
        }
        // Time labels where there is room.
        var lastLabelY = -100.0
        for (r, row) in model.rows.enumerated() where !layout.hidden[r] && (r == 0 || row.time != model.rows[r - 1].time) {
            let y = layout.y[r]
            guard y - lastLabelY >= 16 else { continue }
            let text = "\(LadderModel.milliseconds(row.time)) ms"
            let box = LabelPlacer.box(text, x: timeRight, y: y + 4, size: 11, anchor: .end)
            guard placer.isFree(box) else { continue }
            placer.reserve(box)
            lastLabelY = y
            shapes += "<line class=\"grid\"\(tag(row.eventIndex)) x1=\"\(f(timeRight + 8))\" y1=\"\(f(y))\" x2=\"\(f(width - 20))\" y2=\"\(f(y))\"/>"
            texts += "<text class=\"time\"\(tag(row.eventIndex)) x=\"\(f(timeRight))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(xml(text))</text>\n"
        }
        drawStateBands(&shapes, &texts, &placer, layout: layout, columns: columns)
        drawTimers(&shapes, &texts, &placer, layout: layout, columns: columns)
        drawFlights(&shapes, &texts, &placer, layout: layout, columns: columns)
        drawLegend(&shapes, &texts, top: legendTop, right: lastX + 120)
        out += shapes + texts
        out += "</svg>\n"
        return out
    }

    /// ` data-event="N"` (and ` data-end-event="M"`) when annotated, else nothing.
    private func tag(_ event: Int, until end: Int? = nil) -> String {
        guard annotated else { return "" }
        return " data-event=\"\(event)\"" + (end.map { " data-end-event=\"\($0)\"" } ?? "")
    }

    /// The y of every row of `model.rows`, as `render()` places them (a row left out of a
    /// shortened run sits where the run's summary is).
    public func rowPositions() -> [Double] {
        layout().y
    }

    // MARK: Parts

    /// The colours of a state's band and name (nil for CLOSED, which has no band).
    public static func stateColors(_ state: TCPState) -> (fill: String, stroke: String, text: String)? {
        switch state {
        case .closed: nil
        case .listen: ("#e5e7eb", "#9ca3af", "#4b5563")
        case .synSent, .synReceived: ("#dbeafe", "#60a5fa", "#1d4ed8")
        case .established: ("#dcfce7", "#4ade80", "#15803d")
        case .timeWait: ("#ede9fe", "#a78bfa", "#6d28d9")
        case .finWait1, .finWait2, .closeWait, .closing, .lastAck: ("#ffedd5", "#fb923c", "#c2410c")
        }
    }

    private func drawStateBands(_ shapes: inout String, _ texts: inout String, _ placer: inout LabelPlacer,
                                layout: Layout, columns: [Double]) {
        var lastOf: [Int] = Array(repeating: -1, count: model.lifelines.count)
        var nextMark: [Int] = Array(repeating: -1, count: model.states.count)
        for (s, mark) in model.states.enumerated().reversed() {
            nextMark[s] = lastOf[mark.lifeline]
            lastOf[mark.lifeline] = s
        }
        let rowOfState = rowIndexByState()
        for (s, mark) in model.states.enumerated() {
            guard let r = rowOfState[s] else { continue }
            let y0 = layout.y[r]
            let y1 = nextMark[s] >= 0 ? rowOfState[nextMark[s]].map { layout.y[$0] } ?? layout.bottom - 20 : layout.bottom - 20
            let lx = columns[mark.lifeline]
            if let colors = Self.stateColors(mark.state) {
                let end = nextMark[s] >= 0 ? model.states[nextMark[s]].index : nil
                shapes += "<rect class=\"band\"\(tag(mark.index, until: end)) x=\"\(f(lx - Self.bandWidth / 2))\" y=\"\(f(y0))\" width=\"\(f(Self.bandWidth))\" "
                shapes += "height=\"\(f(max(y1 - y0, 2)))\" rx=\"3\" fill=\"\(colors.fill)\" stroke=\"\(colors.stroke)\"/>"
            }
            let textColor = Self.stateColors(mark.state)?.text ?? "#374151"
            let leftSide = mark.lifeline == 0 && model.lifelines.count > 1
            let tx = leftSide ? lx - 30 : lx + 30
            let text = stateText(mark)
            // Beside the band, moved down past labels already there.
            let candidates = (0..<12).map { k in
                LabelPlacer.box(text, x: tx, y: y0 + 4 + Double(k) * 15, size: 12, anchor: leftSide ? .end : .start)
            }
            guard let k = placer.place(candidates) else { continue }
            texts += "<text class=\"state\"\(tag(mark.index)) x=\"\(f(tx))\" y=\"\(f(y0 + 4 + Double(k) * 15))\" text-anchor=\"\(leftSide ? "end" : "start")\" "
            texts += "fill=\"\(textColor)\">\(xml(text))</text>\n"
        }
    }

    private func rowIndexByState() -> [Int?] {
        var result: [Int?] = Array(repeating: nil, count: model.states.count)
        for (r, row) in model.rows.enumerated() { if case .state(let s) = row.content { result[s] = r } }
        return result
    }

    /// A timer bar's colour and its short name.
    public static func timerStyle(_ timer: TCPTimer) -> (color: String, label: String) {
        switch timer {
        case .retransmission: ("#f59e0b", "RTO")
        case .timeWait: ("#8b5cf6", "2MSL")
        case .keepalive: ("#0d9488", timer.rawValue)
        case .persist, .delayedACK: ("#64748b", timer.rawValue)
        case .lossProbe: ("#f59e0b", "PTO")
        }
    }

    private func y(ofEvent index: Int, layout: Layout, fallback: Double) -> Double {
        var lo = 0, hi = model.rows.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if model.rows[mid].eventIndex <= index { lo = mid + 1 } else { hi = mid }
        }
        // The last row at or before the event: a timer starts where what set it is drawn.
        return lo > 0 ? layout.y[lo - 1] : model.rows.isEmpty ? fallback : layout.y[0]
    }

    private func drawTimers(_ shapes: inout String, _ texts: inout String, _ placer: inout LabelPlacer,
                            layout: Layout, columns: [Double]) {
        for span in model.timers {
            let (color, label) = Self.timerStyle(span.timer)
            let lx = columns[span.lifeline]
            let leftSide = span.lifeline == 0 && model.lifelines.count > 1
            let bx = leftSide ? lx - 19 : lx + 13
            let y0 = y(ofEvent: span.setIndex, layout: layout, fallback: layout.bottom - 20)
            let y1 = span.endIndex.map { y(ofEvent: $0, layout: layout, fallback: layout.bottom - 20) } ?? layout.bottom - 20
            shapes += "<rect class=\"timer\"\(tag(span.setIndex, until: span.endIndex)) x=\"\(f(bx))\" y=\"\(f(y0))\" width=\"6\" height=\"\(f(max(y1 - y0, 3)))\" rx=\"2\" fill=\"\(color)\" opacity=\"0.85\"/>"
            let text = label + (span.fired ? " fired" : "")
            let tx = leftSide ? bx - 4 : bx + 10
            let base = span.fired ? y1 + 3 : y0 + 15
            let candidates = [0.0, 13, -13, 26, -26].map {
                LabelPlacer.box(text, x: tx, y: base + $0, size: 10, anchor: leftSide ? .end : .start)
            }
            guard let k = placer.place(candidates) else { continue }
            let ty = base + [0.0, 13, -13, 26, -26][k]
            texts += "<text class=\"timer-label\"\(tag(span.fired ? span.endIndex ?? span.setIndex : span.setIndex)) x=\"\(f(tx))\" y=\"\(f(ty))\" text-anchor=\"\(leftSide ? "end" : "start")\" fill=\"\(color)\">\(xml(text))</text>\n"
        }
    }

    static func kind(_ flight: LadderModel.Flight) -> String {
        if flight.isLost { return "lost" }
        if flight.isRetransmission { return "rexmt" }
        guard let tcp = flight.tcp else { return "data" }
        if !tcp.flags.intersection([.syn, .fin, .rst]).isEmpty { return "control" }
        return tcp.length > 0 ? "data" : "ack"
    }

    private func drawFlights(_ shapes: inout String, _ texts: inout String, _ placer: inout LabelPlacer,
                             layout: Layout, columns: [Double]) {
        var sendRow = Array(repeating: 0, count: model.flights.count)
        var arrivalRows: [[(Int, Bool)]] = Array(repeating: [], count: model.flights.count)
        var dropRow: [Int?] = Array(repeating: nil, count: model.flights.count)
        for (r, row) in model.rows.enumerated() {
            switch row.content {
            case .send(let f): sendRow[f] = r
            case .arrival(let f, let duplicate): arrivalRows[f].append((r, duplicate))
            case .hostDrop(let f): dropRow[f] = r
            case .state, .timerFired: break
            }
        }
        let inset = Self.bandWidth / 2 + 1
        var labels: [(Int, Double, Double, Double, Double, Double)] = []
        for (i, flight) in model.flights.enumerated() where !layout.hidden[sendRow[i]] {
            let kind = Self.kind(flight)
            let ax = columns[flight.from], bx = columns[flight.to]
            let direction: Double = bx >= ax ? 1 : -1
            let x1 = ax + direction * inset
            let y1 = layout.y[sendRow[i]]
            var x2 = bx - direction * inset
            var y2: Double
            if let drop = flight.drop, drop.onLink {
                x2 = (ax + bx) / 2
                y2 = y1 + layout.halfTransit
            } else if let r = dropRow[i] {
                y2 = layout.y[r]
            } else if let first = arrivalRows[i].first {
                y2 = layout.y[first.0]
            } else {
                y2 = y1
            }
            let marker = flight.drop == nil ? " marker-end=\"url(#head-\(kind))\"" : ""
            shapes += "<path class=\"segment \(kind)\"\(tag(flight.sendIndex)) d=\"M\(f(x1)),\(f(y1)) L\(f(x2)),\(f(y2))\"\(marker)/>"
            for (r, duplicate) in arrivalRows[i] where duplicate {
                shapes += "<path class=\"duplicate\"\(tag(flight.sendIndex)) d=\"M\(f(x1)),\(f(y1)) L\(f(x2)),\(f(layout.y[r]))\"/>"
            }
            shapes += "\n"
            if let drop = flight.drop {
                // Drawn where it was lost: on the link, or at the host that refused it.
                // (Where crosses crowd, the dashed red line alone says it was lost.)
                let shown = drop.onLink ? flight.sendIndex : drop.index
                if placer.place([LabelPlacer.box("✗", x: x2, y: y2 + 6, size: 18, anchor: .middle)]) != nil {
                    texts += "<text class=\"cross\"\(tag(shown)) x=\"\(f(x2))\" y=\"\(f(y2 + 6))\" text-anchor=\"middle\">✗</text>"
                }
                let rx = drop.onLink ? x2 : x2 - direction * 12
                let anchor: LabelPlacer.Anchor = drop.onLink ? .middle : (direction > 0 ? .end : .start)
                let reason = drop.reason.description
                let candidates = [22.0, 36, -14, 50].map { LabelPlacer.box(reason, x: rx, y: y2 + $0, size: 11, anchor: anchor) }
                if let k = placer.place(candidates) {
                    let anchorName = anchor == .middle ? "middle" : anchor == .end ? "end" : "start"
                    texts += "<text class=\"reason\"\(tag(shown)) x=\"\(f(rx))\" y=\"\(f(y2 + [22.0, 36, -14, 50][k]))\" text-anchor=\"\(anchorName)\">\(xml(reason))</text>"
                }
                texts += "\n"
            }
            labels.append((i, x1, y1, x2, y2, direction))
        }
        // Arrow labels last: along their arrow, at the first free spot.
        for (i, x1, y1, x2, y2, direction) in labels {
            let flight = model.flights[i]
            let kind = Self.kind(flight)
            let angle = atanDegrees(y2 - y1, x2 - x1)
            let rotation = direction > 0 ? angle : angle - 180
            var chosen: (Double, Double)?
            for t in [0.5, 0.35, 0.65, 0.22, 0.78] {
                for offset in [-5.0, 15] {
                    let mx = x1 + (x2 - x1) * t, my = y1 + (y2 - y1) * t + offset
                    let box = LabelPlacer.box(flight.label, x: mx, y: my, size: 12, anchor: .middle, degrees: rotation,
                                              about: (mx, my + 5))
                    if placer.isFree(box) {
                        placer.reserve(box)
                        chosen = (mx, my)
                        break
                    }
                }
                if chosen != nil { break }
            }
            guard let (mx, my) = chosen else { continue }
            texts += "<text class=\"label \(kind)\"\(tag(flight.sendIndex)) x=\"\(f(mx))\" y=\"\(f(my))\" text-anchor=\"middle\" "
            texts += "transform=\"rotate(\(f(rotation)) \(f(mx)) \(f(my + 5)))\">\(xml(flight.label))</text>\n"
        }
    }

    /// The widest legend row, from x = 40.
    static var legendWidth: Double {
        let arrows = ["SYN / FIN / RST", "data", "ACK", "retransmitted", "lost ✗"].reduce(40.0) {
            $0 + 36 + LabelPlacer.width($1, size: 12) + 24
        }
        var states = ["listening", "opening", "established", "closing", TCPState.timeWait.rawValue].reduce(40.0) {
            $0 + 20 + LabelPlacer.width($1, size: 12) + 24
        }
        states = ["RTO timer", "2MSL timer"].reduce(states) { $0 + 18 + LabelPlacer.width($1, size: 12) + 24 }
        return max(arrows, states)
    }

    private func drawLegend(_ shapes: inout String, _ texts: inout String, top: Double, right: Double) {
        var lx = 40.0
        let y = top + 20
        shapes += "<line x1=\"40\" y1=\"\(f(top))\" x2=\"\(f(right))\" y2=\"\(f(top))\" stroke=\"#e5e7eb\"/>\n"
        let arrows: [(String, String)] = [("control", "SYN / FIN / RST"), ("data", "data"), ("ack", "ACK"),
                                          ("rexmt", "retransmitted"), ("lost", "lost ✗")]
        for (kind, text) in arrows {
            shapes += "<path class=\"legend-arrow \(kind)\" d=\"M\(f(lx)),\(f(y)) l28,0\" stroke-width=\"1.6\""
            shapes += kind == "lost" ? "/>" : " marker-end=\"url(#head-\(kind))\"/>"
            texts += "<text class=\"legend\" x=\"\(f(lx + 36))\" y=\"\(f(y + 4))\">\(xml(text))</text>\n"
            lx += 36 + LabelPlacer.width(text, size: 12) + 24
        }
        lx = 40
        let y2 = y + 28
        let states: [(TCPState, String)] = [(.listen, "listening"), (.synSent, "opening"), (.established, "established"),
                                            (.finWait1, "closing"), (.timeWait, TCPState.timeWait.rawValue)]
        for (state, text) in states {
            let c = Self.stateColors(state)!
            shapes += "<rect x=\"\(f(lx))\" y=\"\(f(y2 - 8))\" width=\"14\" height=\"14\" rx=\"3\" fill=\"\(c.fill)\" stroke=\"\(c.stroke)\"/>"
            texts += "<text class=\"legend\" x=\"\(f(lx + 20))\" y=\"\(f(y2 + 4))\">\(text)</text>\n"
            lx += 20 + LabelPlacer.width(text, size: 12) + 24
        }
        for timer in [TCPTimer.retransmission, .timeWait] {
            let (color, label) = Self.timerStyle(timer)
            shapes += "<rect x=\"\(f(lx + 4))\" y=\"\(f(y2 - 9))\" width=\"6\" height=\"16\" rx=\"2\" fill=\"\(color)\"/>"
            let text = "\(label) timer"
            texts += "<text class=\"legend\" x=\"\(f(lx + 18))\" y=\"\(f(y2 + 4))\">\(text)</text>\n"
            lx += 18 + LabelPlacer.width(text, size: 12) + 24
        }
    }
}

/// One decimal, no exponent, no "-0".
func f(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    let sign = tenths < 0 ? "-" : ""
    let magnitude = abs(tenths)
    return magnitude % 10 == 0 ? "\(sign)\(magnitude / 10)" : "\(sign)\(magnitude / 10).\(magnitude % 10)"
}

/// Text and attribute values escaped for XML.
func xml(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        default:
            if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" { out += " " } else { out.unicodeScalars.append(scalar) }
        }
    }
    return out
}

/// atan2 in degrees, without Foundation: a short series is enough for drawing.
func atanDegrees(_ y: Double, _ x: Double) -> Double {
    guard x != 0 || y != 0 else { return 0 }
    // atan via argument reduction and a polynomial, accurate to ~1e-5 rad.
    func atanUnit(_ z: Double) -> Double {  // |z| <= 1
        let z2 = z * z
        return z * (0.99997726 + z2 * (-0.33262347 + z2 * (0.19354346 + z2 * (-0.11643287 + z2 * (0.05265332 + z2 * -0.01172120)))))
    }
    let pi = 3.141592653589793
    var angle: Double
    if abs(x) >= abs(y) {
        angle = atanUnit(y / x)
        if x < 0 { angle += y >= 0 ? pi : -pi }
    } else {
        angle = (y > 0 ? pi / 2 : -pi / 2) - atanUnit(x / y)
    }
    return angle * 180 / pi
}
