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
    /// Per connection, the window-scale shift of the windows it receives (present when both SYNs offered one).
    public private(set) var windowShifts: [String: Int] = [:]
    /// Connections whose SYNs both offered SACK-permitted (RFC 2018 §2): SACK is in use.
    public private(set) var sackConnections: Set<String> = []
    /// Per connection, the MSS option of the SYN it received (536 without one, RFC 9293 §3.7.1): an
    /// upper bound on the SMSS of the data it sends.
    public private(set) var peerMSS: [String: Int] = [:]

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
        var namesByEnds: [ConnectionEnds: (connection: String, peer: String)] = [:]
        var peersByName: [String: String] = [:]
        func connectionNames(local: IPv4Address, _ localPort: UInt16, remote: IPv4Address, _ remotePort: UInt16)
            -> (connection: String, peer: String) {
            let ends = ConnectionEnds(local: local, localPort: localPort, remote: remote, remotePort: remotePort)
            if let known = namesByEnds[ends] { return known }
            let here = "\(name(local)):\(localPort)", there = "\(name(remote)):\(remotePort)"
            let made = (connection: here + ">" + there, peer: there + ">" + here)
            namesByEnds[ends] = made
            return made
        }
        func entry(_ time: Int64, _ connection: String, _ item: Item) -> Entry {
            if let peer = peersByName[connection] { return Entry(time: time, connection: connection, peer: peer, item: item) }
            let peer = Self.peer(of: connection)
            peersByName[connection] = peer
            return Entry(time: time, connection: connection, peer: peer, item: item)
        }
        for event in trace.events {
            switch event.kind {
            case .packetSent(let bytes, let cause):
                if isUDP(bytes) { sentDatagrams.append((event.time, event.node, bytes)) }
                guard let (packet, segment) = tcp(bytes) else { continue }
                let named = connectionNames(local: packet.header.source, segment.header.sourcePort,
                                  remote: packet.header.destination, segment.header.destinationPort)
                entries.append(Entry(time: event.time, connection: named.connection, peer: named.peer,
                                     item: .sent(segment, cause: cause)))
            case .packetReceived(let bytes):
                receivedPackets.append((event.time, event.node, bytes))
                if isUDP(bytes) { receivedDatagrams.append((event.time, event.node, bytes)) }
                guard let (packet, segment) = tcp(bytes) else { continue }
                let named = connectionNames(local: packet.header.destination, segment.header.destinationPort,
                                  remote: packet.header.source, segment.header.sourcePort)
                entries.append(Entry(time: event.time, connection: named.connection, peer: named.peer,
                                     item: .received(segment)))
            case .stateChanged(let connection, let from, let to, let cause):
                entries.append(entry(event.time, connection, .state(from: from, to: to, cause: cause)))
            case .timer(let connection, let timer, let action):
                entries.append(entry(event.time, connection, .timer(timer, action)))
            case .congestion(let connection, let cwnd, let ssthresh, let reason):
                entries.append(entry(event.time, connection, .congestion(cwnd: cwnd, ssthresh: ssthresh, reason: reason)))
            case .packetDuplicated(let bytes):
                duplicatedPackets.append(bytes)
            case .packetDropped, .socketCall, .socketEvent, .application, .variables, .note:
                break
            }
        }
        var offered: [String: (ours: UInt8?, theirs: UInt8?)] = [:]
        var sackOffered: [String: (ours: Bool, theirs: Bool)] = [:]
        var order: [String] = []
        for entry in entries {
            switch entry.item {
            case .sent(let segment, _) where segment.header.flags.contains(.syn):
                if offered[entry.connection] == nil { order.append(entry.connection) }
                offered[entry.connection, default: (nil, nil)].ours = Self.windowShift(in: segment)
                sackOffered[entry.connection, default: (false, false)].ours = segment.header.options.contains(.sackPermitted)
            case .received(let segment) where segment.header.flags.contains(.syn):
                if offered[entry.connection] == nil { order.append(entry.connection) }
                offered[entry.connection, default: (nil, nil)].theirs = Self.windowShift(in: segment)
                sackOffered[entry.connection, default: (false, false)].theirs = segment.header.options.contains(.sackPermitted)
                peerMSS[entry.connection] = Self.maximumSegmentSize(in: segment) ?? 536
            case .sent, .received, .state, .timer, .congestion:
                break
            }
        }
        for connection in order {
            if let shifts = offered[connection], shifts.ours != nil, let theirs = shifts.theirs {
                windowShifts[connection] = Int(min(theirs, 14))
            }
            if let sack = sackOffered[connection], sack.ours, sack.theirs { sackConnections.insert(connection) }
        }
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
