/// An ICMP message (RFC 792).
///
/// The checksum is not stored: `parse` verifies it and `emit` computes it over the whole message.
/// Error messages quote the offending datagram's IP header and first 8 data octets
/// (see `ICMPMessage.quote(_:)`); the quoted octets are kept raw.
public enum ICMPMessage: Hashable, Sendable {
    /// Type 8: echo request (RFC 792 p. 14).
    case echoRequest(identifier: UInt16, sequence: UInt16, data: [UInt8])
    /// Type 0: echo reply.
    case echoReply(identifier: UInt16, sequence: UInt16, data: [UInt8])
    /// Type 3: destination unreachable (RFC 792 p. 4). Codes: 0 net, 1 host, 2 protocol, 3 port,
    /// 4 fragmentation needed (with `nextHopMTU`, RFC 1191 §4), 5 source route failed.
    case destinationUnreachable(code: UInt8, nextHopMTU: UInt16 = 0, quoted: [UInt8])
    /// Type 11: time exceeded (RFC 792 p. 6). Code 0: TTL exceeded in transit; 1: reassembly.
    case timeExceeded(code: UInt8, quoted: [UInt8])
    /// Any other type, or a known type whose unused field is not zero: the octets after the checksum.
    case other(type: UInt8, code: UInt8, rest: [UInt8])

    public static let headerLength = 8

    /// Destination unreachable code 3.
    public static let portUnreachable: UInt8 = 3

    /// The type octet.
    public var type: UInt8 {
        switch self {
        case .echoReply: 0
        case .destinationUnreachable: 3
        case .echoRequest: 8
        case .timeExceeded: 11
        case .other(let type, _, _): type
        }
    }

    /// The code octet.
    public var code: UInt8 {
        switch self {
        case .echoRequest, .echoReply: 0
        case .destinationUnreachable(let code, _, _), .timeExceeded(let code, _), .other(_, let code, _): code
        }
    }

    /// What an ICMP error quotes from the offending datagram: its IP header plus the first 8
    /// octets of its data (RFC 792), or less when the datagram is shorter.
    public static func quote(_ datagram: [UInt8]) -> [UInt8] {
        let headerLength = datagram.isEmpty ? 0 : Int(datagram[0] & 0x0F) * 4
        return Array(datagram.prefix(headerLength + 8))
    }

    /// The longest ICMP error datagram RFC 1812 allows: 576 octets, IP header included.
    public static let maximumErrorDatagram = 576

    /// What an ICMP error quotes under RFC 1812 §4.3.2.3, as Linux does (`icmp_send`): "the ICMP
    /// datagram SHOULD contain as much of the original datagram as possible without the length of
    /// the ICMP datagram exceeding 576 bytes" — 548 octets after a 20-octet IP header and the
    /// 8-octet ICMP header.
    public static func quoteAsMuchAsFits(_ datagram: [UInt8]) -> [UInt8] {
        Array(datagram.prefix(maximumErrorDatagram - IPv4Header.minimumLength - headerLength))
    }

    /// Parses a whole ICMP message. Errors: fewer than 4 octets, or fewer than 8 for a type with
    /// a second header word (`.truncated`); a failing checksum when `verifyChecksum` is set.
    public static func parse(_ bytes: [UInt8], verifyChecksum: Bool = true) throws(WireError) -> ICMPMessage {
        try parse(bytes[...], verifyChecksum: verifyChecksum)
    }

    static func parse(_ b: ArraySlice<UInt8>, verifyChecksum: Bool) throws(WireError) -> ICMPMessage {
        let s = b.startIndex
        guard b.count >= 4 else {
            throw .truncated("ICMP.header", at: s + b.count, needed: 4, available: b.count)
        }
        if verifyChecksum {
            var c = InternetChecksum()
            c.add(b)
            guard c.verifies else {
                throw WireError(.badChecksum, field: "ICMP.checksum", offset: s + 2,
                                detail: "checksum 0x\(hex16(b.u16(s + 2))) does not verify")
            }
        }
        let type = b[s], code = b[s + 1]
        let rest = Array(b[(s + 4)...])
        guard [0, 3, 8, 11].contains(type) else { return .other(type: type, code: code, rest: rest) }
        guard b.count >= headerLength else {
            throw .truncated("ICMP.header", at: s + b.count, needed: headerLength, available: b.count)
        }
        let body = Array(b[(s + headerLength)...])
        switch type {
        case 0, 8:
            let (identifier, sequence) = (b.u16(s + 4), b.u16(s + 6))
            guard code == 0 else { return .other(type: type, code: code, rest: rest) }
            return type == 8 ? .echoRequest(identifier: identifier, sequence: sequence, data: body)
                             : .echoReply(identifier: identifier, sequence: sequence, data: body)
        case 3:
            guard b.u16(s + 4) == 0 else { return .other(type: type, code: code, rest: rest) }
            return .destinationUnreachable(code: code, nextHopMTU: b.u16(s + 6), quoted: body)
        default:
            guard b.u32(s + 4) == 0 else { return .other(type: type, code: code, rest: rest) }
            return .timeExceeded(code: code, quoted: body)
        }
    }

    /// Appends the message with a computed checksum.
    public func emit(into buffer: inout [UInt8]) {
        let start = buffer.count
        buffer += [type, code, 0, 0]
        switch self {
        case .echoRequest(let identifier, let sequence, let data), .echoReply(let identifier, let sequence, let data):
            buffer.appendU16(identifier)
            buffer.appendU16(sequence)
            buffer += data
        case .destinationUnreachable(_, let mtu, let quoted):
            buffer.appendU16(0)
            buffer.appendU16(mtu)
            buffer += quoted
        case .timeExceeded(_, let quoted):
            buffer.appendU32(0)
            buffer += quoted
        case .other(_, _, let rest):
            buffer += rest
        }
        var c = InternetChecksum()
        c.add(buffer[start...])
        buffer.setU16(c.checksum, at: start + 2)
    }

    /// The message's bytes with a computed checksum.
    public func emit() -> [UInt8] {
        var buffer: [UInt8] = []
        emit(into: &buffer)
        return buffer
    }
}
