import Simulation
import Testing
@testable import Wire

@Suite struct ChecksumTests {
    /// RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to 0xddf2 (carries folded), so the checksum is 0x220d.
    @Test func rfc1071WorkedExample() {
        var c = InternetChecksum()
        c.add([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7])
        #expect(c.sum == 0xddf2)
        #expect(c.checksum == 0x220d)
        #expect(InternetChecksum.checksum([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]) == 0x220d)
    }

    @Test func dataWithItsChecksumVerifies() {
        var c = InternetChecksum()
        c.add([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7, 0x22, 0x0d])
        #expect(c.verifies)
    }

    /// An odd final octet is padded with zero (RFC 1071 §1), and odd-length chunks join correctly.
    @Test func oddLengthsAndChunking() {
        #expect(InternetChecksum.checksum([0xab]) == ~UInt16(0xab00))
        var rng = SplitMix64(seed: 1071)
        for _ in 0..<200 {
            let data = rng.bytes(rng.int(0...64))
            let cut = rng.int(0...data.count)
            var split = InternetChecksum()
            split.add(data[..<cut])
            split.add(data[cut...])
            #expect(split.checksum == InternetChecksum.checksum(data))
            #expect(split.checksum == naiveChecksum(data))
        }
    }

    /// Long buffers (the 32-octet lanes, their 64-bit carries, the 8-octet tail, odd starts)
    /// agree with the textbook sum, including all-ones data that overflows every lane.
    @Test func longBuffersAgreeWithTextbookSum() {
        var rng = SplitMix64(seed: 791)
        for round in 0..<120 {
            var data = rng.bytes(rng.int(0...3000))
            if round % 3 == 0 { data = data.map { _ in 0xFF } }
            if round % 5 == 0, !data.isEmpty { data[rng.int(0...(data.count - 1))] = 0xFE }
            let cut = rng.int(0...data.count)
            var split = InternetChecksum()
            split.add(data[..<cut])
            split.add(data[cut...])
            #expect(split.checksum == naiveChecksum(data))
            #expect(InternetChecksum.checksum(data) == naiveChecksum(data))
        }
    }

    /// The pseudo-header is src, dst, zero, protocol, length (RFC 9293 §3.1).
    @Test func pseudoHeaderMatchesExplicitBytes() {
        let src = IPv4Address(10, 0, 0, 1), dst = IPv4Address(192, 168, 1, 200)
        let pseudo = InternetChecksum.pseudoHeader(source: src, destination: dst, protocol: .tcp, length: 0x1234)
        #expect(pseudo.checksum == naiveChecksum(src.octets + dst.octets + [0, 6, 0x12, 0x34]))
    }

    /// Words added whole (`add(word32:)`, `add(word:)`) and a stretch added by its sum
    /// (`add(wordSum:octets:)`, even when the sum is near 2^63) give the textbook checksum of the
    /// same bytes, all-ones words and all-zero ones included.
    @Test func wordsAndWordSumsAgreeWithTheBytes() {
        var rng = SplitMix64(seed: 1071)
        for round in 0..<200 {
            var c = InternetChecksum()
            var bytes: [UInt8] = []
            for _ in 0..<rng.int(0...12) {
                let word32 = round % 4 == 0 ? UInt32.max : UInt32(truncatingIfNeeded: rng.next())
                c.add(word32: word32)
                bytes += [UInt8(word32 >> 24), UInt8(truncatingIfNeeded: word32 >> 16),
                          UInt8(truncatingIfNeeded: word32 >> 8), UInt8(truncatingIfNeeded: word32)]
                let word = round % 4 == 1 ? 0 : UInt16(truncatingIfNeeded: rng.next())
                c.add(word: word)
                bytes += [UInt8(word >> 8), UInt8(truncatingIfNeeded: word)]
            }
            // A stretch of `n` 0xFFFF words, by a sum congruent to theirs modulo 65535 but close
            // to 2^63, as a generated payload may give it; then more words after it.
            for _ in 0..<2 {
                let n = rng.int(0...40)
                c.add(wordSum: UInt64(0xFFFF) * UInt64(n) + 0x7FFF_FFFF_FFF0_0000 / 0xFFFF * 0xFFFF, octets: 2 * n)
                bytes += [UInt8](repeating: 0xFF, count: 2 * n)
            }
            c.add(word32: UInt32.max)
            bytes += [0xFF, 0xFF, 0xFF, 0xFF]
            #expect(c.checksum == naiveChecksum(bytes), "round \(round)")
        }
    }

    /// The textbook definition, with end-around carry after every word.
    private func naiveChecksum(_ data: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        var i = 0
        while i < data.count {
            let word = UInt32(data[i]) << 8 | (i + 1 < data.count ? UInt32(data[i + 1]) : 0)
            sum += word
            sum = (sum & 0xFFFF) + (sum >> 16)
            i += 2
        }
        return ~UInt16(sum)
    }
}

@Suite struct IncrementalChecksumTests {
    /// RFC 1624 eqn. 3 agrees with summing afresh for 5,000 random IPv4 headers whose TTL drops by one.
    @Test func incrementalUpdateMatchesRecomputation() throws {
        var generator = SplitMix64(seed: 31)
        for _ in 0..<5_000 {
            let ttl = UInt8(truncatingIfNeeded: generator.next() % 254 + 2)
            let packet = IPv4Packet(source: IPv4Address(UInt32(truncatingIfNeeded: generator.next())),
                                    destination: IPv4Address(UInt32(truncatingIfNeeded: generator.next())), ttl: ttl,
                                    identification: UInt16(truncatingIfNeeded: generator.next()),
                                    protocol: IPProtocol(UInt8(truncatingIfNeeded: generator.next() % 250 + 3)),
                                    payload: .other([1, 2, 3, 4])).emit()
            let old = UInt16(packet[10]) << 8 | UInt16(packet[11])
            let oldWord = UInt16(ttl) << 8 | UInt16(packet[9])
            let updated = InternetChecksum.updated(old, replacing: oldWord, with: oldWord - 0x100)
            var header = Array(packet[0..<20])
            header[8] = ttl - 1
            header[10] = UInt8(updated >> 8)
            header[11] = UInt8(updated & 0xFF)
            #expect(InternetChecksum.checksum(header) == 0)
        }
    }
}
