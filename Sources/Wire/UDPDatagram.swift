/// A UDP datagram (RFC 768): header and payload.
///
/// `length` and `checksum` are kept as carried on the wire. A checksum of 0 means the sender
/// computed none (RFC 768), so `parse` skips verification for it; `emit` always computes one,
/// sending a computed 0 as 0xFFFF (RFC 768: "all ones").
public struct UDPDatagram: Hashable, Sendable {
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    /// Header plus payload, in octets.
    public var length: UInt16
    public var checksum: UInt16
    public var payload: [UInt8]

    public static let headerLength = 8

    /// A datagram whose `length` is derived from the payload; the checksum is filled in by `emit`.
    public init(sourcePort: UInt16, destinationPort: UInt16, payload: [UInt8] = [], checksum: UInt16 = 0) {
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.length = UInt16(truncatingIfNeeded: Self.headerLength + payload.count)
        self.checksum = checksum
        self.payload = payload
    }

    /// Parses a whole datagram carried from `source` to `destination`.
    ///
    /// Errors: fewer than 8 octets (`.truncated`); a length field that is not the buffer's
    /// length (`.lengthMismatch`; StackLab is strict where Linux trims a shorter length); and,
    /// when `verifyChecksum` is set and the checksum is not 0, a checksum that fails (`.badChecksum`).
    public static func parse(
        _ bytes: [UInt8], source: IPv4Address, destination: IPv4Address, verifyChecksum: Bool = true
    ) throws(WireError) -> UDPDatagram {
        try parse(bytes[...], source: source, destination: destination, verifyChecksum: verifyChecksum)
    }

    static func parse(
        _ b: ArraySlice<UInt8>, source: IPv4Address, destination: IPv4Address, verifyChecksum: Bool
    ) throws(WireError) -> UDPDatagram {
        let s = b.startIndex
        guard b.count >= headerLength else {
            throw .truncated("UDP.header", at: s + b.count, needed: headerLength, available: b.count)
        }
        let length = b.u16(s + 4)
        guard Int(length) == b.count else {
            throw WireError(.lengthMismatch, field: "UDP.length", offset: s + 4,
                            detail: "length \(length) disagrees with the \(b.count)-byte datagram")
        }
        let checksum = b.u16(s + 6)
        if verifyChecksum, checksum != 0 {
            var c = InternetChecksum.pseudoHeader(source: source, destination: destination,
                                                  protocol: .udp, length: b.count)
            c.add(b)
            guard c.verifies else {
                throw WireError(.badChecksum, field: "UDP.checksum", offset: s + 6,
                                detail: "checksum 0x\(hex16(checksum)) does not verify")
            }
        }
        var datagram = UDPDatagram(sourcePort: b.u16(s), destinationPort: b.u16(s + 2),
                                   payload: Array(b[(s + headerLength)...]), checksum: checksum)
        datagram.length = length
        return datagram
    }

    /// Appends the datagram; the length field is written from the payload and the checksum is computed.
    public func emit(into buffer: inout [UInt8], source: IPv4Address, destination: IPv4Address) {
        let start = buffer.count
        let total = Self.headerLength + payload.count
        buffer.appendU16(sourcePort)
        buffer.appendU16(destinationPort)
        buffer.appendU16(UInt16(truncatingIfNeeded: total))
        buffer.appendU16(0)
        buffer += payload
        var c = InternetChecksum.pseudoHeader(source: source, destination: destination, protocol: .udp, length: total)
        c.add(buffer[start...])
        let sum = c.checksum
        buffer.setU16(sum == 0 ? 0xFFFF : sum, at: start + 6)
    }

    /// The datagram's bytes with a fresh length and checksum.
    public func emit(source: IPv4Address, destination: IPv4Address) -> [UInt8] {
        var buffer: [UInt8] = []
        emit(into: &buffer, source: source, destination: destination)
        return buffer
    }

    /// A copy whose `length` and `checksum` are the ones `emit` would write.
    public func withComputedChecksum(source: IPv4Address, destination: IPv4Address) -> UDPDatagram {
        let bytes = emit(source: source, destination: destination)[...]
        var copy = self
        copy.length = bytes.u16(4)
        copy.checksum = bytes.u16(6)
        return copy
    }
}
