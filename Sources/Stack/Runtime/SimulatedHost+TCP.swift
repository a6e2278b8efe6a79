import Simulation
import Sockets
import Tracing
import Wire

extension SimulatedHost {
    // MARK: - Opening

    public func listen(port: UInt16, backlog: Int) throws(SocketError) -> any StreamListener {
        guard listeners[port] == nil else { throw .addressInUse }
        let machine = TCPListener(configuration: configuration, local: TCPEndpoint(address: address, port: port),
                                  backlog: backlog)
        let listener = SimulatedListener(host: self, machine: machine)
        listeners[port] = listener
        for case .stateChanged(let from, let to, let cause) in machine.open() {
            trace(.stateChanged(connection: "\(name):\(port)", from: from, to: to, cause: cause))
        }
        return listener
    }

    public func connect(to address: SocketAddress, from localPort: UInt16) throws(SocketError) -> any StreamSocket {
        guard let remoteAddress = resolver.address(of: address.host) else { throw .unknownHost(address.host) }
        let port = localPort == 0 ? allocateEphemeralPort() : localPort
        let key = ConnectionKey(localPort: port, remoteAddress: remoteAddress, remotePort: address.port)
        guard port != 0, connections[key] == nil else { throw .addressInUse }
        let slot = makeSlot(key: key)
        let socket = SimulatedStreamSocket(host: self, slot: slot, remote: address)
        slot.socket = socket
        var actions = takeActionBuffer()
        slot.connection.connect(now: scheduler.now, into: &actions)
        carryOut(&actions, for: slot)
        socketCallReturns()
        return socket
    }

    /// A slot for a new active connection, with an initial sequence number from the world's generator.
    func makeSlot(key: ConnectionKey) -> ConnectionSlot {
        let local = TCPEndpoint(address: address, port: key.localPort)
        let remote = TCPEndpoint(address: key.remoteAddress, port: key.remotePort)
        let isn = SequenceNumber(UInt32(truncatingIfNeeded: random.generator.next()))
        return makeSlot(key: key, connection: TCPConnection(configuration: configuration, local: local, remote: remote,
                                                            initialSequenceNumber: isn))
    }

    func makeSlot(key: ConnectionKey, connection: TCPConnection) -> ConnectionSlot {
        let peer = "\(resolver.name(of: key.remoteAddress)):\(key.remotePort)"
        let slot = ConnectionSlot(key: key, number: connectionHistory.count, name: "\(name):\(key.localPort)>\(peer)",
                                  connection: connection)
        if connection.configuration.perConnectionRandomNumbers {
            let number = TCPConnection.perConnectionNumber(connection.iss, salt: 0x4950_4944)   // "IPID"
            slot.nextIdentification = UInt16(truncatingIfNeeded: number >> 16)
        }
        connections[key] = slot
        connectionsPerLocalPort[key.localPort, default: 0] += 1
        connectionHistory.append(slot)
        return slot
    }

    // MARK: - Input

    /// TCP input: to the connection, else to the listener, else the CLOSED state's reset
    /// (RFC 9293 §3.10.7.1). The host only demultiplexes; the machines decide.
    func tcpReceive(_ segment: TCPSegment, from source: IPv4Address) {
        let key = ConnectionKey(localPort: segment.header.destinationPort, remoteAddress: source,
                                remotePort: segment.header.sourcePort)
        if let slot = connection(for: key) {
            slot._withUnsafeGuaranteedRef { slot in
                var actions = takeActionBuffer()
                slot.connection.segmentArrives(segment, from: source, now: scheduler.now, into: &actions)
                carryOut(&actions, for: slot)
            }
            return
        }
        tcpReceiveWithoutConnection(segment, from: source, key: key)
    }

    /// `tcpReceive` for a segment no connection takes: to the listener, else the reset. Not
    /// inlined: the segment's fields it reads were copied out on every segment (~35 instructions
    /// a packet with the call of `connection(for:)`; callgrind, workload A).
    @inline(never)
    private func tcpReceiveWithoutConnection(_ segment: TCPSegment, from source: IPv4Address, key: ConnectionKey) {
        if let listener = listeners[key.localPort] {
            let arrival = listener.machine.segmentArrives(segment, from: source, now: scheduler.now) {
                SequenceNumber(UInt32(truncatingIfNeeded: random.generator.next()))
            }
            switch arrival {
            case .spawned(let connection, let spawnActions):
                let slot = makeSlot(key: key, connection: connection)
                slot.listener = listener
                var actions = TCPActionList(spawnActions)
                carryOut(&actions, for: slot)
            case .answered(let actions):
                carryOutWithoutConnection(actions, from: source)
            }
            return
        }
        trace(.note(.noTCPSocket(port: key.localPort)))
        if let reset = TCPConnection.resetFor(unexpected: segment) {
            transmit(.tcp(reset), to: source, cause: .reset)
        }
    }

    /// The connection `key` names, if any, unretained (see `recentConnection`). The check of the
    /// recent one inlined, the table's lookup not.
    @inline(__always)
    private func connection(for key: ConnectionKey) -> Unmanaged<ConnectionSlot>? {
        if let recent = recentConnection, recent._withUnsafeGuaranteedRef({ $0.key == key }) { return recent }
        return lookUpConnection(key)
    }

    @inline(never)
    private func lookUpConnection(_ key: ConnectionKey) -> Unmanaged<ConnectionSlot>? {
        guard let slot = connections[key] else { return nil }
        recentConnection = Unmanaged.passUnretained(slot)
        return recentConnection
    }

    /// Carries out what a listener answered for a segment that made no connection: a RST to send
    /// back, or a drop to record.
    private func carryOutWithoutConnection(_ actions: [TCPAction], from source: IPv4Address) {
        for action in actions {
            switch action {
            case .send(let segment, _):
                transmit(.tcp(segment), to: source, cause: .reset)
            case .dropped(let segment, let reason):
                trace(.packetDropped(bytes: segmentBytes(segment, from: source), reason: reason))
            case .setTimer, .cancelTimer, .stateChanged, .connected, .dataAvailable, .peerFinished, .failed, .closed,
                 .congestion:
                break   // a connection that never left LISTEN has nothing else to report
            }
        }
    }

    private func segmentBytes(_ segment: TCPSegment, from source: IPv4Address) -> [UInt8] {
        IPv4Packet(source: source, destination: address, payload: .tcp(segment)).emit()
    }

    // MARK: - Carrying out actions

    /// An empty action buffer with room, for one call into a connection; `carryOut` returns it.
    func takeActionBuffer() -> TCPActionList {
        spareActionBuffers.take()
    }

    /// Carries out what a connection asked for, in order; application callbacks run afterwards.
    /// When the connection's variables changed, the trace records them first, so every event of the
    /// step is read with the variables it left behind. `actions` is emptied and kept for reuse.
    func carryOut(_ actions: inout TCPActionList, for slot: ConnectionSlot) {
        if observerWantsEvents {
            let variables = slot.connection.variables
            if slot.tracedVariables != variables {
                slot.tracedVariables = variables
                trace(.variables(connection: slot.name, variables))
            }
        }
        let outermost = !isCarryingOutActions
        isCarryingOutActions = true
        // Each action is moved out of the buffer rather than copied: a copy of a `.send` cost ~140
        // instructions (its segment's arrays retained, then released again with the buffer), and
        // reversing the buffer to pop actions in order ~150 a call (callgrind, workload A).
        // Nested calls carry out their actions in other buffers.
        actions.removeAll { carryOut($0, for: slot) }
        spareActionBuffers.giveBack(consume actions)
        actions = TCPActionList()   // the pool's buffer is the only reference: no copy when it is reused
        slot.unretainedSocket?._withUnsafeGuaranteedRef { $0.sendBufferFreed() }
        guard outermost else { return }
        isCarryingOutActions = false
        // Swapped with a spare list rather than copied: emptying a list that a copy still shared
        // allocated a new one for every batch of callbacks (callgrind, workload A).
        while !deferredCallbacks.isEmpty {
            var callbacks = spareCallbacks
            spareCallbacks = MovableList()
            swap(&callbacks, &deferredCallbacks)
            callbacks.removeAll { $0.run() }
            spareCallbacks = callbacks
        }
    }

    private func carryOut(_ action: consuming TCPAction, for slot: ConnectionSlot) {
        switch consume action {
        case .send(let segment, let retransmission):
            slot.segmentsSent += 1
            var cause = SendCause.original
            if let retransmission {
                slot.retransmissions += 1
                cause = .retransmission(retransmission)
            }
            var identification: UInt16?
            if let next = slot.nextIdentification {
                // Linux answers a SYN from the listener's request socket, which has no `inet_id`: 0.
                if segment.header.flags.isSuperset(of: [.syn, .ack]) {
                    identification = 0
                } else {
                    identification = next
                    slot.nextIdentification = next &+ 1
                }
            }
            transmit(segment, to: slot.key.remoteAddress, cause: cause, identification: identification)
        case .setTimer(let timer, let deadline):
            setTimer(timer, at: deadline, for: slot)
            trace(.timer(connection: slot.name, timer: timer, action: .set(at: deadline.nanoseconds)))
        case .cancelTimer(let timer):
            guard let running = slot.timers[timer.index] else { return }
            slot.timers[timer.index] = nil
            scheduler.cancel(running.handle)
            trace(.timer(connection: slot.name, timer: timer, action: .cancelled))
        case .stateChanged(let from, let to, let cause):
            slot.lastState = to
            trace(.stateChanged(connection: slot.name, from: from, to: to, cause: cause))
            if slot.listener != nil && to == .listen {
                // RFC 9293 §3.10.7.4: a reset SYN-RECEIVED returns to LISTEN; the listener
                // itself is still there, so this spawned connection is simply discarded.
                forget(slot)
            }
        case .connected:
            if let listener = slot.listener {
                slot.listener = nil
                listener.machine.connectionLeftQueue()
                let socket = SimulatedStreamSocket(host: self, slot: slot, remote: SocketAddress(
                    host: resolver.name(of: slot.key.remoteAddress), port: slot.key.remotePort))
                slot.socket = socket
                callApplication(.accept(listener, socket))
            } else if let socket = slot.socket {
                callApplication(.event(socket, .opened))
            }
        case .dataAvailable:
            if let socket = slot.unretainedSocket { callApplication(.readable(socket)) }
        case .peerFinished:
            if let socket = slot.socket { callApplication(.event(socket, .peerFinished)) }
        case .failed(let error):
            if let socket = slot.socket { callApplication(.event(socket, .error(SocketError(error)))) }
        case .closed:
            forget(slot)
            if let socket = slot.socket { callApplication(.event(socket, .closed)) }
        case .dropped(let segment, let reason):
            trace(.packetDropped(bytes: segmentBytes(segment, from: slot.key.remoteAddress), reason: reason))
        case .congestion(let cwnd, let ssthresh, let reason):
            trace(.congestion(connection: slot.name, cwnd: cwnd, ssthresh: ssthresh, reason: reason))
        }
    }

    // MARK: - Timers

    /// The scheduler event of a connection's protocol timer: `token` is the connection's number
    /// times 8 plus the timer's index.
    func connectionTimerFires(_ token: Int) {
        let slot = connectionHistory[token >> 3]
        timerEventArrives(TCPTimer.allCases[token & 7], for: slot)
    }

    /// Runs `timer` until `deadline`, reusing a scheduled event that comes no later.
    private func setTimer(_ timer: TCPTimer, at deadline: VirtualTime, for slot: ConnectionSlot) {
        if var running = slot.timers[timer.index], running.scheduledAt <= deadline {
            running.deadline = deadline
            slot.timers[timer.index] = running
            return
        }
        if let running = slot.timers[timer.index] { scheduler.cancel(running.handle) }
        let handle = scheduler.schedule(at: deadline, target: timerTarget, token: slot.number << 3 | timer.index)
        slot.timers[timer.index] = RunningTimer(deadline: deadline, scheduledAt: deadline, handle: handle)
    }

    /// A timer's scheduler event: fire it if its deadline has come, else wait for the deadline.
    private func timerEventArrives(_ timer: TCPTimer, for slot: ConnectionSlot) {
        guard var running = slot.timers[timer.index] else { return }
        let now = scheduler.now
        if running.deadline > now {
            running.scheduledAt = running.deadline
            running.handle = scheduler.schedule(at: running.deadline, target: timerTarget, token: slot.number << 3 | timer.index)
            slot.timers[timer.index] = running
            return
        }
        slot.timers[timer.index] = nil
        trace(.timer(connection: slot.name, timer: timer, action: .fired))
        var actions = takeActionBuffer()
        slot.connection.timerFires(timer, now: now, into: &actions)
        carryOut(&actions, for: slot)
    }

    /// Removes a connection from the demultiplexing table and stops its timers.
    func forget(_ slot: ConnectionSlot) {
        for index in slot.timers.indices {
            if let running = slot.timers[index] { scheduler.cancel(running.handle) }
            slot.timers[index] = nil
        }
        if let listener = slot.listener {
            listener.machine.connectionLeftQueue()
            slot.listener = nil
        }
        if recentConnection?.toOpaque() == Unmanaged.passUnretained(slot).toOpaque() { recentConnection = nil }
        if connections[slot.key] === slot {
            connections[slot.key] = nil
            connectionsPerLocalPort[slot.key.localPort, default: 1] -= 1
        }
    }
}

extension SocketError {
    init(_ error: TCPError) {
        switch error {
        case .refused: self = .refused
        case .reset: self = .reset
        case .timedOut: self = .timedOut
        }
    }
}
