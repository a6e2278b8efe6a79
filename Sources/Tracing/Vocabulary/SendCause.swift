/// Why a TCP segment is sent again (RFC 6298, RFC 5681, RFC 6582, RFC 6675).
public enum TCPRetransmission: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The retransmission timer expired (RFC 6298 §5.4).
    case timeout = "RTO"
    /// Three duplicate ACKs (RFC 5681 §3.2).
    case fastRetransmit = "fast retransmit"
    /// A partial ACK during NewReno fast recovery (RFC 6582 §3.2 step 3).
    case partialACK = "partial ACK"
    /// A hole the receiver's SACK blocks show (RFC 6675 §4 NextSeg rules 1, 3 and 4).
    case sackRecovery = "SACK recovery"
    /// The peer sent its SYN again, so our SYN,ACK was probably lost.
    case duplicateSYN = "duplicate SYN"
    /// The probe timeout expired with nothing acknowledged: the last segment goes again (RFC 8985
    /// §7.3), so that an ACK (or SACK) shows whether the tail of the flight was lost.
    case tailLossProbe = "TLP"

    public var description: String { rawValue }
}

/// Why a packet was sent, when it is not an application's data or the protocol's ordinary reply.
public enum SendCause: Hashable, Sendable, CustomStringConvertible {
    /// An ordinary transmission.
    case original
    /// A RST answering a segment for which no connection exists (RFC 9293 §3.10.7.1).
    case reset
    /// A segment sent again, and why.
    case retransmission(TCPRetransmission)

    /// The text of the trace's `note` field: empty, `reset`, or `retransmission (RTO)`.
    public var description: String {
        switch self {
        case .original: ""
        case .reset: "reset"
        case .retransmission(let why): "retransmission (\(why))"
        }
    }

    /// The cause whose `description` is `text`, or nil.
    public init?(text: String) {
        switch text {
        case "": self = .original
        case "reset": self = .reset
        default:
            let prefix = "retransmission ("
            guard text.hasPrefix(prefix), text.hasSuffix(")"),
                  let why = TCPRetransmission(rawValue: String(text.dropFirst(prefix.count).dropLast())) else { return nil }
            self = .retransmission(why)
        }
    }

    public var isRetransmission: Bool {
        if case .retransmission = self { return true }
        return false
    }
}
