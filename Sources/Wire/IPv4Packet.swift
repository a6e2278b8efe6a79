/// What an IPv4 packet carries, decoded according to the header's protocol field.
public enum IPPayload: Hashable, Sendable {
    /// About how many octets the payload takes on the wire, to size buffers.
    var encodedLengthHint: Int {
        switch self {
        case .tcp(let segment): 60 + segment.payload.count
        case .udp(let datagram): UDPDatagram.headerLength + datagram.payload.count
        case .icmp: 576
        case .other(let bytes): bytes.count
        }
    }

    case tcp(TCPSegment)
    case udp(UDPDatagram)
    case icmp(ICMPMessage)
    /// Another protocol, or a fragment (which cannot be decoded on its own): the raw octets.
    case other([UInt8])

    /// The protocol number this payload is sent with; nil for `.other`, which keeps the header's.
    public var protocolNumber: IPProtocol? {
        switch self {
        case .tcp: .tcp
        case .udp: .udp
        case .icmp: .icmp
        case .other: nil
        }
    }
}

/// An IPv4 packet (RFC 791): header and decoded payload.
public struct IPv4Packet: Hashable, Sendable {
    public var header: IPv4Header
    public var payload: IPPayload

    public init(header: IPv4Header, payload: IPPayload) {
        self.header = header
        self.payload = payload
    }

    /// A packet with a plain header: version 4, IHL 5, DSCP and ECN 0, DF set, no options. The
    /// protocol comes from the payload (`protocol` is used for `.other`, 255 if not given); the
    /// total length and checksums are filled in by `emit`.
    public init(
        source: IPv4Address, destination: IPv4Address, ttl: UInt8 = 64, identification: UInt16 = 0,
        protocol: IPProtocol? = nil, payload: IPPayload
    ) {
        header = IPv4Header(identification: identification, flags: .dontFragment, ttl: ttl,
                            protocol: payload.protocolNumber ?? `protocol` ?? IPProtocol(255),
                            source: source, destination: destination)
        self.payload = payload
    }

    /// Parses a whole packet. Octets past `totalLength` (link-layer padding) are ignored.
    ///
    /// TCP, UDP and ICMP payloads are decoded unless the packet is a fragment; errors inside
    /// them carry offsets counted from the first octet of the IP header. With `verifyChecksums`
    /// off, no checksum (IP, TCP, UDP or ICMP) is checked.
    public static func parse(_ bytes: [UInt8], verifyChecksums: Bool = true) throws(WireError) -> IPv4Packet {
        let header = try IPv4Header.parse(bytes[...], verifyChecksum: verifyChecksums)
        let body = bytes[header.headerLength..<Int(header.totalLength)]
        let payload: IPPayload
        if header.isFragment {
            payload = .other(Array(body))
        } else {
            switch header.protocol {
            case .tcp:
                payload = .tcp(try TCPSegment.parse(body, source: header.source, destination: header.destination,
                                                    verifyChecksum: verifyChecksums))
            case .udp:
                payload = .udp(try UDPDatagram.parse(body, source: header.source, destination: header.destination,
                                                     verifyChecksum: verifyChecksums))
            case .icmp:
                payload = .icmp(try ICMPMessage.parse(body, verifyChecksum: verifyChecksums))
            default:
                payload = .other(Array(body))
            }
        }
        return IPv4Packet(header: header, payload: payload)
    }

    /// The packet's bytes. The protocol field follows the payload's kind, and the total length
    /// and every checksum (IP header; TCP, UDP or ICMP) are computed afresh.
    public func emit() -> [UInt8] {
        var header = self.header
        if let number = payload.protocolNumber { header.protocol = number }
        let headerLength = header.headerLength
        // One buffer: the header with a provisional length, then the payload written in place,
        // then the total length and header checksum filled in.
        var buffer: [UInt8] = []
        buffer.reserveCapacity(headerLength + payload.encodedLengthHint)
        header.emit(into: &buffer, computeChecksum: false)
        switch payload {
        case .tcp(let segment): segment.emit(into: &buffer, source: header.source, destination: header.destination)
        case .udp(let datagram): datagram.emit(into: &buffer, source: header.source, destination: header.destination)
        case .icmp(let message): message.emit(into: &buffer)
        case .other(let bytes): buffer += bytes
        }
        buffer.setU16(UInt16(truncatingIfNeeded: buffer.count), at: 2)
        buffer.setU16(0, at: 10)
        var checksum = InternetChecksum()
        checksum.add(buffer[0..<headerLength])
        buffer.setU16(checksum.checksum, at: 10)
        return buffer
    }

    /// The packet as `parse(emit())` returns it: protocol, total length and checksums as `emit`
    /// writes them, options padded to a word.
    public func finalized() -> IPv4Packet {
        var packet = self
        if let number = payload.protocolNumber { packet.header.protocol = number }
        let bytes = emit()
        let b = bytes[...]
        packet.header.totalLength = b.u16(2)
        packet.header.headerChecksum = b.u16(10)
        packet.header.options = Array(b[IPv4Header.minimumLength..<header.headerLength])
        let h = header.headerLength
        switch payload {
        case .tcp(var segment):
            segment.header.checksum = b.u16(h + 16)
            packet.payload = .tcp(segment)
        case .udp(var datagram):
            datagram.length = b.u16(h + 4)
            datagram.checksum = b.u16(h + 6)
            packet.payload = .udp(datagram)
        case .icmp, .other:
            break
        }
        return packet
    }
}
