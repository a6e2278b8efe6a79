/// A pending event as the queue holds it: one 128-bit value whose unsigned order is (time,
/// insertion sequence) order. The high word is the time with its sign bit flipped (so unsigned
/// order is signed order), the low word is `sequence << 24 | slot`.
struct SchedulerEntry {
    var bits: UInt128

    static let slotBits: UInt64 = 24
    static let slotMask: UInt64 = (1 << slotBits) - 1

    @inline(__always)
    init(bits: UInt128) {
        self.bits = bits
    }

    @inline(__always)
    init(time: Int64, key: UInt64) {
        bits = UInt128(UInt64(bitPattern: time) ^ (1 << 63)) << 64 | UInt128(key)
    }

    /// The time as an unsigned number with the same order (the high word).
    @inline(__always) var order: UInt64 { UInt64(truncatingIfNeeded: bits >> 64) }
    @inline(__always) var time: Int64 { Int64(bitPattern: UInt64(truncatingIfNeeded: bits >> 64) ^ (1 << 63)) }
    @inline(__always) var key: UInt64 { UInt64(truncatingIfNeeded: bits) }
    @inline(__always) var slot: Int { Int(truncatingIfNeeded: key & Self.slotMask) }
    @inline(__always) var sequence: UInt64 { key >> Self.slotBits }
}
