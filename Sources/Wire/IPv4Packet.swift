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
                                                    verifyChecksum: verifyChecksums, frame: bytes))
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

    /// `parse` for a packet that carries a whole TCP segment: its header and segment, without the
    /// packet value and its payload enum (a stack's per-segment path: building, then destroying
    /// them cost ~110 instructions a packet; callgrind, workload A). Nil, having thrown nothing,
    /// when the header is valid but the packet is a fragment or not TCP: `parse` it then.
    /// Throws what `parse` throws for the same bytes.
    public static func parseTCP(_ bytes: [UInt8], verifyChecksums: Bool = true)
        throws(WireError) -> (header: IPv4Header, segment: TCPSegment)? {
        let header = try IPv4Header.parse(bytes[...], verifyChecksum: verifyChecksums)
        guard header.protocol == .tcp, !header.isFragment else { return nil }
        let segment = try TCPSegment.parse(bytes[header.headerLength..<Int(header.totalLength)], source: header.source,
                                           destination: header.destination, verifyChecksum: verifyChecksums, frame: bytes)
        return (header, segment)
    }

    /// `parseTCP` for the usual packet of a stack's per-segment path: a 20-octet IP header, not a
    /// fragment, over a TCP header without options, both checksums right (when verified). Only
    /// what the stack reads comes back: the addresses and the TCP header's fields, the segment
    /// then made by `PlainTCPPacket.segment(in:)`. Nil for any other packet, having thrown
    /// nothing: `parseTCP` (or `parse`) then decodes it or says what is wrong, as before. The
    /// fields are read at fixed offsets once the lengths are checked; the IP header value (its
    /// options array released again), the slices and the two general parsers' calls cost ~140
    /// instructions a packet (callgrind, workload A).
    public static func parsePlainTCP(_ frame: [UInt8], verifyChecksums: Bool = true) -> PlainTCPPacket? {
        frame.withUnsafeBytes { raw -> PlainTCPPacket? in
            let ipLength = IPv4Header.minimumLength
            guard raw.count >= ipLength + TCPHeader.minimumLength else { return nil }
            let ip = raw.baseAddress.unsafelyUnwrapped
            let totalLength = Int(ip.u16(at: 2))
            // Version 4 and IHL 5; TCP; neither MF nor a fragment offset; a whole segment with a
            // 5-word TCP header (data offset 5), inside the frame.
            guard ip.u8(at: 0) == 0x45, ip.u8(at: 9) == IPProtocol.tcp.rawValue, ip.u16(at: 6) & 0x3FFF == 0,
                  totalLength >= ipLength + TCPHeader.minimumLength, totalLength <= raw.count,
                  ip.u8(at: ipLength + 12) >> 4 == 5 else { return nil }
            let source = IPv4Address(ip.u32(at: 12)), destination = IPv4Address(ip.u32(at: 16))
            let tcp = ip + ipLength
            if verifyChecksums {
                var header = InternetChecksum()
                for word in 0..<5 { header.add(word32: ip.u32(at: 4 * word)) }
                var segment = InternetChecksum.pseudoHeader(source: source, destination: destination,
                                                            protocol: .tcp, length: totalLength - ipLength)
                segment.add(UnsafeRawBufferPointer(start: tcp, count: totalLength - ipLength))
                guard header.verifies, segment.verifies else { return nil }
            }
            return PlainTCPPacket(
                source: source, destination: destination, totalLength: totalLength,
                sourcePort: tcp.u16(at: 0), destinationPort: tcp.u16(at: 2),
                sequenceNumber: SequenceNumber(tcp.u32(at: 4)), acknowledgmentNumber: SequenceNumber(tcp.u32(at: 8)),
                reserved: tcp.u8(at: 12) & 0x0F, flags: TCPFlags(rawValue: tcp.u8(at: 13)), window: tcp.u16(at: 14),
                checksum: tcp.u16(at: 16), urgentPointer: tcp.u16(at: 18))
        }
    }

    /// What `parsePlainTCP` reads from a packet: plain values only. (A result that held the
    /// segment, as an optional tuple or struct, was copied and destroyed through the runtime's
    /// generic value witnesses: ~165 instructions a packet; callgrind, workload A.)
    public struct PlainTCPPacket: Sendable {
        public var source: IPv4Address
        public var destination: IPv4Address
        @usableFromInline var totalLength: Int
        @usableFromInline var sourcePort: UInt16
        @usableFromInline var destinationPort: UInt16
        @usableFromInline var sequenceNumber: SequenceNumber
        @usableFromInline var acknowledgmentNumber: SequenceNumber
        @usableFromInline var reserved: UInt8
        @usableFromInline var flags: TCPFlags
        @usableFromInline var window: UInt16
        @usableFromInline var checksum: UInt16
        @usableFromInline var urgentPointer: UInt16

        /// The segment, its payload shared with `frame`, the array this was parsed from: what
        /// `parseTCP` returns for it.
        @inlinable @inline(__always)
        public func segment(in frame: [UInt8]) -> TCPSegment {
            let headerEnd = 40   // a 20-octet IP header, then a 20-octet TCP header
            return TCPSegment(
                header: TCPHeader(sourcePort: sourcePort, destinationPort: destinationPort, sequenceNumber: sequenceNumber,
                                  acknowledgmentNumber: acknowledgmentNumber, flags: flags, window: window,
                                  checksum: checksum, urgentPointer: urgentPointer, reserved: reserved),
                // A bare ACK's empty payload holds no frame: no retain and release of it for nothing
                // (~12 instructions a packet; callgrind, workload A). Payloads compare by their bytes.
                payload: totalLength > headerEnd ? Payload(frame, headerEnd..<totalLength) : Payload())
        }
    }

    /// The packet's bytes. The protocol field follows the payload's kind, and the total length
    /// and every checksum (IP header; TCP, UDP or ICMP) are computed afresh.
    public func emit() -> [UInt8] {
        var header = self.header
        if let number = payload.protocolNumber { header.protocol = number }
        if case .tcp(let segment) = payload, header.options.isEmpty {
            let length = IPv4Header.minimumLength + segment.header.headerLength + segment.payload.count
            return [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
                Self.writeTCP(header: TCPFrameFields(header), segment: segment, length: length,
                              to: UnsafeMutableRawPointer(buffer.baseAddress!))
                initialized = length
            }
        }
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

    /// `emit()` into `frame`, reusing its storage: the frame's count becomes the packet's length.
    /// (Frames from a pool: a new buffer per packet cost ~650 instructions of allocation for a
    /// full-sized one, more than writing it; callgrind, workload A.)
    public func emit(into frame: inout [UInt8]) {
        var header = self.header
        if let number = payload.protocolNumber { header.protocol = number }
        guard case .tcp(let segment) = payload, header.options.isEmpty else {
            frame = emit()
            return
        }
        let length = IPv4Header.minimumLength + segment.header.headerLength + segment.payload.count
        frame.resize(to: length)
        frame.withUnsafeMutableBytes { buffer in
            Self.writeTCP(header: TCPFrameFields(header), segment: segment, length: length, to: buffer.baseAddress!)
        }
    }

    /// The bytes of `IPv4Packet(source:destination:ttl:identification:payload: .tcp(segment))`,
    /// written into `frame` (its storage reused; nil: a new array of the exact size), without
    /// building the packet value: a stack's per-segment path. (Wrapping the segment in a packet
    /// and its payload enum cost ~400 instructions of copies a segment; callgrind, workload A.)
    public static func emitTCP(_ segment: TCPSegment, source: IPv4Address, destination: IPv4Address,
                               identification: UInt16, ttl: UInt8 = 64, into frame: inout [UInt8]?) {
        let header = TCPFrameFields(identification: identification, ttl: ttl, source: source, destination: destination)
        let length = tcpFrameLength(segment)
        guard var buffer = frame.take() else {
            frame = [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
                writeTCP(header: header, segment: segment, length: length, to: UnsafeMutableRawPointer(buffer.baseAddress!))
                initialized = length
            }
            return
        }
        if buffer.count != length { buffer.resize(to: length) }
        buffer.withUnsafeMutableBytes { writeTCP(header: header, segment: segment, length: length, to: $0.baseAddress!) }
        frame = buffer
    }

    /// The length of the frame `emitTCP` writes `segment` into: an IPv4 header without options,
    /// the TCP header and the payload.
    public static func tcpFrameLength(_ segment: borrowing TCPSegment) -> Int {
        IPv4Header.minimumLength + segment.header.headerLength + segment.payload.count
    }

    /// `emit()` for the common case, a TCP segment under an IPv4 header without options: the same
    /// bytes, written once into `length` bytes at `destination`, the payload copied from where it
    /// is held (or generated) with the TCP checksum summed in the same pass.
    private static func writeTCP(header: TCPFrameFields, segment: borrowing TCPSegment, length total: Int,
                                 to destination: UnsafeMutableRawPointer) {
        let tcpHeaderLength = segment.header.headerLength
        let optionCount = tcpHeaderLength - TCPHeader.minimumLength
        let ipLength = IPv4Header.minimumLength
        let tcpLength = tcpHeaderLength + segment.payload.count
        // Whole big-endian words stored at once, not octet by octet (~50 instructions a packet
        // less; callgrind, workload A).
        @inline(__always) func put16(_ value: UInt16, _ i: Int) {
            destination.storeBytes(of: value.bigEndian, toByteOffset: i, as: UInt16.self)
        }
        @inline(__always) func put32(_ value: UInt32, _ i: Int) {
            destination.storeBytes(of: value.bigEndian, toByteOffset: i, as: UInt32.self)
        }
        // The checksums sum the headers' words from the values written rather than reading the
        // bytes back (~130 instructions a packet less), as 32-bit words: 2^16 ≡ 1 modulo 65535,
        // so a 32-bit word adds what its two 16-bit halves do (RFC 1071 §2(B), byte order and
        // word width), in one addition, not four instructions (~25 a packet; callgrind, workload A).
        // IPv4 header (RFC 791 §3.1), as IPv4Header.emit writes it.
        let versionAndLength = UInt32(0x40 | UInt8(ipLength / 4)) << 24
            | UInt32((header.dscp << 2) | (header.ecn & 0x03)) << 16 | UInt32(UInt16(truncatingIfNeeded: total))
        let identificationAndFragment = UInt32(header.identification) << 16
            | UInt32(UInt16(header.flags.rawValue) << 13 | (header.fragmentOffset & 0x1FFF))
        let ttlAndProtocol = UInt32(header.ttl) << 24 | UInt32(header.protocol.rawValue) << 16
        put32(versionAndLength, 0)
        put32(identificationAndFragment, 4)
        put32(ttlAndProtocol, 8)   // the checksum, zero for now
        put32(header.source.rawValue, 12)
        put32(header.destination.rawValue, 16)
        // TCP header (RFC 9293 §3.1), as TCPHeader.emitWithZeroChecksum writes it.
        let t = ipLength
        let tcp = segment.header
        let ports = UInt32(tcp.sourcePort) << 16 | UInt32(tcp.destinationPort)
        let offsetFlagsAndWindow = UInt32(UInt8(tcpHeaderLength / 4) << 4 | (tcp.reserved & 0x0F)) << 24
            | UInt32(tcp.flags.rawValue) << 16 | UInt32(tcp.window)
        put32(ports, t)
        put32(tcp.sequenceNumber.rawValue, t + 4)
        put32(tcp.acknowledgmentNumber.rawValue, t + 8)
        put32(offsetFlagsAndWindow, t + 12)
        put32(UInt32(tcp.urgentPointer), t + 16)   // the checksum, zero for now, and the urgent pointer
        var tcpChecksum = InternetChecksum.pseudoHeader(source: header.source, destination: header.destination,
                                                        protocol: .tcp, length: tcpLength)
        tcpChecksum.add(word32: ports)
        tcpChecksum.add(word32: tcp.sequenceNumber.rawValue)
        tcpChecksum.add(word32: tcp.acknowledgmentNumber.rawValue)
        tcpChecksum.add(word32: offsetFlagsAndWindow)
        tcpChecksum.add(word32: UInt32(tcp.urgentPointer))
        if optionCount > 0 {
            // Options are rare on the per-segment path (SACK blocks, timestamps): built as bytes.
            var optionBytes: [UInt8] = []
            optionBytes.reserveCapacity(tcp.optionsLength)
            for option in tcp.options { option.emit(into: &optionBytes) }
            optionBytes += tcp.optionPadding
            let p = destination.assumingMemoryBound(to: UInt8.self)
            let copied = min(optionCount, optionBytes.count)
            for i in 0..<copied { p[t + 20 + i] = optionBytes[i] }
            for i in copied..<optionCount { p[t + 20 + i] = 0 }
            tcpChecksum.add(UnsafeRawBufferPointer(start: destination + t + TCPHeader.minimumLength, count: optionCount))
        }
        segment.payload.copyBytes(to: destination + t + tcpHeaderLength, summingInto: &tcpChecksum)
        put16(tcpChecksum.checksum, t + 16)
        var ipChecksum = InternetChecksum()
        ipChecksum.add(word32: versionAndLength)
        ipChecksum.add(word32: identificationAndFragment)
        ipChecksum.add(word32: ttlAndProtocol)
        ipChecksum.add(word32: header.source.rawValue)
        ipChecksum.add(word32: header.destination.rawValue)
        put16(ipChecksum.checksum, 10)
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

/// The fields of an IPv4 header without options that `IPv4Packet.writeTCP` writes: an
/// `IPv4Header` minus its options array, so that the stack's per-segment path builds and drops
/// one without reference counting (an `IPv4Header` per packet cost ~37 instructions to destroy;
/// callgrind, workload A).
private struct TCPFrameFields {
    var dscp: UInt8 = 0
    var ecn: UInt8 = 0
    var identification: UInt16
    var flags: IPv4Flags = .dontFragment
    var fragmentOffset: UInt16 = 0
    var ttl: UInt8
    var `protocol`: IPProtocol = .tcp
    var source: IPv4Address
    var destination: IPv4Address

    /// The header `IPv4Packet(source:destination:ttl:identification:payload: .tcp(…))` has.
    init(identification: UInt16, ttl: UInt8, source: IPv4Address, destination: IPv4Address) {
        self.identification = identification
        self.ttl = ttl
        self.source = source
        self.destination = destination
    }

    /// The fixed fields of `header` (whose options the caller has checked are empty).
    init(_ header: IPv4Header) {
        dscp = header.dscp
        ecn = header.ecn
        identification = header.identification
        flags = header.flags
        fragmentOffset = header.fragmentOffset
        ttl = header.ttl
        `protocol` = header.protocol
        source = header.source
        destination = header.destination
    }
}
