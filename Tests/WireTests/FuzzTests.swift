import Simulation
import Testing
@testable import Wire

/// Seeded random and mutated inputs: the parsers must throw or return, never trap. A test that
/// completes is the main assertion; the counts make sure both outcomes actually happened.
@Suite struct FuzzTests {
    struct Outcomes {
        var parsed = 0
        var thrown = 0
        mutating func record(_ body: () throws(WireError) -> Void) {
            do {
                try body()
                parsed += 1
            } catch {
                thrown += 1
            }
        }
    }

    /// Random bytes, nudged half the time towards a plausible header so deeper code is reached.
    static func input(_ rng: inout SplitMix64, plausibleIPv4: Bool) -> [UInt8] {
        var bytes = rng.bytes(rng.int(0...200))
        if plausibleIPv4, bytes.count >= 20, rng.chance(1, in: 2) {
            bytes[0] = 0x45
            bytes[2] = UInt8(bytes.count >> 8)
            bytes[3] = UInt8(bytes.count & 0xFF)
            bytes[6] = 0x40; bytes[7] = 0  // not a fragment
            bytes[9] = [1, 6, 17, 6, 17, 47, 253][rng.int(0...6)]
            if bytes.count >= 33, bytes[9] == 6 { bytes[32] = 0x50 }
            if bytes.count >= 28, bytes[9] == 17 {
                bytes[24] = UInt8((bytes.count - 20) >> 8)
                bytes[25] = UInt8((bytes.count - 20) & 0xFF)
                if rng.chance(1, in: 2) { bytes[26] = 0; bytes[27] = 0 }  // no UDP checksum
            }
            if rng.chance(1, in: 2) { fixIPv4Checksum(&bytes) }
        }
        return bytes
    }

    @Test func randomBytesIntoIPv4Parse() {
        var rng = SplitMix64(seed: 791)
        var verified = Outcomes(), unverified = Outcomes()
        for _ in 0..<100_000 {
            let bytes = Self.input(&rng, plausibleIPv4: true)
            verified.record { () throws(WireError) in _ = try IPv4Packet.parse(bytes) }
            unverified.record { () throws(WireError) in _ = try IPv4Packet.parse(bytes, verifyChecksums: false) }
        }
        #expect(verified.parsed > 100 && verified.thrown > 100, "\(verified)")
        #expect(unverified.parsed > verified.parsed && unverified.thrown > 100, "\(unverified)")
    }

    @Test func randomBytesIntoTCPAndUDPParse() {
        var rng = SplitMix64(seed: 768_9293)
        var tcp = Outcomes(), udp = Outcomes(), icmp = Outcomes()
        let (src, dst) = (IPv4Address(10, 0, 0, 1), IPv4Address(10, 0, 0, 2))
        for _ in 0..<100_000 {
            var bytes = rng.bytes(rng.int(0...200))
            let verify = rng.chance(1, in: 4)
            if bytes.count >= 20, rng.chance(1, in: 2) { bytes[12] = 0x50 | (bytes[12] & 0x0F) }
            tcp.record { () throws(WireError) in
                _ = try TCPSegment.parse(bytes, source: src, destination: dst, verifyChecksum: verify)
            }
            if bytes.count >= 8, rng.chance(1, in: 2) {
                bytes[4] = UInt8(bytes.count >> 8)
                bytes[5] = UInt8(bytes.count & 0xFF)
            }
            udp.record { () throws(WireError) in
                _ = try UDPDatagram.parse(bytes, source: src, destination: dst, verifyChecksum: verify)
            }
            icmp.record { () throws(WireError) in _ = try ICMPMessage.parse(bytes, verifyChecksum: verify) }
        }
        #expect(tcp.parsed > 100 && tcp.thrown > 100, "\(tcp)")
        #expect(udp.parsed > 100 && udp.thrown > 100, "\(udp)")
        #expect(icmp.parsed > 100 && icmp.thrown > 100, "\(icmp)")
    }

    @Test func randomBytesIntoPcapReader() {
        var rng = SplitMix64(seed: 0xa1b2_c3d4)
        var outcomes = Outcomes()
        let magics: [[UInt8]] = [
            [0xd4, 0xc3, 0xb2, 0xa1], [0xa1, 0xb2, 0xc3, 0xd4], [0x4d, 0x3c, 0xb2, 0xa1], [0xa1, 0xb2, 0x3c, 0x4d],
        ]
        for _ in 0..<100_000 {
            var bytes = rng.bytes(rng.int(0...200))
            if bytes.count >= 24, rng.chance(3, in: 4) {
                let magic = magics[rng.int(0...3)]
                let little = magic[0] != 0xa1
                bytes.replaceSubrange(0..<4, with: magic)
                bytes.replaceSubrange(4..<8, with: little ? [2, 0, 4, 0] : [0, 2, 0, 4])
                let link: UInt8 = [1, 101, 113, 12, 14][rng.int(0...4)]
                let snapAndLink: [UInt8] = little
                    ? [0xff, 0xff, 0, 0, link, 0, 0, 0] : [0, 0, 0xff, 0xff, 0, 0, 0, link]
                bytes.replaceSubrange(16..<24, with: snapAndLink)
                if bytes.count >= 40, rng.chance(1, in: 2) {
                    let length = UInt8(min(bytes.count - 40, 255) * rng.int(0...1))
                    bytes.replaceSubrange(32..<36, with: little ? [length, 0, 0, 0] : [0, 0, 0, length])
                }
            }
            outcomes.record { () throws(WireError) in _ = try PcapReader.records(bytes) }
        }
        #expect(outcomes.parsed > 100 && outcomes.thrown > 100, "\(outcomes)")
    }

    /// Valid packets with one to four random octets flipped.
    @Test func mutatedValidPackets() {
        var rng = SplitMix64(seed: 1_000_003)
        var verified = Outcomes(), unverified = Outcomes()
        for round in 0..<20_000 {
            let payload: IPPayload = switch round % 3 {
            case 0: .tcp(Generate.tcpSegment(&rng))
            case 1: .udp(Generate.udpDatagram(&rng))
            default: .icmp(Generate.icmpMessage(&rng))
            }
            var bytes = Generate.packet(&rng, payload: payload).emit()
            for _ in 0..<rng.int(1...4) {
                let i = rng.int(0...(bytes.count - 1))
                bytes[i] ^= UInt8(1) << UInt8(rng.int(0...7))
            }
            if rng.chance(1, in: 8) { bytes = Array(bytes.prefix(rng.int(0...bytes.count))) }
            verified.record { () throws(WireError) in _ = try IPv4Packet.parse(bytes) }
            unverified.record { () throws(WireError) in _ = try IPv4Packet.parse(bytes, verifyChecksums: false) }
        }
        #expect(verified.parsed > 0 && verified.thrown > 1_000, "\(verified)")
        #expect(unverified.parsed > 1_000 && unverified.thrown > 100, "\(unverified)")
    }
}
