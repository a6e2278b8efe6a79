import Tracing

/// The simulated runtime's trace recorder: keeps every event in order, or, for benchmarks that need
/// only the outcome, just counts them.
///
/// A kept packet event holds the frame itself, shared with the hosts and links (no copy), or with
/// `packetBytes: .headers` only its IPv4 and TCP, UDP or ICMP headers: what a summary needs
/// (`stacklab run --json`), in memory that does not grow with the data sent.
///
/// It is `Tracing.TraceRecorder` for the engine's per-event path: every host, link and router
/// records through it, hundreds of thousands of times a second. Its stored properties are
/// `@exclusivity(unchecked)`: each access is short and never overlaps another (the recorder
/// calls nothing), and the dynamic exclusivity checks cost 3–4% of all instructions of
/// `stacklab bench bulk` (callgrind: `swift_beginAccess` and `AccessSet::insert`).
public final class SimulationRecorder: TraceObserver {
    @exclusivity(unchecked) public private(set) var events: [TraceEvent] = []
    /// Events recorded, kept or not.
    @exclusivity(unchecked) public private(set) var count = 0
    /// Bytes of packets the kept events hold, the trace's share of a run's memory budget.
    @exclusivity(unchecked) public private(set) var keptPacketBytes = 0
    /// Time of the latest event, in nanoseconds.
    @exclusivity(unchecked) public private(set) var lastTime: Int64 = 0
    public let keepsEvents: Bool
    /// What a kept packet event holds of the packet.
    public let packetBytes: PacketBytes
    /// The census this recorder counts itself in, if one was bound when it was made.
    private let census = NetworkCensus.current

    public init(keepsEvents: Bool = true, packetBytes: PacketBytes = .all) {
        self.keepsEvents = keepsEvents
        self.packetBytes = packetBytes
        census?.began()
    }

    deinit {
        census?.ended()
    }

    public func record(_ event: consuming TraceEvent) {
        count += 1
        lastTime = event.time
        guard keepsEvents else { return }
        if packetBytes == .headers {
            switch event.kind {
            case .packetSent(let bytes, let cause):
                event.kind = .packetSent(bytes: PacketBytes.headers(of: bytes), cause: cause)
            case .packetReceived(let bytes):
                event.kind = .packetReceived(bytes: PacketBytes.headers(of: bytes))
            case .packetDropped(let bytes, let reason):
                event.kind = .packetDropped(bytes: PacketBytes.headers(of: bytes), reason: reason)
            case .packetDuplicated(let bytes):
                event.kind = .packetDuplicated(bytes: PacketBytes.headers(of: bytes))
            case .stateChanged, .timer, .socketCall, .socketEvent, .congestion, .variables, .note, .application:
                break
            }
        }
        switch event.kind {
        case .packetSent(let bytes, _), .packetReceived(let bytes), .packetDropped(let bytes, _), .packetDuplicated(let bytes):
            keptPacketBytes &+= bytes.count
        case .stateChanged, .timer, .socketCall, .socketEvent, .congestion, .variables, .note, .application:
            break
        }
        events.append(event)
    }

    public var wantsEvents: Bool { keepsEvents }

    public func count(at time: Int64) {
        count += 1
        lastTime = time
    }
}

/// What a kept trace holds of each packet.
public enum PacketBytes: Sendable, Hashable {
    /// The whole packet (shared with the run's frames, not copied).
    case all
    /// The IPv4 header and the TCP, UDP or ICMP header after it; the payload is left out, so the
    /// bytes no longer parse as a whole packet (the total length says more).
    case headers

    /// The first bytes of `packet`, up to the end of its transport header.
    static func headers(of packet: [UInt8]) -> [UInt8] {
        guard packet.count >= 20 else { return packet }
        let ip = Int(packet[0] & 0x0F) * 4
        var length = ip
        switch packet[9] {
        case 6 where packet.count >= ip + 13: length = ip + Int(packet[ip + 12] >> 4) * 4   // TCP data offset
        case 17, 1: length = ip + 8   // UDP, ICMP
        default: break
        }
        return length >= packet.count ? packet : Array(packet[..<length])
    }
}
