import Testing
@testable import Wire

/// One test per class of malformed input: the typed error names the kind, field and byte offset.
/// Offsets count from the start of the IP packet (or the pcap file). The SYN fixture's TCP header
/// starts at byte 20 and its options at byte 40.
@Suite struct MalformedInputTests {
    @Test func truncatedIPv4Header() throws {
        let bytes = Array(try Fixtures.completedSYN().prefix(19))
        expectWireError(.truncated, field: "IPv4.header", offset: 19) { () throws(WireError) in
            _ = try IPv4Packet.parse(bytes)
        }
        expectWireError(.truncated, field: "IPv4.header", offset: 0) { () throws(WireError) in
            _ = try IPv4Packet.parse([])
        }
    }

    @Test func badVersion() throws {
        var bytes = try Fixtures.completedSYN()
        bytes[0] = 0x65
        expectWireError(.badVersion, field: "IPv4.version", offset: 0) { () throws(WireError) in
            _ = try IPv4Packet.parse(bytes)
        }
    }

    @Test func ihlBelowFive() throws {
        var bytes = try Fixtures.completedSYN()
        bytes[0] = 0x44
        expectWireError(.badHeaderLength, field: "IPv4.ihl", offset: 0) { () throws(WireError) in
            _ = try IPv4Packet.parse(bytes)
        }
    }

    @Test func tcpDataOffsetBelowFive() throws {
        var bytes = try Fixtures.completedSYN()
        bytes[32] = 0x40
        do {
            _ = try IPv4Packet.parse(bytes)
            Issue.record("parsed a data offset of 4")
        } catch {
            #expect(error.kind == .badHeaderLength)
            #expect(error.field == "TCP.dataOffset")
            #expect(error.offset == 32)
            #expect(error.description == "byte 32: TCP.dataOffset: 4 words is below the minimum of 5")
        }
    }

    @Test func tcpDataOffsetPastTheSegment() throws {
        var bytes = try Fixtures.completedSYN()
        bytes[32] = 0xb0  // 44 bytes, but the segment has 40
        expectWireError(.badHeaderLength, field: "TCP.dataOffset", offset: 32) { () throws(WireError) in
            _ = try IPv4Packet.parse(bytes)
        }
    }

    @Test func totalLengthDisagreesWithTheBuffer() throws {
        var longer = try Fixtures.completedSYN()
        longer[3] = 61
        fixIPv4Checksum(&longer)
        expectWireError(.lengthMismatch, field: "IPv4.totalLength", offset: 2) { () throws(WireError) in
            _ = try IPv4Packet.parse(longer)
        }
        var shorter = try Fixtures.completedSYN()
        shorter[3] = 19
        fixIPv4Checksum(&shorter)
        expectWireError(.lengthMismatch, field: "IPv4.totalLength", offset: 2) { () throws(WireError) in
            _ = try IPv4Packet.parse(shorter)
        }
    }

    /// Link-layer padding after `totalLength` is not an error; it is dropped.
    @Test func trailingPaddingIsIgnored() throws {
        let bytes = try Fixtures.completedSYN()
        let packet = try IPv4Packet.parse(bytes + [0, 0, 0, 0, 0, 0])
        #expect(packet.emit() == bytes)
    }

    @Test func tcpOptionLengthOverrunsTheHeader() throws {
        var bytes = try Fixtures.completedSYN()
        bytes[58] = 4  // window scale (option 4, kind at 57) claims 4 octets; 3 remain
        expectWireError(.optionOverrun, field: "TCP.option[4].length", offset: 58) { () throws(WireError) in
            _ = try IPv4Packet.parse(bytes, verifyChecksums: false)
        }
        bytes[58] = 1  // below the minimum of 2
        expectWireError(.badOptionLength, field: "TCP.option[4].length", offset: 58) { () throws(WireError) in
            _ = try IPv4Packet.parse(bytes, verifyChecksums: false)
        }
    }

    @Test func tcpOptionKindWithoutLength() throws {
        var bytes = try Fixtures.completedSYN()
        bytes[56] = 1; bytes[57] = 1; bytes[58] = 1; bytes[59] = 3  // NOPs, then a lone window-scale kind
        expectWireError(.optionOverrun, field: "TCP.option[6].length", offset: 60) { () throws(WireError) in
            _ = try IPv4Packet.parse(bytes, verifyChecksums: false)
        }
    }

    @Test func tcpKnownOptionWithWrongLength() throws {
        var bytes = try Fixtures.completedSYN()
        bytes[41] = 3  // MSS must be 4 long
        bytes[43] = 1  // keep the list walkable: 02 03 ff | 01 (NOP) ...
        expectWireError(.badOptionLength, field: "TCP.option[0].length", offset: 41) { () throws(WireError) in
            _ = try IPv4Packet.parse(bytes, verifyChecksums: false)
        }
    }

    @Test func ipv4OptionOverrun() throws {
        var bytes = try Fixtures.completedSYN()
        let packet = try IPv4Packet.parse(bytes)
        var withOptions = packet
        withOptions.header.options = [0x94, 0x04, 0x00, 0x00]
        bytes = withOptions.emit()
        bytes[21] = 8  // router alert claims 8 octets in a 4-octet option area
        fixIPv4Checksum(&bytes)
        expectWireError(.optionOverrun, field: "IPv4.option[0].length", offset: 21) { () throws(WireError) in
            _ = try IPv4Packet.parse(bytes)
        }
    }

    @Test func badChecksumsWhenVerifying() throws {
        var ipBroken = try Fixtures.completedSYN()
        ipBroken[11] ^= 0x01
        expectWireError(.badChecksum, field: "IPv4.headerChecksum", offset: 10) { () throws(WireError) in
            _ = try IPv4Packet.parse(ipBroken)
        }
        #expect((try? IPv4Packet.parse(ipBroken, verifyChecksums: false)) != nil)

        var tcpBroken = try Fixtures.completedSYN()
        tcpBroken[37] ^= 0x01
        expectWireError(.badChecksum, field: "TCP.checksum", offset: 36) { () throws(WireError) in
            _ = try IPv4Packet.parse(tcpBroken)
        }
        #expect((try? IPv4Packet.parse(tcpBroken, verifyChecksums: false)) != nil)

        var udp = IPv4Packet(source: IPv4Address(10, 0, 0, 1), destination: IPv4Address(10, 0, 0, 2),
                             payload: .udp(UDPDatagram(sourcePort: 1, destinationPort: 2, payload: [9]))).emit()
        udp[28] ^= 0xFF
        expectWireError(.badChecksum, field: "UDP.checksum", offset: 26) { () throws(WireError) in
            _ = try IPv4Packet.parse(udp)
        }

        var icmp = IPv4Packet(source: IPv4Address(10, 0, 0, 1), destination: IPv4Address(10, 0, 0, 2),
                              payload: .icmp(.echoRequest(identifier: 1, sequence: 2, data: [3]))).emit()
        icmp[28] ^= 0xFF
        expectWireError(.badChecksum, field: "ICMP.checksum", offset: 22) { () throws(WireError) in
            _ = try IPv4Packet.parse(icmp)
        }
    }

    @Test func udpLengthDisagreesWithTheBuffer() throws {
        var bytes = IPv4Packet(source: IPv4Address(10, 0, 0, 1), destination: IPv4Address(10, 0, 0, 2),
                               payload: .udp(UDPDatagram(sourcePort: 1, destinationPort: 2, payload: [9, 9]))).emit()
        bytes[25] = 11  // the datagram is 10 octets
        expectWireError(.lengthMismatch, field: "UDP.length", offset: 24) { () throws(WireError) in
            _ = try IPv4Packet.parse(bytes, verifyChecksums: false)
        }
        expectWireError(.truncated, field: "UDP.header", offset: 5) { () throws(WireError) in
            _ = try UDPDatagram.parse([1, 2, 3, 4, 5], source: IPv4Address(0), destination: IPv4Address(0))
        }
    }

    @Test func truncatedTCPAndICMPHeaders() throws {
        var bytes = try Fixtures.completedSYN()
        bytes = Array(bytes.prefix(30))
        bytes[3] = 30
        fixIPv4Checksum(&bytes)
        expectWireError(.truncated, field: "TCP.header", offset: 30) { () throws(WireError) in
            _ = try IPv4Packet.parse(bytes)
        }
        expectWireError(.truncated, field: "ICMP.header", offset: 6) { () throws(WireError) in
            _ = try ICMPMessage.parse([8, 0, 0xf7, 0xff, 0, 0], verifyChecksum: false)
        }
    }

    // MARK: pcap

    @Test func pcapWrongMagic() throws {
        var file = [UInt8](try Fixtures.data("linux-loopback-syn.pcap"))
        file[0] = 0x00
        expectWireError(.badMagic, field: "pcap.magic", offset: 0) { () throws(WireError) in
            _ = try PcapReader.records(file)
        }
    }

    @Test func pcapTruncated() throws {
        let file = [UInt8](try Fixtures.data("linux-loopback-syn.pcap"))
        expectWireError(.truncated, field: "pcap.globalHeader", offset: 10) { () throws(WireError) in
            _ = try PcapReader.records(Array(file.prefix(10)))
        }
        expectWireError(.truncated, field: "pcap.record[0].header", offset: 30) { () throws(WireError) in
            _ = try PcapReader.records(Array(file.prefix(30)))
        }
        expectWireError(.truncated, field: "pcap.record[0].data", offset: 113) { () throws(WireError) in
            _ = try PcapReader.records(Array(file.dropLast()))
        }
    }

    @Test func pcapUnknownLinkType() throws {
        var file = [UInt8](try Fixtures.data("linux-loopback-syn.pcap"))
        file[20] = 105  // LINKTYPE_IEEE802_11
        expectWireError(.unsupportedLinkType, field: "pcap.linkType", offset: 20) { () throws(WireError) in
            _ = try PcapReader.records(file)
        }
    }

    @Test func pcapRecordTooLarge() throws {
        var file = [UInt8](try Fixtures.data("linux-loopback-syn.pcap"))
        // incl_len (little-endian at byte 32) = 0x00100000: 1 MiB, beyond the snap length and 256 KiB.
        file[32] = 0; file[33] = 0; file[34] = 0x10; file[35] = 0
        expectWireError(.recordTooLarge, field: "pcap.record[0].includedLength", offset: 32) { () throws(WireError) in
            _ = try PcapReader.records(file)
        }
        file[34] = 0xFF; file[35] = 0xFF  // ~4 GiB: refused before any allocation
        expectWireError(.recordTooLarge, field: "pcap.record[0].includedLength", offset: 32) { () throws(WireError) in
            _ = try PcapReader.records(file)
        }
    }
}
