import Tracing
import Wire

/// Something that draws a trace as a ladder (a time-sequence diagram) in terminal lines.
///
/// `Rendering.LadderRenderer` fits this; the stepper falls back to `SimpleLadder` until it is
/// plugged in (see `LessonScreen.ladderFactory`).
public protocol LadderDrawing {
    /// The ladder of events `0...eventIndex` (all when nil), with event `highlight` marked.
    func render(upTo eventIndex: Int?, highlight: Int?) -> [String]
}

/// Makes a ladder for a trace and a width in columns.
public typealias LadderFactory = (_ trace: Trace, _ width: Int, _ color: Bool) -> any LadderDrawing

/// A small built-in ladder: one column per host, one row per packet sent (arrow to its
/// destination), drop and state change. The current event's row is marked with `▶`.
public struct SimpleLadder: LadderDrawing {
    public let trace: Trace
    public let width: Int
    public let color: Bool
    private let columns: [String: Int]

    public init(trace: Trace, width: Int, color: Bool = false) {
        self.trace = trace
        self.width = max(width, 40)
        self.color = color
        let hosts = trace.header.hosts.map(\.name)
        var columns: [String: Int] = [:]
        let left = 10
        let right = self.width - 12
        for (i, host) in hosts.enumerated() {
            columns[host] = hosts.count == 1 ? left : left + (right - left) * i / (hosts.count - 1)
        }
        self.columns = columns
    }

    public func header() -> String {
        var line = [Character](repeating: " ", count: width)
        for host in trace.header.hosts {
            guard let c = columns[host.name] else { continue }
            let label = Array(host.name)
            let start = max(0, min(width - label.count, c - label.count / 2))
            for (k, ch) in label.enumerated() where start + k < width { line[start + k] = ch }
        }
        return TextWidth.trimTrailing(String(line))
    }

    public func render(upTo eventIndex: Int?, highlight: Int?) -> [String] {
        let names = trace.hostNames
        let last = min(eventIndex ?? (trace.events.count - 1), trace.events.count - 1)
        var lines = [header()]
        guard last >= 0 else { return lines }
        for index in 0...last {
            let event = trace.events[index]
            guard var row = self.row(for: event, names: names) else { continue }
            let marker = index == highlight ? "▶" : " "
            row = marker + String(row.dropFirst())
            if index == highlight && color { row = "\u{1B}[1;33m" + row + "\u{1B}[0m" }
            lines.append(row)
        }
        return lines
    }

    func blank(time: Int64) -> [Character] {
        var line = [Character](repeating: " ", count: width)
        let stamp = Array(Self.shortTime(time))
        for (k, ch) in stamp.enumerated() where k + 1 < width { line[k + 1] = ch }
        for (_, c) in columns.sorted(by: { $0.value < $1.value }) where c < width { line[c] = "│" }
        return line
    }

    static func shortTime(_ ns: Int64) -> String {
        let ms = ns / 1_000_000
        if ms < 10_000 { return "\(ms)ms" }
        return "\(ms / 1000)s"
    }

    func row(for event: TraceEvent, names: [IPv4Address: String]) -> String? {
        switch event.kind {
        case .packetSent(let bytes, _), .packetDropped(let bytes, _):
            guard bytes.count >= 20 else { return nil }
            let src = names[IPv4Address(UInt32(bytes[12]) << 24 | UInt32(bytes[13]) << 16 | UInt32(bytes[14]) << 8 | UInt32(bytes[15]))]
            let dst = names[IPv4Address(UInt32(bytes[16]) << 24 | UInt32(bytes[17]) << 16 | UInt32(bytes[18]) << 8 | UInt32(bytes[19]))]
            guard let src, let dst, let a = columns[src], let b = columns[dst], a != b else { return nil }
            var line = blank(time: event.time)
            let dropped: Bool
            if case .packetDropped = event.kind { dropped = true } else { dropped = false }
            let lo = min(a, b) + 1
            let hi = max(a, b) - 1
            for c in lo...hi { line[c] = "─" }
            if dropped {
                let mid = (a + b) / 2
                for c in lo...hi where (b > a ? c > mid : c < mid) { line[c] = " " }
                line[mid] = "✕"
            } else {
                line[b > a ? hi : lo] = b > a ? "▶" : "◀"
            }
            let label = Array(Self.label(bytes))
            let start = max(lo + 1, (lo + hi) / 2 - label.count / 2 - (dropped ? label.count / 2 + 2 : 0))
            for (k, ch) in label.enumerated() where start + k < hi && (line[start + k] == "─" || line[start + k] == " ") {
                line[start + k] = ch
            }
            return String(line)
        case .stateChanged(let connection, _, let to, _):
            let host = EventSelector.host(ofConnection: connection)
            guard let c = columns[host] else { return nil }
            var line = blank(time: event.time)
            let label = Array(to)
            let start = min(max(0, c - label.count / 2), width - label.count)
            for (k, ch) in label.enumerated() { line[start + k] = ch }
            return String(line)
        default:
            return nil
        }
    }

    /// `SYN`, `SYN+ACK 0:0`, `ACK 1`, `1:1461(1460)`: what the arrow carries.
    static func label(_ bytes: [UInt8]) -> String {
        let h = Int(bytes[0] & 0x0F) * 4
        if bytes[9] == 17 { return "UDP \(max(0, bytes.count - h - 8))B" }
        guard bytes[9] == 6, bytes.count >= h + 20 else { return "IP" }
        let flags = TCPFlags(rawValue: bytes[h + 13])
        let payload = bytes.count - h - Int(bytes[h + 12] >> 4) * 4
        var text = PacketDissector.flagNames(flags)
        if payload > 0 { text += " \(payload)B" }
        return " \(text) "
    }
}
