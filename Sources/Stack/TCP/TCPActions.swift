import Simulation
import Tracing
import Wire

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

/// What a connection asks its host (and, through the host, its application) to do.
public enum TCPAction: Sendable, Hashable {
    /// Send this segment from `local` to `remote`; `retransmission` says why, when it is a resend.
    case send(TCPSegment, retransmission: TCPRetransmission? = nil)
    /// Run `timer` until `at`, replacing any earlier setting of the same timer.
    case setTimer(TCPTimer, at: VirtualTime)
    case cancelTimer(TCPTimer)
    case stateChanged(from: TCPState, to: TCPState, cause: StateChangeCause)
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
    case dropped(TCPSegment, reason: PacketDropReason)
    /// The congestion window or slow-start threshold changed (RFC 5681, RFC 6582).
    case congestion(cwnd: Int, ssthresh: Int, reason: CongestionReason)
}
