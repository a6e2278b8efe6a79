import Foundation
import Testing
@testable import Wire

/// A SYN that Linux sent on loopback, captured with
/// `tcpdump -i lo -w linux-loopback-syn.pcap -c 1 'tcp[tcpflags] & tcp-syn != 0 and port 54321'`
/// while `python3` connected to 127.0.0.1:54321 (refused, but the SYN is sent first).
///
/// The TCP checksum in it, 0xfe30, does NOT verify, and that is the kernel's doing: on `lo` Linux
/// uses checksum offload (CHECKSUM_PARTIAL) and leaves only the folded pseudo-header sum
/// (7f00+0001+7f00+0001+0006+0028 = 0xfe30) for a NIC that never comes. `tcpdump -vv -r` says
/// "cksum 0xfe30 (incorrect -> 0x5843)". The IP header checksum is complete and verifies.
///
///     45 00 00 3c 8b 84 40 00 40 06 b1 35 7f 00 00 01   IPv4, IHL 5, len 60, id 0x8b84, DF, TTL 64, TCP, cksum
///     7f 00 00 01 e8 82 d4 31 4d bd f3 b4 00 00 00 00   dst; sport 59522 dport 54321, seq, ack 0
///     a0 02 ff d7 fe 30 00 00 02 04 ff d7 04 02 08 0a   off 10, SYN, win 65495, cksum, urg; MSS; SACK-perm; TS..
///     60 e1 98 b3 00 00 00 00 01 03 03 0a               ..TSval TSecr; NOP; WS 10
@Suite struct LinuxCaptureTests {
    @Test func decodesEveryFieldOfTheLinuxSYN() throws {
        let bytes = try Fixtures.linuxSYN()
        #expect(bytes.count == 60)
        // The IP checksum verifies; the TCP one is the offload partial sum (see above).
        #expect(try IPv4Header.parse(bytes, verifyChecksum: true).headerChecksum == 0xb135)
        let packet = try IPv4Packet.parse(bytes, verifyChecksums: false)
        let ip = packet.header
        #expect(ip.version == 4)
        #expect(ip.ihl == 5)                      // 0x45
        #expect(ip.dscp == 0 && ip.ecn == 0)      // 0x00
        #expect(ip.totalLength == 60)             // 0x003c
        #expect(ip.identification == 0x8b84)
        #expect(ip.flags == .dontFragment)        // 0x4000
        #expect(ip.fragmentOffset == 0)
        #expect(ip.ttl == 64)                     // 0x40
        #expect(ip.protocol == .tcp)              // 0x06
        #expect(ip.headerChecksum == 0xb135)
        #expect(ip.source == IPv4Address(127, 0, 0, 1))
        #expect(ip.destination == IPv4Address(127, 0, 0, 1))
        #expect(ip.options.isEmpty)

        guard case .tcp(let segment) = packet.payload else {
            Issue.record("expected TCP, got \(packet.payload)")
            return
        }
        let tcp = segment.header
        #expect(tcp.sourcePort == 59522)          // 0xe882, the kernel's ephemeral port
        #expect(tcp.destinationPort == 54321)     // 0xd431
        #expect(tcp.sequenceNumber == SequenceNumber(1_304_294_324))  // 0x4dbdf3b4, the ISN
        #expect(tcp.acknowledgmentNumber == SequenceNumber(0))
        #expect(tcp.headerLength == 40)           // data offset 0xa = 10 words
        #expect(tcp.reserved == 0)
        #expect(tcp.flags == .syn)                // 0x02
        #expect(tcp.window == 65495)              // 0xffd7
        #expect(tcp.checksum == 0xfe30)           // partial: the pseudo-header sum only
        #expect(tcp.urgentPointer == 0)
        #expect(tcp.options == [
            .maximumSegmentSize(65495),           // 02 04 ffd7: loopback MTU 65536 - 40 - 1
            .sackPermitted,                       // 04 02
            .timestamps(value: 1_625_397_427, echoReply: 0),  // 08 0a 60e198b3 00000000
            .noOperation,                         // 01
            .windowScale(10),                     // 03 03 0a
        ])
        #expect(tcp.optionPadding.isEmpty)
        #expect(segment.payload.isEmpty)
        #expect(segment.sequenceLength == 1)

        // Re-encoding completes the TCP checksum to the value tcpdump expects, and changes nothing else.
        var completed = bytes
        completed[36] = 0x58
        completed[37] = 0x43
        #expect(packet.emit() == completed)
        #expect(try IPv4Packet.parse(completed) == packet.finalized())
        #expect(try IPv4Packet.parse(completed).emit() == completed)
    }

    @Test func linuxSYNCarriesAnOffloadPartialTCPChecksum() throws {
        let bytes = try Fixtures.linuxSYN()
        let loopback = IPv4Address(127, 0, 0, 1)
        var ipSum = InternetChecksum()
        ipSum.add(bytes[0..<20])
        #expect(ipSum.verifies)

        let tcpBytes = Array(bytes[20...])
        #expect(TCPSegment.hasPartialChecksum(tcpBytes, source: loopback, destination: loopback))
        expectWireError(.badChecksum, field: "TCP.checksum", offset: 36) { () throws(WireError) in
            _ = try IPv4Packet.parse(bytes)
        }
        expectWireError(.badChecksum, field: "TCP.checksum", offset: 16) { () throws(WireError) in
            _ = try TCPSegment.parse(tcpBytes, source: loopback, destination: loopback)
        }

        // With 0x5843 in place the whole segment verifies, independently of the codec.
        var completed = tcpBytes
        completed[16] = 0x58
        completed[17] = 0x43
        var tcpSum = InternetChecksum.pseudoHeader(source: loopback, destination: loopback, protocol: .tcp, length: 40)
        tcpSum.add(completed)
        #expect(tcpSum.verifies)
        #expect(!TCPSegment.hasPartialChecksum(completed, source: loopback, destination: loopback))
        let segment = try TCPSegment.parse(completed, source: loopback, destination: loopback)
        #expect(segment.emit(source: loopback, destination: loopback) == completed)
    }

    /// tcpdump wrote the file in little-endian, microsecond magic, snaplen 262144, link type ETHERNET.
    @Test func pcapReaderReadsTheCommittedCapture() throws {
        let file = [UInt8](try Fixtures.data("linux-loopback-syn.pcap"))
        var reader = try PcapReader(bytes: file)
        #expect(reader.linkType == .ethernet)
        #expect(reader.bigEndian == false)
        #expect(reader.nanosecondResolution == false)
        #expect(reader.snapLength == 262_144)
        #expect(reader.versionMajor == 2 && reader.versionMinor == 4)
        let record = try #require(try reader.next())
        #expect(record.timestampNanoseconds == 1_795_812_870_842_121_000)  // ts_sec 0x6b09ee06, ts_usec 0x000cd989
        #expect(record.packet == (try Fixtures.linuxSYN()))
        #expect(record.originalLength == 60)
        #expect(try reader.next() == nil)
        #expect(reader.skippedRecords == 0)
    }
}
