import Simulation
import Tracing
import Wire

extension TCPConnection {
    /// An acceptable ACK (SND.UNA ≤ SEG.ACK ≤ SND.MAX): dequeues acknowledged data, measures RTT,
    /// runs congestion control, restarts or stops the retransmission timer and updates SND.WND.
    mutating func processACK(_ segment: TCPSegment, now: VirtualTime) {
        let header = segment.header
        let ack = header.acknowledgmentNumber
        let advertised = Int(header.window) << sndScale
        // §3.10.7.4 fifth: "If the ACK is a duplicate (SEG.ACK < SND.UNA), it can be ignored." An old
        // ACK overtaken by newer ones (reordering) is not the "last incoming acknowledgment" whose
        // window RFC 5681 §2 (e) compares with: counting it would hide the duplicates after it.
        guard !(ack < sndUNA) else { return }
        let sackRecovers = usesSACKRecovery
        if sackRecovers { recordReceivedSACK(segment, ack: ack) }
        let advanced = sndUNA < ack
        if advanced {
            let acked = Int(ack - sndUNA)
            takeRTTSample(segment, now: now)
            let dataAcked = min(sendBuffer.count, max(0, Int(ack - sendBufferStart)))
            sendBuffer.removeFirst(dataAcked)
            sendBufferStart = sendBufferStart + UInt32(dataAcked)
            sndUNA = ack
            if sndNXT < ack { sndNXT = ack }
            while let first = writeEnds.first, first <= ack { writeEnds.removeFirst() }
            consecutiveTimeouts = 0
            if sackRecovers {
                sackNewACK(ack: ack, dataAcked: dataAcked)
            } else if congestionControl.inFastRecovery {
                switch congestionControl.recoveryAck(ack: ack, acked: acked, flightSize: Int(sndMax - sndUNA)) {
                case .full:
                    reportCongestion(.fullACK)
                case .partial:
                    reportCongestion(.partialACK)
                    retransmitFirst(now: now, reason: .partialACK)
                }
            } else if dataAcked > 0, let reason = congestionControl.newAck(ack: ack, acked: dataAcked) {
                // RFC 5681 §3.1 counts acknowledged data: the ACK of a SYN or FIN grows nothing.
                reportCongestion(reason)
            }
            if sndUNA == sndMax {   // RFC 6298 §5.2: everything acknowledged
                cancelTimer(.retransmission)
            } else {   // RFC 6298 §5.3: new data acknowledged, restart
                armRetransmissionTimer(now: now, restart: true)
            }
        } else if ack == sndUNA, segment.payload.isEmpty, !header.flags.contains(.syn),
                  !header.flags.contains(.fin), advertised == lastIncomingWindow, sndMax > sndUNA {
            // RFC 5681 §2 duplicate ACK: (e) compares with the window of the last incoming ACK,
            // whether or not that one updated SND.WND.
            if sackRecovers {
                sackDuplicateACK(ack: ack, now: now)
            } else {
                newRenoDuplicateACK(ack: ack, now: now)
            }
        }
        lastIncomingWindow = advertised
        // §3.10.7.4 fifth: update the send window from the newest segment (SND.WL1, SND.WL2). A segment
        // that acknowledges more than SND.WL2 was sent after the one that set the window, even if its
        // sequence number is older (a retransmission), so its window is newer too: without this (Linux's
        // tcp_may_update_window rule) a stale window would be applied to the new SND.UNA and data sent
        // past the edge the receiver advertised.
        if sndUNA <= ack, sndWL1 < header.sequenceNumber || (sndWL1 == header.sequenceNumber && sndWL2 <= ack)
            || sndWL2 < ack {
            sndWND = advertised
            maxSndWND = max(maxSndWND, sndWND)
            sndWL1 = header.sequenceNumber
            sndWL2 = ack
        }
        if sackRecovers { startSACKRecoveryIfLost(now: now) }
        if configuration.tailLossProbe { lossProbeAfterACK(segment, advanced: advanced, now: now) }
    }

    /// A duplicate ACK under NewReno: RFC 5681 §3.2 fast retransmit, RFC 6582 §3.2 inflation.
    mutating func newRenoDuplicateACK(ack: SequenceNumber, now: VirtualTime) {
        switch congestionControl.duplicateAck(ack: ack, flightSize: Int(sndMax - sndUNA), sndMax: sndMax,
                                              enabled: fastRetransmitEnabled) {
        case .fastRetransmit:
            reportCongestion(.fastRetransmit)
            if configuration.tailLossProbe { stopLossProbe(now: now) }
            retransmitFirst(now: now, reason: .fastRetransmit)
        case .inflated:
            reportCongestion(.duplicateACKInRecovery)
        case .counted:
            break
        }
    }

    /// §3.10.7.4 seventh check: queues in-order data for the application and holds out-of-order data.
    /// Returns whether the segment's FIN is next in sequence.
    @inline(__always)
    mutating func receiveText(_ segment: TCPSegment, now: VirtualTime) -> Bool {
        // A bare ACK (half of all segments) carries nothing to take in: what follows would do
        // nothing for it but copy and drop its empty payload (~35 instructions a packet;
        // callgrind, workload A). Checked where it is called: the call, and the segment's fields
        // `receiveSegmentText` loads on entry, cost ~20 instructions a packet more.
        if segment.payload.isEmpty && !segment.header.flags.contains(.fin) { return false }
        return receiveSegmentText(segment, now: now)
    }

    /// `receiveText` for a segment with data or a FIN.
    @inline(never)
    private mutating func receiveSegmentText(_ segment: TCPSegment, now: VirtualTime) -> Bool {
        var sequence = segment.header.sequenceNumber
        var payload = segment.payload
        var fin = segment.header.flags.contains(.fin)
        if sequence < rcvNXT {   // trim what we already have, and report it (RFC 2883 §4)
            let cut = min(payload.count, Int(rcvNXT - sequence))
            recordDuplicate(left: sequence, right: sequence + UInt32(cut))
            payload = payload.extracting(cut..<payload.count)
            sequence = sequence + UInt32(cut)
        }
        if !configuration.ablations.contains(.acceptOutOfWindow) {   // trim what lies beyond the window
            let room = max(0, Int((rcvNXT + UInt32(rcvWND)) - sequence))
            if payload.count > room {
                payload = payload.extracting(0..<room)
                fin = false
            }
        }
        if payload.isEmpty {
            if !segment.payload.isEmpty { ackNeeded = true }   // a duplicate: acknowledge at once
        } else if sequence == rcvNXT, linuxWindow?.admits(length: payload.count) == false {
            drop(segment, reason: .receiveBufferFull)
            ackNeeded = true   // ICSK_ACK_NOW: the zero window goes at once
            return false
        } else if sequence == rcvNXT {
            let length = payload.count
            receiveBuffer.append(consume payload)   // moved into the queue, not copied
            rcvNXT = rcvNXT + UInt32(length)
            let filled = reassembly.take(at: rcvNXT, into: &receiveBuffer)
            rcvNXT = rcvNXT + UInt32(filled)
            if usesLinuxWindow {
                if filled > 0, reassembly.isEmpty { linuxWindow?.outOfOrderDataReleased() }
                let length = length + filled, end = rcvNXT, receiveMSS = linuxACK.receiveMSS
                linuxWindow?.inOrderDataQueued(length: length, end: end, receiveMSS: receiveMSS, acknowledged: rcvWUP)
            }
            pruneSACKBlocks()
            actions.append(.dataAvailable(receiveBuffer.count))
            // RFC 5681 §4.2: ACK at once when a gap is (partly) filled.
            scheduleACK(immediate: filled > 0 || !reassembly.isEmpty, length: length, now: now)
            return fin && sequence + UInt32(length) == rcvNXT
        } else if rcvNXT < sequence {
            reassembly.insert(payload, at: sequence)
            linuxWindow?.outOfOrderDataHeld(length: payload.count)
            recordSACK(at: sequence)
            ackNeeded = true   // RFC 5681 §4.2: out of order → immediate duplicate ACK
            fin = false   // an out-of-order FIN is not kept (see the simplifications)
        }
        return fin && sequence + UInt32(payload.count) == rcvNXT
    }

    /// Delayed ACK (RFC 1122 §4.2.3.2, RFC 5681 §4.2): at most `delayedACK` late and at least every
    /// second segment, after `quickACKSegments` quick ACKs; or Linux's engine, which decides once the
    /// segment has been processed (`linuxACKCheck`), so that data we send in answer carries the ACK.
    mutating func scheduleACK(immediate: Bool, length: Int, now: VirtualTime) {
        if configuration.ackModel == .linux {
            linuxACK.dataReceived(length: length, window: max(0, Int(rcvAdvertisedEdge - rcvWUP)),
                                  ourMSS: configuration.mss, rto: rto, now: now)
            if immediate { ackNeeded = true }
            return
        }
        guard let delay = configuration.delayedACK, !immediate else {
            ackNeeded = true
            return
        }
        if quickACKsLeft > 0 {
            quickACKsLeft -= 1
            ackNeeded = true
            return
        }
        unacknowledgedSegments += 1
        if unacknowledgedSegments >= 2 {
            ackNeeded = true
        } else if !isRunning(.delayedACK) {
            setTimer(.delayedACK, at: now + delay)
        }
    }

    /// §3.10.7.4 eighth check: the peer's FIN, in sequence.
    mutating func finReceived(now: VirtualTime) {
        rcvNXT = rcvNXT + 1
        actions.append(.peerFinished)
        switch state {
        case .synReceived, .established:   // §3.10.7.4 eighth: enter CLOSE-WAIT
            // Linux (tcp_fin) delays this ACK in ping-pong mode: a close on end-of-file sends FIN,ACK.
            if configuration.ackModel == .linux { linuxACK.finReceived() } else { ackNeeded = true }
            setState(.closeWait, cause: .receivedFIN)
        case .finWait1:   // §3.10.7.4 eighth: FIN and ACK of our FIN → TIME-WAIT, else CLOSING
            ackNeeded = true
            if finAcknowledged {
                sendACK(now: now)
                enterTimeWait(cause: .receivedFINACK, now: now)
            } else {
                setState(.closing, cause: .receivedFIN)
            }
        case .finWait2:   // §3.10.7.4 eighth: enter TIME-WAIT
            sendACK(now: now)
            enterTimeWait(cause: .receivedFIN, now: now)
        case .timeWait:   // §3.10.7.4 eighth: restart the 2 MSL timeout
            ackNeeded = true
            setTimer(.timeWait, at: now + configuration.msl * 2)
        case .closeWait, .closing, .lastAck, .closed, .listen, .synSent:   // §3.10.7.4 eighth: remain
            ackNeeded = true
        }
    }

    /// The window half of `__tcp_ack_snd_check`'s "more than one full segment" rule: the right edge
    /// of the window moves on, because everything received has been read (`SO_RCVLOWAT` is 1) or the
    /// buffer would offer at least the window last advertised (`__tcp_select_window ≥ rcv_wnd`).
    /// While the application lags, its read sends the ACK instead (`tcp_cleanup_rbuf`).
    var linuxWindowAdvances: Bool {
        guard let linuxWindow else { return true }
        return receiveBuffer.count == 0
            || linuxWindow.proposal(receiveMSS: linuxACK.receiveMSS, shift: rcvScale) >= linuxWindow.offered
    }

    /// Linux's `__tcp_ack_snd_check`, once a segment has been processed and nothing we sent carried
    /// the owed ACK: at once in quick-ACK mode or with more than a full segment unacknowledged, else
    /// after the delay (`tcp_send_delayed_ack`), never later than a timer already running and at once
    /// if that timer is due within a quarter of the delay.
    mutating func linuxACKCheck(now: VirtualTime) {
        if linuxACK.acknowledgesNow(unacknowledged: Int(rcvNXT - rcvWUP), windowAdvances: linuxWindowAdvances) {
            sendACK(now: now)
            return
        }
        let delay = linuxACK.delay(srtt: srtt)
        if let running = deadline(of: .delayedACK) {
            if running <= now + delay / 4 { sendACK(now: now) }
            return
        }
        setTimer(.delayedACK, at: now + delay)
    }
}
