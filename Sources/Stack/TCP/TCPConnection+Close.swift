import Simulation
import Tracing
import Wire

extension TCPConnection {
    /// CLOSE (RFC 9293 §3.10.4): our FIN follows the queued data; the peer may keep sending (half-close).
    public mutating func close(now: VirtualTime) -> [TCPAction] {
        var actions = TCPActionList()
        close(now: now, into: &actions)
        return actions.array
    }

    /// `close(now:)`, appending the actions to `buffer`.
    public mutating func close(now: VirtualTime, into buffer: inout TCPActionList) {
        exchangeActions(with: &buffer)
        defer { exchangeActions(with: &buffer) }
        switch state {
        case .closed:   // §3.10.4 "error: connection does not exist"
            break
        case .listen:   // §3.10.4 LISTEN: pending RECEIVEs get "closing"; delete the TCB
            enterClosed(cause: .close)
        case .synSent:   // §3.10.4 SYN-SENT: delete the TCB
            enterClosed(cause: .close)
        case .synReceived:   // §3.10.4 SYN-RECEIVED: send FIN, enter FIN-WAIT-1
            finQueued = true
            setState(.finWait1, cause: .close)
            if sendBuffer.isEmpty {
                emit(makeSegment(sequence: finSequence, flags: [.fin, .ack], now: now))
                sndNXT = finSequence + 1
                sndMax = sndNXT
                armRetransmissionTimer(now: now, restart: false)
            }
        case .established:   // §3.10.4 ESTABLISHED: FIN after queued data, enter FIN-WAIT-1
            finQueued = true
            setState(.finWait1, cause: .close)
            transmit(now: now)
        case .closeWait:   // §3.10.4 CLOSE-WAIT: FIN after queued data, enter LAST-ACK
            finQueued = true
            setState(.lastAck, cause: .close)
            transmit(now: now)
        case .finWait1, .finWait2, .closing, .lastAck, .timeWait:   // §3.10.4 "error: connection closing"
            break
        }
    }

    /// ABORT (RFC 9293 §3.10.5): RST to the peer where it knows the connection; CLOSED.
    public mutating func abort(now: VirtualTime) -> [TCPAction] {
        var actions = TCPActionList()
        abort(now: now, into: &actions)
        return actions.array
    }

    /// `abort(now:)`, appending the actions to `buffer`.
    public mutating func abort(now: VirtualTime, into buffer: inout TCPActionList) {
        exchangeActions(with: &buffer)
        defer { exchangeActions(with: &buffer) }
        switch state {
        case .closed:   // §3.10.5 "error: connection does not exist"
            break
        case .listen, .synSent:   // §3.10.5 delete the TCB, no RST
            enterClosed(cause: .abort)
        case .synReceived, .established, .finWait1, .finWait2, .closeWait:   // §3.10.5 send <SEQ=SND.NXT><CTL=RST>
            sendReset(now: now, activeReset: true)
            enterClosed(cause: .abort)
        case .closing, .lastAck, .timeWait:   // §3.10.5 delete the TCB, no RST
            enterClosed(cause: .abort)
        }
    }

    /// Enters TIME-WAIT for 2×MSL (RFC 9293 §3.6), or CLOSED at once under the `noTimeWait` ablation.
    mutating func enterTimeWait(cause: StateChangeCause, now: VirtualTime) {
        if configuration.ablations.contains(.noTimeWait) {
            enterClosed(cause: .skippingTimeWait(cause))
            return
        }
        for timer in [TCPTimer.retransmission, .persist, .delayedACK, .keepalive, .lossProbe] { cancelTimer(timer) }
        setState(.timeWait, cause: cause)
        setTimer(.timeWait, at: now + configuration.msl * 2)
    }
}
