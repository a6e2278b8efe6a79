import Simulation
import Tracing
import Wire

/// What a SYN's options said (RFC 9293 §3.2, RFC 7323, RFC 2018).
struct TCPPeerOptions {
    var mss: Int?
    var windowScale: UInt8?
    var sackPermitted = false
    var timestamp: (value: UInt32, echoReply: UInt32)?

    init(_ options: [TCPOption]) {
        for option in options {
            switch option {
            case .maximumSegmentSize(let value): mss = Int(value)
            case .windowScale(let shift): windowScale = min(shift, 14)   // RFC 7323 §2.3: at most 14
            case .sackPermitted: sackPermitted = true
            case .timestamps(let value, let echoReply): timestamp = (value, echoReply)
            case .endOfList, .noOperation, .sack, .unknown: break
            }
        }
    }
}

extension TCPConnection {
    /// SEGMENT ARRIVES (RFC 9293 §3.10.7). `source` is the sender's address, needed in LISTEN
    /// when `remote` is not yet known.
    public mutating func segmentArrives(_ segment: TCPSegment, from source: IPv4Address? = nil,
                                        now: VirtualTime) -> [TCPAction] {
        var actions = TCPActionList()
        segmentArrives(segment, from: source, now: now, into: &actions)
        return actions.array
    }

    /// `segmentArrives(_:from:now:)`, appending the actions to `buffer`.
    public mutating func segmentArrives(_ segment: TCPSegment, from source: IPv4Address? = nil, now: VirtualTime,
                                        into buffer: inout TCPActionList) {
        exchangeActions(with: &buffer)
        defer { exchangeActions(with: &buffer) }
        switch state {
        case .closed:   // §3.10.7.1 CLOSED: answer with a RST unless it is one
            closedReceives(segment)
        case .listen:   // §3.10.7.2 LISTEN
            listenReceives(segment, from: source, now: now)
        case .synSent:   // §3.10.7.3 SYN-SENT
            synSentReceives(segment, now: now)
        case .synReceived, .established, .finWait1, .finWait2, .closeWait, .closing, .lastAck,
             .timeWait:   // §3.10.7.4 other states
            synchronizedReceives(segment, now: now)
        }
    }

    /// §3.10.7.1 CLOSED: a RST unless the segment is one, and the drop. Not inlined, as `drop`:
    /// its copies of the segment made every segment's path load all of its fields (~15
    /// instructions a packet; callgrind, workload A).
    @inline(never)
    mutating func closedReceives(_ segment: TCPSegment) {
        if let reset = Self.resetFor(unexpected: segment) { actions.append(.send(reset)) }
        drop(segment, reason: .connectionClosed)
    }

    /// Records the peer's SYN: IRS, RCV.NXT, its window, and the options both sides offered.
    mutating func acceptSYN(_ segment: TCPSegment, now: VirtualTime) {
        let header = segment.header
        irs = header.sequenceNumber
        rcvNXT = irs + 1
        rcvWUP = rcvNXT
        receivedSYN = true
        let options = TCPPeerOptions(header.options)
        peerMSS = options.mss
        if let theirs = options.windowScale, let ours = configuration.windowScale {
            windowScalingEnabled = true
            sndScale = theirs
            rcvScale = min(ours, 14)
        } else {
            windowScalingEnabled = false
            sndScale = 0
            rcvScale = 0
        }
        timestampsEnabled = configuration.offersTimestamps && options.timestamp != nil
        if let timestamp = options.timestamp { tsRecent = timestamp.value }
        sackPermitted = configuration.offersSACKPermitted && options.sackPermitted
        sndWND = Int(header.window)   // RFC 7323 §2.2: the window in a SYN is never scaled
        if header.flags.contains(.ack) { lastIncomingWindow = sndWND }
        maxSndWND = max(maxSndWND, sndWND)
        sndWL1 = header.sequenceNumber
        sndWL2 = header.acknowledgmentNumber
        let offered = Int(sentSYNWindow ?? synWindow)
        rcvAdvertisedEdge = rcvNXT + UInt32(offered)   // what our SYN offered, if sent
        if configuration.receiveWindowRule == .linux {
            linuxWindow = TCPLinuxReceiveWindow(
                bufferSize: receiveBufferSize, locked: receiveBufferOverride != nil,
                advmss: min(configuration.mss, 65535) - (timestampsEnabled ? 12 : 0),
                synWindow: offered, readFrom: rcvNXT, now: now,
                coalescesOnlyAcknowledgedTail: configuration.receivesSendersPackets)
        }
        congestionControl.start(smss: effectiveMSS, initialWindowSegments: configuration.initialWindowSegments)
        lastReceived = now
    }

    mutating func listenReceives(_ segment: TCPSegment, from source: IPv4Address?, now: VirtualTime) {
        let header = segment.header
        if header.flags.contains(.rst) {   // §3.10.7.2 first: ignore a RST
            actions.append(.dropped(segment, reason: .rstInListen))
            return
        }
        if header.flags.contains(.ack) {   // §3.10.7.2 second: <SEQ=SEG.ACK><CTL=RST>
            if let reset = Self.resetFor(unexpected: segment) { emit(reset) }
            actions.append(.dropped(segment, reason: .ackInListen))
            return
        }
        guard header.flags.contains(.syn) else {   // §3.10.7.2 fourth: anything else is dropped
            actions.append(.dropped(segment, reason: .noSYNInListen))
            return
        }
        // §3.10.7.2 third: SYN → SYN-RECEIVED, send <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>
        if remote == nil { remote = TCPEndpoint(address: source ?? IPv4Address(0), port: header.sourcePort) }
        acceptSYN(segment, now: now)
        passiveOpen = true
        setState(.synReceived, cause: .receivedSYN)
        sendSYN(now: now)
    }

    mutating func synSentReceives(_ segment: TCPSegment, now: VirtualTime) {
        let header = segment.header
        let hasACK = header.flags.contains(.ack)
        // §3.10.7.3 first: an ACK outside ISS < SEG.ACK ≤ SND.NXT gets <SEQ=SEG.ACK><CTL=RST>
        if hasACK, header.acknowledgmentNumber <= iss || header.acknowledgmentNumber > sndMax {
            if let reset = Self.resetFor(unexpected: segment) { emit(reset) }
            actions.append(.dropped(segment, reason: .unacceptableACKInSynSent))
            return
        }
        if header.flags.contains(.rst) {   // §3.10.7.3 second: RST with an acceptable ACK: refused
            if hasACK {
                enterClosed(cause: .receivedRST, error: .refused)
            } else {
                actions.append(.dropped(segment, reason: .rstWithoutACKInSynSent))
            }
            return
        }
        guard header.flags.contains(.syn) else {   // §3.10.7.3 fifth: neither SYN nor RST
            actions.append(.dropped(segment, reason: .noSYNInSynSent))
            return
        }
        acceptSYN(segment, now: now)
        if hasACK {   // §3.10.7.3 fourth: our SYN is acknowledged → ESTABLISHED, send ACK
            takeRTTSample(segment, now: now)
            if consecutiveTimeouts > 0 { rtoEstimator.resetAfterSYNTimeout() }
            sndUNA = header.acknowledgmentNumber
            consecutiveTimeouts = 0
            cancelTimer(.retransmission)
            setState(.established, cause: .receivedSYNACK)
            becameEstablished(now: now)
            sendACK(now: now)
            transmit(now: now)
        } else {   // §3.10.7.3 fourth: simultaneous open → SYN-RECEIVED, send <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>
            setState(.synReceived, cause: .receivedSYN)
            sendSYN(now: now)
        }
    }

    mutating func becameEstablished(now: VirtualTime) {
        actions.append(.connected)
        reportCongestion(.initialWindow)
        if let keepalive { setTimer(.keepalive, at: now + keepalive.idle) }
    }

    /// RFC 9293 §3.10.7.4 first check: is any of the segment inside the receive window?
    ///
    /// One deviation, as Linux's `tcp_sequence`: a zero-length segment exactly at the right edge
    /// (SEG.SEQ = RCV.NXT + RCV.WND) is accepted. A sender that has filled our window sends its pure
    /// ACKs there; rejecting them drops its duplicate ACKs and, when both sides have filled each
    /// other's window, starts an ACK war (each answers the other's "unacceptable" ACK with an ACK).
    func isAcceptable(_ sequence: SequenceNumber, length: UInt32) -> Bool {
        let window = UInt32(rcvWND)
        if length == 0 {
            return window == 0 ? sequence == rcvNXT : sequence.isInWindow(from: rcvNXT, size: window + 1)
        }
        guard window > 0 else { return false }
        return sequence.isInWindow(from: rcvNXT, size: window)
            || (sequence + (length - 1)).isInWindow(from: rcvNXT, size: window)
    }

    mutating func synchronizedReceives(_ segment: TCPSegment, now: VirtualTime) {
        let header = segment.header
        let flags = header.flags
        let sequence = header.sequenceNumber

        // Simultaneous open (RFC 9293 §3.5 Figure 8, line 7): the peer's SYN,ACK acknowledges our SYN.
        if state == .synReceived, flags.contains(.syn), flags.contains(.ack), sequence == irs,
           sndUNA < header.acknowledgmentNumber, header.acknowledgmentNumber <= sndMax {
            lastReceived = now
            if acknowledgmentArrives(segment, now: now) { sendACK(now: now) }
            return
        }

        // First: sequence-number acceptability.
        if !configuration.ablations.contains(.acceptOutOfWindow),
           !isAcceptable(sequence, length: segment.sequenceLength) {
            rejectUnacceptable(segment, now: now)
            return
        }
        lastReceived = now
        keepaliveProbesSent = 0
        if timestampsEnabled, sequence <= rcvNXT, let timestamp = TCPPeerOptions(header.options).timestamp {
            tsRecent = timestamp.value   // RFC 7323 §4.3
        }

        // Second: RST (RFC 5961 §3: only an exact match of RCV.NXT resets).
        if flags.contains(.rst) {
            if sequence == rcvNXT || configuration.ablations.contains(.acceptOutOfWindow) {
                resetReceived(now: now)
            } else {
                sendACK(now: now)
                drop(segment, reason: .rstNotAtNextSequence)
            }
            return
        }

        // Fourth: SYN (RFC 5961 §4: challenge ACK; passive SYN-RECEIVED returns to LISTEN).
        if flags.contains(.syn) {
            if state == .synReceived, passiveOpen {
                returnToListen(cause: .receivedSYN)
            } else {
                sendACK(now: now)
            }
            drop(segment, reason: .synInSynchronizedState)
            return
        }

        // Fifth: ACK.
        guard flags.contains(.ack) else {
            drop(segment, reason: .noACK)
            return
        }
        guard acknowledgmentArrives(segment, now: now) else { return }

        // Seventh: segment text; eighth: FIN.
        var finInOrder = false
        switch state {
        case .established, .finWait1, .finWait2:   // §3.10.7.4 seventh: deliver data
            finInOrder = receiveText(segment, now: now)
        case .closeWait, .closing, .lastAck, .timeWait:   // §3.10.7.4 seventh: FIN seen, ignore text
            finInOrder = false
        case .closed, .listen, .synSent, .synReceived:
            return
        }
        if finInOrder { finReceived(now: now) }
        if state == .finWait1, finAcknowledged {   // §3.10.7.4 fifth, FIN-WAIT-1: our FIN is acknowledged
            setState(.finWait2, cause: .receivedACKOfFIN)
        }
        transmit(now: now)
        if ackNeeded {
            sendACK(now: now)
        } else if configuration.ackModel == .linux, linuxACK.scheduled {
            linuxACKCheck(now: now)
        }
    }

    /// An unacceptable segment gets an ACK (unless it is a RST) and is dropped (§3.10.7.4 first).
    /// Not inlined, as `drop`.
    @inline(never)
    mutating func rejectUnacceptable(_ segment: TCPSegment, now: VirtualTime) {
        let header = segment.header
        if header.flags.contains(.rst) {
            actions.append(.dropped(segment, reason: .rstOutOfWindow))
            return
        }
        if state == .synReceived, header.flags.contains(.syn), header.sequenceNumber == irs {
            retransmitFirst(now: now, reason: .duplicateSYN)   // our SYN,ACK was lost: send it again
            actions.append(.dropped(segment, reason: .duplicateSYN))
            return
        }
        if state == .timeWait, header.flags.contains(.fin) {   // §3.10.7.4 eighth, TIME-WAIT: restart 2 MSL
            setTimer(.timeWait, at: now + configuration.msl * 2)
        }
        // RCV.WND = 0: "special allowance should be made to accept valid ACKs".
        if rcvWND == 0, header.sequenceNumber == rcvNXT, header.flags.contains(.ack), state.isSynchronized {
            if acknowledgmentArrives(segment, now: now) { transmit(now: now) }
        }
        let sequence = header.sequenceNumber, length = segment.sequenceLength
        if length > 0, sequence < rcvNXT, state.isSynchronized {   // octets we have: a duplicate
            recordDuplicate(left: sequence, right: min(sequence + length, rcvNXT))
            if configuration.ackModel == .linux, !(sequence + length < rcvWUP) {
                linuxDuplicateArrives(segment, now: now)
                return
            }
        } else if length == 0, let interval = configuration.outOfWindowACKInterval {
            // Linux's `tcp_oow_rate_limited`: segments without data that miss the window may come in
            // a loop (two stacks answering each other's ACKs); at most one answer per interval.
            if let last = lastOutOfWindowACK, now - last < interval {
                actions.append(.dropped(segment, reason: .outOfWindow))
                return
            }
            lastOutOfWindowACK = now
        }
        sendACK(now: now)
        actions.append(.dropped(segment, reason: .outOfWindow))
    }

    /// A duplicate that Linux's sequence check lets through, since it ends at or after the RCV.NXT of
    /// our last ACK (`tcp_sequence` compares with `rcv_wup`): its ACK field is processed, and the owed
    /// ACK decides when the D-SACK goes (`tcp_data_queue`). With no ACK owed, quick-ACK mode sends it
    /// at once; with one owed, the duplicate does not hurry it: on Linux 6.18 the D-SACK rode on the
    /// delayed ACK in every capture (nstat: `DelayedACKLost`, then `DelayedACKs` and `TCPDSACKOldSent`).
    mutating func linuxDuplicateArrives(_ segment: TCPSegment, now: VirtualTime) {
        if segment.header.flags.contains(.ack) {
            let before = state
            if acknowledgmentArrives(segment, now: now) {
                transmit(now: now)
            } else if state != before || !(state == .closing || state == .lastAck) {
                return   // dropped, answered or closed by its ACK
            }   // CLOSING, LAST-ACK: our FIN is not acknowledged yet; the duplicate is still answered
        }
        if !linuxACK.scheduled { linuxACK.enterQuickACKMode(window: max(0, Int(rcvAdvertisedEdge - rcvWUP))) }
        linuxACK.schedule()
        linuxACKCheck(now: now)
        actions.append(.dropped(segment, reason: .outOfWindow))
    }

    /// §3.10.7.4 second check, a RST at exactly RCV.NXT.
    mutating func resetReceived(now: VirtualTime) {
        switch state {
        case .synReceived:   // passive: back to LISTEN; active: refused
            if passiveOpen { returnToListen(cause: .receivedRST) } else { enterClosed(cause: .receivedRST, error: .refused) }
        case .established, .finWait1, .finWait2, .closeWait:   // ECONNRESET
            enterClosed(cause: .receivedRST, error: .reset)
        case .closing, .lastAck, .timeWait:   // the user already closed: just go
            enterClosed(cause: .receivedRST)
        case .closed, .listen, .synSent:
            break
        }
    }

    mutating func returnToListen(cause: StateChangeCause) {
        for timer in TCPTimer.allCases { cancelTimer(timer) }
        setState(.listen, cause: cause)
    }

    /// Records that `segment` was dropped. Not inlined: copying the segment into the action at
    /// each place it may be dropped made the per-segment path load and keep all of its fields
    /// (~11 instructions a packet; callgrind, workload A).
    @inline(never)
    mutating func drop(_ segment: TCPSegment, reason: PacketDropReason) {
        actions.append(.dropped(segment, reason: reason))
    }

    /// §3.10.7.4 fifth check; false when processing of the segment stops here.
    mutating func acknowledgmentArrives(_ segment: TCPSegment, now: VirtualTime) -> Bool {
        let header = segment.header
        let ack = header.acknowledgmentNumber
        switch state {
        case .synReceived:   // §3.10.7.4 fifth, SYN-RECEIVED: SND.UNA < SEG.ACK ≤ SND.NXT → ESTABLISHED
            guard sndUNA < ack, ack <= sndMax else {
                if let reset = Self.resetFor(unexpected: segment) { emit(reset) }
                drop(segment, reason: .unacceptableACKInSynReceived)
                return false
            }
            setState(.established, cause: .receivedACKOfSYN)
            becameEstablished(now: now)
            sndWL1 = header.sequenceNumber
            sndWL2 = ack
            sndWND = Int(header.window) << sndScale
        case .established, .finWait1, .finWait2, .closeWait, .closing, .lastAck, .timeWait:
            guard ack <= sndMax else {   // §3.10.7.4 fifth: ACK of something not yet sent
                sendACK(now: now)
                drop(segment, reason: .ackOfUnsentData)
                return false
            }
        case .closed, .listen, .synSent:
            return false
        }
        processACK(segment, now: now)
        switch state {
        case .closing:   // §3.10.7.4 fifth, CLOSING: ACK of our FIN → TIME-WAIT, else ignore
            // Data queued before our FIN may still be going out: the ACK opens room for it.
            if finAcknowledged { enterTimeWait(cause: .receivedACKOfFIN, now: now) } else { transmit(now: now) }
            return false
        case .lastAck:   // §3.10.7.4 fifth, LAST-ACK: ACK of our FIN → CLOSED
            if finAcknowledged { enterClosed(cause: .receivedACKOfFIN) } else { transmit(now: now) }
            return false
        case .finWait1:   // §3.10.7.4 fifth, FIN-WAIT-1: handled after the FIN check (→ FIN-WAIT-2 or TIME-WAIT)
            return true
        case .closed, .listen, .synSent, .synReceived, .established, .finWait2, .closeWait, .timeWait:
            return true
        }
    }

    /// RTT from the timestamp echo (RFC 7323 §4) or from the one timed segment (RFC 6298 §3, Karn).
    mutating func takeRTTSample(_ segment: TCPSegment, now: VirtualTime) {
        let ack = segment.header.acknowledgmentNumber
        if timestampsEnabled, let echo = TCPPeerOptions(segment.header.options).timestamp?.echoReply, echo != 0 {
            let milliseconds = Int64(timestampValue(now) &- echo)
            rtoEstimator.sample(.milliseconds(milliseconds))
        } else if let timed = timedSegment, timed.sequence < ack {
            rtoEstimator.sample(now - timed.sentAt)
            timedSegment = nil
        }
    }
}
