/// The Internet checksum (RFC 1071): the 16-bit one's complement of the one's complement sum
/// of the data taken as big-endian 16-bit words, an odd last octet padded with zero.
///
/// Accumulate with `add`, then read `checksum` (the value to write into a header) or
/// `verifies` (true when the data already contains a correct checksum). Words are summed into a
/// 64-bit accumulator and folded once at the end (RFC 1071 §2(B), deferred carries), so no carry
/// is lost for any input shorter than 2^47 octets.
public struct InternetChecksum: Hashable, Sendable {
    private var accumulator: UInt64 = 0
    /// True when an odd number of octets has been added: the next octet is the low half of a word.
    private var odd = false

    public init() {}

    /// Adds octets in order, continuing a word left half-filled by an earlier odd-length call.
    public mutating func add(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { add($0) }
    }

    /// Adds the octets of `buffer` in order (see `add(_:)` for slices).
    public mutating func add(_ buffer: UnsafeRawBufferPointer) {
        var i = 0
        let n = buffer.count
        if odd, n > 0 {
            accumulator &+= UInt64(buffer[0])
            i = 1
            odd = false
        }
        let whole = (n - i) & ~(Self.block - 1)
        if whole > 0 {
            accumulator &+= Self.sumOfBlocks(buffer.baseAddress! + i, count: whole, copyingTo: nil)
            i += whole
        }
        addTail(buffer, from: i)
    }

    /// Copies `source` to `destination` and adds it, in one pass over the bytes: the checksum is
    /// computed while the bytes are written.
    public mutating func addCopying(_ source: UnsafeRawBufferPointer, to destination: UnsafeMutableRawPointer) {
        let n = source.count
        guard n > 0 else { return }
        var i = 0
        if !odd {
            i = n & ~(Self.block - 1)
            if i > 0 { accumulator &+= Self.sumOfBlocks(source.baseAddress!, count: i, copyingTo: destination) }
        }
        (destination + i).copyMemory(from: source.baseAddress! + i, byteCount: n - i)
        add(UnsafeRawBufferPointer(start: destination + i, count: n - i))
    }

    /// Bytes summed per step of the vector loop.
    static let block = 32

    /// The sum, as big-endian 16-bit words folded to 16 bits, of `count` bytes at `base` (a
    /// multiple of `block`), copied to `destination` on the way when it is given.
    ///
    /// The one's complement sum does not depend on byte order or word width (RFC 1071 §2(B)), so
    /// the bytes are summed as 64-bit words in the machine's order, in one chain of additions
    /// each taking in the carry of the one before (the end-around carry), which the compiler
    /// turns into a run of `adc`: one instruction for eight bytes. Eight blocks a turn of the loop,
    /// so that its counting and branch, and the carry kept over them, are spread over 256 bytes.
    /// ~0.16 instructions a byte, where two chains of `add` then `adc $0` took ~0.3, SSE2 lanes of
    /// 16-bit words widened to 32 ~0.48, a 64-bit loop with counted carries ~0.7 (callgrind). A
    /// copy moves 16 bytes at a time before the bytes are summed from the source.
    @inline(__always)
    static func sumOfBlocks(_ base: UnsafeRawPointer, count: Int, copyingTo destination: UnsafeMutableRawPointer?) -> UInt64 {
        var sum: UInt64 = 0
        var carry: UInt64 = 0
        /// Adds the word at `offset` and the carry of the last addition (at most one of the two
        /// additions overflows, so the new carry is 0 or 1).
        @inline(__always) func addWord(at offset: Int) {
            let (partial, first) = sum.addingReportingOverflow(base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            let (total, second) = partial.addingReportingOverflow(carry)
            sum = total
            carry = (first ? 1 : 0) | (second ? 1 : 0)
        }
        /// Copies (when asked) and adds the `block` bytes at `offset`.
        @inline(__always) func addBlock(at offset: Int) {
            if let destination {
                destination.storeBytes(of: base.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self),
                                       toByteOffset: offset, as: SIMD16<UInt8>.self)
                destination.storeBytes(of: base.loadUnaligned(fromByteOffset: offset &+ 16, as: SIMD16<UInt8>.self),
                                       toByteOffset: offset &+ 16, as: SIMD16<UInt8>.self)
            }
            addWord(at: offset)
            addWord(at: offset &+ 8)
            addWord(at: offset &+ 16)
            addWord(at: offset &+ 24)
        }
        var offset = 0
        while offset &+ 8 &* block <= count {
            addBlock(at: offset)
            addBlock(at: offset &+ block)
            addBlock(at: offset &+ 2 &* block)
            addBlock(at: offset &+ 3 &* block)
            addBlock(at: offset &+ 4 &* block)
            addBlock(at: offset &+ 5 &* block)
            addBlock(at: offset &+ 6 &* block)
            addBlock(at: offset &+ 7 &* block)
            offset &+= 8 &* block
        }
        // The rest (0 to 7 blocks) unrolled too: as a loop of single blocks the carry chain is
        // broken at every block.
        if offset &+ 4 &* block <= count {
            addBlock(at: offset)
            addBlock(at: offset &+ block)
            addBlock(at: offset &+ 2 &* block)
            addBlock(at: offset &+ 3 &* block)
            offset &+= 4 &* block
        }
        if offset &+ 2 &* block <= count {
            addBlock(at: offset)
            addBlock(at: offset &+ block)
            offset &+= 2 &* block
        }
        if offset < count { addBlock(at: offset) }
        let (total, overflow) = sum.addingReportingOverflow(carry)
        var folded = total &+ (overflow ? 1 : 0)
        folded = (folded & 0xFFFF_FFFF) &+ (folded &>> 32)
        while folded > 0xFFFF { folded = (folded & 0xFFFF) &+ (folded &>> 16) }
        return UInt64(UInt16(truncatingIfNeeded: folded).bigEndian)
    }

    /// Adds `buffer[start...]` (fewer than `block` bytes): eight bytes at a time in the
    /// machine's order, then four, then two, folded with a fixed number of steps, and the last
    /// octet. (Headers are all tail: the word-by-word loop cost ~300 instructions for the two
    /// headers of each frame; four bytes at a time with a folding loop ~97 a call.)
    @inline(__always)
    private mutating func addTail(_ buffer: UnsafeRawBufferPointer, from start: Int) {
        var i = start
        let n = buffer.count
        guard i < n else { return }
        let base = buffer.baseAddress.unsafelyUnwrapped
        if n &- i >= 2 {
            // Each 64-bit word adds its two 32-bit halves: fewer than 2^35 for the < 32 bytes here.
            var sum: UInt64 = 0
            while n &- i >= 8 {
                let word = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                sum &+= (word & 0xFFFF_FFFF) &+ (word &>> 32)
                i &+= 8
            }
            if n &- i >= 4 {
                sum &+= UInt64(base.loadUnaligned(fromByteOffset: i, as: UInt32.self))
                i &+= 4
            }
            if n &- i >= 2 {
                sum &+= UInt64(base.loadUnaligned(fromByteOffset: i, as: UInt16.self))
                i &+= 2
            }
            sum = (sum & 0xFFFF_FFFF) &+ (sum &>> 32)   // < 2^33
            sum = (sum & 0xFFFF) &+ (sum &>> 16)        // < 2^17 + 2^16
            sum = (sum & 0xFFFF) &+ (sum &>> 16)        // <= 0x1_0001
            sum = (sum & 0xFFFF) &+ (sum &>> 16)        // <= 0xFFFF
            accumulator &+= UInt64(UInt16(truncatingIfNeeded: sum).bigEndian)
        }
        if i < n {
            accumulator &+= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) << 8
            odd = true
        }
    }

    public mutating func add(_ bytes: [UInt8]) { add(bytes[...]) }

    /// True when the next octet added is the high half of a word (an even number added so far).
    public var nextOctetIsHigh: Bool { !odd }

    /// Adds `octets` octets by their sum, as `PayloadSource.wordSum` gives it for `nextOctetIsHigh`
    /// (below 2^63), without the octets themselves.
    public mutating func add(wordSum: UInt64, octets: Int) {
        let (total, carry) = accumulator.addingReportingOverflow(wordSum)
        // A carry out of 64 bits is 2^64 ≡ 1 modulo 65535: fold it back in. Then folded below
        // 2^33 (2^32 ≡ 1 too), so that the plain additions of words after it cannot overflow.
        let sum = total &+ (carry ? 1 : 0)
        accumulator = (sum & 0xFFFF_FFFF) &+ (sum &>> 32)
        if octets & 1 == 1 { odd.toggle() }
    }

    /// Adds one 16-bit word. Only valid at an even octet position.
    public mutating func add(word: UInt16) { accumulator &+= UInt64(word) }

    /// Adds one 32-bit value as two words. Only valid at an even octet position. Added whole:
    /// 2^16 ≡ 1 modulo 65535, so the word adds what its two halves do (RFC 1071 §2(B)), and the
    /// 64-bit accumulator is folded only when the sum is read.
    public mutating func add(word32: UInt32) {
        accumulator &+= UInt64(word32)
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
