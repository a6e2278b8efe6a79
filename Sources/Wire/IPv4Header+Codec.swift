extension IPv4Header {
    /// Parses the header at the start of `bytes` (RFC 791 §3.1).
    ///
    /// Checks, in order: at least 20 octets; version 4; IHL at least 5; the header fits in the
    /// buffer; the total length covers the header and does not exceed the buffer (a longer buffer
    /// is fine, e.g. link-layer padding); every option's length stays inside the header; and,
    /// when `verifyChecksum` is set, the header checksum.
    public static func parse(_ bytes: [UInt8], verifyChecksum: Bool = true) throws(WireError) -> IPv4Header {
        try parse(bytes[...], verifyChecksum: verifyChecksum)
    }

    static func parse(_ b: ArraySlice<UInt8>, verifyChecksum: Bool) throws(WireError) -> IPv4Header {
        let s = b.startIndex
        guard b.count >= minimumLength else {
            throw .truncated("IPv4.header", at: s + b.count, needed: minimumLength, available: b.count)
        }
        let version = b[s] >> 4
        guard version == 4 else {
            throw WireError(.badVersion, field: "IPv4.version", offset: s, detail: "version \(version) is not 4")
        }
        let ihl = Int(b[s] & 0x0F)
        guard ihl >= 5 else {
            throw WireError(.badHeaderLength, field: "IPv4.ihl", offset: s,
                            detail: "\(ihl) words is below the minimum of 5")
        }
        let headerLength = ihl * 4
        guard headerLength <= b.count else {
            throw WireError(.badHeaderLength, field: "IPv4.ihl", offset: s,
                            detail: "a \(headerLength)-byte header overruns the \(b.count)-byte buffer")
        }
        let totalLength = Int(b.u16(s + 2))
        guard totalLength <= b.count else {
            throw WireError(.lengthMismatch, field: "IPv4.totalLength", offset: s + 2,
                            detail: "\(totalLength) bytes is longer than the \(b.count)-byte buffer")
        }
        guard totalLength >= headerLength else {
            throw WireError(.lengthMismatch, field: "IPv4.totalLength", offset: s + 2,
                            detail: "\(totalLength) bytes is shorter than the \(headerLength)-byte header")
        }
        if headerLength > minimumLength { try checkOptions(b[(s + minimumLength)..<(s + headerLength)]) }
        // The fixed fields and the checksum read straight from the bytes, bounds checked above:
        // indexing the slice octet by octet, and building an empty options array, cost ~260
        // instructions a packet of workload A (callgrind).
        let (header, verifies) = b.withUnsafeBytes { raw -> (IPv4Header, Bool) in
            let base = raw.baseAddress.unsafelyUnwrapped
            var verifies = true
            if verifyChecksum {
                var c = InternetChecksum()
                if headerLength == minimumLength {
                    // The usual header, five 32-bit words summed in place: the general `add` cost
                    // ~70 instructions more a packet (callgrind, workload A).
                    for word in 0..<5 { c.add(word32: UInt32(bigEndian: base.loadUnaligned(fromByteOffset: 4 * word, as: UInt32.self))) }
                } else {
                    c.add(UnsafeRawBufferPointer(start: base, count: headerLength))
                }
                verifies = c.verifies
            }
            let serviceType = base.u8(at: 1)
            let flagsAndOffset = base.u16(at: 6)
            return (IPv4Header(
                dscp: serviceType >> 2, ecn: serviceType & 0x03, totalLength: UInt16(totalLength),
                identification: base.u16(at: 4), flags: IPv4Flags(rawValue: UInt8(flagsAndOffset >> 13)),
                fragmentOffset: flagsAndOffset & 0x1FFF, ttl: base.u8(at: 8),
                protocol: IPProtocol(base.u8(at: 9)), headerChecksum: base.u16(at: 10),
                source: IPv4Address(base.u32(at: 12)), destination: IPv4Address(base.u32(at: 16)),
                options: headerLength > minimumLength ? Array(raw[minimumLength..<headerLength]) : []), verifies)
        }
        guard verifies else {
            throw WireError(.badChecksum, field: "IPv4.headerChecksum", offset: s + 10,
                            detail: "checksum 0x\(hex16(header.headerChecksum)) does not verify")
        }
        return header
    }

    private static func checkOptions(_ o: ArraySlice<UInt8>) throws(WireError) {
        var i = o.startIndex
        var n = 0
        while i < o.endIndex {
            let kind = o[i]
            if kind == 0 { return }
            if kind == 1 { i += 1; n += 1; continue }
            guard i + 1 < o.endIndex else {
                throw WireError(.optionOverrun, field: "IPv4.option[\(n)].length", offset: i + 1,
                                detail: "option kind \(kind) has no length octet before the end of the header")
            }
            let length = Int(o[i + 1])
            guard length >= 2 else {
                throw WireError(.badOptionLength, field: "IPv4.option[\(n)].length", offset: i + 1,
                                detail: "length \(length) is below the minimum of 2")
            }
            guard i + length <= o.endIndex else {
                throw WireError(.optionOverrun, field: "IPv4.option[\(n)].length", offset: i + 1,
                                detail: "length \(length) runs \(i + length - o.endIndex) bytes past the header")
            }
            i += length
            n += 1
        }
    }

    /// Appends the header to `buffer` as stored, except that the options are zero-padded to a
    /// word (at most 40 octets) and, when `computeChecksum` is set, the checksum is computed.
    public func emit(into buffer: inout [UInt8], computeChecksum: Bool = true) {
        let start = buffer.count
        let length = headerLength
        buffer.append(0x40 | UInt8(length / 4))
        buffer.append((dscp << 2) | (ecn & 0x03))
        buffer.appendU16(totalLength)
        buffer.appendU16(identification)
        buffer.appendU16(UInt16(flags.rawValue) << 13 | (fragmentOffset & 0x1FFF))
        buffer.append(ttl)
        buffer.append(`protocol`.rawValue)
        buffer.appendU16(computeChecksum ? 0 : headerChecksum)
        buffer.appendU32(source.rawValue)
        buffer.appendU32(destination.rawValue)
        let optionCount = length - Self.minimumLength
        buffer.append(contentsOf: options.prefix(optionCount))
        buffer.append(contentsOf: repeatElement(0, count: optionCount - min(optionCount, options.count)))
        if computeChecksum {
            var c = InternetChecksum()
            c.add(buffer[start...])
            buffer.setU16(c.checksum, at: start + 10)
        }
    }

    /// The header's bytes with a freshly computed checksum.
    public func emit() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(headerLength)
        emit(into: &buffer)
        return buffer
    }
}

/// Four lowercase hex digits.
func hex16(_ value: UInt16) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}

/// Eight lowercase hex digits.
func hex32(_ value: UInt32) -> String { hex16(UInt16(value >> 16)) + hex16(UInt16(value & 0xFFFF)) }
