import Tracing

/// A Stevens-style time-sequence graph of one direction of one TCP connection: each data
/// segment a short vertical bar from its first to its last sequence number at the time it was
/// sent, retransmissions in another colour, the acknowledgment line (a step, at the times ACKs
/// reach the sender) and the receive window's right edge (ack + window; window scaling is not
/// applied).
///
/// The direction drawn is the one that carried the most payload.
public struct TimeSequenceGraph: Sendable {
    public struct Segment: Sendable, Hashable {
        public var time: Int64
        public var start: UInt32
        public var end: UInt32
        public var isRetransmission: Bool
        public var isLost: Bool
    }

    public struct AckPoint: Sendable, Hashable {
        public var time: Int64
        public var ack: UInt32
        public var windowEdge: UInt32
    }

    public let model: LadderModel
    public let options: DiagramOptions
    public private(set) var title = ""
    public private(set) var segments: [Segment] = []
    public private(set) var acks: [AckPoint] = []

    public init(trace: Trace, options: DiagramOptions = DiagramOptions()) {
        self.init(model: LadderModel(trace: trace, sequence: options.sequence), options: options)
    }

    public init(model: LadderModel, options: DiagramOptions = DiagramOptions()) {
        self.model = model
        self.options = options
        // The direction with the most payload: (connection, forward).
        var bytes: [Int: Int] = [:]
        for flight in model.flights {
            guard let tcp = flight.tcp else { continue }
            bytes[tcp.connection * 2 + (tcp.forward ? 0 : 1), default: 0] += tcp.length
        }
        guard let best = bytes.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }).first else {
            title = model.trace.header.scenario + ": no TCP data"
            return
        }
        let connection = best.key / 2, forward = best.key % 2 == 0
        let c = model.connections[connection]
        let (from, to) = forward ? (c.a, c.b) : (c.b, c.a)
        let names = model.trace.hostNames
        func name(_ e: LadderModel.Endpoint) -> String { "\(names[e.address] ?? e.address.description):\(e.port)" }
        title = "\(model.trace.header.scenario): \(name(from)) \(options.ascii ? "->" : "→") \(name(to))"
        var highest: UInt32 = 0
        var seenData = false
        for flight in model.flights {
            guard let tcp = flight.tcp, tcp.connection == connection else { continue }
            if tcp.forward == forward {
                guard tcp.length > 0 else { continue }
                let end = tcp.sequence &+ UInt32(tcp.length)
                let again = flight.isRetransmission || (seenData && Int32(bitPattern: end &- highest) <= 0)
                if !seenData || Int32(bitPattern: end &- highest) > 0 { highest = end }
                seenData = true
                segments.append(Segment(time: flight.sendTime, start: tcp.sequence, end: end,
                                        isRetransmission: again, isLost: flight.isLost))
            } else if tcp.flags.contains(.ack), !flight.isLost {
                let time = flight.arrivals.first?.time ?? flight.sendTime
                acks.append(AckPoint(time: time, ack: tcp.acknowledgment, windowEdge: tcp.acknowledgment &+ tcp.window))
            }
        }
        acks.sort { $0.time < $1.time }
    }

    private var timeRange: (Int64, Int64) {
        let times = segments.map(\.time) + acks.map(\.time)
        let low = times.min() ?? 0, high = times.max() ?? 1
        // Never an empty range, even at the end of time (a hostile trace may say anything).
        return high > low ? (low, high) : low < .max ? (low, low + 1) : (low - 1, low)
    }

    private var sequenceTop: UInt32 {
        let top = max(segments.map(\.end).max() ?? 1, acks.map(\.ack).max() ?? 1)
        return max(top &+ top / 8, 1)
    }

    // MARK: SVG

    /// The graph as a standalone SVG.
    public func svg() -> String {
        let width = 900.0, height = 580.0
        let left = 90.0, right = 30.0, top = 100.0, bottom = 70.0
        let plotW = width - left - right, plotH = height - top - bottom
        let (t0, t1) = timeRange
        let yTop = Double(sequenceTop)
        func px(_ t: Int64) -> Double { left + Self.fraction(t, from: t0, to: t1) * plotW }
        func py(_ s: UInt32) -> Double { top + plotH - min(Double(s), yTop) / yTop * plotH }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" "
        out += "viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"\(SVGLadderRenderer.fontStack)\">\n"
        out += "<defs><clipPath id=\"plot\"><rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\"/></clipPath></defs>\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        out += "<text x=\"40\" y=\"40\" font-size=\"22\" font-weight=\"700\" fill=\"#111827\">\(xml(title))</text>\n"
        out += "<text x=\"40\" y=\"62\" font-size=\"13\" fill=\"#6b7280\">time-sequence graph · \(segments.count) data segments, "
        out += "\(segments.filter(\.isRetransmission).count) retransmitted</text>\n"
        // Axes and ticks.
        for tick in Self.ticks(upTo: Double(t1) / 1_000_000) {
            // A tick past what an Int64 of nanoseconds holds is off the plot anyway.
            guard let time = Int64(exactly: (tick * 1_000_000).rounded()), time >= t0 else { continue }
            let x = px(time)
            out += "<line x1=\"\(f(x))\" y1=\"\(f(top))\" x2=\"\(f(x))\" y2=\"\(f(top + plotH))\" stroke=\"#f1f3f5\"/>"
            out += "<text x=\"\(f(x))\" y=\"\(f(top + plotH + 18))\" text-anchor=\"middle\" font-size=\"11\" fill=\"#6b7280\">"
            out += "\(LadderModel.milliseconds(time)) ms</text>\n"
        }
        for tick in Self.ticks(upTo: yTop) {
            let y = py(UInt32(min(tick, Double(UInt32.max))))
            out += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + plotW))\" y2=\"\(f(y))\" stroke=\"#f1f3f5\"/>"
            out += "<text x=\"\(f(left - 8))\" y=\"\(f(y + 4))\" text-anchor=\"end\" font-size=\"11\" fill=\"#6b7280\">\(Int(tick))</text>\n"
        }
        out += "<path d=\"M\(f(left)),\(f(top)) L\(f(left)),\(f(top + plotH)) L\(f(left + plotW)),\(f(top + plotH))\" fill=\"none\" stroke=\"#374151\"/>\n"
        out += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 22))\" text-anchor=\"middle\" font-size=\"12\" fill=\"#374151\">time</text>\n"
        out += "<text x=\"24\" y=\"\(f(top + plotH / 2))\" text-anchor=\"middle\" font-size=\"12\" fill=\"#374151\" "
        out += "transform=\"rotate(-90 24 \(f(top + plotH / 2)))\">\(options.absolute ? "sequence number" : "relative sequence number")</text>\n"
        out += "<g clip-path=\"url(#plot)\">\n"
        // Window edge and ACK line as steps.
        for (cls, value, color, dash) in [("window", \AckPoint.windowEdge, "#2563eb", " stroke-dasharray=\"5 4\""),
                                          ("ack", \AckPoint.ack, "#16a34a", "")] {
            guard !acks.isEmpty else { continue }
            var d = "M\(f(px(acks[0].time))),\(f(py(acks[0][keyPath: value])))"
            for point in acks.dropFirst() {
                d += " H\(f(px(point.time))) V\(f(py(point[keyPath: value])))"
            }
            d += " H\(f(left + plotW))"
            out += "<path class=\"\(cls)\" d=\"\(d)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\"\(dash)/>\n"
        }
        for segment in segments {
            let x = px(segment.time)
            let color = segment.isRetransmission ? "#dc2626" : segment.isLost ? "#9ca3af" : "#111827"
            let cls = segment.isRetransmission ? "data rexmt" : segment.isLost ? "data lost" : "data"
            let y0 = py(segment.start), y1 = py(segment.end)
            out += "<path class=\"\(cls)\" d=\"M\(f(x)),\(f(y0)) V\(f(y1)) M\(f(x - 3)),\(f(y0)) h6 M\(f(x - 3)),\(f(y1)) h6\" "
            out += "stroke=\"\(color)\" stroke-width=\"1.6\" fill=\"none\"/>\n"
        }
        out += "</g>\n"
        // Legend.
        var lx = left + 10
        let ly = top - 10
        for (text, color, dash) in [("data segment", "#111827", ""), ("retransmitted", "#dc2626", ""), ("lost", "#9ca3af", ""),
                                    ("ACK", "#16a34a", ""), ("ACK + window", "#2563eb", " stroke-dasharray=\"5 4\"")] {
            out += "<path d=\"M\(f(lx)),\(f(ly)) h22\" stroke=\"\(color)\" stroke-width=\"2\"\(dash)/>"
            out += "<text x=\"\(f(lx + 28))\" y=\"\(f(ly + 4))\" font-size=\"12\" fill=\"#374151\">\(text)</text>\n"
            lx += 28 + Double(text.count) * 7 + 22
        }
        out += "</svg>\n"
        return out
    }

    /// Round tick values (1, 2 or 5 × 10^k apart) from 0 to `limit`.
    static func ticks(upTo limit: Double) -> [Double] {
        guard limit > 0 else { return [0] }
        let raw = limit / 6
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10 }
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? magnitude * 10
        var values: [Double] = []
        var v = 0.0
        while v <= limit + step * 1e-9 {
            values.append(v)
            v += step
        }
        return values
    }

    /// Where `t` lies between `t0` and `t1` (0 to 1), computed so that no subtraction can
    /// overflow, whatever times a trace holds.
    static func fraction(_ t: Int64, from t0: Int64, to t1: Int64) -> Double {
        let span = Double(t1) - Double(t0)
        guard span > 0 else { return 0 }
        return min(1, max(0, (Double(t) - Double(t0)) / span))
    }

    // MARK: Terminal

    /// A coarse plot for the terminal, at most 80 columns wide (a little more when absolute
    /// sequence numbers need a wider axis).
    public func text() -> String {
        let columns = 66, rows = 18
        // Room for the longest axis label (a 32-bit sequence number has up to 10 digits).
        let leftWidth = max(9, String(sequenceTop).count + 2)
        let glyph: (data: Unicode.Scalar, again: Unicode.Scalar, ack: Unicode.Scalar, window: Unicode.Scalar,
                    axisV: Unicode.Scalar, axisH: Unicode.Scalar, corner: Unicode.Scalar) = options.ascii
            ? ("|", "R", "_", ".", "|", "-", "+") : ("│", "R", "─", "┄", "┤", "─", "└")
        var lines = [" " + title]
        guard !segments.isEmpty || !acks.isEmpty else { return lines.joined(separator: "\n") + "\n" }
        let (t0, t1) = timeRange
        let yTop = Double(sequenceTop)
        func col(_ t: Int64) -> Int { min(columns - 1, Int(Self.fraction(t, from: t0, to: t1) * Double(columns - 1))) }
        func row(_ s: UInt32) -> Int { rows - 1 - min(rows - 1, Int(min(Double(s), yTop) / yTop * Double(rows - 1))) }
        var grid = Array(repeating: Array(repeating: Unicode.Scalar(" "), count: columns), count: rows)
        var rank = Array(repeating: Array(repeating: 0, count: columns), count: rows)
        func plot(_ r: Int, _ c: Int, _ g: Unicode.Scalar, _ k: Int) {
            if k >= rank[r][c] { grid[r][c] = g; rank[r][c] = k }
        }
        if !acks.isEmpty {
            var i = 0
            for c in 0..<columns {
                while i + 1 < acks.count, col(acks[i + 1].time) <= c { i += 1 }
                guard col(acks[i].time) <= c else { continue }
                let windowRow = row(acks[i].windowEdge)
                if Double(acks[i].windowEdge) < yTop { plot(windowRow, c, glyph.window, 1) }
                plot(row(acks[i].ack), c, glyph.ack, 2)
            }
        }
        for segment in segments {
            let c = col(segment.time)
            for r in row(segment.end)...row(segment.start) {
                plot(r, c, segment.isRetransmission ? glyph.again : glyph.data, segment.isRetransmission ? 4 : 3)
            }
        }
        for r in 0..<rows {
            let value = Int((Double(rows - 1 - r) / Double(rows - 1) * yTop).rounded())
            let label = r % 4 == 0 || r == rows - 1 ? String(value) : ""
            var line = String(repeating: " ", count: max(0, leftWidth - 1 - label.count)) + label
            line.unicodeScalars.append(glyph.axisV)
            line.unicodeScalars.append(contentsOf: grid[r])
            while line.hasSuffix(" ") { line.removeLast() }
            lines.append(line)
        }
        var axis = String(repeating: " ", count: leftWidth - 1)
        axis.unicodeScalars.append(glyph.corner)
        axis += String(repeating: String(glyph.axisH), count: columns)
        lines.append(axis)
        let start = LadderModel.milliseconds(t0) + " ms", end = LadderModel.milliseconds(t1) + " ms"
        lines.append(String(repeating: " ", count: leftWidth) + start
                     + String(repeating: " ", count: max(1, columns - start.count - end.count)) + end)
        lines.append(" \(glyph.data) data  \(glyph.again) retransmission  \(glyph.ack) ACK  \(glyph.window) ACK + window"
                     + "  (\(options.absolute ? "" : "relative ")seq vs time)")
        return lines.joined(separator: "\n") + "\n"
    }
}
