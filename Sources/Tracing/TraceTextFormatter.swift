/// Renders trace events as text, one line each: time in seconds (to the microsecond), a tag
/// saying what kind of event it is, and what happened, named by endpoint (`host:port`):
///
///     0.000000 send  client:49152 > server:80 S 0:0(0) win 65535 <mss 1460>
///     0.010000 state server:80 LISTEN -> SYN-RECEIVED (rcv SYN)
///
/// Lines fit 80 columns for the built-in scenarios.
public struct TraceTextFormatter {
    public var summarizer: PacketSummarizer
    /// Whether every event is listed: timer set/cancel, packet arrivals and congestion-window
    /// changes too. Without it a listing shows what a learner follows: sends, drops, state
    /// changes, socket calls and events, timers firing.
    public var isVerbose: Bool
    /// Decimals of a second shown: 6 (microseconds), or 3 when every time is whole milliseconds.
    public var decimals: Int
    /// Times are right-aligned to this many characters.
    public var timeWidth: Int

    /// Sized for `times`, the times of the events to be listed.
    public init(summarizer: PacketSummarizer, verbose: Bool = false, times: [Int64] = []) {
        self.summarizer = summarizer
        isVerbose = verbose
        decimals = times.allSatisfy { $0 % 1_000_000 == 0 } ? 3 : 6
        timeWidth = Self.seconds(times.max() ?? 0, decimals: decimals).count
    }

    /// Seconds with `decimals` (1–9) decimals from integer nanoseconds, without floating point.
    public static func seconds(_ nanoseconds: Int64, decimals: Int = 6) -> String {
        var unit: Int64 = 1
        for _ in 0..<(9 - decimals) { unit *= 10 }
        var scale: Int64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let ticks = nanoseconds / unit
        let fraction = String(ticks % scale)
        return String(ticks / scale) + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }

    /// The line for `event`, or nil when this formatter leaves it out.
    public mutating func line(for event: TraceEvent) -> String? {
        guard let text = describe(event.kind, node: event.node) else { return nil }
        let time = Self.seconds(event.time, decimals: decimals)
        return String(repeating: " ", count: max(0, timeWidth - time.count)) + time + " " + text
    }

    private mutating func describe(_ kind: TraceEventKind, node: String) -> String? {
        switch kind {
        case .packetSent(let bytes, let cause):
            Self.sentText(summary: summarizer.summary(of: bytes), cause: cause)
        case .packetReceived(let bytes):
            isVerbose ? "recv  " + summarizer.summary(of: bytes) : nil
        case .packetDropped(let bytes, let reason):
            "drop  " + summarizer.summary(of: bytes, brief: true) + " (\(reason))"
        case .packetDuplicated(let bytes):
            "dup   " + summarizer.summary(of: bytes)
        case .stateChanged(let connection, let from, let to, let cause):
            "state \(Self.localEnd(of: connection)) \(from) -> \(to) (\(cause))"
        case .timer(let connection, let timer, let action):
            timerText(connection: connection, timer: timer, action: action)
        case .socketCall(let socket, let call):
            "call  \(socket) \(call)"
        case .socketEvent(let socket, let event):
            "event \(socket) \(event)"
        case .application(let socket, let event):
            "app   \(socket) \(event)"
        case .congestion(let connection, let cwnd, let ssthresh, let reason):
            isVerbose ? "cwnd  \(Self.localEnd(of: connection)) cwnd \(cwnd) ssthresh \(ssthresh) (\(reason))" : nil
        case .variables(let connection, let variables):
            isVerbose ? "vars  \(Self.localEnd(of: connection)) " + Self.relativeVariablesText(variables) : nil
        case .note(let text):
            "note  \(node): \(text)"
        }
    }

    /// A sent packet's line: a retransmission is tagged `rexmt` with its reason.
    static func sentText(summary: String, cause: SendCause) -> String {
        switch cause {
        case .original: "send  " + summary
        case .reset: "send  " + summary + " [reset]"
        case .retransmission(let why): "rexmt " + summary + " [\(why)]"
        }
    }

    /// Every variable, sequence numbers absolute (the text trace's exact form).
    public static func variablesText(_ v: TCPVariables) -> String {
        "iss \(v.iss) irs \(v.irs) una \(v.sndUNA) nxt \(v.sndNXT) wnd \(v.sndWND) rcv \(v.rcvNXT) "
            + "rwnd \(v.rcvWND) cwnd \(v.cwnd) ssthresh \(v.ssthresh) srtt \(v.srtt.map(duration) ?? "-") "
            + "rto \(duration(v.rto)) flight \(v.bytesInFlight)"
    }

    /// `una 1 nxt 1001 wnd 65535 rcv 1 rwnd 65535 cwnd 2920 ssth ∞ srtt 20ms rto 220ms`: sequence
    /// numbers relative to ISS and IRS (`rcv -` before the peer's SYN), as a listing shows them.
    static func relativeVariablesText(_ v: TCPVariables) -> String {
        let received = v.irs == 0 && v.rcvNXT == 0 ? "-" : "\(v.rcvNXT &- v.irs)"
        let ssthresh = v.ssthresh >= 1 << 30 ? "∞" : "\(v.ssthresh)"
        return "una \(v.sndUNA &- v.iss) nxt \(v.sndNXT &- v.iss) wnd \(v.sndWND) rcv \(received) rwnd \(v.rcvWND) "
            + "cwnd \(v.cwnd) ssth \(ssthresh) srtt \(v.srtt.map(duration) ?? "-") rto \(duration(v.rto))"
    }

    /// `20ms`, or `150us` when not whole milliseconds.
    private static func duration(_ ns: Int64) -> String {
        ns % 1_000_000 == 0 ? "\(ns / 1_000_000)ms" : "\(ns / 1_000)us"
    }

    /// `client:49152` of the connection name `client:49152>server:80`: the host column already
    /// says where it is, and the packet lines say who the peer is.
    static func localEnd(of connection: String) -> Substring {
        connection.split(separator: ">", maxSplits: 1).first ?? connection[...]
    }

    private func timerText(connection: String, timer: TCPTimer, action: TimerAction) -> String? {
        switch action {
        case .set(let at):
            isVerbose ? "timer \(Self.localEnd(of: connection)) \(timer) set for \(Self.seconds(at))" : nil
        case .fired:
            "timer \(Self.localEnd(of: connection)) \(timer) fired"
        case .cancelled:
            isVerbose ? "timer \(Self.localEnd(of: connection)) \(timer) cancelled" : nil
        }
    }
}
