import Sockets
import Tracing
import Wire

/// A TCP socket on the simulated runtime.
///
/// It keeps what the application sent but TCP could not yet take (its send buffer was full) and
/// feeds it in as the buffer frees, as a blocking `write()` would; `shutdownWrite` and `close`
/// wait for that queue to drain before TCP sends its FIN. What it keeps are payloads, not copies:
/// the application's arrays, and pattern sends as stretches of the pattern (an endless one as its
/// next offset), whose bytes are made only when a segment is written.
///
/// It holds its host (an `unowned` reference cost a runtime call on every segment); the host
/// lets go of its sockets when the run ends (`SimulatedHost.tearDown`).
///
/// Hot stored properties are `@exclusivity(unchecked)`: each access is short and never overlaps
/// another, and the dynamic exclusivity check (a runtime call that walks the accesses in flight)
/// cost more than the work on the simulation's per-segment path.
final class SimulatedStreamSocket: LendingStreamSocket {
    let host: SimulatedHost
    let slot: ConnectionSlot
    let localAddress: SocketAddress
    let remoteAddress: SocketAddress
    @exclusivity(unchecked) var onEvent: ((SocketEvent) -> Void)?
    @exclusivity(unchecked) var onLentData: ((UnsafeRawBufferPointer) -> Void)?
    @exclusivity(unchecked) var isReadingPaused = false {
        didSet { if !isReadingPaused { host.callApplication(.readable(Unmanaged.passUnretained(self))) } }
    }

    @exclusivity(unchecked) private var unsent = TCPByteQueue()
    /// After everything in `unsent`, an endless pattern from this stream offset (`send forever`).
    @exclusivity(unchecked) private var endlessPatternOffset: Int?
    @exclusivity(unchecked) private var finishRequested = false
    @exclusivity(unchecked) private var finishSent = false
    @exclusivity(unchecked) private var isFeeding = false
    /// After `close()` the application hears nothing more but `closed`.
    @exclusivity(unchecked) private var isClosedByApplication = false
    /// `linger 0` was set: `close` resets the connection.
    @exclusivity(unchecked) private var closeAborts = false
    /// The peer's FIN arrived while unread data was waiting: end-of-stream comes after that data.
    private var isPeerFinishPending = false
    /// On a loopback link: the application has more to write (or its FIN) once the buffer frees.
    private var isAwaitingWritable = false
    /// On a loopback link: a wake-up to write is already on its way.
    private var isWakeForWritingPending = false

    init(host: SimulatedHost, slot: ConnectionSlot, remote: SocketAddress) {
        self.host = host
        self.slot = slot
        localAddress = SocketAddress(host: host.name, port: slot.key.localPort)
        remoteAddress = remote
    }

    func send(_ bytes: [UInt8]) {
        guard !finishRequested, endlessPatternOffset == nil else { return }
        unsent.append(Payload(bytes))
        write()
    }

    func send(patternFrom offset: Int, count: Int?) {
        guard !finishRequested, endlessPatternOffset == nil else { return }
        if let count {
            unsent.append(Payload(generatedBy: PatternSource.self, offset: offset, count: count))
        } else {
            endlessPatternOffset = offset
        }
        write()
    }

    /// Whether everything the application sent has gone into TCP's send buffer.
    private var isDrained: Bool { unsent.isEmpty && endlessPatternOffset == nil }

    func shutdownWrite() {
        finishRequested = true
        write()
    }

    func close() {
        if closeAborts { return abort() }   // SO_LINGER {1, 0}: socket(7)
        isClosedByApplication = true
        shutdownWrite()
    }

    func abort() {
        isClosedByApplication = true
        unsent = TCPByteQueue()
        endlessPatternOffset = nil
        finishRequested = true
        finishSent = true
        var actions = host.takeActionBuffer()
        slot.connection.abort(now: host.scheduler.now, into: &actions)
        host.carryOut(&actions, for: slot)
        host.socketCallReturns()
    }

    func setKeepalive(_ keepalive: SocketKeepalive?) {
        let timings = keepalive.map { option in
            TCPKeepalive(idle: .nanoseconds(option.idle), interval: .nanoseconds(option.interval), probes: option.probes)
        }
        var actions = host.takeActionBuffer()
        slot.connection.setKeepalive(timings, now: host.scheduler.now, into: &actions)
        host.carryOut(&actions, for: slot)
        host.socketCallReturns()
    }

    func setOption(_ option: StreamSocketOption) {
        var actions = host.takeActionBuffer()
        switch option {
        case .noDelay(let on): slot.connection.setNoDelay(on, now: host.scheduler.now, into: &actions)
        case .quickACK(let on): slot.connection.setQuickACK(on, now: host.scheduler.now, into: &actions)
        case .receiveBuffer(let size):
            slot.connection.setBufferSize(.receive, size: size, now: host.scheduler.now, into: &actions)
        case .sendBuffer(let size):
            slot.connection.setBufferSize(.send, size: size, now: host.scheduler.now, into: &actions)
        case .lingerZero:
            closeAborts = true
        }
        host.carryOut(&actions, for: slot)
        host.socketCallReturns()
    }

    /// The application's writes: all at once into TCP as its send buffer frees, or, on a loopback
    /// link (`SimulatedHost.wakesApplicationsLater`), as the loopback runtime writes to the kernel:
    /// `write()` calls of at most 64 KiB, each returning only once what it sent has been delivered,
    /// until the send buffer is full; the rest waits for the socket to be writable again.
    private func write() {
        guard host.wakesApplicationsLater else { feed(); return }
        isAwaitingWritable = false
        var written: Int
        repeat {   // until the buffer is full, or TCP takes nothing (the connection is gone)
            written = feed(atMost: ApplicationIO.writeSize)
            host.socketCallReturns()
        } while written > 0 && !isDrained && slot.connection.sendQueueCount < slot.connection.sendBufferSize
        isAwaitingWritable = !isDrained || (finishRequested && !finishSent)
    }

    /// TCP's send buffer freed room: feed it now, or on a loopback link wake the application to
    /// write more, as `poll` reports the socket writable.
    func sendBufferFreed() {
        guard host.wakesApplicationsLater else {
            // The host calls this after every batch of actions, and most find nothing to feed:
            // nothing queued and no FIN owed, or no room in TCP's send buffer. Those return here,
            // without `feed`'s call and setup (~35 instructions a packet; callgrind, workload A).
            let room = slot.connection.sendQueueCount < slot.connection.sendBufferSize
            if (room && !isDrained) || (finishRequested && !finishSent) { feed() }
            return
        }
        guard isAwaitingWritable, !isWakeForWritingPending,
              slot.connection.sendQueueCount < slot.connection.sendBufferSize || (isDrained && !finishSent) else { return }
        isWakeForWritingPending = true
        host.callApplication(.writable(self))
    }

    /// The application's wake-up for a writable socket.
    func writable() {
        isWakeForWritingPending = false
        write()
    }

    /// Moves queued bytes into TCP's send buffer (at most `limit` of them), then the FIN once the
    /// queue is empty; returns how many a limited call moved. Carrying out TCP's actions calls back
    /// here; the outer call's loop already covers that.
    @discardableResult
    func feed(atMost limit: Int = .max) -> Int {
        guard !isFeeding else { return 0 }
        isFeeding = true
        defer { isFeeding = false }
        var budget = limit
        while !isDrained && budget > 0 {
            // Offer only what TCP's send buffer has room for: this runs after every segment.
            let room = min(budget, slot.connection.sendBufferSize - slot.connection.sendQueueCount)
            guard room > 0 else { break }
            let chunk: Payload
            if !unsent.isEmpty {
                chunk = unsent.bytes(from: 0, length: room)
            } else {
                chunk = Payload(generatedBy: PatternSource.self, offset: endlessPatternOffset ?? 0, count: room)
            }
            var actions = host.takeActionBuffer()
            let accepted = slot.connection.send(chunk, now: host.scheduler.now, into: &actions)
            if !unsent.isEmpty {
                unsent.removeFirst(accepted)
            } else if let offset = endlessPatternOffset {
                endlessPatternOffset = offset + accepted
            }
            host.carryOut(&actions, for: slot)
            if accepted == 0 { break }
            budget -= accepted
        }
        if finishRequested && !finishSent && isDrained && slot.connection.state.canClose {
            finishSent = true
            var actions = host.takeActionBuffer()
            slot.connection.close(now: host.scheduler.now, into: &actions)
            host.carryOut(&actions, for: slot)
        }
        return limit == .max ? 0 : limit - budget
    }

    /// Reads everything TCP has for the application, unless reading is paused. On a loopback link
    /// it reads as the loopback runtime does: `read()` calls of at most 64 KiB, each returning
    /// only once what it set off is done (a window update, the data that lets in), at most 16 a
    /// wake-up; what is left waits for the next.
    func readAvailable() {
        guard !isReadingPaused else { return }
        let loopback = host.wakesApplicationsLater
        let chunk = loopback ? ApplicationIO.readSize : 1 << 20
        var reads = 0
        while slot.connection.receiveQueueCount > 0 {
            if loopback && reads == ApplicationIO.readsPerWake {
                host.callApplication(.readable(Unmanaged.passUnretained(self)))
                return
            }
            reads += 1
            var actions = host.takeActionBuffer()
            // Bytes that lie in one stretch of a frame are lent where they are, when the
            // application takes them so (a copy and an array less a read).
            if let onLentData, !isClosedByApplication,
               let payload = slot.connection.readInPlace(maxBytes: chunk, now: host.scheduler.now, into: &actions) {
                host.carryOut(&actions, for: slot)
                host.socketCallReturns()
                payload.withContiguousPieces(onLentData)
                continue
            }
            // Read into a reused buffer, given back once the application has seen it (if it
            // keeps the array, the buffer's next writer copies it first).
            var bytes = host.framePool.take()
            slot.connection.read(maxBytes: chunk, now: host.scheduler.now, into: &actions, bytes: &bytes)
            host.carryOut(&actions, for: slot)
            host.socketCallReturns()
            guard !bytes.isEmpty else { break }
            if !isClosedByApplication {
                if let onLentData { bytes.withUnsafeBytes(onLentData) } else { onEvent?(.data(bytes)) }
            }
            host.framePool.giveBack(bytes)
        }
        if isPeerFinishPending, slot.connection.receiveQueueCount == 0 {
            isPeerFinishPending = false
            emit(.peerFinished)
        }
    }

    func emit(_ event: SocketEvent) {
        switch event {
        case .closed, .error:
            onEvent?(event)
        case .peerFinished where isReadingPaused || slot.connection.receiveQueueCount > 0:
            isPeerFinishPending = true   // like read(): the data first, then end-of-stream
        case .opened, .data, .peerFinished:
            if !isClosedByApplication { onEvent?(event) }
        }
    }
}

extension TCPState {
    /// States in which the RFC 9293 CLOSE call sends a FIN or ends a half-open attempt.
    var canClose: Bool {
        switch self {
        case .synSent, .synReceived, .established, .closeWait, .listen: true
        case .closed, .finWait1, .finWait2, .closing, .lastAck, .timeWait: false
        }
    }
}
