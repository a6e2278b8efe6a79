/// Why the congestion window or slow-start threshold changed (RFC 5681, RFC 6582).
public enum CongestionReason: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// RFC 5681 §3.1 IW, set when the connection is established.
    case initialWindow = "initial window"
    /// RFC 5681 §3.1: cwnd grows by up to SMSS per ACK.
    case slowStart = "slow start"
    /// RFC 5681 §3.1: cwnd grows by about SMSS per RTT.
    case congestionAvoidance = "congestion avoidance"
    /// RFC 5681 §3.2 steps 2–3: ssthresh halves, cwnd = ssthresh + 3·SMSS.
    case fastRetransmit = "3 duplicate ACKs: fast retransmit"
    /// RFC 5681 §3.2 step 4: inflate cwnd by SMSS per further duplicate ACK.
    case duplicateACKInRecovery = "duplicate ACK in fast recovery"
    /// RFC 6582 §3.2 step 3: a partial ACK deflates cwnd.
    case partialACK = "partial ACK"
    /// RFC 6582 §3.2 step 3: a full ACK ends fast recovery.
    case fullACK = "full ACK: leave fast recovery"
    /// RFC 6675 §5 step 4: DupThresh duplicate ACKs, or SACK blocks showing SND.UNA lost, start SACK
    /// recovery: cwnd = ssthresh = FlightSize / 2.
    case enterSACKRecovery = "loss: enter SACK recovery"
    /// RFC 6675 §5 (A): the cumulative ACK reached RecoveryPoint.
    case leaveSACKRecovery = "full ACK: leave SACK recovery"
    /// RFC 5681 §3.1 (4): after an RTO, cwnd is one segment.
    case lossWindow = "RTO: loss window"
    /// RFC 8985 §7.4.2: the ACK after a tail loss probe shows the probe repaired a loss (no D-SACK
    /// reported it as a duplicate): cwnd = ssthresh = cwnd / 2, as for a fast retransmit.
    case lossProbeRepair = "loss repaired by the tail loss probe"

    public var description: String { rawValue }

    /// The reasons whose text contains `words` (case ignored): how a lesson names them,
    /// e.g. "fast retransmit" or "slow start".
    public static func matching(_ words: String) -> [CongestionReason] {
        let wanted = words.lowercased()
        return allCases.filter { $0.rawValue.lowercased().contains(wanted) }
    }
}
