import Wire

/// One-line summaries of packets in the spirit of tcpdump and packetdrill:
/// `client:49152 > server:80 S 0:0(0) win 65535 <mss 1460>`.
///
/// Sequence numbers are relative to each direction's initial sequence number once its SYN has
/// been seen (as tcpdump prints them), unless `absolute` is set.
public struct PacketSummarizer {
    public var absolute: Bool
    /// Names hosts by address; unknown addresses print as dotted quads.
    public var hostNames: [IPv4Address: String]
    private var initialSequence: [FlowKey: SequenceNumber] = [:]

    private struct FlowKey: Hashable {
        var source: IPv4Address
        var sourcePort: UInt16
        var destination: IPv4Address
        var destinationPort: UInt16
    }

    public init(hostNames: [IPv4Address: String] = [:], absolute: Bool = false) {
        self.hostNames = hostNames
        self.absolute = absolute
    }

    private func name(_ address: IPv4Address) -> String {
        hostNames[address] ?? address.description
    }

    /// Summarises an IPv4 packet's bytes; undecodable bytes say why. A `brief` summary leaves
    /// out the window and options.
    public mutating func summary(of bytes: [UInt8], brief: Bool = false) -> String {
        // Checksums are not verified here: a corrupted packet is still worth describing.
        guard let packet = try? IPv4Packet.parse(bytes, verifyChecksums: false) else {
            return "\(bytes.count) bytes, not a valid IPv4 packet"
        }
        let source = name(packet.header.source)
        let destination = name(packet.header.destination)
        switch packet.payload {
        case .tcp(let segment):
            return "\(source):\(segment.header.sourcePort) > \(destination):\(segment.header.destinationPort) "
                + tcpText(segment, packet: packet, brief: brief)
        case .udp(let datagram):
            return "\(source):\(datagram.sourcePort) > \(destination):\(datagram.destinationPort) UDP \(datagram.payload.count)"
        case .icmp(let message):
            return "\(source) > \(destination) ICMP \(icmpText(message))"
        case .other(let payload):
            return "\(source) > \(destination) proto \(packet.header.protocol) \(payload.count)"
        }
    }

    private mutating func tcpText(_ segment: TCPSegment, packet: IPv4Packet, brief: Bool) -> String {
        let header = segment.header
        let forward = FlowKey(source: packet.header.source, sourcePort: header.sourcePort,
                              destination: packet.header.destination, destinationPort: header.destinationPort)
        let backward = FlowKey(source: forward.destination, sourcePort: forward.destinationPort,
                               destination: forward.source, destinationPort: forward.sourcePort)
        if header.flags.contains(.syn) { initialSequence[forward] = header.sequenceNumber }
        let seqBase = absolute ? nil : initialSequence[forward]
        let ackBase = absolute ? nil : initialSequence[backward]
        let start = seqBase.map { header.sequenceNumber.rawValue &- $0.rawValue } ?? header.sequenceNumber.rawValue
        var text = "\(header.flags) \(start):\(start &+ UInt32(segment.payload.count))(\(segment.payload.count))"
        if header.flags.contains(.ack) {
            let ack = ackBase.map { header.acknowledgmentNumber.rawValue &- $0.rawValue } ?? header.acknowledgmentNumber.rawValue
            text += " ack \(ack)"
        }
        if brief { return text }
        text += " win \(header.window)"
        let options = header.options.compactMap(Self.optionText)
        if !options.isEmpty { text += " <" + options.joined(separator: ",") + ">" }
        return text
    }

    static func optionText(_ option: TCPOption) -> String? {
        switch option {
        case .endOfList: "eol"
        case .noOperation: "nop"
        case .maximumSegmentSize(let value): "mss \(value)"
        case .windowScale(let shift): "wscale \(shift)"
        case .sackPermitted: "sackOK"
        case .sack(let blocks): "sack " + blocks.map { "\($0.left):\($0.right)" }.joined(separator: " ")
        case .timestamps(let value, let echo): "TS val \(value) ecr \(echo)"
        case .unknown(let kind, let data): "opt-\(kind) \(data.count)"
        }
    }

    private func icmpText(_ message: ICMPMessage) -> String {
        switch message {
        case .echoRequest(let identifier, let sequence, _): "echo request id \(identifier) seq \(sequence)"
        case .echoReply(let identifier, let sequence, _): "echo reply id \(identifier) seq \(sequence)"
        case .destinationUnreachable(let code, _, _): code == ICMPMessage.portUnreachable ? "port unreachable" : "unreachable code \(code)"
        case .timeExceeded: "time exceeded"
        case .other(let type, let code, _): "type \(type) code \(code)"
        }
    }
}
