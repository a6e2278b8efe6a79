/// The bytes scenarios send: a fixed pattern indexed by stream offset, so a receiver can check
/// every byte it gets without keeping a copy of what was sent.
public enum PayloadPattern {
    /// The byte at `offset` of a stream: a simple affine sequence that repeats every 251 bytes
    /// (a prime, so it does not line up with segment sizes and shows misplaced data).
    @inline(__always)
    public static func byte(at offset: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: (offset % 251) &* 7 &+ 3)
    }

    /// The pattern's period, written out many times so any stretch of it is one slice away.
    private static let period = 251
    private static let table: [UInt8] = (0..<(period * 64)).map { byte(at: $0) }

    /// `count` bytes starting at stream `offset`.
    public static func bytes(from offset: Int, count: Int) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(count)
        var position = offset
        while result.count < count {
            let start = position % period
            let length = min(count - result.count, table.count - start)
            result.append(contentsOf: table[start..<(start + length)])
            position += length
        }
        return result
    }

    /// Whether `bytes` are what the pattern holds from `offset` on.
    public static func matches(_ bytes: [UInt8], at offset: Int) -> Bool {
        var checked = 0
        while checked < bytes.count {
            let start = (offset + checked) % period
            let length = min(bytes.count - checked, table.count - start)
            // An index loop over the two arrays, OR-ing the differences: the compiler hoists the
            // bounds checks out of it, where a generic `elementsEqual` over slices costs ~18
            // instructions a byte (measured with callgrind on `bench bulk`).
            let expected = table
            var difference: UInt8 = 0
            var i = checked, j = start
            let end = checked + length
            while i < end {
                difference |= bytes[i] ^ expected[j]
                i &+= 1
                j &+= 1
            }
            if difference != 0 { return false }
            checked += length
        }
        return true
    }

    /// Datagram `sequence` of `size` bytes: the sequence number (4 bytes, big-endian) then pattern.
    public static func datagram(sequence: UInt32, size: Int) -> [UInt8] {
        let header = [UInt8(sequence >> 24), UInt8(truncatingIfNeeded: sequence >> 16),
                      UInt8(truncatingIfNeeded: sequence >> 8), UInt8(truncatingIfNeeded: sequence)]
        return Array((header + bytes(from: Int(sequence), count: max(0, size - 4))).prefix(max(size, 0)))
    }

    /// The sequence number of a datagram made by `datagram(sequence:size:)`, if it is intact.
    public static func sequence(ofDatagram bytes: [UInt8]) -> UInt32? {
        guard bytes.count >= 4 else { return nil }
        let sequence = UInt32(bytes[0]) << 24 | UInt32(bytes[1]) << 16 | UInt32(bytes[2]) << 8 | UInt32(bytes[3])
        return datagram(sequence: sequence, size: bytes.count) == bytes ? sequence : nil
    }
}
