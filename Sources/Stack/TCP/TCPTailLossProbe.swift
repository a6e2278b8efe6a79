import Simulation
import Wire

/// The state of RFC 8985 §7's tail loss probe, as Linux keeps it (`tlp_high_seq`, `tlp_retrans`).
///
/// When the last segments of a flight are lost, no later segment draws the duplicate ACKs or SACK
/// blocks that fast recovery needs, and only the RTO (200 ms or more on Linux) repairs them. A
/// probe sent after about two round trips draws an ACK: its SACK blocks show the hole, and SACK
/// recovery repairs it.
struct TCPTailLossProbe: Sendable, Hashable {
    /// `TLP.end_seq` (Linux `tlp_high_seq`): SND.NXT when the probe went out. Set while a probe is
    /// unanswered: one probe per tail (RFC 8985 §7.3, "at most one outstanding TLP").
    var highSequence: SequenceNumber?
    /// The probe sent old data again (`tlp_retrans`), rather than new data.
    var retransmitted = false
    /// The first octet of the last segment of new data sent: the probe resends from there.
    var lastSegmentStart: SequenceNumber

    /// `TCP_TIMEOUT_MIN_US`: the probe timeout's floor with more than one segment in flight.
    static let floor = VirtualDuration.milliseconds(2)

    /// PTO (RFC 8985 §7.2, Linux `tcp_schedule_loss_probe`): 2·SRTT, plus the minimum RTO when one
    /// segment is in flight (the peer may be delaying its ACK of it) or 2 ms otherwise; the initial
    /// RTO (1 s) before any RTT sample. Linux converts it to whole timer ticks (`usecs_to_jiffies`
    /// rounds up; 4 ms at HZ 250), so on loopback the probe waits one tick.
    static func timeout(srtt: VirtualDuration?, oneSegmentInFlight: Bool, minimumRTO: VirtualDuration,
                        initialRTO: VirtualDuration) -> VirtualDuration {
        guard let srtt else { return initialRTO }
        let exact = srtt * 2 + (oneSegmentInFlight ? minimumRTO : floor)
        let tick = TCPLinuxACK.tick.nanoseconds
        return VirtualDuration(nanoseconds: (exact.nanoseconds + tick - 1) / tick * tick)
    }

    /// The D-SACK block of an ACK (RFC 2883 §4): its first SACK block, when that lies at or below the
    /// cumulative ACK, or inside the second block.
    static func duplicateReport(in header: TCPHeader) -> SACKBlock? {
        for option in header.options {
            guard case .sack(let blocks) = option, let first = blocks.first else { continue }
            if !(header.acknowledgmentNumber < first.right) { return first }
            if blocks.count > 1, !(first.left < blocks[1].left), !(blocks[1].right < first.right) { return first }
            return nil
        }
        return nil
    }
}
