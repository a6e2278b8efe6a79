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

    static let fontStack = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
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

    /// Where rows are, and where the cut gaps are.
    struct Layout {
        var y: [Double]
        /// (y of the cut's middle, time skipped).
        var gaps: [(Double, Int64)]
        var bottom: Double
        var halfTransit: Double
    }

    func layout() -> Layout {
        let rows = model.rows
        // The typical one-way transit sets the scale.
        var transits: [Int64] = []
        for flight in model.flights.prefix(2_000) {
            if let arrival = flight.arrivals.first, arrival.time > flight.sendTime { transits.append(arrival.time - flight.sendTime) }
        }
        transits.sort()
        let typical = transits.isEmpty ? Int64(10_000_000) : transits[transits.count / 2]
        let scale = Self.transitHeight / Double(typical)
        var y: [Double] = []
        y.reserveCapacity(rows.count)
        var gaps: [(Double, Int64)] = []
        var current = Self.top
        // Within one instant, a packet row shares the line of the rows before it unless it
        // touches a lifeline already touched the same way (two sends from one host, say).
        var touched: Set<Int> = []
        for (r, row) in rows.enumerated() {
            let touch = touchKey(row.content)
            if r > 0 {
                let elapsed = row.time - rows[r - 1].time
                let scaled = Double(elapsed) * scale
                if elapsed >= LadderRenderer.gapThreshold && scaled > 3 * Self.transitHeight {
                    gaps.append((current + Self.gapHeight / 2 + Self.minimumStep / 2, elapsed))
                    current += Self.gapHeight + 2 * Self.minimumStep
                    touched = []
                } else if elapsed > 0 {
                    current += min(max(scaled, Self.minimumStep), 3 * Self.transitHeight)
                    touched = []
                } else if let touch, touched.contains(touch) {
                    current += Self.minimumStep
                    touched = []
                }
            }
            if let touch { touched.insert(touch) }
            y.append(current)
        }
        return Layout(y: y, gaps: gaps, bottom: current + 40, halfTransit: Self.transitHeight / 2)
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

    func x(_ lifeline: Int) -> Double { Self.leftMargin + Double(lifeline) * Self.spacing }

    /// The SVG document.
    public func render() -> String {
        let layout = layout()
        let n = max(model.lifelines.count, 1)
        let width = Self.leftMargin + Double(n - 1) * Self.spacing + Self.rightMargin
        let legendTop = layout.bottom + 10
        let height = legendTop + 70
        var out = ""
        out.reserveCapacity(600 + model.rows.count * 260)
        out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" "
        out += "viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"\(Self.fontStack)\">\n"
        out += """
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
        <style>
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
        </style>

        """
        out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        // Title.
        let h = model.trace.header
        out += "<text x=\"40\" y=\"44\" font-size=\"24\" font-weight=\"700\" fill=\"#111827\">\(xml(h.scenario))</text>\n"
        var subtitle = "\(model.flights.count) packets"
        if h.profile != PcapTraceReader.profile {
            subtitle = "seed \(h.seed) · profile \(h.profile) · RTT \(LadderModel.milliseconds(h.link.rtt)) ms · " + subtitle
        }
        out += "<text x=\"40\" y=\"68\" font-size=\"13\" fill=\"#6b7280\">\(xml(subtitle))</text>\n"
        // Time grid and labels.
        var lastLabelY = -100.0
        for (r, row) in model.rows.enumerated() where r == 0 || row.time != model.rows[r - 1].time {
            let y = layout.y[r]
            guard y - lastLabelY >= 16 else { continue }
            lastLabelY = y
            out += "<line class=\"grid\" x1=\"70\" y1=\"\(f(y))\" x2=\"\(f(width - 20))\" y2=\"\(f(y))\"/>"
            out += "<text class=\"time\" x=\"62\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(LadderModel.milliseconds(row.time)) ms</text>\n"
        }
        // Lifelines and their heads.
        for (l, lifeline) in model.lifelines.enumerated() {
            let lx = x(l)
            out += "<line class=\"lifeline\" x1=\"\(f(lx))\" y1=\"136\" x2=\"\(f(lx))\" y2=\"\(f(layout.bottom))\"/>\n"
            let boxWidth = max(110.0, Double(lifeline.name.count) * 8.5 + 28)
            out += "<rect x=\"\(f(lx - boxWidth / 2))\" y=\"84\" width=\"\(f(boxWidth))\" height=\"30\" rx=\"6\" fill=\"#111827\"/>"
            out += "<text x=\"\(f(lx))\" y=\"104\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"600\" fill=\"#ffffff\">\(xml(lifeline.name))</text>\n"
            if lifeline.name != lifeline.address.description {
                out += "<text x=\"\(f(lx))\" y=\"130\" text-anchor=\"middle\" font-size=\"10\" fill=\"#9ca3af\">\(lifeline.address)</text>\n"
            }
        }
        drawStateBands(&out, layout: layout)
        drawTimers(&out, layout: layout)
        drawGaps(&out, layout: layout, width: width)
        drawFlights(&out, layout: layout)
        drawLegend(&out, top: legendTop)
        out += "</svg>\n"
        return out
    }

    // MARK: Parts

    static func stateColors(_ state: TCPState) -> (fill: String, stroke: String, text: String)? {
        switch state {
        case .closed: nil
        case .listen: ("#e5e7eb", "#9ca3af", "#4b5563")
        case .synSent, .synReceived: ("#dbeafe", "#60a5fa", "#1d4ed8")
        case .established: ("#dcfce7", "#4ade80", "#15803d")
        case .timeWait: ("#ede9fe", "#a78bfa", "#6d28d9")
        case .finWait1, .finWait2, .closeWait, .closing, .lastAck: ("#ffedd5", "#fb923c", "#c2410c")
        }
    }

    private func drawStateBands(_ out: inout String, layout: Layout) {
        var lastOf: [Int] = Array(repeating: -1, count: model.lifelines.count)
        var nextMark: [Int] = Array(repeating: -1, count: model.states.count)
        for (s, mark) in model.states.enumerated().reversed() {
            nextMark[s] = lastOf[mark.lifeline]
            lastOf[mark.lifeline] = s
        }
        let rowOfState = rowIndexByState()
        var labelFloor = Array(repeating: -Double.infinity, count: model.lifelines.count)
        for (s, mark) in model.states.enumerated() {
            guard let colors = Self.stateColors(mark.state), let r = rowOfState[s] else { continue }
            let y0 = layout.y[r]
            let y1 = nextMark[s] >= 0 ? rowOfState[nextMark[s]].map { layout.y[$0] } ?? layout.bottom - 20 : layout.bottom - 20
            let lx = x(mark.lifeline)
            out += "<rect class=\"band\" x=\"\(f(lx - Self.bandWidth / 2))\" y=\"\(f(y0))\" width=\"\(f(Self.bandWidth))\" "
            out += "height=\"\(f(max(y1 - y0, 2)))\" rx=\"3\" fill=\"\(colors.fill)\" stroke=\"\(colors.stroke)\"/>"
            let leftSide = mark.lifeline == 0 && model.lifelines.count > 1
            let tx = leftSide ? lx - 30 : lx + 30
            var text = mark.state.rawValue
            if let peer = mark.peer { text += " · \(peer)" }
            let ly = max(y0 + 4, labelFloor[mark.lifeline] + 15)
            labelFloor[mark.lifeline] = ly
            out += "<text class=\"state\" x=\"\(f(tx))\" y=\"\(f(ly))\" text-anchor=\"\(leftSide ? "end" : "start")\" "
            out += "fill=\"\(colors.text)\">\(xml(text))</text>\n"
        }
    }

    private func rowIndexByState() -> [Int?] {
        var result: [Int?] = Array(repeating: nil, count: model.states.count)
        for (r, row) in model.rows.enumerated() { if case .state(let s) = row.content { result[s] = r } }
        return result
    }

    static func timerStyle(_ timer: TCPTimer) -> (color: String, label: String) {
        switch timer {
        case .retransmission: ("#f59e0b", "RTO")
        case .timeWait: ("#8b5cf6", "2MSL")
        case .keepalive: ("#0d9488", timer.rawValue)
        case .persist, .delayedACK: ("#64748b", timer.rawValue)
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

    private func drawTimers(_ out: inout String, layout: Layout) {
        for span in model.timers {
            let (color, label) = Self.timerStyle(span.timer)
            let lx = x(span.lifeline)
            let leftSide = span.lifeline == 0 && model.lifelines.count > 1
            let bx = leftSide ? lx - 19 : lx + 13
            let y0 = y(ofEvent: span.setIndex, layout: layout, fallback: layout.bottom - 20)
            let y1 = span.endIndex.map { y(ofEvent: $0, layout: layout, fallback: layout.bottom - 20) } ?? layout.bottom - 20
            out += "<rect class=\"timer\" x=\"\(f(bx))\" y=\"\(f(y0))\" width=\"6\" height=\"\(f(max(y1 - y0, 3)))\" rx=\"2\" fill=\"\(color)\" opacity=\"0.85\"/>"
            let ty = span.fired ? y1 : y0 + 12
            let tx = leftSide ? bx - 4 : bx + 10
            let status = span.fired ? " fired" : ""
            out += "<text class=\"timer-label\" x=\"\(f(tx))\" y=\"\(f(ty + 3))\" text-anchor=\"\(leftSide ? "end" : "start")\" fill=\"\(color)\">\(label)\(status)</text>\n"
        }
    }

    private func drawGaps(_ out: inout String, layout: Layout, width: Double) {
        for (gy, elapsed) in layout.gaps {
            out += "<rect x=\"70\" y=\"\(f(gy - 10))\" width=\"\(f(width - 90))\" height=\"20\" fill=\"#ffffff\"/>"
            for l in model.lifelines.indices {
                let lx = x(l)
                out += "<path d=\"M\(f(lx - 9)),\(f(gy - 4)) l18,-6 M\(f(lx - 9)),\(f(gy + 6)) l18,-6\" stroke=\"#9ca3af\" stroke-width=\"1.5\"/>"
            }
            out += "<text x=\"62\" y=\"\(f(gy + 4))\" text-anchor=\"end\" font-size=\"11\" font-style=\"italic\" fill=\"#6b7280\">"
            out += "+\(LadderRenderer.duration(elapsed))</text>\n"
        }
    }

    static func kind(_ flight: LadderModel.Flight) -> String {
        if flight.isLost { return "lost" }
        if flight.isRetransmission { return "rexmt" }
        guard let tcp = flight.tcp else { return "data" }
        if !tcp.flags.intersection([.syn, .fin, .rst]).isEmpty { return "control" }
        return tcp.length > 0 ? "data" : "ack"
    }

    private func drawFlights(_ out: inout String, layout: Layout) {
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
        for (i, flight) in model.flights.enumerated() {
            let kind = Self.kind(flight)
            let ax = x(flight.from), bx = x(flight.to)
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
            let marker = flight.drop?.onLink == true ? "" : " marker-end=\"url(#head-\(kind))\""
            out += "<path class=\"segment \(kind)\" d=\"M\(f(x1)),\(f(y1)) L\(f(x2)),\(f(y2))\"\(marker)/>"
            for (r, duplicate) in arrivalRows[i] where duplicate {
                out += "<path class=\"duplicate\" d=\"M\(f(x1)),\(f(y1)) L\(f(x2)),\(f(layout.y[r]))\"/>"
            }
            // The label, along the arrow, just above it.
            let angle = atanDegrees(y2 - y1, x2 - x1)
            let mx = (x1 + x2) / 2, my = (y1 + y2) / 2 - 5
            let rotation = direction > 0 ? angle : angle - 180
            out += "<text class=\"label \(kind)\" x=\"\(f(mx))\" y=\"\(f(my))\" text-anchor=\"middle\" "
            out += "transform=\"rotate(\(f(rotation)) \(f(mx)) \(f(my + 5)))\">\(xml(flight.label))</text>"
            if let drop = flight.drop {
                out += "<text class=\"cross\" x=\"\(f(x2))\" y=\"\(f(y2 + 6))\" text-anchor=\"middle\">✗</text>"
                let rx = drop.onLink ? x2 : x2 - direction * 12
                let anchor = drop.onLink ? "middle" : (direction > 0 ? "end" : "start")
                out += "<text class=\"reason\" x=\"\(f(rx))\" y=\"\(f(y2 + 22))\" text-anchor=\"\(anchor)\">\(xml(drop.reason.description))</text>"
            }
            out += "\n"
        }
    }

    private func drawLegend(_ out: inout String, top: Double) {
        var lx = 40.0
        let y = top + 20
        out += "<line x1=\"40\" y1=\"\(f(top))\" x2=\"\(f(x(max(model.lifelines.count - 1, 0)) + 120))\" y2=\"\(f(top))\" stroke=\"#e5e7eb\"/>\n"
        let arrows: [(String, String)] = [("control", "SYN / FIN / RST"), ("data", "data"), ("ack", "ACK"),
                                          ("rexmt", "retransmitted"), ("lost", "lost ✗")]
        for (kind, text) in arrows {
            out += "<path class=\"legend-arrow \(kind)\" d=\"M\(f(lx)),\(f(y)) l28,0\" stroke-width=\"1.6\""
            out += kind == "lost" ? "/>" : " marker-end=\"url(#head-\(kind))\"/>"
            out += "<text class=\"legend\" x=\"\(f(lx + 36))\" y=\"\(f(y + 4))\">\(xml(text))</text>\n"
            lx += 36 + Double(text.count) * 7 + 24
        }
        lx = 40
        let y2 = y + 28
        let states: [(TCPState, String)] = [(.listen, "listening"), (.synSent, "opening"), (.established, "established"),
                                            (.finWait1, "closing"), (.timeWait, TCPState.timeWait.rawValue)]
        for (state, text) in states {
            let c = Self.stateColors(state)!
            out += "<rect x=\"\(f(lx))\" y=\"\(f(y2 - 8))\" width=\"14\" height=\"14\" rx=\"3\" fill=\"\(c.fill)\" stroke=\"\(c.stroke)\"/>"
            out += "<text class=\"legend\" x=\"\(f(lx + 20))\" y=\"\(f(y2 + 4))\">\(text)</text>\n"
            lx += 20 + Double(text.count) * 7 + 24
        }
        for timer in [TCPTimer.retransmission, .timeWait] {
            let (color, label) = Self.timerStyle(timer)
            out += "<rect x=\"\(f(lx + 4))\" y=\"\(f(y2 - 9))\" width=\"6\" height=\"16\" rx=\"2\" fill=\"\(color)\"/>"
            let text = "\(label) timer"
            out += "<text class=\"legend\" x=\"\(f(lx + 18))\" y=\"\(f(y2 + 4))\">\(text)</text>\n"
            lx += 18 + Double(text.count) * 7 + 24
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
