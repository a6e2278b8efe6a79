extension TCPHeader {
    /// The minimum header length, 5 words (RFC 9293 §3.1).
    public static let minimumLength = 20
    /// The maximum header length, 15 words.
    public static let maximumLength = 60

    /// Octets of options and option padding, before rounding up to a word.
    public var optionsLength: Int {
        // Most headers carry no options: no fold over an empty list (a closure call) for them.
        optionStorage.isEmpty ? 0 : Self.optionsLength(optionStorage)
    }

    /// The options length of a non-empty `storage`: the padding marker counts its data only.
    private static func optionsLength(_ storage: [TCPOption]) -> Int {
        let length = storage.reduce(0) { $0 + $1.encodedLength }
        return paddingMarker(in: storage) == nil ? length : length - 2
    }

    /// The header length `emit` writes: 20 plus the options rounded up to a word, at most 60.
    public var headerLength: Int {
        Self.minimumLength + min(40, (optionsLength + 3) & ~3)
    }

    /// Appends the header with its checksum field set to zero and the data offset derived from
    /// the options. Options and `optionPadding` are zero-padded to a word; anything past 40
    /// octets of options is cut off, so check `optionsLength` when building options by hand.
    func emitWithZeroChecksum(into buffer: inout [UInt8]) {
        let length = headerLength
        buffer.appendU16(sourcePort)
        buffer.appendU16(destinationPort)
        buffer.appendU32(sequenceNumber.rawValue)
        buffer.appendU32(acknowledgmentNumber.rawValue)
        buffer.append(UInt8(length / 4) << 4 | (reserved & 0x0F))
        buffer.append(flags.rawValue)
        buffer.appendU16(window)
        buffer.appendU16(0)
        buffer.appendU16(urgentPointer)
        var optionBytes: [UInt8] = []
        optionBytes.reserveCapacity(optionsLength)
        for option in options { option.emit(into: &optionBytes) }
        optionBytes += optionPadding
        let optionCount = length - Self.minimumLength
        buffer += optionBytes.prefix(optionCount)
        buffer += repeatElement(0, count: optionCount - min(optionCount, optionBytes.count))
    }
}

extension TCPSegment {
    /// Parses a whole TCP segment (RFC 9293 §3.1) carried from `source` to `destination`.
    ///
    /// Errors: fewer than 20 octets (`.truncated`); a data offset below 5 or past the end of the
    /// segment (`.badHeaderLength`); malformed options (see `TCPOption.parseList`); and, when
    /// `verifyChecksum` is set, a checksum that fails over the pseudo-header and segment
    /// (`.badChecksum`).
    public static func parse(
        _ bytes: [UInt8], source: IPv4Address, destination: IPv4Address, verifyChecksum: Bool = true
    ) throws(WireError) -> TCPSegment {
        try parse(bytes[...], source: source, destination: destination, verifyChecksum: verifyChecksum, frame: bytes)
    }

    /// Parses the segment at `b`; its payload is shared with `frame`, the array `b` slices, when given.
    static func parse(
        _ b: ArraySlice<UInt8>, source: IPv4Address, destination: IPv4Address, verifyChecksum: Bool,
        frame: [UInt8]? = nil
    ) throws(WireError) -> TCPSegment {
        let s = b.startIndex
        guard b.count >= TCPHeader.minimumLength else {
            throw .truncated("TCP.header", at: s + b.count, needed: TCPHeader.minimumLength, available: b.count)
        }
        let dataOffset = Int(b[s + 12] >> 4)
        guard dataOffset >= 5 else {
            throw WireError(.badHeaderLength, field: "TCP.dataOffset", offset: s + 12,
                            detail: "\(dataOffset) words is below the minimum of 5")
        }
        let headerLength = dataOffset * 4
        guard headerLength <= b.count else {
            throw WireError(.badHeaderLength, field: "TCP.dataOffset", offset: s + 12,
                            detail: "a \(headerLength)-byte header overruns the \(b.count)-byte segment")
        }
        // A header without options (most segments) skips the option parser's call and setup.
        let (options, padding) = headerLength == TCPHeader.minimumLength
            ? ([], [])
            : try TCPOption.parseList(b[(s + TCPHeader.minimumLength)..<(s + headerLength)])
        // The fixed fields and the checksum read straight from the bytes, bounds checked above
        // (as in `IPv4Header.parse`: indexing the slice octet by octet cost more than the fields).
        let (header, verifies) = b.withUnsafeBytes { raw -> (TCPHeader, Bool) in
            let base = raw.baseAddress.unsafelyUnwrapped
            var verifies = true
            if verifyChecksum {
                var c = InternetChecksum.pseudoHeader(source: source, destination: destination,
                                                      protocol: .tcp, length: raw.count)
                c.add(raw)
                verifies = c.verifies
            }
            return (TCPHeader(
                sourcePort: base.u16(at: 0), destinationPort: base.u16(at: 2),
                sequenceNumber: SequenceNumber(base.u32(at: 4)), acknowledgmentNumber: SequenceNumber(base.u32(at: 8)),
                flags: TCPFlags(rawValue: base.u8(at: 13)), window: base.u16(at: 14),
                checksum: base.u16(at: 16), urgentPointer: base.u16(at: 18), options: options, optionPadding: padding,
                reserved: base.u8(at: 12) & 0x0F), verifies)
        }
        guard verifies else {
            throw WireError(.badChecksum, field: "TCP.checksum", offset: s + 16,
                            detail: "checksum 0x\(hex16(header.checksum)) does not verify")
        }
        return TCPSegment(header: header, payload: frame.map { Payload($0, (s + headerLength)..<b.endIndex) }
                                                    ?? Payload(Array(b[(s + headerLength)...])))
    }

    /// Appends the segment with a checksum computed over the RFC 9293 §3.1 pseudo-header.
    public func emit(into buffer: inout [UInt8], source: IPv4Address, destination: IPv4Address) {
        let start = buffer.count
        header.emitWithZeroChecksum(into: &buffer)
        payload.withContiguousPieces { buffer.append(contentsOf: $0) }
        var c = InternetChecksum.pseudoHeader(source: source, destination: destination,
                                              protocol: .tcp, length: buffer.count - start)
        c.add(buffer[start...])
        buffer.setU16(c.checksum, at: start + 16)
    }

    /// The segment's bytes with a freshly computed checksum.
    public func emit(source: IPv4Address, destination: IPv4Address) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(header.headerLength + payload.count)
        emit(into: &buffer, source: source, destination: destination)
        return buffer
    }

    /// A copy whose `header.checksum` is the one `emit` would write.
    public func withComputedChecksum(source: IPv4Address, destination: IPv4Address) -> TCPSegment {
        var copy = self
        let bytes = emit(source: source, destination: destination)
        copy.header.checksum = bytes[...].u16(16)
        return copy
    }
}

extension TCPSegment {
    /// True when the checksum field of the segment `bytes` holds only the folded pseudo-header sum
    /// (RFC 9293 §3.1 pseudo-header, not complemented, data not included).
    ///
    /// That is what Linux leaves in a segment sent with checksum offload (`CHECKSUM_PARTIAL`),
    /// expecting the NIC to finish the sum; on `lo` nobody does, so every TCP segment captured on
    /// loopback carries such a partial checksum and fails verification. Replay of loopback
    /// captures parses with `verifyChecksums: false` and may use this to tell offload from damage.
    public static func hasPartialChecksum(_ bytes: [UInt8], source: IPv4Address, destination: IPv4Address) -> Bool {
        guard bytes.count >= TCPHeader.minimumLength else { return false }
        let pseudo = InternetChecksum.pseudoHeader(source: source, destination: destination,
                                                   protocol: .tcp, length: bytes.count)
        return bytes[...].u16(16) == pseudo.sum
    }
}
