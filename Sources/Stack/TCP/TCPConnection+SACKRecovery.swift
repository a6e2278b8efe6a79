import Simulation
import Tracing
import Wire

extension TCPConnection {
    /// RFC 6675 recovery applies: SACK was negotiated, the profile asks for it, and the sender is not
    /// told (by the `sackIgnored` ablation) to ignore the blocks it receives.
    var usesSACKRecovery: Bool {
        sackPermitted && configuration.sackRecovery && !configuration.ablations.contains(.sackIgnored)
    }

    /// Whether loss may be repaired before the timer fires (the retransmission ablations switch it off).
    var fastRetransmitEnabled: Bool {
        !configuration.ablations.contains(.noFastRetransmit) && !configuration.ablations.contains(.noRetransmission)
    }

    /// RFC 6675 §5 step 1 (`Update()`): the SACK blocks of an acceptable ACK, `ack` ≥ SND.UNA, go on
    /// the scoreboard (RFC 2018 §5: only blocks between SEG.ACK and SND.MAX).
    mutating func recordReceivedSACK(_ segment: TCPSegment, ack: SequenceNumber) {
        var blocks: [SACKBlock] = []
        for option in segment.header.options { if case .sack(let reported) = option { blocks += reported } }
        sackScoreboard.update(blocks: blocks, highACK: ack, highData: sndMax)
    }

    /// A new ACK under RFC 6675: leave recovery once it covers RecoveryPoint (§5 (A)); outside
    /// recovery grow cwnd as RFC 5681 does (cwnd stays at ssthresh during recovery).
    mutating func sackNewACK(ack: SequenceNumber, dataAcked: Int) {
        if congestionControl.inSACKRecovery {
            if congestionControl.maySACKRecoveryStart(at: ack) {   // §5 (A): HighACK ≥ RecoveryPoint
                congestionControl.leaveSACKRecovery()
                reportCongestion(.leaveSACKRecovery)
            }
        } else if dataAcked > 0, let reason = congestionControl.newAck(ack: ack, acked: dataAcked) {
            reportCongestion(reason)
        }
    }

    /// A duplicate ACK under RFC 6675 §5 step 3, outside recovery: count it, and start recovery on
    /// the DupThresh-th (3.1). Step 3.2 (the scoreboard shows HighACK + 1 lost) follows for every ACK.
    mutating func sackDuplicateACK(ack: SequenceNumber, now: VirtualTime) {
        guard !congestionControl.inSACKRecovery else { return }
        let duplicates = congestionControl.countDuplicate()
        if duplicates >= TCPSACKScoreboard.duplicateThreshold, fastRetransmitEnabled,
           congestionControl.maySACKRecoveryStart(at: ack) {
            enterSACKRecovery(now: now)
        }
    }

    /// RFC 6675 §5 step 3.2: the scoreboard shows HighACK + 1 lost. Checked after every acceptable ACK,
    /// not only duplicates (as Linux's `tcp_time_to_recover` does), so that no new data leaves while a
    /// hole is known to be lost and not yet resent.
    mutating func startSACKRecoveryIfLost(now: VirtualTime) {
        guard !congestionControl.inSACKRecovery, fastRetransmitEnabled, sndMax > sndUNA, sndUNA != iss,
              congestionControl.maySACKRecoveryStart(at: sndUNA),
              sackScoreboard.isLost(sndUNA, smss: effectiveMSS) else { return }
        enterSACKRecovery(now: now)
    }

    /// RFC 6675 §5 step 4: RecoveryPoint = HighData, cwnd = ssthresh = FlightSize / 2, retransmit the
    /// first segment from HighACK + 1 (no further than the first SACKed octet), HighRxt = RescueRxt =
    /// its last octet. Step 4.5's transmission follows when the ACK has been processed (`transmit`).
    mutating func enterSACKRecovery(now: VirtualTime) {
        congestionControl.enterSACKRecovery(flightSize: Int(sndMax - sndUNA), sndMax: sndMax)
        reportCongestion(.enterSACKRecovery)
        if configuration.tailLossProbe { stopLossProbe(now: now) }
        if sndNXT < sndMax { sndNXT = sndMax }   // the scoreboard, not go-back-N, says what to resend
        retransmitReason = nil
        let holeEnd = sackScoreboard.holes(highACK: sndUNA, highData: sndMax).first?.right ?? sndMax
        let end = finSequence < holeEnd ? finSequence : holeEnd
        let length = min(effectiveMSS, max(0, Int(end - sndUNA)))
        sendData(at: sndUNA, length: length, now: now, retransmission: .fastRetransmit)
        let retransmitted = sequenceAfter(sndUNA, length: length)
        sackRecovery = TCPSACKRecovery(highRetransmitted: retransmitted, rescueRetransmitted: retransmitted)
    }

    /// RFC 6675 §5 (C): while cwnd − pipe ≥ 1 SMSS, send what `NextSeg()` chooses; (C.2) a
    /// retransmission by rule 1 or 3 moves HighRxt, rule 4 sets RescueRxt = RecoveryPoint.
    mutating func transmitInSACKRecovery(now: VirtualTime) {
        let smss = effectiveMSS
        while congestionControl.cwnd - sackRecovery.pipe(scoreboard: sackScoreboard, highACK: sndUNA,
                                                         highData: sndMax, smss: smss) >= smss {
            guard let next = sackRecovery.nextSegment(scoreboard: sackScoreboard, highACK: sndUNA, highData: sndMax,
                                                      smss: smss, newData: newDataForSACKRecovery(),
                                                      dataEnd: finSequence) else { return }
            switch next.rule {
            case .newData:   // (C.3): HighData moves with SND.MAX
                sendNext(length: next.length, now: now)
            case .lost, .notYetLost:
                sendData(at: next.start, length: next.length, now: now, retransmission: .sackRecovery)
                sackRecovery.highRetransmitted = sequenceAfter(next.start, length: next.length)
            case .rescue:
                sendData(at: next.start, length: next.length, now: now, retransmission: .sackRecovery)
                sackRecovery.rescueRetransmitted = congestionControl.recover
            }
        }
    }

    /// NextSeg rule 2's new data: up to SMSS octets from SND.NXT that the receive window, sender SWS
    /// avoidance and Nagle let go now (or the FIN); nil when none may.
    func newDataForSACKRecovery() -> Int? {
        let unsent = unsentCount
        guard unsent > 0 || finDue else { return nil }
        let room = peerWindowForSending == Int.max ? Int.max : peerWindowForSending - bytesInFlight
        let length = max(0, min(unsent, sendSegmentSize, room))
        if unsent > 0 {
            guard length > 0, mayLeaveNow(length: length, unsent: unsent, inFlight: bytesInFlight) else { return nil }
        }
        return length
    }

    /// One past a segment of `length` queued octets from `start`, counting the FIN it carries.
    func sequenceAfter(_ start: SequenceNumber, length: Int) -> SequenceNumber {
        let end = start + UInt32(length)
        return end + (finQueued && end == finSequence ? 1 : 0)
    }
}
