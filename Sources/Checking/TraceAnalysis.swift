import Tracing
import Wire

/// A trace decoded once for the invariants: TCP items grouped by connection, in trace order, and
/// what the applications saw. It reads the trace alone, so it works on any trace (simulated,
/// hand-written, or captured from a kernel).
public struct TraceAnalysis: Sendable {
    /// One thing that happened to a connection, in trace order.
    public enum Item: Sendable {
        case sent(TCPSegment, cause: SendCause)
        case received(TCPSegment)
        case state(from: TCPState, to: TCPState, cause: StateChangeCause)
        case timer(TCPTimer, TimerAction)
        case congestion(cwnd: Int, ssthresh: Int, reason: CongestionReason)
    }

    public struct Entry: Sendable {
        public var time: Int64
        /// `host:port>peer:port`, local end first.
        public var connection: String
        /// The same connection seen from the other end, `peer:port>host:port`.
        public var peer: String
        /// `connection` and `peer` as indices of `connectionNames`: invariants keep what they
        /// track per connection in arrays by these, not in dictionaries by name, whose string
        /// hashing was a tenth of `check`'s time (callgrind).
        public var id: Int
        public var peerID: Int
        public var item: Item
    }

    public let trace: Trace
    /// What the trace can tell (from its source).
    public let features: Set<TraceFeature>
    /// Connection items in trace order (all connections interleaved).
    public private(set) var entries: [Entry] = []
    /// Every packet an IP layer accepted, raw.
    public private(set) var receivedPackets: [(time: Int64, node: String, bytes: [UInt8])] = []
    /// Every UDP packet sent, raw, in order.
    public private(set) var sentDatagrams: [(time: Int64, node: String, bytes: [UInt8])] = []
    /// Every UDP packet an IP layer accepted, raw, in order.
    public private(set) var receivedDatagrams: [(time: Int64, node: String, bytes: [UInt8])] = []
    /// Copies of packets a link delivered twice, raw.
    public private(set) var duplicatedPackets: [[UInt8]] = []
    /// What the applications did and saw.
    public let sockets: SocketActivity
    /// Every connection's name (`host:port>peer:port`), by id (`Entry.id`).
    public private(set) var connectionNames: [String] = []
    /// By connection id, the window-scale shift of the windows it receives (present when both
    /// SYNs offered one).
    public private(set) var windowShifts: [Int?] = []
    /// By connection id, whether its SYNs both offered SACK-permitted (RFC 2018 §2): SACK is in use.
    public private(set) var usesSACK: [Bool] = []
    /// By connection id, the MSS option of the SYN it received (536 without one, RFC 9293
    /// §3.7.1): an upper bound on the SMSS of the data it sends.
    public private(set) var peerMSS: [Int?] = []

    public init(_ trace: Trace) {
        self.trace = trace
        features = trace.header.source.features
        sockets = SocketActivity(trace.events)
        let names = trace.hostNames
        func name(_ address: IPv4Address) -> String { names[address] ?? address.description }
        func tcp(_ bytes: [UInt8]) -> (IPv4Packet, TCPSegment)? {
            guard let packet = try? IPv4Packet.parse(bytes, verifyChecksums: false),
                  case .tcp(let segment) = packet.payload else { return nil }
            return (packet, segment)
        }
        func isUDP(_ bytes: [UInt8]) -> Bool { bytes.count > 9 && bytes[9] == IPProtocol.udp.rawValue }
        // Each connection's name and its peer's are made once, not per packet: building them per
        // packet, and reversing them per check, was a quarter of `check`'s time (callgrind).
        typealias Named = (connection: String, peer: String, id: Int, peerID: Int)
        var namesByEnds: [ConnectionEnds: Named] = [:]
        var namedByName: [String: Named] = [:]
        var ids: [String: Int] = [:]
        func id(of connection: String) -> Int {
            if let id = ids[connection] { return id }
            ids[connection] = connectionNames.count
            connectionNames.append(connection)
            return connectionNames.count - 1
        }
        func named(_ connection: String) -> Named {
            if let known = namedByName[connection] { return known }
            let peer = Self.peer(of: connection)
            let made = (connection: connection, peer: peer, id: id(of: connection), peerID: id(of: peer))
            namedByName[connection] = made
            return made
        }
        func named(local: IPv4Address, _ localPort: UInt16, remote: IPv4Address, _ remotePort: UInt16) -> Named {
            let ends = ConnectionEnds(local: local, localPort: localPort, remote: remote, remotePort: remotePort)
            if let known = namesByEnds[ends] { return known }
            let made = named("\(name(local)):\(localPort)>\(name(remote)):\(remotePort)")
            namesByEnds[ends] = made
            return made
        }
        func entry(_ time: Int64, _ named: Named, _ item: Item) -> Entry {
            Entry(time: time, connection: named.connection, peer: named.peer, id: named.id, peerID: named.peerID, item: item)
        }
        for event in trace.events {
            switch event.kind {
            case .packetSent(let bytes, let cause):
                if isUDP(bytes) { sentDatagrams.append((event.time, event.node, bytes)) }
                guard let (packet, segment) = tcp(bytes) else { continue }
                entries.append(entry(event.time, named(local: packet.header.source, segment.header.sourcePort,
                                                       remote: packet.header.destination, segment.header.destinationPort),
                                     .sent(segment, cause: cause)))
            case .packetReceived(let bytes):
                receivedPackets.append((event.time, event.node, bytes))
                if isUDP(bytes) { receivedDatagrams.append((event.time, event.node, bytes)) }
                guard let (packet, segment) = tcp(bytes) else { continue }
                entries.append(entry(event.time, named(local: packet.header.destination, segment.header.destinationPort,
                                                       remote: packet.header.source, segment.header.sourcePort),
                                     .received(segment)))
            case .stateChanged(let connection, let from, let to, let cause):
                entries.append(entry(event.time, named(connection), .state(from: from, to: to, cause: cause)))
            case .timer(let connection, let timer, let action):
                entries.append(entry(event.time, named(connection), .timer(timer, action)))
            case .congestion(let connection, let cwnd, let ssthresh, let reason):
                entries.append(entry(event.time, named(connection), .congestion(cwnd: cwnd, ssthresh: ssthresh, reason: reason)))
            case .packetDuplicated(let bytes):
                duplicatedPackets.append(bytes)
            case .packetDropped, .socketCall, .socketEvent, .application, .variables, .note:
                break
            }
        }
        var offered = [(ours: UInt8?, theirs: UInt8?)](repeating: (nil, nil), count: connectionNames.count)
        var sackOffered = [(ours: Bool, theirs: Bool)](repeating: (false, false), count: connectionNames.count)
        peerMSS = Array(repeating: nil, count: connectionNames.count)
        for entry in entries {
            switch entry.item {
            case .sent(let segment, _) where segment.header.flags.contains(.syn):
                offered[entry.id].ours = Self.windowShift(in: segment)
                sackOffered[entry.id].ours = segment.header.options.contains(.sackPermitted)
            case .received(let segment) where segment.header.flags.contains(.syn):
                offered[entry.id].theirs = Self.windowShift(in: segment)
                sackOffered[entry.id].theirs = segment.header.options.contains(.sackPermitted)
                peerMSS[entry.id] = Self.maximumSegmentSize(in: segment) ?? 536
            case .sent, .received, .state, .timer, .congestion:
                break
            }
        }
        windowShifts = offered.map { shifts in
            guard shifts.ours != nil, let theirs = shifts.theirs else { return nil }
            return Int(min(theirs, 14))
        }
        usesSACK = sackOffered.map { $0.ours && $0.theirs }
    }

    static func windowShift(in segment: TCPSegment) -> UInt8? {
        for option in segment.header.options { if case .windowScale(let value) = option { return value } }
        return nil
    }

    static func maximumSegmentSize(in segment: TCPSegment) -> Int? {
        for option in segment.header.options { if case .maximumSegmentSize(let value) = option { return Int(value) } }
        return nil
    }

    /// `a:1>b:2` → `b:2>a:1`.
    public static func peer(of connection: String) -> String { SocketActivity.peer(of: connection) }
}

/// The two ends of a TCP connection as its packets name them, local end first.
private struct ConnectionEnds: Hashable {
    var local: IPv4Address
    var localPort: UInt16
    var remote: IPv4Address
    var remotePort: UInt16
}

extension TCPSegment {
    /// The sequence number just past this segment's data (FIN excluded).
    var dataEnd: SequenceNumber { header.sequenceNumber + UInt32(payload.count) }
    /// The sequence number just past everything this segment occupies (SYN and FIN included).
    var end: SequenceNumber { header.sequenceNumber + sequenceLength }
}
