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
    @usableFromInline
    enum Storage: Sendable {
        /// The bytes of `array` at `range`.
        case bytes([UInt8], Range<Int>)
        /// `count` bytes of `source` from stream offset `offset`.
        case generated(any PayloadSource.Type, offset: Int, count: Int)
    }

    @usableFromInline
    var storage: Storage

    /// No bytes.
    public init() {
        storage = .bytes([], 0..<0)
    }

    /// The bytes of `array`, shared, not copied.
    public init(_ array: [UInt8]) {
        storage = .bytes(array, 0..<array.count)
    }

    /// The bytes of `array` at `range`, shared, not copied.
    public init(_ array: [UInt8], _ range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= array.count, "range out of bounds")
        storage = .bytes(array, range)
    }

    /// `count` bytes of the stream `source` from `offset`; none is made until they are written.
    public init(generatedBy source: any PayloadSource.Type, offset: Int, count: Int) {
        precondition(offset >= 0 && count >= 0, "a generated payload starts at an offset of 0 or more")
        storage = .generated(source, offset: offset, count: count)
    }

    public var count: Int {
        switch storage {
        case .bytes(_, let range): range.count
        case .generated(_, _, let count): count
        }
    }

    public var isEmpty: Bool { count == 0 }

    /// The bytes at positions `range`, sharing the storage.
    public func extracting(_ range: Range<Int>) -> Payload {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "range out of bounds")
        switch storage {
        case .bytes(let array, let held):
            return Payload(array, (held.lowerBound + range.lowerBound)..<(held.lowerBound + range.upperBound))
        case .generated(let source, let offset, _):
            return Payload(generatedBy: source, offset: offset + range.lowerBound, count: range.count)
        }
    }

    /// Calls `body` with the bytes in order, in one or more contiguous pieces (none when empty).
    @inlinable
    public func withContiguousPieces(_ body: (UnsafeRawBufferPointer) -> Void) {
        switch storage {
        case .bytes(let array, let range):
            if !range.isEmpty { array.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[range])) } }
        case .generated(let source, let offset, let count):
            if count > 0 { source.withBytes(from: offset, count: count, body) }
        }
    }

    /// Copies the bytes to `destination`, which has room for `count` of them.
    @inlinable
    public func copyBytes(to destination: UnsafeMutableRawPointer) {
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
        if case .generated(let source, let offset, let count) = storage, count > 0,
           let sum = source.wordSum(from: offset, count: count, firstOctetHigh: checksum.nextOctetIsHigh) {
            copyBytes(to: destination)
            checksum.add(wordSum: sum, octets: count)
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
        if case .bytes(let array, let range) = storage { return range.count == array.count ? array : Array(array[range]) }
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let base = buffer.baseAddress { copyBytes(to: UnsafeMutableRawPointer(base)) }
            initialized = count
        }
    }
}

extension Payload: RandomAccessCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> UInt8 {
        precondition(position >= 0 && position < count, "index out of range")
        switch storage {
        case .bytes(let array, let range):
            return array[range.lowerBound + position]
        case .generated(let source, let offset, _):
            var byte: UInt8 = 0
            source.withBytes(from: offset + position, count: 1) { byte = $0[0] }
            return byte
        }
    }

    public func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        guard case .bytes(let array, let range) = storage else { return nil }
        return try array.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[range])) }
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
        switch (storage, next.storage) {
        case (.generated(let source, let offset, let count), .generated(let nextSource, let nextOffset, let nextCount)):
            guard source == nextSource, offset + count == nextOffset else { return nil }
            return Payload(generatedBy: source, offset: offset, count: count + nextCount)
        case (.bytes(let array, let range), .bytes(let nextArray, let nextRange)):
            guard range.upperBound == nextRange.lowerBound,
                  array.withUnsafeBufferPointer({ $0.baseAddress }) == nextArray.withUnsafeBufferPointer({ $0.baseAddress })
            else { return nil }
            return Payload(array, range.lowerBound..<nextRange.upperBound)
        case (.bytes, .generated), (.generated, .bytes):
            return nil
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
}

extension PayloadSource {
    public static func wordSum(from offset: Int, count: Int, firstOctetHigh: Bool) -> UInt64? { nil }
}
