import Tracing
import Wire

/// NewReno congestion control (RFC 5681 slow start and congestion avoidance, RFC 6582 fast recovery),
/// or RFC 6675 SACK-based recovery's window (cwnd = ssthresh through the phase; the connection
/// chooses what to send).
///
/// All quantities are octets. The connection calls one method per event and reports the returned
/// reason, if any, as a `TCPAction.congestion`.
struct TCPCongestionControl: Sendable {
    private(set) var cwnd: Int
    private(set) var ssthresh: Int
    private(set) var duplicateACKs = 0
    private(set) var inFastRecovery = false
    /// RFC 6675 §5 loss recovery is in progress (cwnd is not inflated, unlike NewReno's).
    private(set) var inSACKRecovery = false
    /// RFC 6582 `recover`: the highest sequence number sent when loss recovery started; once SND.UNA
    /// has passed it, it follows just behind SND.UNA (see `newAck`).
    private(set) var recover: SequenceNumber
    private(set) var smss: Int

    static let unbounded = 1 << 30

    init(smss: Int, initialWindowSegments: Int?, iss: SequenceNumber) {
        self.smss = smss
        cwnd = Self.initialWindow(smss: smss, segments: initialWindowSegments)
        ssthresh = Self.unbounded   // RFC 5681 §3.1: "arbitrarily high"
        recover = iss
    }

    /// RFC 5681 §3.1 (RFC 3390): min(4×SMSS, max(2×SMSS, 4380)), or a fixed number of segments.
    static func initialWindow(smss: Int, segments: Int?) -> Int {
        if let segments { return segments * smss }
        return min(4 * smss, max(2 * smss, 4380))
    }

    /// A new ACK (`SEG.ACK` = `ack`, `acked` octets of data) outside fast recovery: slow start or
    /// congestion avoidance (RFC 5681 §3.1).
    mutating func newAck(ack: SequenceNumber, acked: Int) -> CongestionReason? {
        duplicateACKs = 0
        // RFC 6582 step 2 compares SEG.ACK with `recover` modulo 2^32 (RFC 9293 §3.4), which means
        // something only within 2^31 octets. Once SND.UNA has passed `recover`, keep `recover` just
        // behind it: left at the ISS, it would seem ahead of every ACK after 2 GiB without loss, and
        // fast retransmit would never start again (FreeBSD's "una wraparound" rule does the same).
        if recover < ack { recover = ack - 1 }
        if cwnd < ssthresh {
            cwnd = min(cwnd + min(acked, smss), Self.unbounded)   // eq. 2, byte counting with L = 1 SMSS
            return .slowStart
        }
        let before = cwnd / smss
        cwnd = min(cwnd + max(1, smss * smss / cwnd), Self.unbounded)   // eq. 3
        return cwnd / smss != before ? .congestionAvoidance : nil
    }

    enum DuplicateOutcome { case counted, fastRetransmit, inflated }

    /// A duplicate ACK (RFC 5681 §3.2, RFC 6582 §3.2 steps 1, 2 and 4).
    mutating func duplicateAck(ack: SequenceNumber, flightSize: Int, sndMax: SequenceNumber, enabled: Bool)
        -> DuplicateOutcome
    {
        if inFastRecovery {
            cwnd += smss   // step 4: inflate for each segment that left the network
            return .inflated
        }
        duplicateACKs += 1
        guard enabled, duplicateACKs == 3, ack > recover else { return .counted }   // step 2: only past `recover`
        ssthresh = max(flightSize / 2, 2 * smss)   // eq. 4
        recover = sndMax
        cwnd = ssthresh + 3 * smss
        inFastRecovery = true
        return .fastRetransmit
    }

    enum RecoveryOutcome { case full, partial }

    /// A new ACK during fast recovery (RFC 6582 §3.2 step 3).
    mutating func recoveryAck(ack: SequenceNumber, acked: Int, flightSize: Int) -> RecoveryOutcome {
        if ack >= recover {
            cwnd = min(ssthresh, max(flightSize, smss) + smss)   // full ACK: deflate, leave recovery
            inFastRecovery = false
            duplicateACKs = 0
            return .full
        }
        cwnd = max(cwnd - acked + (acked >= smss ? smss : 0), smss)   // partial ACK: deflate by what left
        return .partial
    }

    /// A duplicate ACK outside SACK recovery (RFC 6675 §5 step 3): the count so far.
    mutating func countDuplicate() -> Int {
        duplicateACKs += 1
        return duplicateACKs
    }

    /// RFC 6675 §5.1: after a timeout no new recovery starts until HighACK reaches RecoveryPoint,
    /// that is SEG.ACK reaches `recover`.
    func maySACKRecoveryStart(at ack: SequenceNumber) -> Bool { !(ack < recover) }

    /// RFC 6675 §5 steps 4.1–4.2: RecoveryPoint = HighData; cwnd = ssthresh = FlightSize / 2, no less
    /// than 2·SMSS (RFC 5681 eq. 4).
    mutating func enterSACKRecovery(flightSize: Int, sndMax: SequenceNumber) {
        ssthresh = max(flightSize / 2, 2 * smss)
        cwnd = ssthresh
        recover = sndMax
        duplicateACKs = 0
        inSACKRecovery = true
    }

    /// RFC 6675 §5 (A): the cumulative ACK reached RecoveryPoint; cwnd stays at ssthresh.
    mutating func leaveSACKRecovery() {
        inSACKRecovery = false
        duplicateACKs = 0
    }

    /// RFC 8985 §7.4.2: a tail loss probe repaired a loss; respond as to a loss detected by fast
    /// retransmit, without a recovery phase (Linux enters CWR and ends it at once, `tcp_process_tlp_ack`).
    /// The loss lies a round trip back, when the whole window was in flight: cwnd = ssthresh = cwnd / 2
    /// (Linux's `tcp_reno_ssthresh`), at least 2·SMSS.
    mutating func reduceAfterLossProbe() {
        ssthresh = max(cwnd / 2, 2 * smss)
        cwnd = ssthresh
    }

    /// The retransmission timer expired (RFC 5681 §3.1 eq. 4 and the loss window; RFC 6582 §4).
    mutating func timeout(flightSize: Int, sndMax: SequenceNumber, firstTimeout: Bool) {
        if firstTimeout { ssthresh = max(flightSize / 2, 2 * smss) }
        cwnd = smss
        recover = sndMax
        inFastRecovery = false
        inSACKRecovery = false   // RFC 6675 §5.1: the timeout ends SACK recovery too
        duplicateACKs = 0
    }

    /// Newly negotiated SMSS: restart the initial window in it.
    mutating func start(smss: Int, initialWindowSegments: Int?) {
        self.smss = smss
        cwnd = Self.initialWindow(smss: smss, segments: initialWindowSegments)
    }
}
