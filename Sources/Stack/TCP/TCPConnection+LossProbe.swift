import Simulation
import Tracing
import Wire

extension TCPConnection {
    /// Whether a tail loss probe may be scheduled (RFC 8985 §7.2; Linux `tcp_schedule_loss_probe`):
    /// SACK negotiated, data (or a FIN) in flight, no probe unanswered, and the sender not recovering
    /// from loss: no fast or SACK recovery, no RTO since the last progress, no duplicate ACKs or
    /// SACKed data seen (Linux's `Open` and `CWR` states).
    var mayScheduleLossProbe: Bool {
        maySendLossProbe && congestionControl.duplicateACKs == 0 && sackScoreboard.isEmpty
    }

    /// Whether a probe whose timer expired goes out: as `mayScheduleLossProbe`, except that duplicate
    /// ACKs or SACK blocks that came since it was armed do not stop it (Linux's `tcp_send_loss_probe`
    /// looks only for an unanswered probe; recovery and the RTO stop the timer).
    var maySendLossProbe: Bool {
        configuration.tailLossProbe && sackPermitted && mayTransmit && sndUNA != iss && sndUNA < sndMax
            && tailLossProbe.highSequence == nil && !configuration.ablations.contains(.noRetransmission)
            && !congestionControl.inFastRecovery && !congestionControl.inSACKRecovery && consecutiveTimeouts == 0
    }

    /// After an acceptable ACK: end the probe's episode if this ACK answers it, then re-arm the probe
    /// timer if the ACK acknowledged data (Linux's `tcp_set_xmit_timer` on `FLAG_SET_XMIT_TIMER`).
    mutating func lossProbeAfterACK(_ segment: TCPSegment, advanced: Bool, now: VirtualTime) {
        lossProbeAnswered(by: segment, advanced: advanced)
        if advanced { scheduleLossProbe(now: now) }
    }

    /// Loss recovery or the RTO has started: the probe has no part in it.
    mutating func stopLossProbe(now: VirtualTime) {
        tailLossProbe.highSequence = nil
        stopLossProbeTimer(now: now)
    }

    /// Stops the probe timer; if the probe had taken the RTO's place, the RTO runs again.
    mutating func stopLossProbeTimer(now: VirtualTime) {
        guard isRunning(.lossProbe) else { return }
        cancelTimer(.lossProbe)
        if sndUNA < sndMax, mayTransmit { armRetransmissionTimer(now: now, restart: false) }
    }

    /// Arms the probe timer after new data went out or an ACK acknowledged some (RFC 8985 §7.2), or
    /// stops it when no probe may go. The probe never comes later than the RTO: if the PTO would
    /// (one segment in flight), the probe takes the RTO's place, as in Linux's single transmit timer
    /// (`tcp_schedule_loss_probe`), and the RTO is armed again when the probe has gone
    /// (`tcp_rearm_rto`), one timeout later.
    mutating func scheduleLossProbe(now: VirtualTime) {
        guard configuration.tailLossProbe else { return }
        guard mayScheduleLossProbe else {
            stopLossProbeTimer(now: now)
            return
        }
        let inFlight = Int(sndMax - sndUNA)
        var due = now + TCPTailLossProbe.timeout(
            srtt: srtt, oneSegmentInFlight: inFlight <= sendSegmentSize,
            minimumRTO: configuration.minimumRTO, initialRTO: configuration.initialRTO)
        let retransmissionDue = deadline(of: .retransmission) ?? now + rto
        if !(due < retransmissionDue) {
            due = retransmissionDue
            cancelTimer(.retransmission)
        }
        setTimer(.lossProbe, at: due)
    }

    /// PTO expired (RFC 8985 §7.3; Linux `tcp_send_loss_probe`): send one new segment if the peer's
    /// window has room for it (whatever cwnd and Nagle say), else the last segment sent, or at most
    /// its last MSS, again. Then restart the RTO: the probe is not a timeout, so nothing backs off.
    mutating func lossProbeTimeout(now: VirtualTime) {
        guard maySendLossProbe else {   // Linux: `rearm_timer`
            if sndUNA < sndMax, mayTransmit { armRetransmissionTimer(now: now, restart: false) }
            return
        }
        let segmentSize = sendSegmentSize
        let unsent = unsentCount
        let newLength = min(unsent, segmentSize)
        if (unsent > 0 || finDue), Int(sndNXT - sndUNA) + newLength <= peerWindowForSending {
            sendNext(length: newLength, now: now)
            tailLossProbe.retransmitted = false
        } else {
            let dataEnd = min(sndMax, finSequence)
            var start = max(tailLossProbe.lastSegmentStart, sndUNA)
            if start < dataEnd, Int(dataEnd - start) > segmentSize {
                start = dataEnd - UInt32((Int(dataEnd - start) - 1) % segmentSize + 1)   // its last MSS
            }
            if dataEnd < start { start = dataEnd }
            sendData(at: start, length: Int(dataEnd - start), now: now, retransmission: .tailLossProbe)
            tailLossProbe.retransmitted = true
        }
        tailLossProbe.highSequence = sndMax
        armRetransmissionTimer(now: now, restart: true)
    }

    /// The ACK that answers a probe (RFC 8985 §7.4; Linux `tcp_process_tlp_ack`): once it reaches
    /// the probe's end, the episode is over. If the probe resent old data and no D-SACK reports that
    /// copy as a duplicate, while the ACK passes the probe's end, the probe repaired a loss:
    /// congestion control responds as to a fast retransmit (§7.4.2).
    mutating func lossProbeAnswered(by segment: TCPSegment, advanced: Bool) {
        guard let high = tailLossProbe.highSequence else { return }
        let header = segment.header
        let ack = header.acknowledgmentNumber
        guard !(ack < high) else { return }
        if !tailLossProbe.retransmitted {
            tailLossProbe.highSequence = nil   // new data was the probe: nothing to learn
        } else if let duplicate = TCPTailLossProbe.duplicateReport(in: header), duplicate.left < high,
                  !(duplicate.right < high) {
            tailLossProbe.highSequence = nil   // both copies arrived: there was no loss
        } else if high < ack {
            tailLossProbe.highSequence = nil
            congestionControl.reduceAfterLossProbe()
            reportCongestion(.lossProbeRepair)
        } else if !advanced, segment.payload.isEmpty, sackScoreboard.isEmpty {
            tailLossProbe.highSequence = nil   // a pure duplicate ACK: both copies arrived
        }
    }
}
