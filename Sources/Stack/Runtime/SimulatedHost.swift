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
/// Simplifications: one interface per host; no IP fragmentation or reassembly (a datagram larger
/// than the MTU is dropped by the link); ephemeral ports count up from 49152.
///
/// Hot stored properties are `@exclusivity(unchecked)`: each access is short and never overlaps
/// another, and the dynamic exclusivity check (a runtime call that walks the accesses in flight)
/// cost more than the work on the simulation's per-segment path.
public final class SimulatedHost: SocketHost {
    public let name: String
    public let address: IPv4Address
    let node: Host
    let scheduler: Scheduler
    let random: RandomSource
    let observer: any TraceObserver
    let configuration: TCPConfiguration
    /// Whether received checksums are verified (the `checksum-not-verified` ablation turns it off).
    let verifiesChecksums: Bool
    /// Host names the socket API accepts, and their addresses.
    public let resolver: HostResolver

    @exclusivity(unchecked) var connections: [ConnectionKey: ConnectionSlot] = [:]
    /// How many connections use each local port, so a free ephemeral port is found at once.
    @exclusivity(unchecked) var connectionsPerLocalPort: [UInt16: Int] = [:]
    @exclusivity(unchecked) var listeners: [UInt16: SimulatedListener] = [:]
    @exclusivity(unchecked) var datagramSockets: [UInt16: SimulatedDatagramSocket] = [:]
    @exclusivity(unchecked) var nextEphemeralPort: UInt16 = 49152
    @exclusivity(unchecked) var nextIdentification: UInt16 = 1
    /// Every connection this host ever had, in creation order, for summaries.
    @exclusivity(unchecked) public internal(set) var connectionHistory: [ConnectionSlot] = []

    /// Application callbacks wait here while a batch of protocol actions is carried out, so an
    /// application that reacts at once cannot reorder the segments of that batch.
    @exclusivity(unchecked) var deferredCallbacks: [() -> Void] = []
    @exclusivity(unchecked) var isCarryingOutActions = false

    init(
        name: String, address: IPv4Address, node: Host, scheduler: Scheduler, random: RandomSource,
        observer: any TraceObserver, configuration: TCPConfiguration, verifiesChecksums: Bool, resolver: HostResolver
    ) {
        self.name = name
        self.address = address
        self.node = node
        self.scheduler = scheduler
        self.random = random
        self.observer = observer
        self.configuration = configuration
        self.verifiesChecksums = verifiesChecksums
        self.resolver = resolver
        node.onReceive = { [unowned self] _, frame in self.receive(frame) }
    }

    public var now: Int64 { scheduler.now.nanoseconds }

    @discardableResult
    public func after(nanoseconds: Int64, _ action: @escaping () -> Void) -> any Cancellable {
        let handle = scheduler.schedule(after: .nanoseconds(max(0, nanoseconds)), action)
        return SimulatedTimer(scheduler: scheduler, handle: handle)
    }

    // MARK: - IPv4

    /// Sends one IPv4 packet out of the host's interface, recording it in the trace.
    func transmit(_ payload: IPPayload, to destination: IPv4Address, cause: SendCause = .original) {
        let packet = IPv4Packet(source: address, destination: destination, ttl: 64,
                                identification: nextIdentification, payload: payload)
        nextIdentification &+= 1
        let bytes = packet.emit()
        trace(.packetSent(bytes: bytes, cause: cause))
        node.send(bytes, on: 0)
    }

    /// The IPv4 input routine: parse, check the destination, hand to the protocol.
    func receive(_ frame: [UInt8]) {
        let packet: IPv4Packet
        do {
            packet = try IPv4Packet.parse(frame, verifyChecksums: verifiesChecksums)
        } catch {
            trace(.packetDropped(bytes: frame, reason: error.kind == .badChecksum ? .badChecksum(field: error.field)
                                                                                  : .malformed(detail: error.description)))
            return
        }
        guard packet.header.destination == address else {
            trace(.packetDropped(bytes: frame, reason: .notAddressed(to: address)))
            return
        }
        trace(.packetReceived(bytes: frame))
        switch packet.payload {
        case .tcp(let segment):
            tcpReceive(segment, from: packet.header.source)
        case .udp(let datagram):
            udpReceive(datagram, packet: packet, bytes: frame)
        case .icmp(let message):
            icmpReceive(message, from: packet.header.source)
        case .other:
            // RFC 1122 §3.2.2.1: a protocol we do not speak gets ICMP protocol unreachable (code 2).
            transmit(.icmp(.destinationUnreachable(code: 2, quoted: ICMPMessage.quote(frame))), to: packet.header.source)
        }
    }

    // MARK: - Trace

    func trace(_ kind: @autoclosure () -> TraceEventKind) {
        let time = scheduler.now.nanoseconds
        if observer.wantsEvents {
            observer.record(TraceEvent(time: time, node: name, kind: kind()))
        } else {
            observer.count(at: time)
        }
    }

    /// Runs `callback` now, or after the current batch of protocol actions has been carried out.
    func callApplication(_ callback: @escaping () -> Void) {
        if isCarryingOutActions {
            deferredCallbacks.append(callback)
        } else {
            callback()
        }
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
