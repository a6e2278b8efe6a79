import Testing
@testable import Wire

/// `PcapngWriter` then `PcapngReader` (and `CaptureReader`): comments, directions, nanosecond
/// timestamps, several interfaces of several link types; and the writer's exact bytes.
@Suite struct PcapngRoundTripTests {
    static let base: UInt64 = 1_700_000_000_123_456_789

    static let interfaces = [
        PcapngInterface(name: "lo", linkType: .raw),
        PcapngInterface(name: "eth0", linkType: .ethernet, snapLength: 262_144),
        PcapngInterface(name: "any", linkType: .linuxSLL),
    ]

    /// Each packet of the sample exchange on interface `i % 3`, with comments and directions.
    static func sampleRecords() -> [CaptureRecord] {
        let comments: [[String]] = [
            ["SYN: the client opens"], [], ["ACK", "handshake done", "三次握手 ✓"], [""], ["FIN, ACK"],
        ]
        let directions: [PacketDirection?] = [.outbound, .inbound, nil, .outbound, .inbound]
        return PcapTests.sampleTCPPackets().enumerated().map { i, packet in
            CaptureRecord(timestampNanoseconds: base + UInt64(i) * 1_000_001, packet: packet.emit(),
                          linkType: interfaces[i % 3].linkType, interface: i % 3,
                          comments: comments[i], direction: directions[i])
        }
    }

    static func write(_ records: [CaptureRecord]) -> [UInt8] {
        var writer = PcapngWriter(interfaces: interfaces)
        for record in records {
            writer.append(packet: record.packet, timestampNanoseconds: record.timestampNanoseconds,
                          interface: record.interface, comments: record.comments, direction: record.direction)
        }
        return writer.bytes
    }

    @Test func writerThenReaderRoundTrips() throws {
        let records = Self.sampleRecords()
        let bytes = Self.write(records)
        var reader = try PcapngReader(bytes: bytes)
        #expect(!reader.bigEndian)
        var read: [CaptureRecord] = []
        while let record = try reader.next() { read.append(record) }
        #expect(reader.interfaces == Self.interfaces)
        #expect(read == records)
        #expect(reader.skippedRecords == 0 && reader.skippedBlocks == 0)
        #expect(try CaptureReader.records(bytes) == records)
        #expect(try CaptureReader(bytes: bytes).format == .pcapng)
    }

    /// Every block's total length is a multiple of 4 and repeated at its end (§3.1).
    @Test func everyBlockLengthIsAlignedAndRepeated() {
        let bytes = Self.write(Self.sampleRecords())
        var position = 0
        var types: [UInt32] = []
        while position + 8 <= bytes.count {
            let type = bytes[...].u32(position, bigEndian: false)
            let length = Int(bytes[...].u32(position + 4, bigEndian: false))
            #expect(length % 4 == 0 && length >= 12 && position + length <= bytes.count)
            guard length >= 12, position + length <= bytes.count else { return }
            #expect(bytes[...].u32(position + length - 4, bigEndian: false) == UInt32(length))
            types.append(type)
            position += length
        }
        #expect(position == bytes.count)
        #expect(types == [0x0A0D_0D0A, 1, 1, 1, 6, 6, 6, 6, 6])
    }

    /// The exact octets of a section header, an interface description and an enhanced packet with a
    /// comment and a direction, worked out by hand from §4.1 to §4.3.
    @Test func writerBytesMatchTheSpecification() {
        var writer = PcapngWriter(interfaces: [PcapngInterface(name: "lo")])
        writer.append(packet: [0x45, 1, 2, 3, 4], timestampNanoseconds: 0x0102_0304_0506_0708,
                      comments: ["hi"], direction: .outbound)
        let shb: [UInt8] = [
            0x0A, 0x0D, 0x0D, 0x0A, 44, 0, 0, 0,  // block type, total length 44
            0x4D, 0x3C, 0x2B, 0x1A, 1, 0, 0, 0,  // byte-order magic, version 1.0
            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,  // section length -1
            4, 0, 8, 0] + Array("StackLab".utf8) + [  // shb_userappl
            0, 0, 0, 0, 44, 0, 0, 0,  // opt_endofopt, total length
        ]
        let idb: [UInt8] = [
            1, 0, 0, 0, 40, 0, 0, 0,  // block type, total length 40
            101, 0, 0, 0, 0, 0, 0, 0,  // LINKTYPE_RAW, reserved, snap length 0
            2, 0, 2, 0, 0x6C, 0x6F, 0, 0,  // if_name "lo", padded
            9, 0, 1, 0, 9, 0, 0, 0,  // if_tsresol 9, padded
            0, 0, 0, 0, 40, 0, 0, 0,  // opt_endofopt, total length
        ]
        let epb: [UInt8] = [
            6, 0, 0, 0, 60, 0, 0, 0,  // block type, total length 60
            0, 0, 0, 0,  // interface 0
            4, 3, 2, 1, 8, 7, 6, 5,  // timestamp, high word then low word
            5, 0, 0, 0, 5, 0, 0, 0,  // captured and original length
            0x45, 1, 2, 3, 4, 0, 0, 0,  // packet, padded
            1, 0, 2, 0, 0x68, 0x69, 0, 0,  // opt_comment "hi", padded
            2, 0, 4, 0, 2, 0, 0, 0,  // epb_flags: outbound
            0, 0, 0, 0, 60, 0, 0, 0,  // opt_endofopt, total length
        ]
        #expect(writer.bytes == shb + idb + epb)
    }

    /// A packet without comments or direction has no options at all (§3.5 allows leaving them out).
    @Test func packetWithoutOptionsHasNoOptionsArea() {
        var writer = PcapngWriter(interfaces: [PcapngInterface()])
        let before = writer.bytes.count
        writer.append(packet: [0x45, 0, 0, 0], timestampNanoseconds: 0)
        #expect(writer.bytes.count - before == 32 + 4)
    }

    @Test func snapLengthCutsLongFrames() throws {
        var writer = PcapngWriter(interfaces: [PcapngInterface(name: "eth0", linkType: .ethernet, snapLength: 54)])
        let packet = try Fixtures.linuxSYN()
        writer.append(packet: packet, timestampNanoseconds: 7, comments: ["cut"])
        let records = try PcapngReader.records(writer.bytes)
        #expect(records == [CaptureRecord(timestampNanoseconds: 7, packet: Array(packet.prefix(40)), originalLength: 60,
                                          linkType: .ethernet, comments: ["cut"])])
    }

    /// The writer produces RAW, ETHERNET and LINUX_SLL; any other link type is written as RAW.
    @Test func unwritableLinkTypeBecomesRaw() throws {
        let writer = PcapngWriter(interfaces: [PcapngInterface(linkType: .linuxSLL2),
                                               PcapngInterface(linkType: .ethernet)])
        #expect(writer.interfaces.map(\.linkType) == [.raw, .ethernet])
        var reader = try PcapngReader(bytes: writer.bytes)
        #expect(try reader.next() == nil)
        #expect(reader.interfaces.map(\.linkType) == [.raw, .ethernet])
    }

    /// A comment over the 65,535 octets an option can hold is cut there, between scalars.
    @Test func longCommentIsCutBetweenScalars() throws {
        let comment = String(repeating: "a", count: 65_534) + "é" + "tail"
        var writer = PcapngWriter()
        writer.append(packet: try Fixtures.linuxSYN(), timestampNanoseconds: 0, comments: [comment])
        let records = try PcapngReader.records(writer.bytes)
        #expect(records.first?.comments == [String(repeating: "a", count: 65_534)])
    }

    /// The same packets written as classic pcap and as pcapng read back the same through the one
    /// entry point (at microsecond times, the classic format's resolution).
    @Test func captureReaderReadsBothFormatsAlike() throws {
        let packets = PcapTests.sampleTCPPackets().map { $0.emit() }
        var pcap = PcapWriter(linkType: .linuxSLL)
        var pcapng = PcapngWriter(interfaces: [PcapngInterface(name: "any", linkType: .linuxSLL)])
        for (i, packet) in packets.enumerated() {
            pcap.append(packet: packet, timestampNanoseconds: UInt64(i) * 1_500_000)
            pcapng.append(packet: packet, timestampNanoseconds: UInt64(i) * 1_500_000)
        }
        #expect(try CaptureReader(bytes: pcap.bytes).format == .pcap)
        let fromPcap = try CaptureReader.records(pcap.bytes)
        #expect(fromPcap.count == packets.count)
        #expect(fromPcap == (try CaptureReader.records(pcapng.bytes)))
        #expect(fromPcap.map(\.packet) == (try PcapReader.records(pcap.bytes)).map(\.packet))
    }

    @Test func captureReaderRefusesOtherFiles() {
        expectWireError(.badMagic, field: "capture.magic", offset: 0) { () throws(WireError) in
            _ = try CaptureReader.records(Array("GET / HTTP/1.1\r\n".utf8))
        }
        expectWireError(.truncated, field: "capture.magic", offset: 3) { () throws(WireError) in
            _ = try CaptureReader.records([0x0A, 0x0D, 0x0D])
        }
        #expect(CaptureReader.format(of: [0xd4, 0xc3, 0xb2, 0xa1]) == .pcap)
        #expect(CaptureReader.format(of: [0x0A, 0x0D, 0x0D, 0x0A]) == .pcapng)
        #expect(CaptureReader.format(of: [0x0A, 0x0D]) == nil)
    }
}
