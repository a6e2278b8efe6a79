import Tracing

/// The endpoint panels: each side of the current connection with its state and RFC 9293
/// variables (sequence numbers relative to the ISS and IRS, as the trace prints them).
enum EndpointPanel {
    struct Values {
        var title: String
        var state: String
        var rows: [String]
    }

    static func values(run: LessonRun, eventIndex: Int, language: LessonLanguage) -> [Values] {
        let names = run.focusConnections(at: eventIndex)
        return names.map { name in
            let time = run.events[eventIndex].time
            let title = name.replacingOccurrences(of: ">", with: "→")
            guard let view = run.connection(name, after: eventIndex) else {
                return Values(title: title, state: UIText.notYet(language), rows: [])
            }
            guard let c = view.variables else { return Values(title: title, state: view.state.rawValue, rows: []) }
            let synchronizedReceive = !(view.state == .listen || view.state == .synSent
                                        || (view.state == .closed && c.irs == 0 && c.rcvNXT == 0))
            let rcvNXT = synchronizedReceive ? "\(c.rcvNXT &- c.irs)" : "-"
            let ssthresh = c.ssthresh >= 1 << 30 ? "∞" : "\(c.ssthresh)"
            var rows = [
                "SND.UNA \(c.sndUNA &- c.iss)  SND.NXT \(c.sndNXT &- c.iss)",
                "SND.WND \(c.sndWND)  RCV.NXT \(rcvNXT)  RCV.WND \(synchronizedReceive ? "\(c.rcvWND)" : "-")",
                "cwnd \(c.cwnd)  ssthresh \(ssthresh)  in flight \(c.bytesInFlight)",
            ]
            let timers = view.timers.map { "\($0.timer) \(seconds($0.deadline - time))" }
            rows.append("RTO \(seconds(c.rto))  " + (language == .zh ? "计时器 " : "timers ") + (timers.isEmpty ? "-" : timers.joined(separator: ", ")))
            return Values(title: title, state: view.state.rawValue, rows: rows)
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

    /// Boxes side by side, each `width` columns wide in total.
    static func boxes(_ panels: [Values], width: Int, style: ScreenStyle, language: LessonLanguage) -> [String] {
        guard !panels.isEmpty else { return [" " + UIText.noConnection(language)] }
        let shown = Array(panels.prefix(2))
        let boxWidth = (width - (shown.count - 1)) / shown.count
        let inner = boxWidth - 4
        let height = 1 + (shown.map(\.rows.count).max() ?? 0)
        var columns: [[String]] = []
        for panel in shown {
            var lines = ["┌" + String(repeating: "─", count: boxWidth - 2) + "┐"]
            let title = TextWidth.truncate(panel.title, max(4, inner - TextWidth.columns(panel.state) - 1))
            let gap = max(1, inner - TextWidth.columns(title) - TextWidth.columns(panel.state))
            lines.append("│ " + title + String(repeating: " ", count: gap) + style.bold(panel.state) + " │")
            for k in 0..<(height - 1) {
                let text = k < panel.rows.count ? panel.rows[k] : ""
                lines.append("│ " + TextWidth.fit(text, inner) + " │")
            }
            lines.append("└" + String(repeating: "─", count: boxWidth - 2) + "┘")
            columns.append(lines)
        }
        return (0..<columns[0].count).map { row in columns.map { $0[row] }.joined(separator: " ") }
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
}
