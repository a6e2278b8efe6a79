import Testing
@testable import Wire

/// `PcapngReader` on hand-built files: both byte orders, several sections, every block type it
/// reads or skips, link types, timestamp units, options.
@Suite struct PcapngReaderTests {
    static func ethernet(_ packet: [UInt8], etherType: [UInt8] = [0x08, 0x00]) -> [UInt8] {
        Array(repeating: 0, count: 12) + etherType + packet
    }

    /// A LINUX_SLL2 header: protocol, reserved, interface index, ARPHRD_LOOPBACK, packet type 4
    /// ("sent by us"), no address.
    static func sll2(_ packet: [UInt8]) -> [UInt8] {
        [0x08, 0x00, 0, 0, 0, 0, 0, 1, 0x03, 0x04, 4, 0] + Array(repeating: 0, count: 8) + packet
    }

    /// A big-endian section with three interfaces and every block type, then a little-endian one.
    @Test func readsHandBuiltBigEndianFileWithTwoSections() throws {
        let syn = try Fixtures.linuxSYN()
        let ack = PcapTests.sampleTCPPackets()[2].emit()
        var be = PcapngBuilder(bigEndian: true)
        be.sectionHeader(options: be.option(1, "made by hand") + be.option(2, "x86") + be.endOfOptions)
        be.interface(linkType: 1, options: be.option(2, "eth0") + be.option(9, [3])
                     + be.option(14, be.u64(1_700_000_000)) + be.endOfOptions)
        be.interface(linkType: 276, snapLength: 65535, options: be.option(9, [0x80 | 20]) + be.endOfOptions)
        be.interface(linkType: 105, options: be.option(2, "wlan0"))  // IEEE 802.11: no end-of-options
        be.nameResolution()
        be.enhancedPacket(interface: 0, timestamp: 1234, frame: Self.ethernet(syn), originalLength: 14 + 60,
                          options: be.option(1, "first") + be.option(1, "second") + be.option(2, be.u32(1))
                          + be.option(3, [2, 1, 2, 3, 4]) + be.endOfOptions)
        be.enhancedPacket(interface: 1, timestamp: 3 << 20 | 1 << 19, frame: Self.sll2(ack),
                          options: be.option(2, be.u32(0b10110)) + be.endOfOptions)
        be.enhancedPacket(interface: 2, timestamp: 1, frame: [0x08, 0x02] + Array(repeating: 0, count: 30))
        be.enhancedPacket(interface: 0, timestamp: 2, frame: Self.ethernet(Array(repeating: 0, count: 28),
                                                                           etherType: [0x08, 0x06]))
        be.interfaceStatistics()
        be.decryptionSecrets()
        be.block(0x0000_0BAD, be.u32(32473) + [1, 2, 3, 4])  // a custom block (§4.8)
        be.simplePacket(frame: Self.ethernet(syn))

        var le = PcapngBuilder(bigEndian: false)
        le.sectionHeader()
        le.interface(linkType: 101, snapLength: 40)
        le.enhancedPacket(interface: 0, timestamp: 5, frame: Array(syn.prefix(40)), originalLength: 60,
                          options: le.option(1, "second section") + le.endOfOptions)
        le.simplePacket(frame: Array(syn.prefix(40)), originalLength: 60)

        var reader = try PcapngReader(bytes: be.bytes + le.bytes)
        #expect(reader.bigEndian && reader.section == 0 && reader.interfaces.isEmpty)
        var records: [CaptureRecord] = []
        var interfaceNames: [[String?]] = []
        while let record = try reader.next() {
            records.append(record)
            interfaceNames.append(reader.interfaces.map(\.name))
        }
        #expect(!reader.bigEndian && reader.section == 1)
        #expect(reader.interfaces == [PcapngInterface(linkType: .raw, snapLength: 40)])
        #expect(reader.skippedRecords == 2)
        #expect(reader.skippedBlocks == 4)
        #expect(interfaceNames.first == ["eth0", nil, "wlan0"])
        #expect(records == [
            CaptureRecord(timestampNanoseconds: 1_700_000_001_234_000_000, packet: syn, linkType: .ethernet,
                          comments: ["first", "second"], direction: .inbound),
            CaptureRecord(timestampNanoseconds: 3_500_000_000, packet: ack, linkType: .linuxSLL2, interface: 1,
                          direction: .outbound),
            CaptureRecord(timestampNanoseconds: 0, packet: syn, linkType: .ethernet),
            CaptureRecord(timestampNanoseconds: 5_000, packet: Array(syn.prefix(40)), originalLength: 60,
                          section: 1, comments: ["second section"]),
            CaptureRecord(timestampNanoseconds: 0, packet: Array(syn.prefix(40)), originalLength: 60, section: 1),
        ])
    }

    /// Interface 0 of each section: a new section forgets the previous section's interfaces.
    @Test func newSectionForgetsInterfaces() throws {
        var b = PcapngBuilder(bigEndian: false)
        b.sectionHeader()
        b.interface(linkType: 101)
        b.interface(linkType: 1)
        b.sectionHeader()
        b.interface(linkType: 101)
        b.enhancedPacket(interface: 1, timestamp: 0, frame: try Fixtures.linuxSYN())
        let offset = b.blocks[5].start + 8
        expectWireError(.invalidValue, field: "pcapng.EPB.interface_id", offset: offset) { () throws(WireError) in
            _ = try PcapngReader.records(b.bytes)
        }
    }

    /// An empty section, and a file that is only a section header, have no packets.
    @Test func sectionWithoutPackets() throws {
        var b = PcapngBuilder(bigEndian: true)
        b.sectionHeader()
        #expect(try PcapngReader.records(b.bytes).isEmpty)
        b.sectionHeader(options: b.option(1, "empty") + b.endOfOptions)
        #expect(try CaptureReader.records(b.bytes).isEmpty)
    }

    /// `if_tsresol` in powers of 10 and of 2, and `if_tsoffset` (§4.2).
    @Test func timestampUnits() {
        func ns(_ resolution: UInt8, _ units: UInt64, offset: Int64 = 0) -> UInt64 {
            PcapngTimeBase(resolution: resolution, offsetSeconds: offset).nanoseconds(units)
        }
        #expect(ns(6, 1_500_000) == 1_500_000_000)
        #expect(ns(9, 1_700_000_000_123_456_789) == 1_700_000_000_123_456_789)
        #expect(ns(0, 3) == 3_000_000_000)
        #expect(ns(3, 1234) == 1_234_000_000)
        #expect(ns(12, 1_234_567) == 1_234)
        #expect(ns(28, UInt64.max) == 1)
        #expect(ns(29, UInt64.max) == 0)
        #expect(ns(127, UInt64.max) == 0)
        #expect(ns(0x80, 2) == 2_000_000_000)
        #expect(ns(0x80 | 1, 3) == 1_500_000_000)
        #expect(ns(0x80 | 20, 3 << 20 | 1 << 19) == 3_500_000_000)
        #expect(ns(0x80 | 32, 1 << 32 | 1 << 30) == 1_250_000_000)
        #expect(ns(0x80 | 63, 1 << 62) == 500_000_000)
        #expect(ns(0x80 | 64, 1 << 63) == 500_000_000)
        #expect(ns(0x80 | 127, UInt64.max) == 0)
        #expect(ns(6, 5, offset: 10) == 10_000_005_000)
        #expect(ns(6, 5_000_000, offset: -2) == 3_000_000_000)
        // Overflow wraps rather than traps.
        _ = ns(0, UInt64.max, offset: Int64.max)
    }

    /// Interfaces StackLab does not read still count, so later interface numbers stay right.
    @Test func unsupportedInterfaceKeepsNumbering() throws {
        let syn = try Fixtures.linuxSYN()
        var b = PcapngBuilder(bigEndian: false)
        b.sectionHeader()
        b.interface(linkType: 105)
        b.interface(linkType: 101)
        b.enhancedPacket(interface: 0, timestamp: 0, frame: syn)
        b.enhancedPacket(interface: 1, timestamp: 0, frame: syn)
        var reader = try PcapngReader(bytes: b.bytes)
        #expect(try reader.next() == CaptureRecord(timestampNanoseconds: 0, packet: syn, interface: 1))
        #expect(try reader.next() == nil)
        #expect(reader.skippedRecords == 1)
    }

    /// Invalid UTF-8 in a comment is replaced, not refused; undefined direction bits 11 read as none.
    @Test func oddOptionValues() throws {
        var b = PcapngBuilder(bigEndian: true)
        b.sectionHeader()
        b.interface(linkType: 101)
        b.enhancedPacket(timestamp: 0, frame: try Fixtures.linuxSYN(),
                         options: b.option(1, [0x6F, 0x6B, 0xFF]) + b.option(2, b.u32(3)))
        let record = try #require(try PcapngReader.records(b.bytes).first)
        #expect(record.comments == ["ok\u{FFFD}"])
        #expect(record.direction == nil)
    }
}

extension PcapngReaderTests {
    /// A file Wireshark's mergecap and editcap wrote (re-recorded by
    /// `PcapngTsharkTests.weReadWhatWiresharkWrites`), so Wireshark's own pcapng is read even where
    /// tshark is not installed: another application's SHB options, two IDBs, comments.
    @Test func readsTheCommittedWiresharkFile() throws {
        let file = [UInt8](try Fixtures.data("wireshark-written.pcapng"))
        #expect(try CaptureReader.records(file) == PcapngTsharkTests.expectedMergedRecords())
    }
}
