import Simulation
import Tracing
import Wire

extension TCPConnection {
    /// Passive OPEN (RFC 9293 §3.10.1): CLOSED → LISTEN.
    public mutating func listen(now: VirtualTime) -> [TCPAction] {
        var actions = TCPActionList()
        listen(now: now, into: &actions)
        return actions.array
    }

    /// `listen(now:)`, appending the actions to `buffer`.
    public mutating func listen(now: VirtualTime, into buffer: inout TCPActionList) {
        exchangeActions(with: &buffer)
        defer { exchangeActions(with: &buffer) }
        switch state {
        case .closed:   // §3.10.1 passive OPEN
            setState(.listen, cause: .passiveOpen)
        case .listen, .synSent, .synReceived, .established, .finWait1, .finWait2, .closeWait, .closing, .lastAck,
             .timeWait:   // §3.10.1 "error: connection already exists"
            break
        }
    }

    /// Active OPEN (RFC 9293 §3.10.1): CLOSED → SYN-SENT, sending our SYN.
    public mutating func connect(now: VirtualTime) -> [TCPAction] {
        var actions = TCPActionList()
        connect(now: now, into: &actions)
        return actions.array
    }

    /// `connect(now:)`, appending the actions to `buffer`.
    public mutating func connect(now: VirtualTime, into buffer: inout TCPActionList) {
        exchangeActions(with: &buffer)
        defer { exchangeActions(with: &buffer) }
        switch state {
        case .closed, .listen:   // §3.10.1 active OPEN (from LISTEN: the RFC's "change to active")
            guard remote != nil else { break }
            startActiveOpen(now: now, cause: state == .closed ? .activeOpen : .send)
        case .synSent, .synReceived, .established, .finWait1, .finWait2, .closeWait, .closing, .lastAck,
             .timeWait:   // §3.10.1 "error: connection already exists"
            break
        }
    }

    mutating func startActiveOpen(now: VirtualTime, cause: StateChangeCause) {
        setState(.synSent, cause: cause)
        lastReceived = now
        sendSYN(now: now)
    }

    /// SEND (RFC 9293 §3.10.2): queues what fits in the send buffer and transmits what the windows allow.
    public mutating func send(_ bytes: [UInt8], now: VirtualTime) -> (accepted: Int, actions: [TCPAction]) {
        var actions = TCPActionList()
        let accepted = send(Payload(bytes), now: now, into: &actions)
        return (accepted, actions.array)
    }

    /// `send(_:now:)` for a payload held elsewhere (the application's array, a generated stream):
    /// nothing is copied into the send queue. Appends the actions to `buffer`; returns how many
    /// bytes were accepted (the first ones of `bytes`).
    public mutating func send(_ bytes: Payload, now: VirtualTime, into buffer: inout TCPActionList) -> Int {
        exchangeActions(with: &buffer)
        defer { exchangeActions(with: &buffer) }
        var accepted = 0
        switch state {
        case .closed, .finWait1, .finWait2, .closing, .lastAck, .timeWait:
            break   // §3.10.2 "connection does not exist" / "connection closing"
        case .listen:   // §3.10.2 LISTEN: with a remote socket, change to active and send a SYN
            guard remote != nil else { break }
            accepted = enqueue(bytes)
            startActiveOpen(now: now, cause: .send)
        case .synSent, .synReceived:   // §3.10.2 queue for transmission after ESTABLISHED
            accepted = enqueue(bytes)
        case .established, .closeWait:   // §3.10.2 segmentize and send
            accepted = enqueue(bytes)
            transmit(now: now)
        }
        return accepted
    }

    mutating func enqueue(_ bytes: Payload) -> Int {
        let room = max(0, sendBufferSize - sendBuffer.count)
        let count = min(room, bytes.count)
        sendBuffer.append(count == bytes.count ? bytes : bytes.extracting(0..<count))
        if configuration.pushAtWriteEnds, count > 0 { writeEnds.append(finSequence) }
        return count
    }

    /// RECEIVE (RFC 9293 §3.10.3): takes up to `maxBytes` in-order octets; may send a window update.
    public mutating func read(maxBytes: Int, now: VirtualTime) -> (bytes: [UInt8], actions: [TCPAction]) {
        var actions = TCPActionList()
        let bytes = read(maxBytes: maxBytes, now: now, into: &actions)
        return (bytes, actions.array)
    }

    /// `read(maxBytes:now:)`, appending the actions to `buffer`; returns the bytes read.
    public mutating func read(maxBytes: Int, now: VirtualTime, into buffer: inout TCPActionList) -> [UInt8] {
        var bytes: [UInt8] = []
        read(maxBytes: maxBytes, now: now, into: &buffer, bytes: &bytes)
        return bytes
    }

    /// `read(maxBytes:now:)` into `bytes`, whose storage is reused; appends the actions to `buffer`.
    public mutating func read(maxBytes: Int, now: VirtualTime, into buffer: inout TCPActionList, bytes: inout [UInt8]) {
        exchangeActions(with: &buffer)
        defer { exchangeActions(with: &buffer) }
        let before = rcvWND
        receiveBuffer.popFirst(max(0, maxBytes), into: &bytes)
        bytesRead(!bytes.isEmpty, windowBefore: before, now: now)
    }

    /// `read(maxBytes:now:into:bytes:)` without copying, when the bytes to read lie in one stretch
    /// of a buffer (a received frame's payload, mostly): returns them as held. Nil, having done
    /// nothing, when they do not (or there are none): read them with a copy then.
    public mutating func readInPlace(maxBytes: Int, now: VirtualTime, into buffer: inout TCPActionList) -> Payload? {
        let before = rcvWND
        guard let payload = receiveBuffer.popFirstInPlace(max(0, maxBytes)) else { return nil }
        exchangeActions(with: &buffer)
        defer { exchangeActions(with: &buffer) }
        bytesRead(true, windowBefore: before, now: now)
        return payload
    }

    /// After a read (`read`: it took bytes from the receive queue): Linux's window bookkeeping and
    /// the ACK or window update the read calls for.
    private mutating func bytesRead(_ read: Bool, windowBefore before: Int, now: VirtualTime) {
        if read, usesLinuxWindow {
            let readUpTo = rcvNXT - UInt32(receiveBuffer.count), rtt = srtt
            linuxWindow?.read(upTo: readUpTo, rtt: rtt, now: now)
        }
        if read, receivedSYN, state.isSynchronized, configuration.ackModel == .linux,
           linuxACK.readAcknowledges(unacknowledged: Int(rcvNXT - rcvWUP), queueEmpty: receiveBuffer.isEmpty) {
            sendACK(now: now)   // Linux tcp_cleanup_rbuf: the read emptied a queue of short segments
        } else if read, usesLinuxWindow {
            if receivedSYN, state.isSynchronized, linuxWindowOpened { sendACK(now: now) }
        } else if read, receivedSYN, state.isSynchronized {
            // Send a window update when the window the peer knows is at most half what we could offer now
            // and SWS avoidance lets us move the edge (Linux's tcp_cleanup_rbuf rule).
            let free = max(0, receiveWindowSpace - receiveBuffer.count)
            let threshold = min(receiveWindowSpace / 2, effectiveMSS)
            if free - before >= threshold, free >= 2 * before {
                switch state {
                case .established, .finWait1, .finWait2:   // the peer may still send: tell it
                    sendACK(now: now)
                case .closed, .listen, .synSent, .synReceived, .closeWait, .closing, .lastAck, .timeWait:
                    break
                }
            }
        }
    }

    /// Linux's `tcp_cleanup_rbuf`: after a read, a window update goes when the window the peer knows
    /// is at most half the clamp and the buffer would now offer at least twice it — unless the peer
    /// has finished sending.
    var linuxWindowOpened: Bool {
        guard let linuxWindow else { return false }
        switch state {
        case .established, .finWait1, .finWait2: break
        case .closed, .listen, .synSent, .synReceived, .closeWait, .closing, .lastAck, .timeWait: return false
        }
        let now = rcvWND
        guard 2 * now <= linuxWindow.windowClamp else { return false }
        let proposal = linuxWindow.proposal(receiveMSS: linuxACK.receiveMSS, shift: rcvScale)
        return proposal > 0 && proposal >= 2 * now
    }
}
