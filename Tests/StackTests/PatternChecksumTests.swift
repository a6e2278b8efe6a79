@testable import Stack
import Sockets
import Testing
import Wire

/// The pattern's checksum sums, computed from prefix sums, against summing the bytes themselves.
@Suite("Pattern payloads: checksums without the bytes")
struct PatternChecksumTests {
    @Test func wordSumsAgreeWithSummingTheBytes() {
        for offset in [0, 1, 2, 250, 251, 252, 501, 502, 503, 1_000_003, 75_000_000] {
            for count in [0, 1, 2, 3, 251, 502, 503, 1448, 1449, 15_813, 40_000] {
                for prefix in [0, 1, 2, 3] {
                    var direct = InternetChecksum()
                    var summed = InternetChecksum()
                    let head = [UInt8](repeating: 0xA5, count: prefix)
                    direct.add(head)
                    summed.add(head)
                    direct.add(PayloadPattern.bytes(from: offset, count: count))
                    let sum = PayloadPattern.wordSum(from: offset, count: count, firstOctetHigh: summed.nextOctetIsHigh)
                    summed.add(wordSum: sum, octets: count)
                    // A trailing octet after the stretch lands in the same half of a word either way.
                    direct.add([0x3C])
                    summed.add([0x3C])
                    #expect(summed.checksum == direct.checksum, "offset \(offset), count \(count), prefix \(prefix)")
                }
            }
        }
    }

    @Test func aPatternSegmentIsTheSameBytesAsItsArray() throws {
        let header = TCPHeader(sourcePort: 1, destinationPort: 2, sequenceNumber: SequenceNumber(9), flags: .ack,
                               window: 100)
        for offset in [0, 7, 250, 100_001] {
            for count in [0, 1, 3, 1448, 1449, 16_000] {
                let generated = TCPSegment(header: header, payload: Payload(generatedBy: PatternSource.self, offset: offset,
                                                                             count: count))
                let held = TCPSegment(header: header, payload: PayloadPattern.bytes(from: offset, count: count))
                var fromGenerated: [UInt8]?
                var fromHeld: [UInt8]?
                IPv4Packet.emitTCP(generated, source: IPv4Address(1, 2, 3, 4), destination: IPv4Address(5, 6, 7, 8),
                                   identification: 1, into: &fromGenerated)
                IPv4Packet.emitTCP(held, source: IPv4Address(1, 2, 3, 4), destination: IPv4Address(5, 6, 7, 8),
                                   identification: 1, into: &fromHeld)
                #expect(fromGenerated == fromHeld)
                let parsed = try #require(try IPv4Packet.parseTCP(fromGenerated ?? []))   // checksums verified
                #expect(parsed.segment.payload == held.payload)
            }
        }
    }
}
