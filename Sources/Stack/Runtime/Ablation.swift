/// A protocol rule switched off on purpose, so a learner (or the checker) sees what it is for:
/// the one list of ablations that the command line, lessons and the checker share.
public enum Ablation: String, CaseIterable, Sendable, Hashable, CustomStringConvertible {
    case noRetransmission = "no-retransmission"
    case noTimeWait = "no-time-wait"
    case ackOffByOne = "ack-off-by-one"
    case ignoreReceiveWindow = "ignore-receive-window"
    case checksumNotVerified = "checksum-not-verified"
    case acceptOutOfWindow = "accept-out-of-window"
    case zeroISN = "zero-isn"
    case noFastRetransmit = "no-fast-retransmit"
    case sackIgnored = "sack-ignored"

    /// The kebab-case name `--ablate NAME` and a lesson's `ablation:` take.
    public var name: String { rawValue }
    public var description: String { rawValue }

    /// Every ablation's name, in order.
    public static var names: [String] { allCases.map(\.rawValue) }

    /// One sentence: what is switched off.
    public var summary: String {
        switch self {
        case .noRetransmission: "Never retransmit: no RTO, no fast retransmit, no SYN retries."
        case .noTimeWait: "The active closer goes straight to CLOSED, skipping TIME-WAIT."
        case .ackOffByOne: "Acknowledge one octet too many (SEG.ACK = RCV.NXT + 1)."
        case .ignoreReceiveWindow: "Send what the congestion window allows, ignoring the peer's window."
        case .checksumNotVerified: "The receiving IP layer accepts packets with bad checksums."
        case .acceptOutOfWindow: "Skip the sequence-number acceptability test, RSTs included."
        case .zeroISN: "Every connection starts at sequence number 0."
        case .noFastRetransmit: "Ignore duplicate ACKs: recover from loss by RTO only."
        case .sackIgnored: "The data sender ignores the SACK blocks it receives: NewReno, one hole per round trip."
        }
    }

    /// The TCP switch, or nil for `checksum-not-verified` (an IP-layer switch).
    public var tcp: TCPAblations? {
        switch self {
        case .noRetransmission: .noRetransmission
        case .noTimeWait: .noTimeWait
        case .ackOffByOne: .ackOffByOne
        case .ignoreReceiveWindow: .ignoreReceiveWindow
        case .checksumNotVerified: nil
        case .acceptOutOfWindow: .acceptOutOfWindow
        case .zeroISN: .zeroISN
        case .noFastRetransmit: .noFastRetransmit
        case .sackIgnored: .sackIgnored
        }
    }
}
