// Rendering: the terminal ladder, the SVG ladder, Mermaid, the time-sequence graph and pcap export.
// Every renderer reads a `Trace` through `LadderModel` and returns text or bytes; nothing here
// does I/O or reads a clock.
//
// Deliberate simplifications:
// - a packet's send is matched to its arrival or drop by its IPv4 identity (addresses, IP id,
//   length and the first 16 transport octets), first in first out; a router that rewrites those
//   would break the match (the arrow is then drawn without an arrival);
// - sequence numbers are made relative to the first SYN seen in each direction, or to the first
//   segment seen minus one when no SYN was seen (as tshark does, so the first byte is 1); written
//   symbolically, the side whose SYN came first is `x` and the other `y`;
// - window scaling is applied in the time-sequence graph only when both SYNs carried it.
import Tracing
import Wire

/// A trace digested for drawing: lifelines, packet flights, state changes, timers, and the rows
/// every ladder is laid out on.
public struct LadderModel: Sendable {
    /// One vertical line of the ladder: a host, or a host's port when the host has several.
    public struct Lifeline: Hashable, Sendable {
        public var name: String
        public var address: IPv4Address
        /// The port this lifeline stands for, or nil when it stands for the whole host.
        public var port: UInt16?
    }

    /// One packet from send to arrival, loss, or neither (a capture has sends only).
    public struct Flight: Sendable {
        /// Index of the `packetSent` event.
        public var sendIndex: Int
        public var sendTime: Int64
        public var from: Int
        public var to: Int
        /// The label: `SYN,ACK seq=0 ack=1`, `1460 bytes seq=1 ack=1`, `UDP 100 bytes`.
        public var label: String
        /// Just the kind: `SYN,ACK`, `ACK`, `1460 bytes`, `UDP`.
        public var shortLabel: String
        public var arrivals: [(index: Int, time: Int64)]
        public var drop: Drop?
        /// The sender said so in the event's note ("retransmission (RTO)", "fast retransmit").
        public var isRetransmission: Bool
        public var tcp: TCPInfo?

        public var isLost: Bool { drop != nil }
    }

    /// Where and why a packet was lost.
    public struct Drop: Sendable {
        public var index: Int
        public var time: Int64
        public var reason: PacketDropReason
        /// True when a link dropped it (drawn midway); false when the receiving host did (drawn at it).
        public var onLink: Bool
    }

    /// The TCP facts the graphs need, with sequence numbers already made relative (or not).
    public struct TCPInfo: Sendable {
        public var flags: TCPFlags
        public var sequence: UInt32
        public var acknowledgment: UInt32
        public var length: Int
        public var window: UInt32
        /// Index into `connections`.
        public var connection: Int
        /// True when this segment goes from the connection's first endpoint to its second.
        public var forward: Bool
    }

    /// A TCP connection by its endpoints, first seen first.
    public struct Connection: Hashable, Sendable {
        public var a: Endpoint
        public var b: Endpoint
    }

    /// An address and a port.
    public struct Endpoint: Hashable, Sendable, Comparable {
        public var address: IPv4Address
        public var port: UInt16
        public static func < (l: Endpoint, r: Endpoint) -> Bool {
            (l.address, l.port) < (r.address, r.port)
        }
    }

    /// A lifeline entered a state at an event.
    public struct StateMark: Sendable {
        public var index: Int
        public var time: Int64
        public var lifeline: Int
        public var state: TCPState
        /// The peer, when the lifeline carries several connections (`client1:49152`).
        public var peer: String?
    }

    /// A timer from when it was set until it fired or was cancelled (or the trace ended).
    public struct TimerSpan: Sendable {
        public var lifeline: Int
        /// `retransmission`, `time-wait`, `keepalive`, `persist`.
        public var timer: TCPTimer
        public var setIndex: Int
        public var start: Int64
        public var endIndex: Int?
        public var end: Int64
        public var fired: Bool
    }

    /// What a row of the ladder shows.
    public enum RowContent: Sendable {
        /// A packet leaves (index into `flights`).
        case send(Int)
        /// A packet arrives; `duplicate` for the second copy of a duplicated one.
        case arrival(flight: Int, duplicate: Bool)
        /// A packet the receiving host dropped.
        case hostDrop(Int)
        /// A state change (index into `states`).
        case state(Int)
        /// A timer that fired (index into `timers`).
        case timerFired(Int)
    }

    /// One row: an instant and what happens at it. Rows are in event order.
    public struct Row: Sendable {
        public var time: Int64
        public var content: RowContent
        /// The first trace event this row shows.
        public var eventIndex: Int
    }

    public let trace: Trace
    /// How sequence numbers are written in labels.
    public let sequenceDisplay: SequenceDisplay
    /// Raw sequence numbers (`sequenceDisplay == .absolute`).
    public var absolute: Bool { sequenceDisplay == .absolute }
    public private(set) var lifelines: [Lifeline] = []
    public private(set) var flights: [Flight] = []
    public private(set) var connections: [Connection] = []
    public private(set) var states: [StateMark] = []
    public private(set) var timers: [TimerSpan] = []
    public private(set) var rows: [Row] = []
    /// For each trace event, the row that shows it (a link drop shows on its send's row), or nil.
    public private(set) var rowOfEvent: [Int?] = []
    /// Timers worth drawing: every one that fired, and TIME-WAIT and keepalive however they ended.
    public static let drawnTimers: Set<TCPTimer> = [.retransmission, .timeWait, .keepalive, .persist]

    /// Digests `trace`; sequence numbers are relative unless `absolute`.
    public init(trace: Trace, absolute: Bool = false) {
        self.init(trace: trace, sequence: absolute ? .absolute : .relative)
    }

    /// Digests `trace`, writing sequence numbers as `sequence` says.
    public init(trace: Trace, sequence: SequenceDisplay) {
        self.trace = trace
        self.sequenceDisplay = sequence
        build()
    }

    /// The time of the last event, in nanoseconds.
    public var endTime: Int64 { trace.events.last?.time ?? 0 }

    // MARK: Building

    private struct FlightKey: Hashable {
        var source: UInt32, destination: UInt32
        var identification: UInt16, length: UInt16, proto: UInt8
        var transport0: UInt64, transport1: UInt64
    }

    /// Decoded facts about one packet, before lifelines are known.
    private struct Decoded {
        var source: Endpoint
        var destination: Endpoint
        var packet: IPv4Packet?
    }

    private mutating func build() {
        let events = trace.events
        let namesByAddress = trace.hostNames
        var decoded: [Decoded?] = Array(repeating: nil, count: events.count)
        // Pass 1: endpoints per address, in order of first appearance.
        var portsByAddress: [IPv4Address: [UInt16]] = [:]
        var addressOrder: [IPv4Address] = []
        for (i, event) in events.enumerated() {
            guard case .packetSent(let bytes, _) = event.kind else { continue }
            let packet = try? IPv4Packet.parse(bytes, verifyChecksums: false)
            let d = Self.endpoints(bytes: bytes, packet: packet)
            decoded[i] = Decoded(source: d.0, destination: d.1, packet: packet)
            for e in [d.0, d.1] {
                if portsByAddress[e.address] == nil { addressOrder.append(e.address); portsByAddress[e.address] = [] }
                if e.port != 0, !portsByAddress[e.address]!.contains(e.port) { portsByAddress[e.address]!.append(e.port) }
            }
        }
        // Hosts in header order first, then addresses the header does not know.
        let headerAddresses = trace.header.hosts.map(\.address)
        let ordered = headerAddresses.filter { portsByAddress[$0] != nil }
            + addressOrder.filter { !headerAddresses.contains($0) }
        var lifelineByEndpoint: [Endpoint: Int] = [:]
        var firstLifelineOfAddress: [IPv4Address: Int] = [:]
        for address in ordered {
            let name = namesByAddress[address] ?? address.description
            let ports = portsByAddress[address] ?? []
            firstLifelineOfAddress[address] = lifelines.count
            if ports.count > 1 {
                for port in ports {
                    lifelineByEndpoint[Endpoint(address: address, port: port)] = lifelines.count
                    lifelines.append(Lifeline(name: "\(name):\(port)", address: address, port: port))
                }
            } else {
                lifelines.append(Lifeline(name: name, address: address, port: nil))
            }
        }
        func lifeline(_ e: Endpoint) -> Int {
            lifelineByEndpoint[e] ?? firstLifelineOfAddress[e.address] ?? 0
        }
        // Lifelines for hosts that only change state (no packets) are not drawn.
        var addressByName: [String: IPv4Address] = [:]
        for host in trace.header.hosts { addressByName[host.name] = host.address }
        // Connections carried by each lifeline, to decide whether state marks name their peer.
        var peersOfLifeline: [Int: Set<String>] = [:]

        var sequenceBase: [Endpoint: [Endpoint: UInt32]] = [:]
        var symbol: [Endpoint: [Endpoint: String]] = [:]
        var connectionIndex: [Connection: Int] = [:]
        var outstanding: [FlightKey: [Int]] = [:]
        var lastFlight: [FlightKey: Int] = [:]
        rowOfEvent = Array(repeating: nil, count: events.count)
        var openTimers: [String: Int] = [:]

        for (i, event) in events.enumerated() {
            switch event.kind {
            case .packetSent(let bytes, let cause):
                let d = decoded[i]!
                var flight = Flight(sendIndex: i, sendTime: event.time, from: lifeline(d.source), to: lifeline(d.destination),
                                    label: "", shortLabel: "", arrivals: [], drop: nil,
                                    isRetransmission: cause.isRetransmission, tcp: nil)
                switch d.packet?.payload {
                case .tcp(let segment)?:
                    let h = segment.header
                    if h.flags.contains(.syn) {
                        sequenceBase[d.source, default: [:]][d.destination] = h.sequenceNumber.rawValue
                    } else if sequenceBase[d.source]?[d.destination] == nil {
                        // No SYN seen: as if it had come just before (tshark does the same).
                        sequenceBase[d.source, default: [:]][d.destination] = h.sequenceNumber.rawValue &- 1
                    }
                    if symbol[d.source]?[d.destination] == nil {
                        symbol[d.source, default: [:]][d.destination] = symbol[d.destination]?[d.source] == nil ? "x" : "y"
                    }
                    let seqBase = sequenceBase[d.source]?[d.destination] ?? 0
                    let ackBase = sequenceBase[d.destination]?[d.source] ?? 0
                    let seq = absolute ? h.sequenceNumber.rawValue : h.sequenceNumber.rawValue &- seqBase
                    let ack = absolute ? h.acknowledgmentNumber.rawValue : h.acknowledgmentNumber.rawValue &- ackBase
                    let seqText = sequenceDisplay.text(h.sequenceNumber.rawValue, isn: seqBase,
                                                       symbol: symbol[d.source]?[d.destination] ?? "x")
                    let ackText = sequenceDisplay.text(h.acknowledgmentNumber.rawValue, isn: ackBase,
                                                       symbol: symbol[d.destination]?[d.source] ?? "y")
                    let key = Connection(a: min(d.source, d.destination), b: max(d.source, d.destination))
                    let c: Int
                    if let existing = connectionIndex[key] { c = existing } else {
                        c = connections.count
                        connectionIndex[key] = c
                        connections.append(Connection(a: d.source, b: d.destination))
                    }
                    flight.tcp = TCPInfo(flags: h.flags, sequence: seq, acknowledgment: ack, length: segment.payload.count,
                                         window: UInt32(h.window), connection: c, forward: connections[c].a == d.source)
                    flight.shortLabel = Self.segmentKind(h.flags, length: segment.payload.count)
                    var label = flight.shortLabel + " seq=\(seqText)"
                    if h.flags.contains(.ack) { label += " ack=\(ackText)" }
                    flight.label = label
                case .udp(let datagram)?:
                    flight.shortLabel = "UDP"
                    flight.label = "UDP \(datagram.payload.count) bytes"
                case .icmp(let message)?:
                    flight.shortLabel = "ICMP"
                    flight.label = "ICMP " + Self.icmpText(message)
                case .other(let payload)?:
                    flight.shortLabel = "IP"
                    flight.label = "IP proto \(d.packet!.header.protocol.rawValue) len=\(payload.count)"
                case nil:
                    flight.shortLabel = "?"
                    flight.label = "undecodable \(bytes.count) bytes"
                }
                if flight.isRetransmission { flight.label += " (retransmission)" }
                let f = flights.count
                flights.append(flight)
                let key = Self.key(bytes)
                outstanding[key, default: []].append(f)
                lastFlight[key] = f
                rowOfEvent[i] = rows.count
                rows.append(Row(time: event.time, content: .send(f), eventIndex: i))

            case .packetReceived(let bytes):
                let key = Self.key(bytes)
                if var queue = outstanding[key], !queue.isEmpty {
                    let f = queue.removeFirst()
                    outstanding[key] = queue
                    flights[f].arrivals.append((i, event.time))
                    rowOfEvent[i] = rows.count
                    rows.append(Row(time: event.time, content: .arrival(flight: f, duplicate: false), eventIndex: i))
                } else if let f = lastFlight[key] {
                    flights[f].arrivals.append((i, event.time))
                    rowOfEvent[i] = rows.count
                    rows.append(Row(time: event.time, content: .arrival(flight: f, duplicate: true), eventIndex: i))
                }

            case .packetDropped(let bytes, let reason):
                let key = Self.key(bytes)
                guard var queue = outstanding[key], !queue.isEmpty else {
                    // Refused by the host that just received it (a full listen backlog; the drop may
                    // record the packet as re-encoded): that arrival becomes the drop.
                    if i > 0, case .packetReceived = events[i - 1].kind, events[i - 1].node == event.node,
                       let row = rowOfEvent[i - 1], case .arrival(let f, false) = rows[row].content,
                       flights[f].drop == nil, let arrival = flights[f].arrivals.last, arrival.index == i - 1 {
                        flights[f].arrivals.removeLast()
                        flights[f].drop = Drop(index: i, time: event.time, reason: reason, onLink: false)
                        rows[row].content = .hostDrop(f)
                        rowOfEvent[i] = row
                    }
                    continue
                }
                let f = queue.removeFirst()
                outstanding[key] = queue
                let onLink = reason.isInTransit
                flights[f].drop = Drop(index: i, time: event.time, reason: reason, onLink: onLink)
                if onLink {
                    rowOfEvent[i] = rowOfEvent[flights[f].sendIndex]
                } else {
                    rowOfEvent[i] = rows.count
                    rows.append(Row(time: event.time, content: .hostDrop(f), eventIndex: i))
                }

            case .packetDuplicated:
                continue

            case .stateChanged(let connection, _, let to, _):
                guard let (l, peer) = lifelineOf(connection: connection, addressByName: addressByName,
                                                  lifeline: lifeline, known: firstLifelineOfAddress) else { continue }
                if let peer { peersOfLifeline[l, default: []].insert(peer) }
                rowOfEvent[i] = rows.count
                rows.append(Row(time: event.time, content: .state(states.count), eventIndex: i))
                states.append(StateMark(index: i, time: event.time, lifeline: l, state: to, peer: peer))

            case .timer(let connection, let timer, let action):
                guard Self.drawnTimers.contains(timer),
                      let (l, _) = lifelineOf(connection: connection, addressByName: addressByName,
                                              lifeline: lifeline, known: firstLifelineOfAddress) else { continue }
                let id = connection + "|" + timer.rawValue
                switch action {
                case .set:
                    if let open = openTimers[id] { close(open, at: i, time: event.time, fired: false) }
                    openTimers[id] = timers.count
                    timers.append(TimerSpan(lifeline: l, timer: timer, setIndex: i, start: event.time, endIndex: nil,
                                            end: endTime, fired: false))
                case .fired, .cancelled:
                    let fired = action == .fired
                    let t: Int
                    if let open = openTimers.removeValue(forKey: id) {
                        close(open, at: i, time: event.time, fired: fired)
                        t = open
                    } else if fired {
                        t = timers.count
                        timers.append(TimerSpan(lifeline: l, timer: timer, setIndex: i, start: event.time, endIndex: i,
                                                end: event.time, fired: true))
                    } else {
                        continue
                    }
                    if fired {
                        rowOfEvent[i] = rows.count
                        rows.append(Row(time: event.time, content: .timerFired(t), eventIndex: i))
                    }
                }

            case .socketCall, .socketEvent, .application, .congestion, .variables, .note:
                continue
            }
        }
        // A state mark names its peer only when its lifeline carries several connections.
        for s in states.indices where (peersOfLifeline[states[s].lifeline]?.count ?? 0) < 2 {
            states[s].peer = nil
        }
        // Retransmission timers that were merely cancelled are bookkeeping, not worth a bar.
        var newIndex = Array(repeating: -1, count: timers.count)
        var kept: [TimerSpan] = []
        for (t, span) in timers.enumerated() where span.fired || span.timer != .retransmission {
            newIndex[t] = kept.count
            kept.append(span)
        }
        timers = kept
        for r in rows.indices {
            if case .timerFired(let t) = rows[r].content { rows[r].content = .timerFired(newIndex[t]) }
        }
    }

    private mutating func close(_ t: Int, at index: Int, time: Int64, fired: Bool) {
        timers[t].endIndex = index
        timers[t].end = time
        timers[t].fired = fired
    }

    /// The lifeline for a connection name (`client:49152>server:80`, or `server:80` for a
    /// listener) and the peer's name.
    private func lifelineOf(
        connection: String, addressByName: [String: IPv4Address], lifeline: (Endpoint) -> Int,
        known: [IPv4Address: Int]
    ) -> (Int, String?)? {
        let parts = connection.split(separator: ">", maxSplits: 1).map(String.init)
        guard let local = parts.first else { return nil }
        let pieces = local.split(separator: ":").map(String.init)
        guard let name = pieces.first, let address = addressByName[name] ?? IPv4Address(name),
              known[address] != nil else { return nil }
        let port = pieces.count > 1 ? UInt16(pieces[1]) ?? 0 : 0
        return (lifeline(Endpoint(address: address, port: port)), parts.count > 1 ? parts[1] : nil)
    }

    private static func endpoints(bytes: [UInt8], packet: IPv4Packet?) -> (Endpoint, Endpoint) {
        guard let packet else {
            let s = bytes.count >= 20 ? IPv4Address(bytes[12], bytes[13], bytes[14], bytes[15]) : IPv4Address(0)
            let d = bytes.count >= 20 ? IPv4Address(bytes[16], bytes[17], bytes[18], bytes[19]) : IPv4Address(0)
            return (Endpoint(address: s, port: 0), Endpoint(address: d, port: 0))
        }
        var sp: UInt16 = 0, dp: UInt16 = 0
        switch packet.payload {
        case .tcp(let s): (sp, dp) = (s.header.sourcePort, s.header.destinationPort)
        case .udp(let u): (sp, dp) = (u.sourcePort, u.destinationPort)
        case .icmp, .other: break
        }
        return (Endpoint(address: packet.header.source, port: sp), Endpoint(address: packet.header.destination, port: dp))
    }

    /// A packet's identity across its journey: not its TTL or header checksum, which routers change.
    private static func key(_ b: [UInt8]) -> FlightKey {
        func u(_ i: Int) -> UInt64 { i < b.count ? UInt64(b[i]) : 0 }
        func u64(_ i: Int) -> UInt64 {
            guard i + 8 <= b.count else { return (0..<8).reduce(0) { $0 << 8 | u(i + $1) } }
            var value: UInt64 = 0
            for k in i..<(i + 8) { value = value << 8 | UInt64(b[k]) }
            return value
        }
        let ihl = b.isEmpty ? 20 : Int(b[0] & 0x0F) * 4
        return FlightKey(source: UInt32(u64(12) >> 32), destination: UInt32(u64(16) >> 32),
                         identification: UInt16(u(4) << 8 | u(5)), length: UInt16(u(2) << 8 | u(3)), proto: UInt8(u(9)),
                         transport0: u64(ihl), transport1: u64(ihl + 8))
    }

    /// Flags as learners read them: `SYN`, `SYN,ACK`, `FIN,ACK`, `PSH,ACK`, `RST`.
    public static func flagNames(_ flags: TCPFlags) -> String {
        flags.names.isEmpty ? "none" : flags.names.joined(separator: ",")
    }

    /// What a segment is, as a learner names it: its control flags when it carries no data
    /// (`SYN,ACK`, `ACK`), else its size, after any SYN, FIN or RST it also carries
    /// (`1460 bytes`, `FIN + 20 bytes`).
    public static func segmentKind(_ flags: TCPFlags, length: Int) -> String {
        guard length > 0 else { return flagNames(flags) }
        let control = flags.intersection([.syn, .fin, .rst])
        let size = length == 1 ? "1 byte" : "\(length) bytes"
        return control.isEmpty ? size : flagNames(control) + " + " + size
    }

    private static func icmpText(_ message: ICMPMessage) -> String {
        switch message {
        case .echoRequest(let identifier, let sequence, _): "echo request id=\(identifier) seq=\(sequence)"
        case .echoReply(let identifier, let sequence, _): "echo reply id=\(identifier) seq=\(sequence)"
        case .destinationUnreachable(let code, _, _):
            code == ICMPMessage.portUnreachable ? "port unreachable" : "unreachable code \(code)"
        case .timeExceeded: "time exceeded"
        case .other(let type, let code, _): "type \(type) code \(code)"
        }
    }

    /// Milliseconds from nanoseconds without floating point: `0`, `10`, `20.204`, `60140`.
    public static func milliseconds(_ nanoseconds: Int64) -> String {
        let micros = nanoseconds / 1_000
        let whole = micros / 1_000
        let fraction = micros % 1_000
        guard fraction != 0 else { return String(whole) }
        var text = String(fraction)
        text = String(repeating: "0", count: 3 - text.count) + text
        while text.hasSuffix("0") { text.removeLast() }
        return "\(whole).\(text)"
    }
}
