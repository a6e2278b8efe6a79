/// The octets a TCP segment carries, held without copying them.
///
/// Either a stretch of a shared byte buffer (the frame a segment was parsed from, an
/// application's write), or a stretch of a generated stream (`PayloadSource`) whose bytes are
/// made only where the segment is written into its frame. Parsing a frame slices its payload
/// out of it; emitting a segment writes the payload into the frame once, summing the checksum as
/// it goes. Before, every payload byte was copied about six times between the application and
/// the receiver (issue 17's profile: memcpy 12% of all instructions).
///
/// Indices run from 0 to `count`, whatever the storage. Two payloads are equal when their bytes are.
public struct Payload: Sendable {
    // One layout for both kinds, not an enum of the two: an enum with a payload in each case is
    // copied and destroyed through outlined functions that switch on the case (~50 instructions
    // a packet of workload A; callgrind), and its count needed a switch on every read. A
    // generated payload holds the empty array, which is never freed. The small initializers and
    // accessors are inlinable: the stack makes and slices payloads several times a packet.

    /// The array whose bytes at `start..<start + length` these are; empty when `source` is set.
    @usableFromInline
    var array: [UInt8]
    /// The index of the first byte in `array`, or its offset in `source`'s stream.
    @usableFromInline
    var start: Int
    /// The number of bytes.
    @usableFromInline
    var length: Int
    /// The stream the bytes are generated from, or nil when they are `array`'s.
    @usableFromInline
    var source: (any PayloadSource.Type)?

    /// No bytes.
    @inlinable
    public init() {
        array = []
        start = 0
        length = 0
        source = nil
    }

    /// The bytes of `array`, shared, not copied.
    @inlinable
    public init(_ array: [UInt8]) {
        self.array = array
        start = 0
        length = array.count
        source = nil
    }

    /// The bytes of `array` at `range`, shared, not copied.
    @inlinable
    public init(_ array: [UInt8], _ range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= array.count, "range out of bounds")
        self.array = array
        start = range.lowerBound
        length = range.count
        source = nil
    }

    /// `count` bytes of the stream `source` from `offset`; none is made until they are written.
    @inlinable
    public init(generatedBy source: any PayloadSource.Type, offset: Int, count: Int) {
        precondition(offset >= 0 && count >= 0, "a generated payload starts at an offset of 0 or more")
        array = []
        start = offset
        length = count
        self.source = source
    }

    @inlinable
    public var count: Int { length }

    @inlinable
    public var isEmpty: Bool { length == 0 }

    /// Whether the bytes are a stretch of a generated stream (`PayloadSource`), not of a buffer.
    @inlinable
    public var isGenerated: Bool { source != nil }

    /// The bytes at positions `range`, sharing the storage.
    @inlinable
    public func extracting(_ range: Range<Int>) -> Payload {
        precondition(range.lowerBound >= 0 && range.upperBound <= length, "range out of bounds")
        var part = self
        part.start = start + range.lowerBound
        part.length = range.count
        return part
    }

    /// Calls `body` with the bytes in order, in one or more contiguous pieces (none when empty).
    @inlinable
    public func withContiguousPieces(_ body: (UnsafeRawBufferPointer) -> Void) {
        guard length > 0 else { return }
        if let source {
            source.withBytes(from: start, count: length, body)
        } else {
            array.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<(start + length)])) }
        }
    }

    /// Copies the bytes to `destination`, which has room for `count` of them.
    @inlinable
    public func copyBytes(to destination: UnsafeMutableRawPointer) {
        if let source {
            if length > 0 { source.copyBytes(from: start, count: length, to: destination) }
            return
        }
        var written = 0
        withContiguousPieces { piece in
            (destination + written).copyMemory(from: piece.baseAddress!, byteCount: piece.count)
            written += piece.count
        }
    }

    /// Copies the bytes to `destination`, which has room for `count` of them, adding them to
    /// `checksum` on the way. A generated stream that can sum a stretch of itself
    /// (`PayloadSource.wordSum`) is copied and summed by that; any other payload in one pass
    /// over the bytes (`InternetChecksum.addCopying`).
    @inlinable
    public func copyBytes(to destination: UnsafeMutableRawPointer, summingInto checksum: inout InternetChecksum) {
        if let source, length > 0, let sum = source.copyBytes(from: start, count: length, to: destination,
                                                             wordSumWithFirstOctetHigh: checksum.nextOctetIsHigh) {
            checksum.add(wordSum: sum, octets: length)
            return
        }
        var written = 0
        withContiguousPieces { piece in
            checksum.addCopying(piece, to: destination + written)
            written += piece.count
        }
    }

    /// The bytes in a new array.
    public var bytes: [UInt8] {
        if source == nil { return length == array.count ? array : Array(array[start..<(start + length)]) }
        return [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
            if let base = buffer.baseAddress { copyBytes(to: UnsafeMutableRawPointer(base)) }
            initialized = length
        }
    }
}

extension Payload: RandomAccessCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> UInt8 {
        precondition(position >= 0 && position < length, "index out of range")
        guard let source else { return array[start + position] }
        var byte: UInt8 = 0
        source.withBytes(from: start + position, count: 1) { byte = $0[0] }
        return byte
    }

    public func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        guard source == nil else { return nil }
        return try array.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<(start + length)])) }
    }
}

extension Payload: Hashable {
    public static func == (lhs: Payload, rhs: Payload) -> Bool {
        lhs.count == rhs.count && lhs.elementsEqual(rhs)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        withContiguousPieces { hasher.combine(bytes: $0) }
    }
}

extension Payload: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: UInt8...) {
        self.init(elements)
    }
}

extension Payload: CustomStringConvertible {
    public var description: String { "\(count) bytes" }
}

extension Payload {
    /// `self` followed by `next` as one payload, when `next` continues it in the same storage
    /// (the next bytes of the same array, or the next stretch of the same stream); else nil.
    public func continued(by next: Payload) -> Payload? {
        guard continues(into: next) else { return nil }
        var merged = self
        merged.length = length + next.length
        return merged
    }

    /// `self = continued(by: next)` in place, when `next` continues `self`; returns whether it did.
    /// (In place: a queue's last piece, extended on every write, was copied out and back, its
    /// array retained and released; ~17 instructions a packet, callgrind, workload A.)
    public mutating func extend(with next: Payload) -> Bool {
        guard continues(into: next) else { return false }
        length += next.length
        return true
    }

    /// Whether `next` starts where `self` ends, in the same storage.
    private func continues(into next: Payload) -> Bool {
        switch (source, next.source) {
        case (.some(let stream), .some(let nextStream)):
            return stream == nextStream && start + length == next.start
        case (.none, .none):
            return start + length == next.start
                && array.withUnsafeBufferPointer({ $0.baseAddress }) == next.array.withUnsafeBufferPointer({ $0.baseAddress })
        case (.some, .none), (.none, .some):
            return false
        }
    }
}

/// A stream of octets that is a pure function of the offset, such as the bytes scenarios send:
/// a payload can describe a stretch of it (`Payload(generatedBy:offset:count:)`) instead of holding it.
public protocol PayloadSource: SendableMetatype {
    /// Calls `body` with the `count` bytes of the stream from `offset` on, in one or more
    /// contiguous pieces, in order.
    static func withBytes(from offset: Int, count: Int, _ body: (UnsafeRawBufferPointer) -> Void)

    /// The Internet checksum's sum of the `count` bytes from `offset` on, without the bytes: each
    /// byte times 256 when it is the high half of a 16-bit word, else times 1, the first byte
    /// high when `firstOctetHigh`, then alternating; any value congruent to that modulo 65535 (the
    /// one's complement sum does not care), below 2^63. Nil (the default) when the stream cannot
    /// tell: its bytes are summed as they are copied.
    static func wordSum(from offset: Int, count: Int, firstOctetHigh: Bool) -> UInt64?

    /// Copies the `count` bytes of the stream from `offset` on to `destination`. The default goes
    /// through `withBytes`; a stream can copy directly, without the callback (a sender's every
    /// segment is copied so).
    static func copyBytes(from offset: Int, count: Int, to destination: UnsafeMutableRawPointer)

    /// `copyBytes(from:count:to:)` that also returns `wordSum(from:count:firstOctetHigh:)`, or
    /// copies nothing and returns nil when the stream cannot sum itself (the default: the two
    /// calls). A sender copies and sums every segment so: one call can do both cheaper.
    static func copyBytes(from offset: Int, count: Int, to destination: UnsafeMutableRawPointer,
                          wordSumWithFirstOctetHigh firstOctetHigh: Bool) -> UInt64?
}

extension PayloadSource {
    public static func wordSum(from offset: Int, count: Int, firstOctetHigh: Bool) -> UInt64? { nil }

    public static func copyBytes(from offset: Int, count: Int, to destination: UnsafeMutableRawPointer,
                                 wordSumWithFirstOctetHigh firstOctetHigh: Bool) -> UInt64? {
        guard let sum = wordSum(from: offset, count: count, firstOctetHigh: firstOctetHigh) else { return nil }
        copyBytes(from: offset, count: count, to: destination)
        return sum
    }

    public static func copyBytes(from offset: Int, count: Int, to destination: UnsafeMutableRawPointer) {
        var written = 0
        withBytes(from: offset, count: count) { piece in
            (destination + written).copyMemory(from: piece.baseAddress!, byteCount: piece.count)
            written += piece.count
        }
    }
}
