import Tracing
import Simulation
import Wire

extension TCPConnection {
    // MARK: Segment construction

    /// RFC 7323 §5.4: `TSval` is a millisecond clock; ours is virtual time plus one (so that 0 means
    /// "none" on the textbook profile), plus the connection's offset.
    func timestampValue(_ now: VirtualTime) -> UInt32 {
        UInt32(truncatingIfNeeded: now.nanoseconds / 1_000_000) &+ 1 &+ timestampOffset
    }

    /// A number for this connection drawn from its initial sequence number (itself drawn from the
    /// run's seeded source): MurmurHash3's 32-bit finaliser, so that nearby ISNs give unrelated
    /// offsets and no further random draw changes the rest of the run.
    static func perConnectionNumber(_ iss: SequenceNumber, salt: UInt32) -> UInt32 {
        var x = iss.rawValue ^ salt
        x ^= x >> 16
        x &*= 0x85EB_CA6B
        x ^= x >> 13
        x &*= 0xC2B2_AE35
        x ^= x >> 16
        return x
    }

    /// A segment from `local` to `remote` carrying our `RCV.NXT` (when ACK is set) and window.
    mutating func makeSegment(sequence: SequenceNumber, flags: TCPFlags, payload: Payload = Payload(),
                              options: [TCPOption]? = nil, now: VirtualTime) -> TCPSegment {
        var acknowledgment = SequenceNumber(0)
        if flags.contains(.ack) {
            acknowledgment = rcvNXT + (configuration.ablations.contains(.ackOffByOne) ? 1 : 0)
        }
        let isSYN = flags.contains(.syn)
        let bareReset = flags.contains(.rst) && !flags.contains(.ack)
        let window: UInt16 = bareReset ? 0 : (isSYN ? synWindow : windowToAdvertise())
        if isSYN, !receivedSYN { sentSYNWindow = window }
        var segmentOptions = options ?? []
        if options == nil, timestampsEnabled, !bareReset {
            segmentOptions = [.noOperation, .noOperation,
                              .timestamps(value: timestampValue(now), echoReply: tsRecent)]
        }
        // RFC 2018 §4: SACK blocks on a pure ACK (data segments leave them out, so that no segment
        // outgrows the MSS it was cut to; Linux makes room for them instead).
        if options == nil, flags == .ack, payload.isEmpty, hasSACKToReport { segmentOptions += sackOptions }
        // A D-SACK goes in the next ACK or not at all (data segments carry no SACK blocks here).
        if flags.contains(.ack), duplicateSACK != nil { duplicateSACK = nil }
        let header = TCPHeader(
            sourcePort: local.port, destinationPort: remote?.port ?? 0, sequenceNumber: sequence,
            acknowledgmentNumber: acknowledgment, flags: flags, window: window, options: segmentOptions)
        return TCPSegment(header: header, payload: payload)
    }

    /// The window in a SYN or SYN,ACK, never scaled (RFC 7323 §2.2); a SYN,ACK that agrees to
    /// timestamps counts the MSS less their 12 octets.
    var synWindow: UInt16 {
        let mss = min(configuration.mss, 65535) - (receivedSYN && timestampsEnabled ? 12 : 0)
        return UInt16(configuration.receiveWindowRule.synWindow(bufferSize: configuration.receiveBufferSize, mss: mss))
    }

    /// The octets of window the receive buffer offers when empty.
    var receiveWindowSpace: Int { configuration.receiveWindowRule.space(bufferSize: receiveBufferSize) }

    /// The window field for a non-SYN segment, with receiver SWS avoidance (RFC 9293 §3.8.6.2.2):
    /// the right edge moves only by at least min(buffer/2, MSS), and never moves left.
    mutating func windowToAdvertise() -> UInt16 {
        if usesLinuxWindow { return linuxWindowToAdvertise() }
        let free = max(0, receiveWindowSpace - receiveBuffer.count)
        let current = rcvWND
        var window = current
        if free - current >= min(receiveWindowSpace / 2, effectiveMSS) { window = free }
        window = min(window, 65535 << rcvScale)
        var field = window >> rcvScale
        if field << rcvScale < current, field < 65535 { field += 1 }   // round up: never shrink
        let edge = rcvNXT + UInt32(field << rcvScale)
        if rcvAdvertisedEdge < edge { rcvAdvertisedEdge = edge }
        return UInt16(min(field, 65535))
    }

    /// The window field under Linux's rule (`tcp_select_window`): the right edge follows the offer.
    mutating func linuxWindowToAdvertise() -> UInt16 {
        let current = rcvWND, receiveMSS = linuxACK.receiveMSS, shift = rcvScale
        let withdrawn = linuxWindow?.memoryShort == true
        guard let offer = linuxWindow?.select(current: current, receiveMSS: receiveMSS, shift: shift) else { return 0 }
        let field = min(offer, 65535 << rcvScale) >> rcvScale
        let edge = rcvNXT + UInt32(field << rcvScale)
        if rcvAdvertisedEdge < edge || withdrawn { rcvAdvertisedEdge = edge }
        return UInt16(field)
    }

    /// The options of our SYN, or of our SYN,ACK (only what the peer offered too; RFC 7323, RFC 2018).
    func synOptions(replying: Bool, now: VirtualTime) -> [TCPOption] {
        var options: [TCPOption] = [.maximumSegmentSize(UInt16(min(configuration.mss, 65535)))]
        let sack = configuration.offersSACKPermitted && (!replying || sackPermitted)
        let timestamps = configuration.offersTimestamps && (!replying || timestampsEnabled)
        switch (sack, timestamps) {
        case (true, true):
            options += [.sackPermitted, .timestamps(value: timestampValue(now), echoReply: tsRecent)]
        case (false, true):
            options += [.noOperation, .noOperation, .timestamps(value: timestampValue(now), echoReply: tsRecent)]
        case (true, false):
            options += [.noOperation, .noOperation, .sackPermitted]
        case (false, false):
            break
        }
        if let shift = configuration.windowScale, !replying || windowScalingEnabled {
            options += [.noOperation, .windowScale(shift)]
        }
        return options
    }

    mutating func emit(_ segment: consuming TCPSegment, retransmission: TCPRetransmission? = nil) {
        if segment.header.flags.contains(.ack) {
            ackNeeded = false
            unacknowledgedSegments = 0
            cancelTimer(.delayedACK)
            if configuration.ackModel == .linux { linuxACK.ackSent() }
            rcvWUP = rcvNXT
        }
        if retransmission != nil { retransmissionCount += 1 }
        actions.append(.send(segment, retransmission: retransmission))
    }

    // MARK: Control segments

    /// Our SYN (SYN-SENT) or SYN,ACK (SYN-RECEIVED), first time or again.
    mutating func sendSYN(now: VirtualTime, retransmission: TCPRetransmission? = nil) {
        let replying = receivedSYN
        let flags: TCPFlags = replying ? [.syn, .ack] : [.syn]
        let segment = makeSegment(sequence: iss, flags: flags, options: synOptions(replying: replying, now: now),
                                  now: now)
        if retransmission != nil { timedSegment = nil }   // Karn
        else if !timestampsEnabled { timedSegment = (iss, now) }
        if sndNXT == iss { sndNXT = iss + 1 }
        if sndMax < sndNXT { sndMax = sndNXT }
        emit(segment, retransmission: retransmission)
        armRetransmissionTimer(now: now, restart: true)
    }

    /// A bare ACK: `<SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>`.
    mutating func sendACK(now: VirtualTime) {
        emit(makeSegment(sequence: sndNXT, flags: .ack, now: now))
    }

    /// `<SEQ=SND.NXT><CTL=RST>` (RFC 9293 §3.10.5 ABORT). With `activeReset` under
    /// `resetCarriesACK`, Linux's `tcp_send_active_reset`: RST,ACK with RCV.NXT, the window and timestamps.
    mutating func sendReset(now: VirtualTime, activeReset: Bool = false) {
        let flags: TCPFlags = activeReset && configuration.resetCarriesACK ? [.rst, .ack] : .rst
        emit(makeSegment(sequence: sndNXT, flags: flags, now: now))
    }

    /// The RST that answers a segment nobody expected (RFC 9293 §3.10.7.1); nil for a RST.
    ///
    /// If the segment had ACK: `<SEQ=SEG.ACK><CTL=RST>`; otherwise
    /// `<SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>`. Ports are swapped; the host swaps addresses.
    public static func resetFor(unexpected segment: TCPSegment) -> TCPSegment? {
        let incoming = segment.header
        guard !incoming.flags.contains(.rst) else { return nil }
        let header: TCPHeader
        if incoming.flags.contains(.ack) {
            header = TCPHeader(sourcePort: incoming.destinationPort, destinationPort: incoming.sourcePort,
                               sequenceNumber: incoming.acknowledgmentNumber, flags: .rst, window: 0)
        } else {
            header = TCPHeader(sourcePort: incoming.destinationPort, destinationPort: incoming.sourcePort,
                               sequenceNumber: SequenceNumber(0),
                               acknowledgmentNumber: incoming.sequenceNumber + segment.sequenceLength,
                               flags: [.rst, .ack], window: 0)
        }
        return TCPSegment(header: header)
    }

    // MARK: Data

    /// True in the states where queued data or our FIN may still go out.
    var mayTransmit: Bool {
        switch state {
        case .established, .closeWait, .finWait1, .closing, .lastAck: true
        case .closed, .listen, .synSent, .synReceived, .finWait2, .timeWait: false
        }
    }

    /// The sequence number our FIN takes: right after the last queued octet.
    var finSequence: SequenceNumber { sendBufferStart + UInt32(sendBuffer.count) }

    /// True when our FIN has been sent and acknowledged.
    var finAcknowledged: Bool { finQueued && sndUNA == finSequence + 1 }

    /// Sends what the windows allow (RFC 9293 §3.8.6.2.1 sender SWS avoidance, RFC 896 Nagle),
    /// then the FIN once all data is out. `force` sends one segment that fits (persist override).
    mutating func transmit(now: VirtualTime, force: Bool = false, probe: Bool = false) {
        guard mayTransmit, sndUNA != iss else { return }
        if congestionControl.inSACKRecovery {
            transmitInSACKRecovery(now: now)
            updatePersistTimer(now: now)
            return
        }
        var forced = force
        let highestBefore = sndMax
        while true {
            let unsent = unsentCount
            guard unsent > 0 || finDue else { break }
            let inFlight = bytesInFlight
            let usable = min(congestionControl.cwnd, peerWindowForSending) - inFlight
            let segmentSize = sendSegmentSize
            let length = max(0, min(unsent, segmentSize, usable))
            if unsent > 0 {
                // The static form, from values (see there).
                guard length > 0, forced || Self.mayLeaveNow(length: length, unsent: unsent, segmentSize: segmentSize,
                                                             nagleAllows: nagleAllows(inFlight: inFlight),
                                                             largestPeerWindow: maxSndWND) else { break }
            }
            sendNext(length: length, now: now, probe: probe && forced)
            forced = false
        }
        if sndMax <= sndNXT { retransmitReason = nil }
        if configuration.tailLossProbe, highestBefore < sndMax, !probe { scheduleLossProbe(now: now) }
        updatePersistTimer(now: now)
    }

    /// Queued octets not yet sent from SND.NXT on.
    var unsentCount: Int { sendBuffer.count - max(0, Int(sndNXT - sendBufferStart)) }

    /// Our FIN goes next: CLOSE was called and SND.NXT has reached the end of the data.
    var finDue: Bool { finQueued && sndNXT == finSequence }

    /// The peer's window as the sender obeys it (unbounded under the `ignoreReceiveWindow` ablation).
    var peerWindowForSending: Int { configuration.ablations.contains(.ignoreReceiveWindow) ? Int.max : sndWND }

    /// Sender SWS avoidance (RFC 9293 §3.8.6.2.1) and Nagle (RFC 896): a segment of `length` octets
    /// goes now if it is full, or carries all that is queued and Nagle allows (or it carries the
    /// FIN, under `finPassesNagle`; or no short segment is in flight, under `minshallNagle`), or
    /// fills half the largest window the peer offered.
    func mayLeaveNow(length: Int, unsent: Int, inFlight: Int) -> Bool {
        Self.mayLeaveNow(length: length, unsent: unsent, segmentSize: sendSegmentSize,
                         nagleAllows: nagleAllows(inFlight: inFlight), largestPeerWindow: maxSndWND)
    }

    /// Whether Nagle's algorithm lets a segment shorter than the MSS go now (see `mayLeaveNow`).
    func nagleAllows(inFlight: Int) -> Bool {
        !nagle || inFlight == 0 || (finQueued && configuration.finPassesNagle)
            || (configuration.minshallNagle && !(sndUNA < shortSegmentEnd && shortSegmentEnd <= sndNXT))
    }

    /// `mayLeaveNow` from values, for `transmit`: calling the method from there passed it a copy of
    /// the whole connection (~900 bytes, ~200 instructions a packet of workload A; callgrind).
    static func mayLeaveNow(length: Int, unsent: Int, segmentSize: Int, nagleAllows: @autoclosure () -> Bool,
                            largestPeerWindow: Int) -> Bool {
        let full = length == segmentSize
        let allQueued = length == unsent
        let halfWindow = largestPeerWindow > 0 && length >= largestPeerWindow / 2
        return full || (allQueued && nagleAllows()) || halfWindow
    }

    /// Sends `length` octets at SND.NXT (with the FIN if they end the stream) and advances SND.NXT
    /// and SND.MAX; below SND.MAX (after an RTO) it is a retransmission.
    mutating func sendNext(length: Int, now: VirtualTime, probe: Bool = false) {
        sendData(at: sndNXT, length: length, now: now,
                 retransmission: sndNXT < sndMax ? (retransmitReason ?? .timeout) : nil, probe: probe)
        sndNXT = sndNXT + UInt32(length) + (finQueued && sndNXT + UInt32(length) == finSequence ? 1 : 0)
        if sndMax < sndNXT { sndMax = sndNXT }
    }

    /// The largest segment to send: the MSS, or under `boundsSegmentsToHalfWindow` at most half the
    /// largest window the peer has offered (Linux's `tcp_bound_to_half_wnd`, for a peer whose window
    /// holds few segments: on loopback, MSS 65483 against a 65483-octet window, the first segments
    /// carry 32741 octets), never below 68 octets less the header.
    var sendSegmentSize: Int {
        let mss = effectiveMSS
        guard configuration.boundsSegmentsToHalfWindow, maxSndWND > 0 else { return mss }
        let cutoff = maxSndWND > TCPLinuxACK.defaultReceiveMSS ? maxSndWND / 2 : maxSndWND
        guard mss > cutoff else { return mss }
        return max(cutoff, 68 - 20 - (timestampsEnabled ? 12 : 0))
    }

    /// Builds and emits the segment carrying `length` queued octets from `sequence` (and the FIN if
    /// they end the stream after CLOSE); arms the retransmission timer and times it for RTT.
    mutating func sendData(at sequence: SequenceNumber, length: Int, now: VirtualTime,
                           retransmission: TCPRetransmission?, probe: Bool = false) {
        let payload = sendBuffer.bytes(from: Int(sequence - sendBufferStart), length: length)
        var flags: TCPFlags = .ack
        let end = sequence + UInt32(payload.count)
        let isNew = retransmission == nil && !payload.isEmpty
        // Computed once, and only where a Linux rule reads it: the segment size, computed out of
        // line, is passed a copy of the whole connection (~900 bytes, ~55 instructions a packet of
        // workload A; callgrind).
        let segmentSize = isNew && (configuration.minshallNagle || configuration.pushesEveryHalfWindow)
            ? sendSegmentSize : 0
        // Linux's `forced_push`: a new full segment ending more than half the largest window past the
        // last octet pushed gets PSH, so a large write is pushed every half window; so does the data
        // a window probe sends (`tcp_write_wakeup`).
        let forcedPush = configuration.pushesEveryHalfWindow
            && (probe || (isNew && payload.count == segmentSize && pushedSequence + UInt32(maxSndWND / 2) < end))
        if !payload.isEmpty, end == finSequence || endsAWrite(after: sequence, upTo: end) || forcedPush {
            flags.insert(.psh)
            if retransmission == nil, pushedSequence < end { pushedSequence = end }
        }
        if finQueued, end == finSequence { flags.insert(.fin) }
        let segment = makeSegment(sequence: sequence, flags: flags, payload: payload, now: now)
        if configuration.ackModel == .linux, !payload.isEmpty { linuxACK.dataSent(now: now) }
        if configuration.minshallNagle, isNew, payload.count < segmentSize { shortSegmentEnd = end }
        if retransmission == nil { tailLossProbe.lastSegmentStart = sequence }
        if retransmission != nil {
            timedSegment = nil   // Karn's rule: no sample from a segment sent twice
        } else if timedSegment == nil, !timestampsEnabled {
            timedSegment = (sequence, now)
        }
        emit(segment, retransmission: retransmission)
        armRetransmissionTimer(now: now, restart: false)
    }

    /// Whether a write ends in (`sequence`, `end`]: Linux sets PSH on the segment that ends each write.
    func endsAWrite(after sequence: SequenceNumber, upTo end: SequenceNumber) -> Bool {
        writeEnds.contains { sequence < $0 && $0 <= end }
    }

    /// Sends the first unacknowledged segment again (fast retransmit, partial ACK, duplicate SYN).
    mutating func retransmitFirst(now: VirtualTime, reason: TCPRetransmission) {
        guard !configuration.ablations.contains(.noRetransmission) else { return }
        if sndUNA == iss {
            sendSYN(now: now, retransmission: reason)
            return
        }
        let outstandingData = max(0, Int(min(sndMax, finSequence) - sndUNA))
        sendData(at: sndUNA, length: min(outstandingData, effectiveMSS), now: now, retransmission: reason)
    }

    /// RFC 6298 §5.1: start the timer when data goes out and it is not running; `restart` re-arms it.
    mutating func armRetransmissionTimer(now: VirtualTime, restart: Bool) {
        guard !configuration.ablations.contains(.noRetransmission) else { return }
        if restart || !isRunning(.retransmission) {
            setTimer(.retransmission, at: now + rtoEstimator.rto)
        }
    }

    /// Runs the persist timer while data waits behind a window too small to use and nothing is in flight.
    mutating func updatePersistTimer(now: VirtualTime) {
        let waiting = mayTransmit && Int(sndNXT - sendBufferStart) < sendBuffer.count
        if waiting, sndNXT == sndUNA, !isRunning(.retransmission) {
            if !isRunning(.persist) {
                setTimer(.persist, at: now + persistInterval)
            }
        } else {
            cancelTimer(.persist)
            persistBackoff = 0
        }
    }

    var persistInterval: VirtualDuration {
        var interval = rtoEstimator.rto
        for _ in 0..<persistBackoff where interval < configuration.maximumRTO { interval = interval * 2 }
        return min(interval, configuration.maximumRTO)
    }
}
