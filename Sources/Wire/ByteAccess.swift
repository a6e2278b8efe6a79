// Internal big- and little-endian accessors. Callers check bounds first (every parser checks a
// length before reading fixed fields); these helpers then cannot trap.

extension ArraySlice where Element == UInt8 {
    /// The big-endian 16-bit value at absolute index `i` (network byte order).
    @inline(__always)
    func u16(_ i: Int) -> UInt16 { UInt16(self[i]) << 8 | UInt16(self[i + 1]) }

    /// The big-endian 32-bit value at absolute index `i` (network byte order).
    @inline(__always)
    func u32(_ i: Int) -> UInt32 {
        UInt32(self[i]) << 24 | UInt32(self[i + 1]) << 16 | UInt32(self[i + 2]) << 8 | UInt32(self[i + 3])
    }

    /// The 32-bit value at absolute index `i`, in big- or little-endian order.
    @inline(__always)
    func u32(_ i: Int, bigEndian: Bool) -> UInt32 {
        bigEndian ? u32(i) : (u32(i).byteSwapped)
    }
}

extension Array where Element == UInt8 {
    @inline(__always)
    mutating func appendU16(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    @inline(__always)
    mutating func appendU32(_ value: UInt32) {
        append(UInt8(truncatingIfNeeded: value >> 24))
        append(UInt8(truncatingIfNeeded: value >> 16))
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    @inline(__always)
    mutating func appendU32LE(_ value: UInt32) {
        appendU32(value.byteSwapped)
    }

    @inline(__always)
    mutating func appendU16LE(_ value: UInt16) {
        appendU16(value.byteSwapped)
    }

    /// Makes the count `count`, keeping the storage when it has room: bytes past the old count
    /// are zero, bytes kept are as they were. (For buffers reused frame after frame.)
    mutating func resize(to count: Int) {
        if count < self.count {
            removeLast(self.count - count)
        } else if count > self.count {
            var missing = count - self.count
            while missing > 0 {
                let piece = Swift.min(missing, zeros.count)
                append(contentsOf: zeros[0..<piece])
                missing -= piece
            }
        }
    }

    /// Overwrites the big-endian 16-bit value at index `i`.
    @inline(__always)
    mutating func setU16(_ value: UInt16, at i: Int) {
        self[i] = UInt8(truncatingIfNeeded: value >> 8)
        self[i + 1] = UInt8(truncatingIfNeeded: value)
    }
}

/// Zero bytes to grow buffers from.
private let zeros = [UInt8](repeating: 0, count: 4096)

extension UnsafeRawPointer {
    /// The big-endian 16-bit value at `offset` (network byte order), at any alignment.
    @inline(__always)
    func u16(at offset: Int) -> UInt16 { UInt16(bigEndian: loadUnaligned(fromByteOffset: offset, as: UInt16.self)) }

    /// The big-endian 32-bit value at `offset` (network byte order), at any alignment.
    @inline(__always)
    func u32(at offset: Int) -> UInt32 { UInt32(bigEndian: loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }

    /// The octet at `offset`.
    @inline(__always)
    func u8(at offset: Int) -> UInt8 { load(fromByteOffset: offset, as: UInt8.self) }
}
