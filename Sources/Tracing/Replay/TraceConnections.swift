import Wire

/// The connections and flows of one trace, normalised: what a replay compares.
public struct TraceConnections: Sendable {
    /// In order of first appearance.
    public private(set) var connections: [ReplayConnection] = []
    let namer: ConnectionNamer

    /// Reads the packets each host sent (`packetSent`; each packet once) up to `endTime` (all when nil).
    public init(_ trace: Trace, ports: ReplayPortMap, until endTime: Int64? = nil) {
        namer = ConnectionNamer(trace: trace, ports: ports, until: endTime)
        var builders: [ConnectionNamer.ActualTuple: Builder] = [:]
        for (index, event) in trace.events.enumerated() {
            if let endTime, event.time > endTime { break }
            guard case .packetSent(let bytes, _) = event.kind, let (tuple, sender) = namer.packetTuple(bytes),
                  let named = namer.name(of: tuple),
                  let packet = try? IPv4Packet.parse(bytes, verifyChecksums: false) else { continue }
            var builder = builders[tuple] ?? Builder(named: named)
            builder.add(packet, from: sender, eventIndex: index, time: event.time)
            builders[tuple] = builder
        }
        connections = namer.all.compactMap { named in
            builders[ConnectionNamer.ActualTuple(named.key.transport, named.firstEnd, named.secondEnd)]?.connection
        }
    }

    public func connection(_ key: ReplayConnectionKey) -> ReplayConnection? {
        connections.first { $0.key == key }
    }

    /// Accumulates one connection's segments, numbering them relative to each side's ISN.
    private struct Builder {
        let named: ConnectionNamer.Named
        var segments: [ReplaySegment] = []
        /// Per direction (forward, backward): the initial sequence number, from the SYN or the first segment.
        var base: [UInt32?] = [nil, nil]
        var counts = [0, 0]

        init(named: ConnectionNamer.Named) {
            self.named = named
        }

        var connection: ReplayConnection {
            ReplayConnection(key: named.key, actualName: named.actualName, segments: segments)
        }

        mutating func add(_ packet: IPv4Packet, from sender: ConnectionNamer.ActualEnd, eventIndex: Int, time: Int64) {
            let direction = named.direction(from: sender)
            let d = direction == .forward ? 0 : 1
            var segment = ReplaySegment(kind: .tcp, direction: direction, position: segments.count, index: counts[d],
                                        eventIndex: eventIndex, time: time, flags: [], sequence: 0, length: 0,
                                        acknowledgment: nil, window: 0, options: [])
            switch packet.payload {
            case .tcp(let tcp):
                let header = tcp.header
                if header.flags.contains(.syn) || base[d] == nil { base[d] = header.sequenceNumber.rawValue }
                segment.flags = header.flags
                segment.sequence = header.sequenceNumber.rawValue &- (base[d] ?? 0)
                if header.flags.isSuperset(of: [.rst, .ack]) && header.sequenceNumber.rawValue == 0 {
                    // The reset of a closed port to a segment without ACK (RFC 9293 §3.10.7.1):
                    // <SEQ=0>, outside the sender's sequence space, so kept as 0.
                    segment.sequence = 0
                }
                segment.length = tcp.payload.count
                if header.flags.contains(.ack) {
                    segment.acknowledgment = header.acknowledgmentNumber.rawValue &- (base[1 - d] ?? 0)
                }
                segment.window = header.window
                // SACK blocks name the peer's sequence numbers: relative to its ISN, like the ACK.
                let peerBase = base[1 - d] ?? 0
                segment.options = header.options.map { option in
                    guard case .sack(let blocks) = option else { return option }
                    return .sack(blocks.map { SACKBlock(left: SequenceNumber($0.left.rawValue &- peerBase),
                                                        right: SequenceNumber($0.right.rawValue &- peerBase)) })
                }
            case .udp(let datagram):
                segment.kind = .udp
                segment.length = datagram.payload.count
            case .icmp(let message):
                segment.kind = .icmp(type: message.type, code: message.code)
            case .other:
                return
            }
            counts[d] += 1
            segments.append(segment)
        }
    }
}
