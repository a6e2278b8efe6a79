/// The Internet checksum (RFC 1071): the 16-bit one's complement of the one's complement sum
/// of the data taken as big-endian 16-bit words, an odd last octet padded with zero.
///
/// Accumulate with `add`, then read `checksum` (the value to write into a header) or
/// `verifies` (true when the data already contains a correct checksum). 16-bit words are summed
/// into a 64-bit accumulator and folded once at the end (RFC 1071 §2(B), deferred carries), so
/// no carry is lost for any input shorter than 2^48 words.
public struct InternetChecksum: Hashable, Sendable {
    private var accumulator: UInt64 = 0
    /// True when an odd number of octets has been added: the next octet is the low half of a word.
    private var odd = false

    public init() {}

    /// Adds octets in order, continuing a word left half-filled by an earlier odd-length call.
    public mutating func add(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBufferPointer { buffer in
            var i = 0
            let n = buffer.count
            var sum = accumulator
            if odd, n > 0 {
                sum &+= UInt64(buffer[0])
                i = 1
                odd = false
            }
            // Whole 64-bit words in the machine's byte order: the one's complement sum does not
            // depend on byte order (RFC 1071 §2(B)), so the folded sum is swapped once at the end.
            // Each word's carry out is counted apart and added back at the end (the end-around
            // carry, RFC 1071 §2(C)); 32 octets per iteration.
            if n - i >= 8 {
                let raw = UnsafeRawBufferPointer(buffer)
                var wide: UInt64 = 0
                var carries: UInt64 = 0
                while i + 32 <= n {
                    var o = wide.addingReportingOverflow(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                    carries &+= o.overflow ? 1 : 0
                    o = o.partialValue.addingReportingOverflow(raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self))
                    carries &+= o.overflow ? 1 : 0
                    o = o.partialValue.addingReportingOverflow(raw.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self))
                    carries &+= o.overflow ? 1 : 0
                    o = o.partialValue.addingReportingOverflow(raw.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self))
                    carries &+= o.overflow ? 1 : 0
                    wide = o.partialValue
                    i += 32
                }
                while i + 8 <= n {
                    let o = wide.addingReportingOverflow(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                    carries &+= o.overflow ? 1 : 0
                    wide = o.partialValue
                    i += 8
                }
                // Fold to 32 bits first, so adding the carries back cannot overflow.
                var native = (wide & 0xFFFF_FFFF) &+ (wide >> 32) &+ carries
                while native > 0xFFFF { native = (native & 0xFFFF) &+ (native >> 16) }
                sum &+= UInt64(UInt16(truncatingIfNeeded: native).bigEndian)
            }
            while i + 1 < n {
                sum &+= UInt64(buffer[i]) << 8 | UInt64(buffer[i + 1])
                i += 2
            }
            if i < n {
                sum &+= UInt64(buffer[i]) << 8
                odd = true
            }
            accumulator = sum
        }
    }

    public mutating func add(_ bytes: [UInt8]) { add(bytes[...]) }

    /// Adds one 16-bit word. Only valid at an even octet position.
    public mutating func add(word: UInt16) { accumulator &+= UInt64(word) }

    /// Adds one 32-bit value as two words. Only valid at an even octet position.
    public mutating func add(word32: UInt32) {
        accumulator &+= UInt64(word32 >> 16) &+ UInt64(word32 & 0xFFFF)
    }

    /// The one's complement sum folded to 16 bits (`0xddf2` for the RFC 1071 §3 example).
    public var sum: UInt16 {
        var s = accumulator
        while s > 0xFFFF { s = (s & 0xFFFF) &+ (s >> 16) }
        return UInt16(truncatingIfNeeded: s)
    }

    /// The checksum to store: the one's complement of `sum`.
    public var checksum: UInt16 { ~sum }

    /// True when the data summed includes a correct checksum field (the sum is all ones).
    public var verifies: Bool { sum == 0xFFFF }

    /// RFC 1624 incremental update (eqn. 3: HC' = ~(~HC + ~m + m')): the checksum after one 16-bit
    /// word of the summed data changed from `oldWord` to `newWord`, without summing it all again.
    public static func updated(_ checksum: UInt16, replacing oldWord: UInt16, with newWord: UInt16) -> UInt16 {
        var sum = UInt32(~checksum) + UInt32(~oldWord) + UInt32(newWord)
        sum = (sum & 0xFFFF) + (sum >> 16)
        sum = (sum & 0xFFFF) + (sum >> 16)
        return ~UInt16(sum)
    }

    /// The checksum of `bytes` alone.
    public static func checksum(_ bytes: [UInt8]) -> UInt16 {
        var c = InternetChecksum()
        c.add(bytes)
        return c.checksum
    }

    /// A checksum started with the IPv4 pseudo-header of RFC 9293 §3.1 (also RFC 768 for UDP):
    /// source address, destination address, a zero octet, the protocol, and the upper-layer length.
    public static func pseudoHeader(
        source: IPv4Address, destination: IPv4Address, protocol: IPProtocol, length: Int
    ) -> InternetChecksum {
        var c = InternetChecksum()
        c.add(word32: source.rawValue)
        c.add(word32: destination.rawValue)
        c.add(word: UInt16(`protocol`.rawValue))
        c.add(word32: UInt32(truncatingIfNeeded: length))
        return c
    }
}
