import Tracing
/// A TCP state as the Linux kernel numbers it (`tcpi_state`, and the `st` column of
/// `/proc/net/tcp`), printed with its RFC 9293 name.
public enum KernelTCPState: UInt8, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case established = 1, synSent, synReceived, finWait1, finWait2, timeWait, closed, closeWait, lastAck, listen
    case closing
    /// `TCP_NEW_SYN_RECV`: a request socket that answered a SYN (Linux's lightweight SYN-RECEIVED).
    case newSynReceived

    /// The RFC 9293 state, as the simulator's trace has it.
    public var rfcState: TCPState {
        switch self {
        case .established: .established
        case .synSent: .synSent
        case .synReceived, .newSynReceived: .synReceived
        case .finWait1: .finWait1
        case .finWait2: .finWait2
        case .timeWait: .timeWait
        case .closed: .closed
        case .closeWait: .closeWait
        case .lastAck: .lastAck
        case .listen: .listen
        case .closing: .closing
        }
    }

    /// The RFC 9293 name: `SYN-SENT`, `TIME-WAIT`.
    public var description: String { rfcState.description }

    /// States in which a segment is still owed or awaited without the application doing anything.
    var isTransient: Bool {
        switch self {
        case .synSent, .synReceived, .newSynReceived, .finWait1, .closing, .lastAck: true
        case .established, .finWait2, .timeWait, .closed, .closeWait, .listen: false
        }
    }
}

/// What the kernel says about one TCP socket: `getsockopt(IPPROTO_TCP, TCP_INFO)`.
///
/// Fields are read at their offsets in the kernel's `struct tcp_info` (`linux/tcp.h`), which only
/// ever grows: `tcpi_state` at 0, `tcpi_retransmits` at 2, `tcpi_rto` at 8, `tcpi_snd_mss` at 16,
/// `tcpi_unacked` at 24, `tcpi_rtt` at 68, `tcpi_rttvar` at 72, `tcpi_snd_ssthresh` at 76,
/// `tcpi_snd_cwnd` at 80, `tcpi_total_retrans` at 100, `tcpi_notsent_bytes` at 144.
public struct TCPInfo: Hashable, Sendable {
    public var state: KernelTCPState?
    /// The raw `tcpi_state`, for a state this enum does not know.
    public var rawState: UInt8
    /// `tcpi_retransmits`: retransmissions of the current segment (reset by each ACK).
    public var retransmits: UInt8
    /// `tcpi_rto`: the retransmission timeout, microseconds.
    public var retransmissionTimeoutMicroseconds: UInt32
    /// `tcpi_snd_mss`.
    public var sendMSS: UInt32
    /// `tcpi_unacked`: segments sent and not yet acknowledged.
    public var unackedSegments: UInt32
    /// `tcpi_rtt`: the smoothed round-trip time, microseconds (`SRTT`).
    public var rttMicroseconds: UInt32
    /// `tcpi_rttvar`: its variation, microseconds (`RTTVAR`).
    public var rttVarianceMicroseconds: UInt32
    /// `tcpi_snd_ssthresh`, in segments.
    public var slowStartThreshold: UInt32
    /// `tcpi_snd_cwnd`: the congestion window, in segments.
    public var congestionWindow: UInt32
    /// `tcpi_total_retrans`: every retransmission over the connection's life.
    public var totalRetransmissions: UInt32
    /// `tcpi_notsent_bytes`: bytes in the send buffer not yet sent; nil on kernels before 4.6.
    public var notSentBytes: UInt32?

    /// Decodes the bytes `getsockopt` filled; nil when too few for the fields above.
    public init?(bytes: [UInt8]) {
        guard bytes.count >= 104 else { return nil }
        func u32(_ offset: Int) -> UInt32 {
            UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
                | UInt32(bytes[offset + 3]) << 24
        }
        rawState = bytes[0]
        state = KernelTCPState(rawValue: bytes[0])
        retransmits = bytes[2]
        retransmissionTimeoutMicroseconds = u32(8)
        sendMSS = u32(16)
        unackedSegments = u32(24)
        rttMicroseconds = u32(68)
        rttVarianceMicroseconds = u32(72)
        slowStartThreshold = u32(76)
        congestionWindow = u32(80)
        totalRetransmissions = u32(100)
        notSentBytes = bytes.count >= 148 ? u32(144) : nil
    }

    /// The RFC 9293 name of the state.
    public var stateName: String { state?.description ?? "state \(rawState)" }

    /// Data or a FIN is still on its way or unacknowledged.
    var hasDataInFlight: Bool { unackedSegments > 0 || (notSentBytes ?? 0) > 0 }
}
