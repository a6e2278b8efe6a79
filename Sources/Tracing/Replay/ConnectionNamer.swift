import Wire

/// Gives every connection and flow of one trace its `ReplayConnectionKey`, reading addresses through
/// the trace's hosts and ports through a `ReplayPortMap`.
///
/// Keys are assigned in the order connections first appear in the trace (a packet, a state change,
/// a socket call or event naming them), so the second connection between the same two ends is `#2`
/// in both traces. The namer is built from the whole trace first; lookups are then pure.
struct ConnectionNamer {
    /// An end as the trace saw it: host name and the port it really had.
    struct ActualEnd: Hashable, Comparable {
        var host: String
        var port: UInt16

        static func < (lhs: ActualEnd, rhs: ActualEnd) -> Bool { (lhs.host, lhs.port) < (rhs.host, rhs.port) }

        var description: String { "\(host):\(port)" }
    }

    /// A connection as the trace saw it: its two ends, smaller first (so both directions agree).
    struct ActualTuple: Hashable {
        var transport: TransportProtocol
        var low: ActualEnd
        var high: ActualEnd

        init(_ transport: TransportProtocol, _ a: ActualEnd, _ b: ActualEnd) {
            self.transport = transport
            low = min(a, b)
            high = max(a, b)
        }
    }

    /// A key and which actual end is its `first`.
    struct Named {
        var key: ReplayConnectionKey
        var firstEnd: ActualEnd
        var secondEnd: ActualEnd

        /// `client:52583>server:80`, the first end first.
        var actualName: String { "\(firstEnd.description)>\(secondEnd.description)" }

        func direction(from end: ActualEnd) -> ReplayDirection { end == firstEnd ? .forward : .backward }
    }

    private let hostNames: [IPv4Address: String]
    private let hostOrder: [String]
    private let ports: ReplayPortMap
    private var named: [ActualTuple: Named] = [:]
    private var ordinals: [String: Int] = [:]
    /// Keys in order of first appearance.
    private(set) var order: [ActualTuple] = []

    init(trace: Trace, ports: ReplayPortMap, until endTime: Int64?) {
        hostNames = trace.hostNames
        hostOrder = trace.header.hosts.map(\.name)
        self.ports = ports
        for event in trace.events {
            if let endTime, event.time > endTime { break }
            switch event.kind {
            case .packetSent(let bytes, _), .packetReceived(let bytes), .packetDropped(let bytes, _),
                 .packetDuplicated(let bytes):
                if let tuple = packetTuple(bytes)?.tuple { register(tuple) }
            case .stateChanged(let connection, _, _, _), .timer(let connection, _, _), .congestion(let connection, _, _, _),
                 .variables(let connection, _):
                if let tuple = Self.parse(connection: connection) { register(tuple) }
            case .socketCall(let socket, _), .socketEvent(let socket, _), .application(let socket, _):
                if let tuple = Self.parse(connection: socket) { register(tuple) }
            case .note:
                break
            }
        }
    }

    /// The key of a connection or flow seen in the trace.
    func name(of tuple: ActualTuple) -> Named? { named[tuple] }

    /// Every connection in order of first appearance.
    var all: [Named] { order.compactMap { named[$0] } }

    private mutating func register(_ tuple: ActualTuple) {
        guard named[tuple] == nil else { return }
        let a = endpoint(tuple.low, tuple.transport), b = endpoint(tuple.high, tuple.transport)
        let lowFirst = isFirst(a, before: b)
        let first = lowFirst ? a : b, second = lowFirst ? b : a
        let base = "\(tuple.transport) \(first)>\(second)"
        let ordinal = (ordinals[base] ?? 0) + 1
        ordinals[base] = ordinal
        named[tuple] = Named(key: ReplayConnectionKey(transport: tuple.transport, first: first, second: second, ordinal: ordinal),
                             firstEnd: lowFirst ? tuple.low : tuple.high, secondEnd: lowFirst ? tuple.high : tuple.low)
        order.append(tuple)
    }

    private func endpoint(_ end: ActualEnd, _ transport: TransportProtocol) -> ReplayEndpoint {
        ReplayEndpoint(host: end.host, port: ports.scenarioPort(host: end.host, transport: transport, actualPort: end.port))
    }

    /// The connecting end first: the ephemeral one, else the host declared first, else the lower port.
    private func isFirst(_ a: ReplayEndpoint, before b: ReplayEndpoint) -> Bool {
        if (a.port == nil) != (b.port == nil) { return a.port == nil }
        let rank = { (host: String) in hostOrder.firstIndex(of: host) ?? hostOrder.count }
        if rank(a.host) != rank(b.host) { return rank(a.host) < rank(b.host) }
        if a.host != b.host { return a.host < b.host }
        return (a.port ?? 0) <= (b.port ?? 0)
    }

    /// The tuple of a TCP or UDP packet, and which end sent it; for an ICMP error, the tuple of the
    /// packet it quotes and the end that sent the ICMP message.
    func packetTuple(_ bytes: [UInt8]) -> (tuple: ActualTuple, sender: ActualEnd)? {
        guard let packet = try? IPv4Packet.parse(bytes, verifyChecksums: false) else { return nil }
        let source = host(packet.header.source), destination = host(packet.header.destination)
        switch packet.payload {
        case .tcp(let segment):
            let from = ActualEnd(host: source, port: segment.header.sourcePort)
            let to = ActualEnd(host: destination, port: segment.header.destinationPort)
            return (ActualTuple(.tcp, from, to), from)
        case .udp(let datagram):
            let from = ActualEnd(host: source, port: datagram.sourcePort)
            let to = ActualEnd(host: destination, port: datagram.destinationPort)
            return (ActualTuple(.udp, from, to), from)
        case .icmp(let message):
            guard let quoted = Self.quotedEnds(message, hostName: host) else { return nil }
            // The ICMP error goes back to the quoted packet's sender, from the end it was meant for.
            return (ActualTuple(quoted.transport, quoted.from, quoted.to), quoted.to)
        case .other:
            return nil
        }
    }

    private func host(_ address: IPv4Address) -> String { hostNames[address] ?? address.description }

    /// The transport and ends of the packet an ICMP error quotes (its IP header and first 8 octets,
    /// RFC 792), read by hand since the quote is a truncated packet.
    private static func quotedEnds(
        _ message: ICMPMessage, hostName: (IPv4Address) -> String
    ) -> (transport: TransportProtocol, from: ActualEnd, to: ActualEnd)? {
        let quoted: [UInt8]
        switch message {
        case .destinationUnreachable(_, _, let bytes), .timeExceeded(_, let bytes): quoted = bytes
        case .echoRequest, .echoReply, .other: return nil
        }
        guard quoted.count >= 20 else { return nil }
        let headerLength = Int(quoted[0] & 0x0F) * 4
        guard headerLength >= 20, quoted.count >= headerLength + 4 else { return nil }
        let transport: TransportProtocol
        switch quoted[9] {
        case 6: transport = .tcp
        case 17: transport = .udp
        default: return nil
        }
        func address(_ at: Int) -> IPv4Address {
            IPv4Address(quoted[at], quoted[at + 1], quoted[at + 2], quoted[at + 3])
        }
        func port(_ at: Int) -> UInt16 { UInt16(quoted[at]) << 8 | UInt16(quoted[at + 1]) }
        return (transport, ActualEnd(host: hostName(address(12)), port: port(headerLength)),
                ActualEnd(host: hostName(address(16)), port: port(headerLength + 2)))
    }

    /// `client:52583>server:80` → its tuple; nil for a listener or UDP socket (`host:port`) or a host.
    static func parse(connection name: String) -> ActualTuple? {
        let halves = name.split(separator: ">", maxSplits: 1)
        guard halves.count == 2, let a = parse(end: halves[0]), let b = parse(end: halves[1]) else { return nil }
        return ActualTuple(.tcp, a, b)
    }

    /// `client:52583` → its end.
    static func parse(end text: Substring) -> ActualEnd? {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else { return nil }
        return ActualEnd(host: String(text[..<colon]), port: port)
    }
}
