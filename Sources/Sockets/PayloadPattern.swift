/// The bytes scenarios send: a fixed pattern indexed by stream offset, so a receiver can check
/// every byte it gets without keeping a copy of what was sent, and a sender need not build what
/// it sends (`StreamSocket.send(patternFrom:count:)`): a runtime makes the bytes where they are
/// written.
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
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var written = 0
            withBytes(from: offset, count: count) { piece in
                UnsafeMutableRawPointer(buffer.baseAddress! + written).copyMemory(from: piece.baseAddress!,
                                                                                  byteCount: piece.count)
                written += piece.count
            }
            initialized = count
        }
    }

    /// Calls `body` with the `count` bytes from stream `offset` on, in pieces of up to 15,813
    /// bytes (the table), in order. Nothing is built: the pieces are the table's memory.
    public static func withBytes(from offset: Int, count: Int, _ body: (UnsafeRawBufferPointer) -> Void) {
        table.withUnsafeBytes { table in
            var done = 0
            while done < count {
                let start = (offset + done) % period
                let length = min(count - done, table.count - start)
                body(UnsafeRawBufferPointer(rebasing: table[start..<(start + length)]))
                done += length
            }
        }
    }

    /// Copies the `count` bytes from stream `offset` on to `destination`, straight from the
    /// table: `withBytes` and a copying callback cost ~35 instructions more a segment of
    /// workload A (callgrind).
    public static func copyBytes(from offset: Int, count: Int, to destination: UnsafeMutableRawPointer) {
        table.withUnsafeBytes { table in
            var done = 0
            while done < count {
                let start = (offset + done) % period
                let length = min(count - done, table.count - start)
                (destination + done).copyMemory(from: table.baseAddress! + start, byteCount: length)
                done += length
            }
        }
    }

    /// The Internet checksum's sum of the `count` bytes from `offset` on (each byte times 256 when
    /// it is the high half of a 16-bit word, the first one high when `firstOctetHigh`), computed
    /// from prefix sums instead of the bytes, modulo 2^64: a sender's checksum need not read what
    /// it sends (summing while copying cost ~700 instructions a full segment; callgrind, workload A).
    public static func wordSum(from offset: Int, count: Int, firstOctetHigh: Bool) -> UInt64 {
        // The byte at `offset` is high when its position's parity is `high`.
        let high = (offset & 1) ^ (firstOctetHigh ? 0 : 1)
        let sums = prefixSums + high * (2 * period + 1)
        return prefixWordSum(to: offset + count, sums) &- prefixWordSum(to: offset, sums)
    }

    /// `copyBytes(from:count:to:)` and `wordSum(from:count:firstOctetHigh:)` in one call: what a
    /// sender does for every segment (two calls, each through the stream's protocol witness and
    /// the tables' lazy initialisation, cost ~45 instructions more a segment; callgrind, workload A).
    public static func copyBytes(from offset: Int, count: Int, to destination: UnsafeMutableRawPointer,
                                 wordSumWithFirstOctetHigh firstOctetHigh: Bool) -> UInt64 {
        copyBytes(from: offset, count: count, to: destination)
        return wordSum(from: offset, count: count, firstOctetHigh: firstOctetHigh)
    }

    /// Σ byte(k) × (k % 2 == highParity ? 256 : 1) over 0 ≤ k < `end`, modulo 2^64, from `sums`
    /// (the parity's table): the bytes repeat every 251 and the weights every 2, so every 502 the
    /// sum grows by the same amount.
    @inline(__always)
    private static func prefixWordSum(to end: Int, _ sums: UnsafePointer<UInt64>) -> UInt64 {
        let (periods, rest) = end.quotientAndRemainder(dividingBy: 2 * period)
        return UInt64(truncatingIfNeeded: periods) &* sums[2 * period] &+ sums[rest]
    }

    /// `prefixWordSum(to: i, highParity: 0)` for i in 0...502, then the same for parity 1: in
    /// memory allocated once and never freed, not two arrays (whose choice per call retained one).
    /// Written only while it is initialised (once, by the runtime's lazy initialisation), then
    /// only read: safe to share between threads.
    nonisolated(unsafe) private static let prefixSums: UnsafePointer<UInt64> = {
        let sums = UnsafeMutablePointer<UInt64>.allocate(capacity: 2 * (2 * period + 1))
        for highParity in 0...1 {
            let base = sums + highParity * (2 * period + 1)
            base[0] = 0
            for k in 0..<(2 * period) {
                base[k + 1] = base[k] + UInt64(byte(at: k)) * (k & 1 == highParity ? 256 : 1)
            }
        }
        return UnsafePointer(sums)
    }()

    /// Whether `bytes` are what the pattern holds from `offset` on: compared with the table's
    /// memory directly, piece by piece, not through `withBytes`' callback (~20 instructions a
    /// read of workload A; callgrind), stopping at the first piece that differs.
    public static func matches(_ bytes: [UInt8], at offset: Int) -> Bool {
        bytes.withUnsafeBytes { matches($0, at: offset) }
    }

    /// `matches(_:at:)` for bytes in memory.
    public static func matches(_ received: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        table.withUnsafeBytes { table in
            var checked = 0
            while checked < received.count {
                var start = (offset + checked) % period
                // The same bytes a whole number of periods on, where the table is 16-byte aligned,
                // so that `equal` reads it with aligned loads (folded into the XOR: ~28
                // instructions a packet of workload A; callgrind). A period moves the address by
                // 251 ≡ 11 (mod 16), and 11 × 3 ≡ 1: 3 × (16 − m) periods undo a misalignment m.
                // At most 15 periods on, well inside the 64 the table holds.
                let misalignment = Int(bitPattern: table.baseAddress.unsafelyUnwrapped + start) & 15
                start += period * ((3 * (16 - misalignment)) & 15)
                let length = min(received.count - checked, table.count - start)
                guard equal(UnsafeRawBufferPointer(rebasing: received[checked..<(checked + length)]),
                            aligned: UnsafeRawBufferPointer(rebasing: table[start..<(start + length)])) else { return false }
                checked += length
            }
            return true
        }
    }

    /// Whether two buffers of the same length hold the same bytes: 16 at a time, OR-ing the
    /// differences, ~0.25 instructions a byte where an index loop over bytes took ~1.2 and a
    /// generic `elementsEqual` over slices ~18 (callgrind, workload A). `b` starts on a 16-byte
    /// boundary: its loads are aligned.
    private static func equal(_ a: UnsafeRawBufferPointer, aligned b: UnsafeRawBufferPointer) -> Bool {
        let count = a.count
        guard count > 0 else { return true }
        let p = a.baseAddress!, q = b.baseAddress!
        @inline(__always) func differences(at offset: Int) -> SIMD16<UInt8> {
            p.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self)
                ^ q.load(fromByteOffset: offset, as: SIMD16<UInt8>.self)
        }
        var difference = SIMD16<UInt8>(), more = SIMD16<UInt8>()
        var i = 0
        // 128 bytes a turn: the loop's counting spread over twice the bytes of 64 (~15
        // instructions a packet; callgrind, workload A); then at most one step of 64.
        for _ in 0..<(count / 128) {
            difference |= (differences(at: i) | differences(at: i &+ 16))
                | (differences(at: i &+ 32) | differences(at: i &+ 48))
            more |= (differences(at: i &+ 64) | differences(at: i &+ 80))
                | (differences(at: i &+ 96) | differences(at: i &+ 112))
            i &+= 128
        }
        if count &- i >= 64 {
            difference |= differences(at: i) | differences(at: i &+ 16)
            more |= differences(at: i &+ 32) | differences(at: i &+ 48)
            i &+= 64
        }
        for _ in 0..<((count - i) / 16) {
            difference |= differences(at: i)
            i &+= 16
        }
        difference |= more
        // The last 0-15 bytes as one word of 8, 4, 2 and 1 bytes each at most, not byte by byte.
        var tail: UInt64 = 0
        @inline(__always) func compareTail<Word: FixedWidthInteger & UnsignedInteger>(_: Word.Type) {
            guard count &- i >= MemoryLayout<Word>.size else { return }
            tail |= UInt64(p.loadUnaligned(fromByteOffset: i, as: Word.self) ^ q.loadUnaligned(fromByteOffset: i, as: Word.self))
            i &+= MemoryLayout<Word>.size
        }
        compareTail(UInt64.self)
        compareTail(UInt32.self)
        compareTail(UInt16.self)
        compareTail(UInt8.self)
        return difference == SIMD16<UInt8>() && tail == 0
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
