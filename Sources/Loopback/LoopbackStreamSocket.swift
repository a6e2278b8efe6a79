import Glibc
import Tracing
import Sockets
import Wire

/// A TCP socket of the loopback runtime: a non-blocking kernel socket driven by the network's loop.
///
/// It gives the application the simulated runtime's semantics:
/// - `send` queues everything; the queue drains into the kernel as its send buffer frees, as a
///   blocking `write()` would.
/// - `shutdownWrite` calls `shutdown(SHUT_WR)` once the queue is empty, so FIN follows the data.
/// - `close` does the same, then keeps the descriptor, reading and discarding, until the peer's FIN
///   has arrived and the kernel reports the connection CLOSED (the active closer's TIME-WAIT then
///   lives on in the kernel without a descriptor), or until `closeTimeout`. Only then is `closed`
///   delivered. After `close` the application hears `error` and `closed` only.
/// - `abort` sets `SO_LINGER` to {1, 0} and closes: the kernel sends RST.
/// - `peerFinished` comes when `read()` returns 0, which is after all data has been read.
/// - `error` (the `errno` mapped to `SocketError`) is followed by `closed`.
///
/// Events the loop finds are delivered at once; events caused inside one of the application's own
/// calls (a failed write during `send`, `closed` after `abort`) wait for the loop, so a callback
/// never runs inside the call that caused it.
final class LoopbackStreamSocket: StreamSocket, LoopbackPollable {
    private enum Phase {
        case connecting, open, finished
    }

    let host: LoopbackHost
    private var descriptor: Int32
    let localAddress: SocketAddress
    let remoteAddress: SocketAddress
    /// `host:port>peer:port`, as the simulator's trace names connections.
    let name: String
    private let localIP: IPv4Address
    private let remoteIP: IPv4Address
    var onEvent: ((SocketEvent) -> Void)?
    var isReadingPaused = false {
        didSet { if !isReadingPaused { sawHangUp = false } }
    }

    private var phase: Phase
    private var unsent: [UInt8] = []
    private var unsentStart = 0
    /// What the application queued after `unsent`, in order, not yet made into bytes.
    private var queued: [QueuedData] = []
    /// `shutdownWrite` or `close` was called: FIN once the queue is empty.
    private var finishRequested = false
    private var finishSent = false
    /// `read()` returned 0.
    private var peerFinished = false
    private var isClosedByApplication = false
    /// `linger 0` was set: `close` resets the connection.
    private var closeAborts = false
    /// `poll` reported a hang-up while reading was paused: leave the descriptor out until resumed.
    private var sawHangUp = false
    private var isFlushing = false
    /// Nesting depth of the application's calls into this socket.
    private var applicationCalls = 0
    private var connectTimer: LoopbackTimer?
    private var closeTimer: LoopbackTimer?
    private var stateCheckTimer: LoopbackTimer?
    /// The latest `TCP_INFO`, and the state name last recorded.
    private(set) var lastInfo: TCPInfo?
    private var lastState = TCPState.closed
    /// Touched since the last `TCP_INFO` sample.
    var needsSample = true

    init(host: LoopbackHost, descriptor: Int32, localPort: UInt16, remote: HostAddress, remotePort: UInt16,
         isConnecting: Bool) {
        self.host = host
        self.descriptor = descriptor
        localIP = host.address
        remoteIP = remote.address
        localAddress = SocketAddress(host: host.name, port: localPort)
        remoteAddress = SocketAddress(host: remote.name, port: remotePort)
        name = "\(localAddress)>\(remoteAddress)"
        phase = isConnecting ? .connecting : .open
    }

    private var network: LoopbackNetwork? { host.network }

    // MARK: - The application's calls

    func send(_ bytes: [UInt8]) {
        applicationCalls += 1
        defer { applicationCalls -= 1 }
        guard !finishRequested, phase != .finished, !bytes.isEmpty else { return }
        if !queued.isEmpty {
            queued.append(.bytes(bytes))
        } else if unsentStart == unsent.count {
            unsent = bytes
            unsentStart = 0
        } else {
            unsent.append(contentsOf: bytes)
        }
        flush()
    }

    func send(patternFrom offset: Int, count: Int?) {
        applicationCalls += 1
        defer { applicationCalls -= 1 }
        guard !finishRequested, phase != .finished, count != 0 else { return }
        queued.append(.pattern(offset: offset, remaining: count))
        flush()
    }

    /// Whether anything the application sent has not yet gone to the kernel.
    private var hasUnsent: Bool { unsentStart < unsent.count || !queued.isEmpty }

    /// Makes the next queued data into `unsent` once it has all gone: pattern bytes 64 KiB at a
    /// time, so an endless stream costs no more memory than that.
    private func refill() {
        guard unsentStart == unsent.count, let next = queued.first else { return }
        unsent.removeAll(keepingCapacity: true)
        unsentStart = 0
        switch next {
        case .bytes(let bytes):
            unsent = bytes
            queued.removeFirst()
        case .pattern(let offset, let remaining):
            let chunk = min(remaining ?? Int.max, ApplicationIO.writeSize)
            unsent = PayloadPattern.bytes(from: offset, count: chunk)
            if let remaining, remaining == chunk {
                queued.removeFirst()
            } else {
                queued[0] = .pattern(offset: offset + chunk, remaining: remaining.map { $0 - chunk })
            }
        }
    }

    func shutdownWrite() {
        applicationCalls += 1
        defer { applicationCalls -= 1 }
        guard phase != .finished else { return }
        finishRequested = true
        flush()
    }

    func close() {
        if closeAborts { return abort() }
        applicationCalls += 1
        defer { applicationCalls -= 1 }
        guard phase != .finished, !isClosedByApplication else { return }
        isClosedByApplication = true
        finishRequested = true
        if phase == .connecting && !hasUnsent {
            // RFC 9293 §3.10.4: CLOSE in SYN-SENT deletes the TCB, as on the simulated runtime (if
            // the kernel has meanwhile completed the handshake unseen, its close sends a FIN).
            finish()
            return
        }
        if let network {
            closeTimer = network.schedule(after: network.options.closeTimeout) { [weak self] in
                self?.finish()
            }
        }
        flush()
        checkFinished()
    }

    func abort() {
        applicationCalls += 1
        defer { applicationCalls -= 1 }
        guard phase != .finished else { return }
        isClosedByApplication = true
        if descriptor >= 0 { try? Syscall.setLingerAbort(descriptor) }
        recordState(.closed, source: .descriptorClosed)
        finish()
    }

    /// `setsockopt(SO_KEEPALIVE)` with the timings rounded up to whole seconds (tcp(7): 1 to
    /// 32767 seconds, 1 to 127 probes); a failure is ignored, as an option the kernel refuses
    /// leaves the connection as it was.
    func setKeepalive(_ keepalive: SocketKeepalive?) {
        guard phase != .finished, descriptor >= 0 else { return }
        guard let keepalive else {
            try? Syscall.clearKeepalive(descriptor)
            return
        }
        func seconds(_ nanoseconds: Int64) -> Int32 {
            Int32(min(32_767, max(1, (nanoseconds + 999_999_999) / 1_000_000_000)))
        }
        try? Syscall.setKeepalive(descriptor, idleSeconds: seconds(keepalive.idle),
                                  intervalSeconds: seconds(keepalive.interval),
                                  probes: Int32(min(127, max(1, keepalive.probes))))
    }

    /// `setsockopt`: `TCP_NODELAY`, `TCP_QUICKACK`, `SO_RCVBUF` or `SO_SNDBUF`; a failure is ignored,
    /// as for keepalive.
    func setOption(_ option: StreamSocketOption) {
        guard phase != .finished, descriptor >= 0 else { return }
        switch option {
        case .noDelay(let on):
            try? Syscall.setOption(descriptor, level: Int32(IPPROTO_TCP), name: TCP_NODELAY, value: on ? 1 : 0,
                                   "TCP_NODELAY")
        case .quickACK(let on):
            try? Syscall.setOption(descriptor, level: Int32(IPPROTO_TCP), name: LinuxConstant.tcpQuickACK,
                                   value: on ? 1 : 0, "TCP_QUICKACK")
        case .receiveBuffer(let size):
            try? Syscall.setOption(descriptor, level: SOL_SOCKET, name: SO_RCVBUF, value: Int32(clamping: size),
                                   "SO_RCVBUF")
        case .sendBuffer(let size):
            try? Syscall.setOption(descriptor, level: SOL_SOCKET, name: SO_SNDBUF, value: Int32(clamping: size),
                                   "SO_SNDBUF")
        case .lingerZero:
            // The kernel's close would then reset; data this socket still holds for the kernel is
            // discarded too, so `close` aborts (socket(7)).
            closeAborts = true
        }
    }

    // MARK: - The loop's calls

    var openDescriptor: Int32? { phase == .finished ? nil : descriptor }

    var pollDescriptor: Int32? {
        switch phase {
        case .finished:
            return nil
        case .connecting:
            return descriptor
        case .open:
            if peerFinished && finishSent { return nil }   // waiting for the last ACK, by timer
            if sawHangUp && isReadingPaused && !isClosedByApplication { return nil }
            return descriptor
        }
    }

    var pollEvents: Int16 {
        switch phase {
        case .connecting:
            return Int16(POLLOUT)
        case .open:
            var events: Int16 = 0
            if !peerFinished && (!isReadingPaused || isClosedByApplication) { events |= Int16(POLLIN) }
            if hasUnsent { events |= Int16(POLLOUT) }
            return events
        case .finished:
            return 0
        }
    }

    var hasPendingWork: Bool {
        switch phase {
        case .connecting:
            return true
        case .finished:
            return false
        case .open:
            return hasUnsent || (finishRequested && !finishSent) || isClosedByApplication
                || (peerFinished && finishSent) || isKernelBusy
        }
    }

    /// The kernel still owes or awaits a segment (by the last sample): data or FIN unacknowledged,
    /// or a state such as SYN-RECEIVED or LAST-ACK.
    var isKernelBusy: Bool {
        guard phase == .open, let info = lastInfo else { return false }
        return info.hasDataInFlight || (info.state?.isTransient ?? false)
    }

    func handle(_ returnedEvents: Int16) {
        needsSample = true
        switch phase {
        case .connecting:
            guard returnedEvents & Int16(POLLOUT | POLLERR | POLLHUP) != 0 else { return }
            let code = Syscall.pendingError(descriptor)
            if code == 0 && returnedEvents & Int16(POLLOUT) != 0 {
                becomeOpen()
            } else {
                fail(SocketError(code: code == 0 ? ECONNREFUSED : code, call: "connect"))
            }
        case .open:
            if returnedEvents & Int16(POLLERR) != 0 {
                let code = Syscall.pendingError(descriptor)
                if code != 0 {
                    fail(SocketError(code: code, call: "poll"))
                    return
                }
            }
            if returnedEvents & Int16(POLLIN | POLLHUP) != 0 && !peerFinished
                && (!isReadingPaused || isClosedByApplication) {
                readAvailable()
            }
            if returnedEvents & Int16(POLLHUP) != 0 { sawHangUp = true }
            if returnedEvents & Int16(POLLOUT) != 0 { flush() }
            checkFinished()
        case .finished:
            break
        }
    }

    func release() {
        cancelTimers()
        phase = .finished
        descriptor = -1
    }

    /// Reads `TCP_INFO` and records a state change.
    @discardableResult
    func sample() -> TCPInfo? {
        needsSample = false
        guard phase != .finished, descriptor >= 0, let bytes = try? Syscall.tcpInfo(descriptor),
              let info = TCPInfo(bytes: bytes) else { return nil }
        lastInfo = info
        guard let state = info.state?.rfcState else { return info }
        // A connection entering TIME-WAIT moves to a mini-socket and TCP_INFO reports the original
        // as CLOSE; /proc/net/tcp shows the TIME-WAIT, which is the state to record.
        if state == .closed && lastState != .timeWait, isInTimeWait() {
            recordState(.timeWait, source: .procNetTCP)
        } else if !(state == .closed && lastState == .timeWait) {
            recordState(state, source: .tcpInfo)
        }
        return info
    }

    // MARK: - Opening

    /// Issues the non-blocking `connect(2)` and starts the connect timeout.
    func startConnecting(timeout: Int64) {
        guard let network else { return }
        do {
            let connected = try Syscall.connect(descriptor, address: remoteIP, port: remoteAddress.port)
            sample()
            if connected {
                network.post { [weak self] in self?.becomeOpen() }
                return
            }
            connectTimer = network.schedule(after: timeout) { [weak self] in
                guard let self, self.phase == .connecting else { return }
                self.fail(.timedOut)
            }
        } catch {
            network.post { [weak self] in self?.fail(SocketError(error)) }
        }
    }

    private func becomeOpen() {
        guard phase == .connecting else { return }
        phase = .open
        connectTimer?.cancel()
        connectTimer = nil
        sample()
        if !isClosedByApplication { deliver(.opened) }
        flush()
        checkFinished()
    }

    // MARK: - Data

    /// Reads what the kernel has (`ApplicationIO`: 16 reads of 64 KiB a call, so other sockets get their turn).
    private func readAvailable() {
        for _ in 0..<ApplicationIO.readsPerWake {
            guard phase == .open, !peerFinished, !isReadingPaused || isClosedByApplication else { return }
            let read: StreamRead
            do {
                read = try Syscall.receive(descriptor, maxBytes: ApplicationIO.readSize)
            } catch {
                fail(SocketError(error))
                return
            }
            switch read {
            case .bytes(let bytes):
                if !isClosedByApplication { deliver(.data(bytes)) }
            case .endOfStream:
                peerFinished = true
                sample()  // CLOSE-WAIT (or TIME-WAIT) before the application reacts
                if !isClosedByApplication { deliver(.peerFinished) }
                return
            case .wouldBlock:
                return
            }
        }
    }

    /// Moves queued bytes into the kernel's send buffer, then `shutdown(SHUT_WR)` once the queue
    /// is empty and a finish was asked for.
    private func flush() {
        guard phase == .open, !isFlushing else { return }
        isFlushing = true
        defer { isFlushing = false }
        refill()
        while unsentStart < unsent.count {
            do {
                guard let count = try Syscall.send(descriptor, unsent[unsentStart...]), count > 0 else { break }
                unsentStart += count
                needsSample = true
                refill()
            } catch {
                fail(SocketError(error))
                return
            }
        }
        if unsentStart == unsent.count && !unsent.isEmpty {
            unsent.removeAll(keepingCapacity: true)
            unsentStart = 0
        } else if unsentStart > 1 << 20 && unsentStart * 2 > unsent.count {
            unsent.removeFirst(unsentStart)
            unsentStart = 0
        }
        if finishRequested && !finishSent && !hasUnsent {
            do {
                try Syscall.shutdownWrite(descriptor)
                finishSent = true
                sample()  // FIN-WAIT-1 or LAST-ACK
            } catch {
                fail(SocketError(error))
            }
        }
    }

    // MARK: - Ending

    /// Once both directions are finished, ends the socket when the kernel says CLOSED; until
    /// then (LAST-ACK waiting for the ACK of our FIN) looks again every millisecond.
    private func checkFinished() {
        guard phase == .open, peerFinished, finishSent, stateCheckTimer == nil else { return }
        let info = sample()
        if info == nil || info?.state == .closed || info?.state == .timeWait {
            finish()
            return
        }
        stateCheckTimer = network?.schedule(after: 1_000_000) { [weak self] in
            guard let self else { return }
            self.stateCheckTimer = nil
            self.checkFinished()
        }
    }

    /// Releases the descriptor and delivers `closed`.
    private func finish() {
        guard phase != .finished else { return }
        if lastState == .closed && peerFinished && finishSent, isInTimeWait() {
            recordState(.timeWait, source: .procNetTCP)
        }
        releaseDescriptor()
        deliver(.closed)
    }

    /// Delivers `error` then `closed`, as the simulated runtime does (even after `close`).
    private func fail(_ error: SocketError) {
        guard phase != .finished else { return }
        sample()
        releaseDescriptor()
        deliver(.error(error))
        deliver(.closed)
    }

    /// Tells the application now, or from the loop when inside one of its calls.
    private func deliver(_ event: SocketEvent) {
        if applicationCalls > 0, let network {
            network.post { [self] in onEvent?(event) }
        } else {
            onEvent?(event)
        }
    }

    private func releaseDescriptor() {
        cancelTimers()
        phase = .finished
        let descriptor = self.descriptor
        self.descriptor = -1
        network?.remove(self, descriptor: descriptor)
    }

    private func cancelTimers() {
        for timer in [connectTimer, closeTimer, stateCheckTimer] { timer?.cancel() }
        connectTimer = nil
        closeTimer = nil
        stateCheckTimer = nil
    }

    private func recordState(_ state: TCPState, source: KernelStateChange.Source) {
        guard state != lastState, let network else { return }
        network.record(KernelStateChange(time: network.nanosecondsNow, host: host.name, socket: name,
                                         from: lastState, to: state, source: source))
        lastState = state
    }

    /// Whether `/proc/net/tcp` holds this connection's four-tuple in TIME-WAIT.
    private func isInTimeWait() -> Bool {
        guard let entries = try? ProcNetTCP.read() else { return false }
        return entries.contains {
            $0.state == .timeWait && $0.localAddress == localIP && $0.localPort == localAddress.port
                && $0.remoteAddress == remoteIP && $0.remotePort == remoteAddress.port
        }
    }
}

/// Data an application queued on a loopback socket beyond what is already bytes.
private enum QueuedData {
    case bytes([UInt8])
    /// `PayloadPattern` bytes from stream offset `offset`; nil `remaining` never ends.
    case pattern(offset: Int, remaining: Int?)
}
