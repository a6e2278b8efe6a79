import Testing
@testable import Wire

/// Truncated and malformed pcapng files: each gets a `WireError` naming the kind, the field and the
/// byte offset in the file, and none traps.
@Suite struct PcapngMalformedTests {
    /// Every block type the reader knows, in both sections' byte orders, then a second section.
    static func everyBlockType(bigEndian: Bool) throws -> PcapngBuilder {
        let syn = try Fixtures.linuxSYN()
        var b = PcapngBuilder(bigEndian: bigEndian)
        b.sectionHeader(options: b.option(4, "hand") + b.endOfOptions)
        b.interface(linkType: 101, options: b.option(2, "lo") + b.option(9, [9]) + b.endOfOptions)
        b.enhancedPacket(timestamp: 1, frame: syn, options: b.option(1, "a comment") + b.endOfOptions)
        b.simplePacket(frame: syn)
        b.nameResolution()
        b.interfaceStatistics()
        b.decryptionSecrets()
        b.block(0x4000_0BAD, b.u32(32473))
        b.sectionHeader()
        b.interface(linkType: 1)
        b.enhancedPacket(timestamp: 2, frame: PcapngReaderTests.ethernet(syn))
        return b
    }

    /// A file cut at every length: at a block boundary it reads the packets before the cut; inside a
    /// block it is `.truncated` at the cut, naming the block (`pcapng.block.header` while fewer than
    /// four octets of it say its type).
    @Test(arguments: [false, true])
    func everyBlockCutAtEveryLength(bigEndian: Bool) throws {
        let b = try Self.everyBlockType(bigEndian: bigEndian)
        let ends = b.blocks.dropFirst().map(\.start) + [b.bytes.count]
        #expect(try PcapngReader.records(b.bytes).count == 3)
        for cut in 0..<b.bytes.count {
            let file = Array(b.bytes.prefix(cut))
            let index = try #require(b.blocks.lastIndex { $0.start <= cut })
            let (start, name) = b.blocks[index]
            if cut == start, cut > 0 {
                let packets = b.blocks.indices.filter { ["EPB", "SPB"].contains(b.blocks[$0].name) && ends[$0] <= cut }
                #expect(try PcapngReader.records(file).count == packets.count, "cut at \(cut)")
                continue
            }
            let within = cut - start
            let field = within < 4 ? "pcapng.block.header"
                : within < (name == "SHB" ? 12 : 8) ? "pcapng.\(name).header" : "pcapng.\(name).body"
            expectWireError(.truncated, field: field, offset: cut) { () throws(WireError) in
                _ = try PcapngReader.records(file)
            }
        }
    }

    // MARK: Section header

    @Test func notASectionHeader() throws {
        var pcap = PcapWriter()
        pcap.append(packet: try Fixtures.linuxSYN(), timestampNanoseconds: 0)
        expectWireError(.badMagic, field: "pcapng.SHB.block_type", offset: 0) { () throws(WireError) in
            _ = try PcapngReader.records(pcap.bytes)
        }
    }

    @Test func badByteOrderMagic() throws {
        var b = try Self.everyBlockType(bigEndian: false)
        b.bytes[8] = 0x4E
        expectWireError(.badMagic, field: "pcapng.SHB.byte_order_magic", offset: 8) { () throws(WireError) in
            _ = try PcapngReader.records(b.bytes)
        }
        b = try Self.everyBlockType(bigEndian: true)
        let second = b.blocks[8].start
        b.bytes[second + 11] = 0
        expectWireError(.badMagic, field: "pcapng.SHB.byte_order_magic", offset: second + 8) { () throws(WireError) in
            _ = try PcapngReader.records(b.bytes)
        }
    }

    @Test func unsupportedMajorVersion() throws {
        var b = try Self.everyBlockType(bigEndian: true)
        b.bytes[13] = 2
        expectWireError(.badVersion, field: "pcapng.SHB.major_version", offset: 12) { () throws(WireError) in
            _ = try PcapngReader.records(b.bytes)
        }
    }

    // MARK: Block total length

    /// Overwrites the leading Block Total Length of block `index`.
    static func settingLength(_ b: PcapngBuilder, block index: Int, to length: UInt32) -> [UInt8] {
        var bytes = b.bytes
        let start = b.blocks[index].start
        bytes.replaceSubrange((start + 4)..<(start + 8), with: b.u32(length))
        return bytes
    }

    static func length(_ b: PcapngBuilder, block index: Int) -> UInt32 {
        b.bytes[...].u32(b.blocks[index].start + 4, bigEndian: b.bigEndian)
    }

    @Test(arguments: [false, true])
    func blockLengthNotAMultipleOfFour(bigEndian: Bool) throws {
        let b = try Self.everyBlockType(bigEndian: bigEndian)
        for (index, block) in b.blocks.enumerated() {
            let file = Self.settingLength(b, block: index, to: Self.length(b, block: index) + 2)
            expectWireError(.invalidValue, field: "pcapng.\(block.name).block_total_length",
                            offset: block.start + 4) { () throws(WireError) in
                _ = try PcapngReader.records(file)
            }
        }
    }

    @Test(arguments: [false, true])
    func blockLengthBelowTheFixedFields(bigEndian: Bool) throws {
        let b = try Self.everyBlockType(bigEndian: bigEndian)
        let minimum = ["SHB": 28, "IDB": 20, "EPB": 32, "SPB": 16]
        for (index, block) in b.blocks.enumerated() {
            let file = Self.settingLength(b, block: index, to: UInt32((minimum[block.name] ?? 12) - 4))
            expectWireError(.badHeaderLength, field: "pcapng.\(block.name).block_total_length",
                            offset: block.start + 4) { () throws(WireError) in
                _ = try PcapngReader.records(file)
            }
        }
    }

    @Test func absurdBlockLength() throws {
        let b = try Self.everyBlockType(bigEndian: false)
        for length: UInt32 in [16 * 1024 * 1024 + 4, 0x7FFF_FFFC, 0xFFFF_FFFC] {
            expectWireError(.recordTooLarge, field: "pcapng.EPB.block_total_length",
                            offset: b.blocks[2].start + 4) { () throws(WireError) in
                _ = try PcapngReader.records(Self.settingLength(b, block: 2, to: length))
            }
        }
    }

    /// A length that overruns the file is `.truncated` at its end; one that does not reach its
    /// trailing copy is `.lengthMismatch` where the reader looked for the copy.
    @Test func blockLengthOverrunsOrDisagrees() throws {
        let b = try Self.everyBlockType(bigEndian: true)
        let last = b.blocks.count - 1
        let file = Self.settingLength(b, block: last, to: Self.length(b, block: last) + 4)
        expectWireError(.truncated, field: "pcapng.EPB.body", offset: b.bytes.count) { () throws(WireError) in
            _ = try PcapngReader.records(file)
        }
        let longer = Self.length(b, block: 2) + 8
        expectWireError(.lengthMismatch, field: "pcapng.EPB.block_total_length",
                        offset: b.blocks[2].start + Int(longer) - 4) { () throws(WireError) in
            _ = try PcapngReader.records(Self.settingLength(b, block: 2, to: longer))
        }
        var trailing = b.bytes
        trailing[b.blocks[3].start - 1] ^= 0x40
        expectWireError(.lengthMismatch, field: "pcapng.EPB.block_total_length",
                        offset: b.blocks[3].start - 4) { () throws(WireError) in
            _ = try PcapngReader.records(trailing)
        }
    }

    // MARK: Packets

    static func onePacket(frame: [UInt8], linkType: UInt16 = 101, options: [UInt8] = [],
                          captured: UInt32? = nil) -> [UInt8] {
        var b = PcapngBuilder(bigEndian: false)
        b.sectionHeader()
        b.interface(linkType: linkType)
        b.enhancedPacket(timestamp: 0, frame: frame, options: options)
        if let captured {
            let field = b.blocks[2].start + 20
            b.bytes.replaceSubrange(field..<(field + 4), with: b.u32(captured))
        }
        return b.bytes
    }

    static let packetStart = 28 + 20 + 28

    @Test func capturedLengthBeyondTheBlock() throws {
        let syn = try Fixtures.linuxSYN()
        for captured: UInt32 in [61, 64, 65, 1000, 262_144] {
            expectWireError(.lengthMismatch, field: "pcapng.EPB.captured_length",
                            offset: 48 + 20) { () throws(WireError) in
                _ = try PcapngReader.records(Self.onePacket(frame: syn, captured: captured))
            }
        }
        for captured: UInt32 in [262_145, 0xFFFF_FFFF] {
            expectWireError(.recordTooLarge, field: "pcapng.EPB.captured_length",
                            offset: 48 + 20) { () throws(WireError) in
                _ = try PcapngReader.records(Self.onePacket(frame: syn, captured: captured))
            }
        }
    }

    @Test func frameShorterThanItsLinkHeader() {
        expectWireError(.truncated, field: "pcapng.EPB.packet_data", offset: Self.packetStart + 10) {
            () throws(WireError) in
            _ = try PcapngReader.records(Self.onePacket(frame: Array(repeating: 0, count: 10), linkType: 1))
        }
    }

    @Test func undescribedInterface() throws {
        var b = PcapngBuilder(bigEndian: true)
        b.sectionHeader()
        b.enhancedPacket(interface: 0, timestamp: 0, frame: try Fixtures.linuxSYN())
        expectWireError(.invalidValue, field: "pcapng.EPB.interface_id", offset: 28 + 8) { () throws(WireError) in
            _ = try PcapngReader.records(b.bytes)
        }
        var spb = PcapngBuilder(bigEndian: false)
        spb.sectionHeader()
        spb.simplePacket(frame: try Fixtures.linuxSYN())
        expectWireError(.invalidValue, field: "pcapng.SPB.block_type", offset: 28) { () throws(WireError) in
            _ = try PcapngReader.records(spb.bytes)
        }
    }

    @Test func simplePacketLongerThanItsBlock() throws {
        var b = PcapngBuilder(bigEndian: false)
        b.sectionHeader()
        b.interface(linkType: 101)
        b.simplePacket(frame: try Fixtures.linuxSYN(), originalLength: 65)
        expectWireError(.lengthMismatch, field: "pcapng.SPB.original_length", offset: 48 + 8) { () throws(WireError) in
            _ = try PcapngReader.records(b.bytes)
        }
        // With a snap length of 60 the same block is a 65-byte packet cut to 60.
        var cut = PcapngBuilder(bigEndian: false)
        cut.sectionHeader()
        cut.interface(linkType: 101, snapLength: 60)
        cut.simplePacket(frame: try Fixtures.linuxSYN(), originalLength: 65)
        #expect(try PcapngReader.records(cut.bytes).map(\.originalLength) == [65])
    }

    // MARK: Options

    @Test func optionRunsPastItsBlock() throws {
        let syn = try Fixtures.linuxSYN()
        let b = PcapngBuilder(bigEndian: false)
        var options = b.option(1, "abcd") + b.endOfOptions
        options[2] = 9  // 9 bytes, 12 with padding, where 8 are left
        let optionsStart = Self.packetStart + 60
        expectWireError(.optionOverrun, field: "pcapng.EPB.option[0].length", offset: optionsStart + 2) {
            () throws(WireError) in
            _ = try PcapngReader.records(Self.onePacket(frame: syn, options: options))
        }
        var second = b.option(1, "ok") + b.option(1, "abcd")
        second[10] = 5  // the second comment says 5 bytes (8 padded) where 4 are left
        expectWireError(.optionOverrun, field: "pcapng.EPB.option[1].length", offset: optionsStart + 10) {
            () throws(WireError) in
            _ = try PcapngReader.records(Self.onePacket(frame: syn, options: second))
        }
    }

    @Test func optionWithTheWrongLength() throws {
        let syn = try Fixtures.linuxSYN()
        let b = PcapngBuilder(bigEndian: false)
        expectWireError(.badOptionLength, field: "pcapng.EPB.epb_flags", offset: Self.packetStart + 60 + 2) {
            () throws(WireError) in
            _ = try PcapngReader.records(Self.onePacket(frame: syn, options: b.option(2, [1, 0])))
        }
        var idb = PcapngBuilder(bigEndian: true)
        idb.sectionHeader()
        idb.interface(linkType: 101, options: idb.option(2, "lo") + idb.option(9, [6, 0]))
        expectWireError(.badOptionLength, field: "pcapng.IDB.if_tsresol", offset: 28 + 16 + 8 + 2) {
            () throws(WireError) in
            _ = try PcapngReader.records(idb.bytes)
        }
        var offset = PcapngBuilder(bigEndian: true)
        offset.sectionHeader()
        offset.interface(linkType: 101, options: offset.option(14, offset.u32(5)))
        expectWireError(.badOptionLength, field: "pcapng.IDB.if_tsoffset", offset: 28 + 16 + 2) {
            () throws(WireError) in
            _ = try PcapngReader.records(offset.bytes)
        }
    }

    /// The error message renders the offset, field and detail.
    @Test func errorDescription() throws {
        let file = Self.onePacket(frame: try Fixtures.linuxSYN(), captured: 1000)
        do throws(WireError) {
            _ = try PcapngReader.records(file)
            Issue.record("read a packet longer than its block")
        } catch {
            #expect(error.description
                    == "byte 68: pcapng.EPB.captured_length: 1000 bytes (1000 padded) do not fit in the block's 60")
        }
    }
}
