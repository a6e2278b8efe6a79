import Simulation
import Testing
@testable import Wire

/// `parse(emit(x)) == x` for valid values whose lengths and checksums are the computed ones
/// (`finalized()`), and `emit(parse(b)) == b` for the bytes so produced.
@Suite struct RoundTripTests {
    /// IPv4Packet.emit's direct writer for TCP under an option-less header gives the same bytes
    /// as the general emitters: IPv4Header.emit with the computed length, then TCPSegment.emit.
    @Test func tcpFastPathMatchesGeneralEmitters() {
        var rng = SplitMix64(seed: 1981)
        for round in 0..<5_000 {
            var segment = Generate.tcpSegment(&rng)
            if round % 10 == 0 { segment.payload = Payload(rng.bytes(rng.int(1000...1460))) }
            if round % 7 == 0 { segment.header.options = []; segment.header.optionPadding = [] }
            var packet = Generate.packet(&rng, payload: .tcp(segment))
            packet.header.options = []
            packet.header.protocol = IPProtocol(rng.byte())   // emit writes the payload's protocol
            packet.header.totalLength = rng.u16()   // and the computed length and checksum
            packet.header.headerChecksum = rng.u16()
            let tcpBytes = segment.emit(source: packet.header.source, destination: packet.header.destination)
            var header = packet.header
            header.protocol = .tcp
            header.totalLength = UInt16(truncatingIfNeeded: IPv4Header.minimumLength + tcpBytes.count)
            #expect(packet.emit() == header.emit() + tcpBytes)
        }
    }

    @Test func tenThousandRandomTCPPackets() throws {
        var rng = SplitMix64(seed: 9293)
        for _ in 0..<10_000 {
            let original = Generate.packet(&rng, payload: .tcp(Generate.tcpSegment(&rng)))
            let expected = original.finalized()
            let bytes = original.emit()
            #expect(expected.emit() == bytes)
            let parsed = try IPv4Packet.parse(bytes)
            #expect(parsed == expected)
            #expect(parsed.emit() == bytes)
            if parsed != expected { break }
        }
    }

    @Test func tcpSegmentAloneRoundTrips() throws {
        var rng = SplitMix64(seed: 7323)
        for _ in 0..<1_000 {
            let (src, dst) = (Generate.address(&rng), Generate.address(&rng))
            let segment = Generate.tcpSegment(&rng).withComputedChecksum(source: src, destination: dst)
            let bytes = segment.emit(source: src, destination: dst)
            #expect(bytes.count == segment.header.headerLength + segment.payload.count)
            let parsed = try TCPSegment.parse(bytes, source: src, destination: dst)
            #expect(parsed == segment)
            #expect(parsed.emit(source: src, destination: dst) == bytes)
            if parsed != segment { break }  // one counterexample is enough
        }
    }

    @Test func randomUDPPackets() throws {
        var rng = SplitMix64(seed: 768)
        for _ in 0..<2_000 {
            let original = Generate.packet(&rng, payload: .udp(Generate.udpDatagram(&rng)))
            let bytes = original.emit()
            let parsed = try IPv4Packet.parse(bytes)
            #expect(parsed == original.finalized())
            #expect(parsed.emit() == bytes)
            guard case .udp(let datagram) = parsed.payload else {
                Issue.record("expected UDP")
                return
            }
            #expect(datagram.checksum != 0)  // a computed 0 is sent as 0xFFFF
        }
    }

    @Test func randomICMPPackets() throws {
        var rng = SplitMix64(seed: 792)
        for _ in 0..<2_000 {
            let original = Generate.packet(&rng, payload: .icmp(Generate.icmpMessage(&rng)))
            let bytes = original.emit()
            let parsed = try IPv4Packet.parse(bytes)
            #expect(parsed == original.finalized())
            #expect(parsed.emit() == bytes)
        }
    }

    /// Port unreachable quotes the IP header and the first 8 octets of the offending datagram (RFC 792).
    @Test func portUnreachableQuotesHeaderAndEightBytes() throws {
        let offending = IPv4Packet(source: IPv4Address(10, 0, 0, 1), destination: IPv4Address(10, 0, 0, 2),
                                   payload: .udp(UDPDatagram(sourcePort: 5000, destinationPort: 53,
                                                             payload: [1, 2, 3, 4, 5, 6, 7, 8, 9])))
        let offendingBytes = offending.emit()
        let quoted = ICMPMessage.quote(offendingBytes)
        #expect(quoted == Array(offendingBytes.prefix(28)))
        let reply = IPv4Packet(source: IPv4Address(10, 0, 0, 2), destination: IPv4Address(10, 0, 0, 1),
                               payload: .icmp(.destinationUnreachable(code: ICMPMessage.portUnreachable,
                                                                      quoted: quoted)))
        let bytes = reply.emit()
        #expect(bytes[20] == 3 && bytes[21] == 3)  // type 3, code 3
        let parsed = try IPv4Packet.parse(bytes)
        #expect(parsed.payload == .icmp(.destinationUnreachable(code: 3, quoted: quoted)))
        #expect(Array(quoted[16..<20]) == [10, 0, 0, 2])   // the offending datagram's destination
        #expect(Array(quoted[20..<24]) == [0x13, 0x88, 0x00, 0x35])  // its UDP ports 5000 -> 53
        // The quote is cut after 8 data octets, so its own total length overruns it.
        #expect(throws: WireError.self) { try IPv4Header.parse(quoted) }
    }

    /// The UDP checksum 0 means "none" (RFC 768): it is accepted without verification.
    @Test func udpZeroChecksumIsNotVerified() throws {
        let src = IPv4Address(1, 2, 3, 4), dst = IPv4Address(5, 6, 7, 8)
        let bytes: [UInt8] = [0x13, 0x88, 0x00, 0x35, 0x00, 0x0a, 0x00, 0x00, 0xbe, 0xef]
        let datagram = try UDPDatagram.parse(bytes, source: src, destination: dst)
        #expect(datagram.checksum == 0)
        #expect(datagram.sourcePort == 5000 && datagram.destinationPort == 53 && datagram.length == 10)
        #expect(datagram.payload == [0xbe, 0xef])
    }

    @Test func convenienceInitBuildsAPlainHeader() throws {
        let packet = IPv4Packet(source: IPv4Address(10, 0, 0, 1), destination: IPv4Address(10, 0, 0, 2),
                                ttl: 32, identification: 7,
                                payload: .tcp(TCPSegment(header: TCPHeader(sourcePort: 1, destinationPort: 2,
                                                                           sequenceNumber: SequenceNumber(3),
                                                                           flags: .syn, window: 100))))
        let bytes = packet.emit()
        #expect(Array(bytes.prefix(10)) == [0x45, 0x00, 0x00, 40, 0x00, 0x07, 0x40, 0x00, 32, 6])
        #expect(bytes.count == 40)
    }

    @Test func hexDumpRoundTrips() {
        var rng = SplitMix64(seed: 16)
        let bytes = rng.bytes(37)
        #expect(HexDump.parse(HexDump.format(bytes)) == bytes)
        #expect(HexDump.format([0x45, 0x00], offsets: true) == "0000  45 00")
        #expect(HexDump.parse("4") == nil)
        #expect(HexDump.parse("zz") == nil)
        #expect(HexDump.parse("45 00 # comment\n01") == [0x45, 0x00, 0x01])
    }
}
