/// A TCP sequence or acknowledgment number: arithmetic modulo 2^32 (RFC 9293 §3.4).
///
/// Comparison follows the RFC's modular rule: `a < b` when `b` is ahead of `a` by less than 2^31.
/// This is not a total order over all of `UInt32`, only over any window smaller than 2^31, which
/// is all TCP ever compares.
public struct SequenceNumber: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The 32-bit value carried on the wire.
    public var rawValue: UInt32

    public init(_ rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public var description: String { String(rawValue) }

    /// The number `count` octets later, wrapping at 2^32.
    public static func + (lhs: SequenceNumber, rhs: UInt32) -> SequenceNumber {
        SequenceNumber(lhs.rawValue &+ rhs)
    }

    /// The number `count` octets earlier, wrapping at 2^32.
    public static func - (lhs: SequenceNumber, rhs: UInt32) -> SequenceNumber {
        SequenceNumber(lhs.rawValue &- rhs)
    }

    public static func += (lhs: inout SequenceNumber, rhs: UInt32) {
        lhs = lhs + rhs
    }

    /// The signed distance from `rhs` to `lhs`: positive when `lhs` is ahead.
    public static func - (lhs: SequenceNumber, rhs: SequenceNumber) -> Int32 {
        Int32(bitPattern: lhs.rawValue &- rhs.rawValue)
    }

    public static func < (lhs: SequenceNumber, rhs: SequenceNumber) -> Bool {
        (lhs - rhs) < 0
    }

    /// `lower <= self < upper` in sequence space (the RFC 9293 §3.4 acceptability tests).
    public func isInWindow(from lower: SequenceNumber, size: UInt32) -> Bool {
        rawValue &- lower.rawValue < size
    }
}
