/// The timers a TCP connection runs (RFC 9293 §3.8, RFC 6298, RFC 1122 §4.2.3); the trace's timer
/// events carry these and print them by `rawValue`.
public enum TCPTimer: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// RFC 6298 retransmission timeout (also the SYN and SYN,ACK retransmissions).
    case retransmission = "retransmission"
    /// Zero-window probes (RFC 9293 §3.8.6.1).
    case persist = "persist"
    /// Delayed acknowledgment (RFC 1122 §4.2.3.2, RFC 5681 §4.2).
    case delayedACK = "delayed-ack"
    /// Keepalive probes (RFC 1122 §4.2.3.6).
    case keepalive = "keepalive"
    /// TIME-WAIT's 2×MSL (RFC 9293 §3.6).
    case timeWait = "time-wait"
    /// The tail loss probe's timeout, PTO (RFC 8985 §7.2).
    case lossProbe = "loss-probe"

    public var description: String { rawValue }

    /// A dense index from 0, for per-connection timer tables.
    public var index: Int {
        switch self {
        case .retransmission: 0
        case .persist: 1
        case .delayedACK: 2
        case .keepalive: 3
        case .timeWait: 4
        case .lossProbe: 5
        }
    }
}

/// What happened to a timer.
public enum TimerAction: Hashable, Sendable {
    /// Armed (or moved) to fire at `at` nanoseconds.
    case set(at: Int64)
    case fired
    case cancelled
}
