import Simulation
import Testing
@testable import Wire

/// `IPv4Packet.parsePlainTCP`, the stack's fast path for the usual TCP packet, against the
/// general parser (`parseTCP`), which the host falls back to whenever the fast path says nil.
@Suite("IPv4Packet.parsePlainTCP: the per-segment fast path")
struct PlainTCPParseTests {
    /// Whenever the fast path answers, it answers as `parseTCP` does (addresses and segment, field
    /// for field and byte for byte); and it answers for every packet `parseTCP` takes that has no
    /// IP or TCP options. Packets with options, fragments, damaged bytes (checksums verified or
    /// not) and bytes past the total length are mixed in.
    @Test func agreesWithTheGeneralParserAndTakesEveryPlainPacket() {
        var rng = SplitMix64(seed: 2026_1130)
        var fastAnswers = 0, fastDeclines = 0
        for round in 0..<20_000 {
            var segment = Generate.tcpSegment(&rng)
            if round % 2 == 0 { segment.header.options = []; segment.header.optionPadding = [] }
            if round % 13 == 0 { segment.payload = Payload(rng.bytes(rng.int(1000...1460))) }
            var packet = Generate.packet(&rng, payload: .tcp(segment))
            if round % 3 == 0 { packet.header.options = [] }
            if round % 17 == 0 { packet.header.flags.insert(.moreFragments) }
            if round % 19 == 0 { packet.header.fragmentOffset = UInt16(rng.int(1...0x1FFF)) }
            var bytes = packet.emit()
            if round % 5 == 0 { bytes[rng.int(0...(bytes.count - 1))] ^= UInt8(rng.int(1...255)) }
            if round % 11 == 0 { bytes += rng.bytes(rng.int(1...20)) }   // e.g. Ethernet padding
            for verify in [true, false] {
                let fast = IPv4Packet.parsePlainTCP(bytes, verifyChecksums: verify)
                let general = (try? IPv4Packet.parseTCP(bytes, verifyChecksums: verify)) ?? nil
                if let fast {
                    fastAnswers += 1
                    guard let general else {
                        Issue.record("round \(round): the fast path took a packet the general parser refuses")
                        return
                    }
                    #expect(fast.source == general.header.source && fast.destination == general.header.destination)
                    #expect(fast.segment(in: bytes) == general.segment, "round \(round)")
                } else {
                    fastDeclines += 1
                    if let general, general.header.options.isEmpty, general.segment.header.headerLength == 20 {
                        Issue.record("round \(round): the fast path declined a plain packet")
                        return
                    }
                }
            }
        }
        // Both kinds were seen in numbers.
        #expect(fastAnswers > 5_000 && fastDeclines > 5_000, "\(fastAnswers) answers, \(fastDeclines) declines")
    }

    /// A bare ACK's segment holds no frame; a segment with data shares the frame's bytes.
    @Test func aBareACKHoldsNoFrameAndDataIsShared() throws {
        let header = TCPHeader(sourcePort: 80, destinationPort: 4321, sequenceNumber: SequenceNumber(7),
                               acknowledgmentNumber: SequenceNumber(9), flags: .ack, window: 512)
        for payload in [[], [UInt8](repeating: 0x5A, count: 100)] {
            let bytes = IPv4Packet(source: IPv4Address(10, 0, 0, 1), destination: IPv4Address(10, 0, 0, 2),
                                   payload: .tcp(TCPSegment(header: header, payload: payload))).emit()
            let segment = try #require(IPv4Packet.parsePlainTCP(bytes)).segment(in: bytes)
            #expect(segment.payload.bytes == payload)
            let inFrame = bytes.withUnsafeBufferPointer { $0.baseAddress! + 40 }
            let held = segment.payload.withContiguousStorageIfAvailable { $0.baseAddress }
            #expect((held == inFrame) == !payload.isEmpty)
        }
    }
}
