import Simulation
import Sockets
import Tracing
import Wire

/// A host of the simulated runtime: an IPv4 layer with ICMP, UDP and TCP above it, behind the
/// socket API that applications use.
///
/// The TCP connections are pure state machines (`TCPConnection`); this class carries out the
/// actions they return: it sends their segments, runs their timers on the scheduler, tells the
/// application what happened, and records all of it in the trace.
///
/// Ownership: the host owns its connections, listeners and sockets, and they hold the host (no
/// `weak` or `unowned` on the per-packet path: each such access cost a runtime call). The network
/// that owns the host breaks those cycles when the run ends (`tearDown`).
///
/// Simplifications: one interface per host; no IP fragmentation or reassembly (a datagram larger
/// than the MTU is dropped by the link); ephemeral ports count up from 49152.
///
/// Hot stored properties are `@exclusivity(unchecked)`: each access is short and never overlaps
/// another, and the dynamic exclusivity check (a runtime call that walks the accesses in flight)
/// cost more than the work on the simulation's per-segment path.
public final class SimulatedHost: Node, SocketHost {
    public let address: IPv4Address
    let scheduler: Scheduler
    let random: RandomSource
    /// The world's frame buffers: packets are written into them and given back once received,
    /// when nothing keeps them (`poolsFrames`: the trace keeps no packet bytes).
    let framePool: FramePool
    let poolsFrames: Bool
    let observer: any TraceObserver
    /// `observer.wantsEvents`, read once: asking the observer on every trace event and every
    /// batch of actions cost ~40 instructions a packet (callgrind, workload A).
    let observerWantsEvents: Bool
    /// The observer when it is the simulated runtime's own recorder: counted through directly
    /// (an inlined increment) rather than through the existential (~30 instructions a packet).
    private let recorder: SimulationRecorder?
    let configuration: TCPConfiguration
    /// How ICMP errors are sent and reported (RFC 1122, or Linux's RFC 1812 quoting and socket rules).
    let icmpRule: ICMPErrorRule
    /// Whether received checksums are verified (the `checksum-not-verified` ablation turns it off).
    let verifiesChecksums: Bool
    /// Host names the socket API accepts, and their addresses.
    public let resolver: HostResolver

    @exclusivity(unchecked) var connections: [ConnectionKey: ConnectionSlot] = [:]
    /// The connection the last segment was for: most segments follow one for the same
    /// connection, and hashing the key cost ~150 instructions a segment (callgrind, workload A).
    /// Unretained, as is the slot while a segment is carried out (`tcpReceive`): `connectionHistory`
    /// keeps every slot for the host's life, and a retain and release a segment cost ~45
    /// instructions a packet (callgrind, workload A).
    @exclusivity(unchecked) var recentConnection: Unmanaged<ConnectionSlot>?
    /// How many connections use each local port, so a free ephemeral port is found at once.
    @exclusivity(unchecked) var connectionsPerLocalPort: [UInt16: Int] = [:]
    @exclusivity(unchecked) var listeners: [UInt16: SimulatedListener] = [:]
    @exclusivity(unchecked) var datagramSockets: [UInt16: SimulatedDatagramSocket] = [:]
    @exclusivity(unchecked) var nextEphemeralPort: UInt16 = 49152
    @exclusivity(unchecked) var nextIdentification: UInt16 = 1
    /// Every connection this host ever had, in creation order, for summaries; a connection's
    /// index here (`ConnectionSlot.number`) names it in its timers' scheduler events.
    @exclusivity(unchecked) public internal(set) var connectionHistory: [ConnectionSlot] = []

    /// Application callbacks wait here while a batch of protocol actions is carried out, so an
    /// application that reacts at once cannot reorder the segments of that batch.
    @exclusivity(unchecked) var deferredCallbacks = MovableList<ApplicationCallback>()
    /// An empty list with room, swapped with `deferredCallbacks` to run them.
    @exclusivity(unchecked) var spareCallbacks = MovableList<ApplicationCallback>()
    @exclusivity(unchecked) var isCarryingOutActions = false
    /// Whether applications learn of events only from a scheduler event of their own, after
    /// everything already due at that instant (a loopback link, `LinkSpec.loopback`): as the
    /// kernel hands packets to sockets inside the sender's call while the receiving process runs
    /// only when it is next scheduled, so by then it reads data and end-of-file together.
    var wakesApplicationsLater = false
    /// The callbacks the next wake-up runs, in the order they were raised.
    private var callbacksAwaitingWake: [ApplicationCallback] = []
    /// Empty action buffers with room, reused for every call into a connection.
    let spareActionBuffers = ActionBufferPool()
    /// The census this host counts itself in, if one was bound when it was made.
    private let census = NetworkCensus.current
    /// The host's number as the scheduler's timer target (its connections' protocol timers).
    private(set) var timerTarget: TimerTargetID!

    init(
        name: String, address: IPv4Address, scheduler: Scheduler, random: RandomSource, framePool: FramePool,
        poolsFrames: Bool, observer: any TraceObserver, configuration: TCPConfiguration,
        icmpRule: ICMPErrorRule = .rfc1122, verifiesChecksums: Bool, resolver: HostResolver
    ) {
        self.poolsFrames = poolsFrames
        self.address = address
        self.scheduler = scheduler
        self.random = random
        self.framePool = framePool
        self.observer = observer
        observerWantsEvents = observer.wantsEvents
        recorder = observer as? SimulationRecorder
        self.configuration = configuration
        self.icmpRule = icmpRule
        self.verifiesChecksums = verifiesChecksums
        self.resolver = resolver
        super.init(name: name)
        timerTarget = scheduler.register(self)
        census?.began()
    }

    deinit {
        census?.ended()
    }

    public var now: Int64 { scheduler.now.nanoseconds }

    @discardableResult
    public func after(nanoseconds: Int64, _ action: @escaping () -> Void) -> any Cancellable {
        let handle = scheduler.schedule(after: .nanoseconds(max(0, nanoseconds)), action)
        return SimulatedTimer(scheduler: scheduler, handle: handle)
    }

    @discardableResult
    public func at(nanoseconds time: Int64, _ action: @escaping () -> Void) -> any Cancellable {
        let handle = scheduler.schedule(at: VirtualTime(nanoseconds: time), action)
        return SimulatedTimer(scheduler: scheduler, handle: handle)
    }

    /// Lets go of everything that refers back to the host (connections' sockets, listeners,
    /// datagram sockets, the applications' callbacks), so the run's objects can end with it.
    func tearDown() {
        for slot in connectionHistory {
            slot.socket?.onEvent = nil
            slot.socket?.onLentData = nil
            slot.socket = nil
            slot.listener = nil
        }
        connections.removeAll()
        recentConnection = nil
        for listener in listeners.values { listener.onAccept = nil }
        listeners.removeAll()
        for socket in datagramSockets.values {
            socket.onDatagram = nil
            socket.onError = nil
        }
        datagramSockets.removeAll()
        deferredCallbacks.removeAll()
        callbacksAwaitingWake.removeAll()
        spareCallbacks.removeAll()
    }

    // MARK: - IPv4

    /// Sends one IPv4 packet out of the host's interface, recording it in the trace.
    func transmit(_ payload: IPPayload, to destination: IPv4Address, cause: SendCause = .original) {
        if case .tcp(let segment) = payload { return transmit(segment, to: destination, cause: cause) }
        let packet = IPv4Packet(source: address, destination: destination, ttl: 64,
                                identification: nextIdentification, payload: payload)
        nextIdentification &+= 1
        let bytes: [UInt8]
        if !poolsFrames {
            bytes = packet.emit()   // kept by the trace: exactly its size
        } else {
            var frame = framePool.take()
            packet.emit(into: &frame)
            bytes = frame
        }
        trace(.packetSent(bytes: bytes, cause: cause))
        send(bytes, on: 0)
    }

    /// `transmit` for a TCP segment, written straight into a frame, with the host's next IP
    /// identification unless the connection gives its own.
    func transmit(_ segment: borrowing TCPSegment, to destination: IPv4Address, cause: SendCause,
                  identification: UInt16? = nil) {
        // Kept by the trace: a new frame of exactly its size; else one of the world's buffers.
        var frame: [UInt8]? = poolsFrames ? framePool.take(preferringCount: IPv4Packet.tcpFrameLength(segment)) : nil
        let id: UInt16
        if let identification {
            id = identification
        } else {
            id = nextIdentification
            nextIdentification &+= 1
        }
        IPv4Packet.emitTCP(segment, source: address, destination: destination, identification: id, into: &frame)
        let bytes = frame.take()!
        trace(.packetSent(bytes: bytes, cause: cause))
        send(bytes, on: 0)
    }

    /// The scheduler's timer events are for the host's connections' protocol timers.
    public override func timerFires(_ token: Int) {
        connectionTimerFires(token)
    }

    public override func receive(_ frame: consuming [UInt8], on index: Int) {
        receive(frame)
        // Nothing should hold the frame now, unless the trace keeps it (a segment held for
        // reassembly does too, and is copied first if its buffer is taken again).
        if poolsFrames { framePool.giveBack(consume frame) }
    }

    /// Whether a parsed frame is for this host: traced as received when `destination` is the
    /// host's address, else as dropped.
    @inline(__always)
    private func accepts(_ frame: [UInt8], addressedTo destination: IPv4Address) -> Bool {
        guard destination == address else {
            trace(.packetDropped(bytes: frame, reason: .notAddressed(to: address)))
            return false
        }
        trace(.packetReceived(bytes: frame))
        return true
    }

    /// The IPv4 input routine: parse, check the destination, hand to the protocol.
    func receive(_ frame: [UInt8]) {
        // The usual TCP packet first, reduced to what TCP input needs (see `parsePlainTCP`).
        if let packet = IPv4Packet.parsePlainTCP(frame, verifyChecksums: verifiesChecksums) {
            if accepts(frame, addressedTo: packet.destination) { tcpReceive(packet.segment(in: frame), from: packet.source) }
            return
        }
        let packet: IPv4Packet
        do {
            // Other TCP packets (options, say) next, without building a packet value.
            if let (header, segment) = try IPv4Packet.parseTCP(frame, verifyChecksums: verifiesChecksums) {
                if accepts(frame, addressedTo: header.destination) { tcpReceive(segment, from: header.source) }
                return
            }
            packet = try IPv4Packet.parse(frame, verifyChecksums: verifiesChecksums)
        } catch {
            trace(.packetDropped(bytes: frame, reason: error.kind == .badChecksum ? .badChecksum(field: error.field)
                                                                                  : .malformed(detail: error.description)))
            return
        }
        guard accepts(frame, addressedTo: packet.header.destination) else { return }
        switch packet.payload {
        case .tcp(let segment):
            tcpReceive(segment, from: packet.header.source)
        case .udp(let datagram):
            udpReceive(datagram, packet: packet, bytes: frame)
        case .icmp(let message):
            icmpReceive(message, from: packet.header.source)
        case .other:
            // RFC 1122 §3.2.2.1: a protocol we do not speak gets ICMP protocol unreachable (code 2).
            sendUnreachable(code: 2, about: frame, to: packet.header.source)
        }
    }

    // MARK: - Trace

    func trace(_ kind: @autoclosure () -> TraceEventKind) {
        let time = scheduler.now.nanoseconds
        if observerWantsEvents {
            observer.record(TraceEvent(time: time, node: name, kind: kind()))
        } else if let recorder {
            recorder.count(at: time)
        } else {
            observer.count(at: time)
        }
    }

    /// Runs `callback` now, or after the current batch of protocol actions has been carried out.
    ///
    /// `consuming`: the callback is stored, and a borrowed one was copied first (an outlined copy
    /// of the enum, ~100 instructions a read; callgrind, workload A).
    func callApplication(_ callback: consuming ApplicationCallback) {
        if wakesApplicationsLater {
            if callbacksAwaitingWake.isEmpty { scheduler.schedule(at: scheduler.now) { [self] in wakeApplications() } }
            callbacksAwaitingWake.append(callback)
        } else if isCarryingOutActions {
            deferredCallbacks.append(callback)
        } else {
            callback.run()
        }
    }

    /// The end of an application's socket call. On a loopback link (`wakesApplicationsLater`) the
    /// packets the call sent are delivered, and what they set off (the peer's ACK, data it lets
    /// go) is done, before the call returns, as inside a system call on `lo`.
    func socketCallReturns() {
        if wakesApplicationsLater { scheduler.runUrgentEvents() }
    }

    /// The applications' wake-up (`wakesApplicationsLater`): runs what was raised since the last
    /// one; what those callbacks raise in turn waits for the next.
    private func wakeApplications() {
        let callbacks = callbacksAwaitingWake
        callbacksAwaitingWake = []
        for callback in callbacks { callback.run() }
    }

    func allocateEphemeralPort() -> UInt16 {
        for _ in 0..<16384 {
            let port = nextEphemeralPort
            nextEphemeralPort = nextEphemeralPort == 65535 ? 49152 : nextEphemeralPort + 1
            if listeners[port] == nil && datagramSockets[port] == nil && connectionsPerLocalPort[port, default: 0] == 0 {
                return port
            }
        }
        return 0
    }
}

/// Maps host names to addresses and back, for the whole simulated network.
public struct HostResolver: Sendable {
    public private(set) var entries: [(name: String, address: IPv4Address)] = []

    public init(entries: [(name: String, address: IPv4Address)]) {
        self.entries = entries
    }

    public func address(of name: String) -> IPv4Address? {
        if let entry = entries.first(where: { $0.name == name }) { return entry.address }
        return IPv4Address(name)
    }

    public func name(of address: IPv4Address) -> String {
        entries.first(where: { $0.address == address })?.name ?? address.description
    }
}
