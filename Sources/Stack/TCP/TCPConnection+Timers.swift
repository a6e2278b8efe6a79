import Simulation
import Tracing
import Wire

extension TCPConnection {
    /// A timer the connection asked for has expired. Stale calls (timer since cancelled or moved
    /// later) are ignored, so a host may be lazy about cancelling.
    public mutating func timerFires(_ timer: TCPTimer, now: VirtualTime) -> [TCPAction] {
        var actions = TCPActionList()
        timerFires(timer, now: now, into: &actions)
        return actions.array
    }

    /// `timerFires(_:now:)`, appending the actions to `buffer`.
    public mutating func timerFires(_ timer: TCPTimer, now: VirtualTime, into buffer: inout TCPActionList) {
        exchangeActions(with: &buffer)
        defer { exchangeActions(with: &buffer) }
        let index = timer.index
        guard let deadline = timerDeadlines[index], deadline <= now else { return }
        timerDeadlines[index] = nil
        switch timer {
        case .retransmission: retransmissionTimeout(now: now)
        case .persist: persistTimeout(now: now)
        case .delayedACK: delayedACKTimeout(now: now)
        case .keepalive: keepaliveTimeout(now: now)
        case .timeWait: if state == .timeWait { enterClosed(cause: .timeWaitTimeout) }
        case .lossProbe: lossProbeTimeout(now: now)
        }
    }

    /// RFC 1122 §4.2.3.2: the delayed ACK is due (Linux: `tcp_delack_timer_handler` adapts the ato first).
    mutating func delayedACKTimeout(now: VirtualTime) {
        switch configuration.ackModel {
        case .rfc1122:
            if unacknowledgedSegments > 0 || ackNeeded { sendACK(now: now) }
        case .linux:
            guard linuxACK.scheduled || ackNeeded else { return }
            linuxACK.timerFired(rto: rto)
            sendACK(now: now)
        }
    }

    /// RFC 6298 §5.4–5.6: resend, back off, and give up after the configured retries.
    mutating func retransmissionTimeout(now: VirtualTime) {
        switch state {
        case .closed, .listen, .finWait2, .timeWait:   // nothing outstanding
            return
        case .synSent, .synReceived:   // §3.8.1 SYN (or SYN,ACK) retransmission
            synTimeout(now: now)
        case .established, .finWait1, .closeWait, .closing, .lastAck:   // §3.8.1 data retransmission
            if sndUNA == iss {   // FIN-WAIT-1 entered from SYN-RECEIVED: our SYN,ACK is still out
                synTimeout(now: now)
                return
            }
            guard sndMax > sndUNA else { return }
            guard consecutiveTimeouts < configuration.dataRetries else {   // the "user timeout"
                // RFC 1122 §4.2.3.5: close the connection after R2. A reset tells a peer that is still
                // there; Linux (`tcp_write_err`) closes without one.
                if configuration.resetsOnRetransmissionGiveUp { sendReset(now: now) }
                enterClosed(cause: .retransmissionTimeout, error: .timedOut)
                return
            }
            congestionControl.timeout(flightSize: Int(sndMax - sndUNA), sndMax: sndMax,
                                      firstTimeout: consecutiveTimeouts == 0)
            stopLossProbe(now: now)   // RFC 8985 §7.3: the RTO ends the probe's episode
            reportCongestion(.lossWindow)
            sackScoreboard.clear()   // RFC 6675 §5.1 (RFC 2018 §8): the receiver may have reneged
            consecutiveTimeouts += 1
            rtoEstimator.backOff()
            timedSegment = nil
            sndNXT = sndUNA   // go back N
            retransmitReason = .timeout
            if sndWND == 0, configuration.retransmitsIntoZeroWindow {
                // Linux `tcp_retransmit_timer`: the peer took its window back with data in flight
                // ("our retransmits become zero probes"): the first segment goes anyway.
                sendNext(length: max(0, min(Int(min(sndMax, finSequence) - sndUNA), sendSegmentSize)), now: now)
                updatePersistTimer(now: now)
                return
            }
            transmit(now: now, force: true)
        }
    }

    mutating func synTimeout(now: VirtualTime) {
        guard consecutiveTimeouts < configuration.synRetries else {
            let active = state == .synSent || !passiveOpen
            enterClosed(cause: state == .synSent ? .synTimeout : .synACKTimeout, error: active ? .timedOut : nil)
            return
        }
        consecutiveTimeouts += 1
        rtoEstimator.backOff()
        sendSYN(now: now, retransmission: .timeout)
    }

    /// RFC 9293 §3.8.6.1: probe a zero window, backing off; or override SWS avoidance if it is open.
    mutating func persistTimeout(now: VirtualTime) {
        guard mayTransmit, Int(sndNXT - sendBufferStart) < sendBuffer.count, sndNXT == sndUNA else { return }
        let peerWindow = configuration.ablations.contains(.ignoreReceiveWindow) ? Int.max : sndWND
        if peerWindow > 0 {
            transmit(now: now, force: true, probe: true)
        } else {
            emit(makeSegment(sequence: sndUNA - 1, flags: .ack, now: now))
            persistBackoff += 1
        }
        updatePersistTimer(now: now)
    }

    /// RFC 1122 §4.2.3.6: probe an idle connection; give up after `probes` unanswered probes.
    mutating func keepaliveTimeout(now: VirtualTime) {
        guard let keepalive else { return }
        switch state {
        case .established, .closeWait, .finWait2:   // synchronized and otherwise idle
            break
        case .closed, .listen, .synSent, .synReceived, .finWait1, .closing, .lastAck, .timeWait:
            return
        }
        if sndMax != sndUNA {   // data outstanding: the retransmission timer watches the peer
            setTimer(.keepalive, at: now + keepalive.idle)
            return
        }
        if keepaliveProbesSent == 0, now - lastReceived < keepalive.idle {
            setTimer(.keepalive, at: lastReceived + keepalive.idle)
            return
        }
        guard keepaliveProbesSent < keepalive.probes else {
            sendReset(now: now, activeReset: true)   // Linux tcp_keepalive_timer: tcp_send_active_reset
            enterClosed(cause: .keepaliveTimeout, error: .timedOut)
            return
        }
        emit(makeSegment(sequence: sndNXT - 1, flags: .ack, now: now))   // SEG.SEQ = SND.NXT − 1, no data
        keepaliveProbesSent += 1
        setTimer(.keepalive, at: now + keepalive.interval)
    }
}
