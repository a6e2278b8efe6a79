/// A named, documented way in which StackLab's simulated stack and the Linux kernel may send
/// different segments for the same socket calls while doing the same thing.
///
/// A replay (`TraceComparison`) applies only these; anything else that differs is a mismatch.
/// Each has a name (used in reports, the ladder's margin and `--json`), one sentence saying what
/// it excuses, where it may apply, and the RFC or kernel behaviour that is the reason.
public enum ReplayEquivalence: String, CaseIterable, Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Windows, TCP options and the PSH bit differ.
    case timestampsAndOptions = "timestamps-and-options"
    /// The same bytes cut into different segments.
    case segmentation
    /// A pure ACK in one trace rides on a data segment in the other.
    case delayedACKMerge = "delayed-ack-merge"
    /// The ACK of a FIN rides on the receiver's own FIN: a three-segment teardown.
    case finACKPiggyback = "fin-ack-piggyback"
    /// Fewer (or more) pure ACKs for the same data: a later cumulative ACK covers them.
    case ackCoalescing = "ack-coalescing"
    /// An extra pure ACK that acknowledges nothing new (it only reopens the window).
    case windowUpdate = "window-update"
    /// Two closes at the same scenario time: FINs cross on the simulator, not on loopback.
    case closeRace = "close-race"
    /// Bytes one stack sent twice though the link lost nothing.
    case retransmission
    /// A reset with ACK on one side, without on the other.
    case rstACK = "rst-ack"

    public var name: String { rawValue }
    public var description: String { rawValue }

    /// What the equivalence excuses, in one sentence.
    public var summary: String {
        switch self {
        case .timestampsAndOptions:
            "Linux offers timestamps, SACK-permitted and window scaling, advertises an MSS from lo's MTU, scales its "
                + "windows and sets PSH at the end of each write; the textbook profile offers MSS 1460 only: "
                + "windows, options and PSH are compared only with --strict."
        case .segmentation:
            "The same bytes cut differently: one write split into several segments or several merged into one (the "
                + "MSS, cwnd and when the application wrote decide), the FIN riding on the last data segment or "
                + "sent alone; byte ranges are compared, not segment counts."
        case .delayedACKMerge:
            "A pure ACK sent alone in one trace rides on the next data segment in the other (or a data segment "
                + "carries a later ACK because it left later): the same cumulative acknowledgment."
        case .finACKPiggyback:
            "The ACK of the peer's FIN rides on the receiver's own FIN because its application closed as soon as it "
                + "read end-of-file: a three-segment teardown (FIN; FIN,ACK; ACK) instead of four."
        case .ackCoalescing:
            "A different number of pure ACKs for the same data: Linux acknowledges every second full segment or "
                + "once per receive, the textbook every segment; a later cumulative ACK covers the missing ones."
        case .windowUpdate:
            "An extra pure ACK that acknowledges nothing new and only advertises a larger window, sent when the "
                + "application has read from a receive buffer that had filled."
        case .closeRace:
            "Both ends close at the same scenario time: on the simulator's link both FINs leave before either "
                + "arrives (both pass CLOSING, both wait in TIME-WAIT); on loopback the first FIN is delivered "
                + "before the second close, which then carries its ACK (an ordinary teardown, one TIME-WAIT)."
        case .retransmission:
            "Bytes sent a second time by one stack although the link lost nothing: on loopback the receiving "
                + "kernel may drop a segment it cannot queue (its receive buffer is accounted in memory, not in "
                + "window octets) and the sender's tail-loss probe or timer sends it again; bytes are compared once."
        case .rstACK:
            "An abort's reset is <SEQ=SND.NXT><CTL=RST> in RFC 9293, while Linux also sets ACK and acknowledges "
                + "what it received; a reset is judged by its sequence number alone, so the two do the same."
        }
    }

    /// Where the comparison may apply it.
    public var appliesWhere: String {
        switch self {
        case .timestampsAndOptions: "any segment whose flags, sequence range and acknowledgment agree"
        case .segmentation: "a run of data segments in one direction that starts and ends at the same sequence numbers"
        case .delayedACKMerge: "a pure ACK (not the handshake's), or the acknowledgment number of a data segment"
        case .finACKPiggyback: "a pure ACK of the peer's FIN, where the other trace's FIN carries that acknowledgment"
        case .ackCoalescing: "a pure ACK of data (not of a SYN) that a later segment of the other trace acknowledges"
        case .windowUpdate: "a pure ACK whose acknowledgment number repeats the previous segment's"
        case .closeRace: "the second FIN of a connection whose FINs crossed on the simulator"
        case .retransmission: "a SYN, data or FIN segment whose sequence range its sender had wholly sent before"
        case .rstACK: "a RST with the same sequence number on both sides, ACK set on one only"
        }
    }

    /// The standard or kernel behaviour that is the reason.
    public var reference: String {
        switch self {
        case .timestampsAndOptions: "RFC 7323 §2-3, RFC 2018 §2, RFC 9293 §3.7.1; Linux tcp_syn_options()"
        case .segmentation: "RFC 9293 §3.8.6.2.1 (the sender decides segment sizes); Linux tcp_sendmsg() and GSO"
        case .delayedACKMerge: "RFC 9293 §3.8.6.3, RFC 1122 §4.2.3.2; Linux delayed ACK (tcp_send_delayed_ack)"
        case .finACKPiggyback: "RFC 9293 §3.6 (a FIN segment carries an ACK); Linux delayed ACK"
        case .ackCoalescing: "RFC 5681 §4.2, RFC 1122 §4.2.3.2; Linux __tcp_ack_snd_check()"
        case .windowUpdate: "RFC 9293 §3.8.6.2.2; Linux tcp_cleanup_rbuf()"
        case .closeRace: "RFC 9293 §3.6 Figure 13 (simultaneous close) versus its normal close sequence"
        case .retransmission: "RFC 9293 §3.8.1, RFC 8985 §7 (tail loss probe); Linux tcp_prune_queue()"
        case .rstACK: "RFC 9293 §3.10.4 (ABORT) and §3.10.7.4 (checking a RST); Linux tcp_send_active_reset()"
        }
    }

    /// The equivalences a replay of `profile` may apply: each one that only papers over a mechanism
    /// the profile models is a mismatch for it instead. The linux profile delays the ACK of a FIN as
    /// Linux does (`tcp_fin` enters ping-pong mode), so a close on end-of-file sends FIN,ACK there
    /// too: `fin-ack-piggyback` is not one of its equivalences for the simulated side (a lone ACK of
    /// a FIN that the simulator sends where the kernel's FIN carried it is a mismatch; the kernel's
    /// own lone ACK, when its application closed after the delayed-ACK timer, is still excused by
    /// `DirectionAligner.permits`). Its abort sends RST,ACK as Linux's `tcp_send_active_reset` does,
    /// so `rst-ack` is not one of its equivalences either. The replay's loopback link delivers each
    /// packet within the call that sent it (`LinkSpec.loopback`), so two closes at one instant do
    /// not cross there either: `close-race` is not one of them. It sends a tail loss probe and
    /// drops what a receive buffer short of memory cannot hold, as Linux does, so `retransmission`
    /// is not one of them. The others stay for what follows from the kernel's timing (when its
    /// applications read and write), which only large transfers show.
    public static func allowed(for profile: StackProfile) -> Set<ReplayEquivalence> {
        switch profile {
        case .textbook, .smallBuffer: Set(allCases)
        case .linux: Set(allCases).subtracting([.finACKPiggyback, .rstACK, .closeRace, .retransmission])
        }
    }

    public static func < (lhs: ReplayEquivalence, rhs: ReplayEquivalence) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
