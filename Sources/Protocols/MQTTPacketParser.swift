/// An incremental parser of MQTT control packets (§2, §3), fed arbitrary slices of a stream.
///
/// The first octet is checked as soon as it arrives (packet type and flags, §2.2.1, §2.2.2);
/// the Remaining Length is checked against the fixed length of the packet type and against
/// `maxPacketSize` before any of the body is buffered, so at most one packet of at most
/// `maxPacketSize` octets is ever held. After an error the parser stays failed and reports the
/// same error again (§4.8: the connection is to be closed).
public struct MQTTPacketParser: Sendable {
    /// Where the parser is inside the current packet.
    enum State: Sendable {
        /// Waiting for the first octet of a fixed header.
        case waitingForFixedHeader
        /// Reading the Remaining Length: its value and octet count so far.
        case waitingForRemainingLength(MQTTPacketType, flags: UInt8, headerOffset: Int, value: Int, octets: Int)
        /// Reading the body: its length and the octets so far.
        case waitingForBody(MQTTPacketType, flags: UInt8, headerOffset: Int, length: Int, body: [UInt8])
        /// An error was found; nothing more is parsed.
        case failed(MQTTDecodingError)
    }

    /// The largest packet accepted, fixed header included, in octets.
    public let maxPacketSize: Int
    private var state: State = .waitingForFixedHeader
    /// The stream offset of the next octet.
    public private(set) var offset: Int

    /// A parser accepting packets of up to `maxPacketSize` octets; `startingAt` is the stream
    /// offset of the first octet it will be fed.
    public init(maxPacketSize: Int = 1 << 20, startingAt offset: Int = 0) {
        precondition(maxPacketSize >= 2, "every packet has at least two octets")
        self.maxPacketSize = maxPacketSize
        self.offset = offset
    }

    /// How many body octets are held, waiting for the rest of their packet.
    public var bufferedByteCount: Int {
        switch state {
        case .waitingForFixedHeader, .waitingForRemainingLength, .failed: 0
        case .waitingForBody(_, _, _, _, let body): body.count
        }
    }

    /// The error the parser stopped at, if any.
    public var error: MQTTDecodingError? {
        if case .failed(let error) = state { return error }
        return nil
    }

    /// Parses `bytes`, calling `onPacket` for every packet completed, in order; throws at the
    /// first error (packets completed before it have been handed over).
    public mutating func parse<Bytes: Collection<UInt8>>(
        _ bytes: Bytes, onPacket: (MQTTPacket) -> Void
    ) throws(MQTTDecodingError) {
        if case .failed(let error) = state { throw error }
        var index = bytes.startIndex
        do throws(MQTTDecodingError) {
            while index != bytes.endIndex {
                if case .waitingForBody(let type, let flags, let headerOffset, let length, var body) = state {
                    state = .waitingForFixedHeader  // let `body` be uniquely referenced
                    let available = bytes.distance(from: index, to: bytes.endIndex)
                    let end = bytes.index(index, offsetBy: min(available, length - body.count))
                    body += bytes[index..<end]
                    offset += bytes.distance(from: index, to: end)
                    index = end
                    state = .waitingForBody(type, flags: flags, headerOffset: headerOffset, length: length, body: body)
                } else {
                    try step(bytes[index])
                    index = bytes.index(after: index)
                }
                if let packet = try completedPacket() { onPacket(packet) }
            }
        } catch {
            state = .failed(error)
            throw error
        }
    }

    /// Parses `bytes` and returns the packets completed; throws at the first error.
    public mutating func parse<Bytes: Collection<UInt8>>(_ bytes: Bytes) throws(MQTTDecodingError) -> [MQTTPacket] {
        var packets: [MQTTPacket] = []
        try parse(bytes) { packets.append($0) }
        return packets
    }

    /// Consumes one octet of a fixed header.
    private mutating func step(_ byte: UInt8) throws(MQTTDecodingError) {
        defer { offset += 1 }
        switch state {
        case .waitingForFixedHeader:
            let type = try MQTTPacket.checkFirstOctet(byte, offset: offset)
            state = .waitingForRemainingLength(type, flags: byte & 0x0F, headerOffset: offset, value: 0, octets: 0)
        case .waitingForRemainingLength(let type, let flags, let headerOffset, let value, let octets):
            let value = value | Int(byte & 0x7F) << (7 * octets)
            guard byte & 0x80 != 0 else {
                try lengthKnown(type, flags: flags, headerOffset: headerOffset, length: value, octets: octets + 1)
                return
            }
            // §2.2.3: a fourth octet with the continuation bit would announce a fifth.
            guard octets + 1 < MQTTRemainingLength.maxOctets else {
                throw MQTTDecodingError(.remainingLengthTooLong, field: .remainingLength, packetType: type,
                                        offset: offset)
            }
            state = .waitingForRemainingLength(type, flags: flags, headerOffset: headerOffset, value: value,
                                               octets: octets + 1)
        case .waitingForBody, .failed:
            preconditionFailure("bodies and failures are handled by parse(_:onPacket:)")
        }
    }

    /// Checks the Remaining Length before buffering the body.
    private mutating func lengthKnown(_ type: MQTTPacketType, flags: UInt8, headerOffset: Int, length: Int,
                                      octets: Int) throws(MQTTDecodingError) {
        try MQTTPacket.checkRemainingLength(length, of: type, offset: headerOffset + 1)
        let size = 1 + octets + length
        guard size <= maxPacketSize else {
            throw MQTTDecodingError(.packetTooLarge(size: size, limit: maxPacketSize), field: .remainingLength,
                                    packetType: type, offset: headerOffset + 1)
        }
        var body: [UInt8] = []
        // Announced lengths are not trusted with memory: reserve at most 64 KiB ahead of the data.
        body.reserveCapacity(min(length, 1 << 16))
        state = .waitingForBody(type, flags: flags, headerOffset: headerOffset, length: length, body: body)
    }

    /// The packet just completed, decoded; nil when the current packet is unfinished.
    private mutating func completedPacket() throws(MQTTDecodingError) -> MQTTPacket? {
        guard case .waitingForBody(let type, let flags, let headerOffset, let length, let body) = state,
              body.count == length else { return nil }
        state = .waitingForFixedHeader
        return try MQTTPacket.decodeBody(type: type, flags: flags, body: body, headerOffset: headerOffset,
                                         bodyOffset: offset - length)
    }
}
