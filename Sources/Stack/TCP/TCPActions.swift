import Simulation
import Wire

/// The timers a connection asks its host to run (RFC 9293 §3.8, RFC 6298, RFC 1122 §4.2.3.6).
public enum TCPTimer: Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// RFC 6298 retransmission timeout (also the SYN and SYN,ACK retransmissions).
    case retransmission
    /// Zero-window probes (RFC 9293 §3.8.6.1).
    case persist
    /// Delayed acknowledgment (RFC 1122 §4.2.3.2, RFC 5681 §4.2).
    case delayedACK
    /// Keepalive probes (RFC 1122 §4.2.3.6).
    case keepalive
    /// TIME-WAIT's 2×MSL (RFC 9293 §3.6).
    case timeWait

    public var description: String {
        switch self {
        case .retransmission: "retransmission"
        case .persist: "persist"
        case .delayedACK: "delayed-ack"
        case .keepalive: "keepalive"
        case .timeWait: "time-wait"
        }
    }
}

/// Why a connection failed; the corresponding C errors are in each case's comment.
public enum TCPError: Sendable, Hashable, CustomStringConvertible {
    /// The peer answered our SYN with a RST: `ECONNREFUSED`.
    case refused
    /// The peer reset a synchronized connection: `ECONNRESET`.
    case reset
    /// Retransmissions or keepalive probes went unanswered: `ETIMEDOUT`.
    case timedOut

    public var description: String {
        switch self {
        case .refused: "connection refused"
        case .reset: "connection reset"
        case .timedOut: "connection timed out"
        }
    }
}

/// Why a segment is sent again; carried by `TCPAction.send` so the trace can say so.
public enum TCPRetransmission: Sendable, Hashable, CustomStringConvertible {
    /// The retransmission timer expired (RFC 6298 §5.4).
    case timeout
    /// Three duplicate ACKs (RFC 5681 §3.2).
    case fastRetransmit
    /// A partial ACK during NewReno fast recovery (RFC 6582 §3.2 step 3).
    case partialACK
    /// The peer sent its SYN again, so our SYN,ACK was probably lost.
    case duplicateSYN

    public var description: String {
        switch self {
        case .timeout: "RTO"
        case .fastRetransmit: "fast retransmit"
        case .partialACK: "partial ACK"
        case .duplicateSYN: "duplicate SYN"
        }
    }
}

/// What a connection asks its host (and, through the host, its application) to do.
public enum TCPAction: Sendable, Hashable {
    /// Send this segment from `local` to `remote`; `retransmission` says why, when it is a resend.
    case send(TCPSegment, retransmission: TCPRetransmission? = nil)
    /// Run `timer` until `at`, replacing any earlier setting of the same timer.
    case setTimer(TCPTimer, at: VirtualTime)
    case cancelTimer(TCPTimer)
    case stateChanged(from: TCPState, to: TCPState, cause: String)
    /// The connection is established (`onopen`).
    case connected
    /// This many bytes are now readable in total (`onmessage`); the application calls `read`.
    case dataAvailable(Int)
    /// The peer's FIN arrived: end of its stream.
    case peerFinished
    /// The connection failed (`onerror`); a `closed` follows.
    case failed(TCPError)
    /// Fully closed: the host may forget this connection (`onclose`).
    case closed
    /// A segment was not acceptable or was ignored (for the trace).
    case dropped(TCPSegment, reason: String)
    /// The congestion window or slow-start threshold changed (RFC 5681, RFC 6582).
    case congestion(cwnd: Int, ssthresh: Int, reason: String)
}
