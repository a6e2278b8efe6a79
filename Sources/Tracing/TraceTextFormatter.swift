/// Renders trace events as text, one line each: time in seconds (microseconds), node, what.
///
/// `0.010000 client  send    client:49152 > server:80 S 0:0(0) win 65535 <mss 1460>`
public struct TraceTextFormatter {
    public var summarizer: PacketSummarizer
    /// Whether timer set/cancel lines are included (firings always are).
    public var showsTimerBookkeeping: Bool

    public init(summarizer: PacketSummarizer, showsTimerBookkeeping: Bool = false) {
        self.summarizer = summarizer
        self.showsTimerBookkeeping = showsTimerBookkeeping
    }

    /// Seconds with six decimals from integer nanoseconds, without floating point.
    public static func seconds(_ nanoseconds: Int64) -> String {
        let micros = nanoseconds / 1_000
        let fraction = String(micros % 1_000_000)
        return String(micros / 1_000_000) + "." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }

    /// The line for `event`, or nil when this formatter leaves it out.
    public mutating func line(for event: TraceEvent, nodeWidth: Int = 8) -> String? {
        guard let text = describe(event.kind) else { return nil }
        let node = event.node.count < nodeWidth ? event.node + String(repeating: " ", count: nodeWidth - event.node.count) : event.node
        return "\(Self.seconds(event.time)) \(node) \(text)"
    }

    private mutating func describe(_ kind: TraceEventKind) -> String? {
        switch kind {
        case .packetSent(let bytes, let note):
            "send    " + summarizer.summary(of: bytes) + (note.isEmpty ? "" : "  [\(note)]")
        case .packetReceived(let bytes):
            "recv    " + summarizer.summary(of: bytes)
        case .packetDropped(let bytes, let reason):
            "drop    " + summarizer.summary(of: bytes) + "  [\(reason)]"
        case .packetDuplicated(let bytes):
            "dup     " + summarizer.summary(of: bytes)
        case .stateChanged(let connection, let from, let to, let cause):
            "state   \(connection) \(from) -> \(to) (\(cause))"
        case .timer(let connection, let timer, let action):
            timerText(connection: connection, timer: timer, action: action)
        case .socketCall(let socket, let call, let argument):
            "call    \(socket) \(call)" + (argument.isEmpty ? "" : " \(argument)")
        case .socketEvent(let socket, let event, let detail):
            "event   \(socket) on\(event)" + (detail.isEmpty ? "" : " \(detail)")
        case .congestion(let connection, let cwnd, let ssthresh, let reason):
            "cwnd    \(connection) cwnd \(cwnd) ssthresh \(ssthresh) (\(reason))"
        case .note(let text):
            "note    \(text)"
        }
    }

    private func timerText(connection: String, timer: String, action: TimerAction) -> String? {
        switch action {
        case .set(let at):
            showsTimerBookkeeping ? "timer   \(connection) \(timer) set for \(Self.seconds(at))" : nil
        case .fired:
            "timer   \(connection) \(timer) fired"
        case .cancelled:
            showsTimerBookkeeping ? "timer   \(connection) \(timer) cancelled" : nil
        }
    }
}
