import Rendering
import Tracing

/// The endpoint panels: each side of the current connection with its state and RFC 9293
/// variables. Sequence numbers are written as the lesson asks (relative to the ISN by default,
/// absolute, or as the textbooks' x and y). Values are never cut: a panel that is too narrow
/// for its fields flows them onto more lines.
enum EndpointPanel {
    struct Field: Hashable {
        var label: String
        var value: String
        var text: String { "\(label) \(value)" }
    }

    struct Values {
        var title: String
        var state: String
        var fields: [Field]
    }

    static func values(run: LessonRun, eventIndex: Int, language: LessonLanguage, sequence: SequenceDisplay) -> [Values] {
        let time = run.events[eventIndex].time
        return run.focusConnections(at: eventIndex).map { name in
            let title = name.replacingOccurrences(of: ">", with: "→")
            guard let view = run.connection(name, after: eventIndex) else {
                // The kernel's states are samples (TCP_INFO, /proc/net/tcp), taken after the fact.
                return Values(title: title, state: run.source == .simulated ? UIText.notYet(language)
                                  : UIText.notSampledYet(language), fields: [])
            }
            guard let c = view.variables else { return Values(title: title, state: view.state.rawValue, fields: []) }
            let synchronizedReceive = !(view.state == .listen || view.state == .synSent
                                        || (view.state == .closed && c.irs == 0 && c.rcvNXT == 0))
            let (local, peer) = run.isnSymbols(of: name)
            func send(_ value: UInt32) -> String { sequence.text(value, isn: c.iss, symbol: local) }
            var fields = [
                Field(label: "SND.UNA", value: send(c.sndUNA)),
                Field(label: "SND.NXT", value: send(c.sndNXT)),
                Field(label: "SND.WND", value: "\(c.sndWND)"),
                Field(label: "RCV.NXT", value: synchronizedReceive ? sequence.text(c.rcvNXT, isn: c.irs, symbol: peer) : "-"),
                Field(label: "RCV.WND", value: synchronizedReceive ? "\(c.rcvWND)" : "-"),
                Field(label: "cwnd", value: "\(c.cwnd)"),
                Field(label: "ssthresh", value: c.ssthresh >= 1 << 30 ? "∞" : "\(c.ssthresh)"),
                Field(label: UIText.inFlight(language), value: "\(c.bytesInFlight)"),
                Field(label: "RTO", value: LocalizedTerms.duration(c.rto, language)),
            ]
            if view.timers.isEmpty {
                fields.append(Field(label: UIText.timers(language), value: "-"))
            }
            for timer in view.timers {
                fields.append(Field(label: UIText.timerLabel(timer.timer, language),
                                    value: LocalizedTerms.duration(timer.deadline - time, language)))
            }
            return Values(title: title, state: view.state.rawValue, fields: fields)
        }
    }

    /// `1.000s`, `20ms`.
    static func seconds(_ ns: Int64) -> String {
        if ns < 0 { return "0s" }
        if ns < 1_000_000_000 {
            let ms = ns / 1_000_000
            let frac = (ns % 1_000_000) / 100_000
            return frac == 0 ? "\(ms)ms" : "\(ms).\(frac)ms"
        }
        let s = ns / 1_000_000_000
        let ms = (ns % 1_000_000_000) / 1_000_000
        return "\(s).\(pad3(ms))s"
    }

    static func pad3(_ n: Int64) -> String {
        n < 10 ? "00\(n)" : n < 100 ? "0\(n)" : "\(n)"
    }

    /// The fields flowed into lines at most `width` columns wide, two spaces apart.
    static func flow(_ fields: [Field], width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for field in fields {
            let text = field.text
            if line.isEmpty {
                line = text
            } else if TextWidth.columns(line) + 2 + TextWidth.columns(text) <= width {
                line += "  " + text
            } else {
                lines.append(line)
                line = text
            }
            while TextWidth.columns(line) > width {
                let wrapped = TextWidth.wrap(line, width: width)
                lines += wrapped.dropLast()
                line = wrapped.last ?? ""
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// The title and the state on one line when they fit, else the state on a line of its own.
    static func titleLines(_ panel: Values, width: Int, style: ScreenStyle) -> [String] {
        let both = TextWidth.columns(panel.title) + 2 + TextWidth.columns(panel.state)
        if both <= width {
            return [panel.title + String(repeating: " ", count: width - both + 2) + style.bold(panel.state)]
        }
        return TextWidth.wrap(panel.title, width: width) + [style.bold(panel.state)]
    }

    /// Panels side by side in boxes, together `width` columns wide.
    static func boxes(_ panels: [Values], width: Int, style: ScreenStyle, language: LessonLanguage) -> [String] {
        guard !panels.isEmpty else { return [" " + UIText.noConnection(language)] }
        let boxWidth = (width - (panels.count - 1)) / panels.count
        let inner = max(10, boxWidth - 4)
        let bodies = panels.map { titleLines($0, width: inner, style: style) + flow($0.fields, width: inner) }
        let height = bodies.map(\.count).max() ?? 0
        let columns = bodies.map { body -> [String] in
            var lines = ["┌" + String(repeating: "─", count: inner + 2) + "┐"]
            for k in 0..<height { lines.append("│ " + TextWidth.fit(k < body.count ? body[k] : "", inner) + " │") }
            lines.append("└" + String(repeating: "─", count: inner + 2) + "┘")
            return lines
        }
        return (0..<(height + 2)).map { row in columns.map { $0[row] }.joined(separator: " ") }
    }

    /// Panels side by side without borders (the compact screen), a rule between them.
    static func compact(_ panels: [Values], width: Int, style: ScreenStyle, language: LessonLanguage) -> [String] {
        guard !panels.isEmpty else { return [" " + UIText.noConnection(language)] }
        let columnWidth = max(10, (width - 3 * (panels.count - 1)) / panels.count)
        let bodies = panels.map { titleLines($0, width: columnWidth, style: style) + flow($0.fields, width: columnWidth) }
        let height = bodies.map(\.count).max() ?? 0
        return (0..<height).map { row in
            TextWidth.trimTrailing(bodies.map { TextWidth.fit(row < $0.count ? $0[row] : "", columnWidth) }
                .joined(separator: style.dim(" │ ")))
        }
    }
}

/// How a screen marks things: with SGR colour, or with plain characters only.
public struct ScreenStyle: Sendable {
    public var color: Bool
    public init(color: Bool) { self.color = color }

    func bold(_ s: String) -> String { color ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
    func dim(_ s: String) -> String { color ? "\u{1B}[2m\(s)\u{1B}[0m" : s }
    func reverse(_ s: String) -> String { color ? "\u{1B}[7m\(s)\u{1B}[0m" : s }
    func accent(_ s: String) -> String { color ? "\u{1B}[1;36m\(s)\u{1B}[0m" : s }
    func good(_ s: String) -> String { color ? "\u{1B}[1;32m\(s)\u{1B}[0m" : s }
    func bad(_ s: String) -> String { color ? "\u{1B}[1;31m\(s)\u{1B}[0m" : s }
    func code(_ s: String) -> String { color ? "\u{1B}[36m\(s)\u{1B}[0m" : s }
    func emphasis(_ s: String) -> String { color ? "\u{1B}[3m\(s)\u{1B}[0m" : s }
}
