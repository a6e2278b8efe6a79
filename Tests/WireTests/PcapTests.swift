import Foundation
import Testing
@testable import Wire

@Suite struct PcapTests {
    static func sampleTCPPackets() -> [IPv4Packet] {
        let client = IPv4Address(10, 0, 0, 1), server = IPv4Address(10, 0, 0, 2)
        func segment(_ from: IPv4Address, _ to: IPv4Address, _ flags: TCPFlags, seq: UInt32, ack: UInt32,
                     options: [TCPOption] = [], payload: [UInt8] = []) -> IPv4Packet {
            let (sport, dport): (UInt16, UInt16) = from == client ? (40000, 80) : (80, 40000)
            let header = TCPHeader(sourcePort: sport, destinationPort: dport, sequenceNumber: SequenceNumber(seq),
                                   acknowledgmentNumber: SequenceNumber(ack), flags: flags, window: 65535,
                                   options: options)
            let tcp = TCPSegment(header: header, payload: payload)
            return IPv4Packet(source: from, destination: to, payload: .tcp(tcp))
        }
        let synOptions: [TCPOption] = [.maximumSegmentSize(1460), .sackPermitted, .timestamps(value: 1, echoReply: 0),
                                       .noOperation, .windowScale(7)]
        return [
            segment(client, server, .syn, seq: 100, ack: 0, options: synOptions),
            segment(server, client, [.syn, .ack], seq: 300, ack: 101, options: synOptions),
            segment(client, server, .ack, seq: 101, ack: 301),
            segment(client, server, [.psh, .ack], seq: 101, ack: 301, payload: Array("GET / HTTP/1.1\r\n\r\n".utf8)),
            segment(server, client, [.fin, .ack], seq: 301, ack: 119),
        ]
    }

    @Test(arguments: [PcapLinkType.raw, .ethernet, .linuxSLL])
    func writerThenReaderRoundTrips(linkType: PcapLinkType) throws {
        var writer = PcapWriter(linkType: linkType)
        let packets = Self.sampleTCPPackets().map { $0.emit() }
        for (i, packet) in packets.enumerated() {
            writer.append(packet: packet, timestampNanoseconds: 1_700_000_000_000_000_000 + UInt64(i) * 1_234_567)
        }
        var reader = try PcapReader(bytes: writer.bytes)
        #expect(reader.linkType == linkType)
        #expect(reader.snapLength == 65535)
        var records: [PcapRecord] = []
        while let record = try reader.next() { records.append(record) }
        #expect(records.map(\.packet) == packets)
        // Microsecond resolution: the nanoseconds below a microsecond are dropped.
        let base: UInt64 = 1_700_000_000_000_000_000
        let expected: [UInt64] = (0..<packets.count).map { (base + UInt64($0) * 1_234_567) / 1_000 * 1_000 }
        #expect(records.map(\.timestampNanoseconds) == expected)
    }

    /// Big-endian nanosecond files (magic a1 b2 3c 4d) read the same.
    @Test func readsBigEndianNanosecondFiles() throws {
        let packet = try Fixtures.linuxSYN()
        var file: [UInt8] = [0xa1, 0xb2, 0x3c, 0x4d, 0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 101]
        file += [0, 0, 0, 1, 0x3b, 0x9a, 0xc9, 0xff, 0, 0, 0, 60, 0, 0, 0, 60] + packet
        let records = try PcapReader.records(file)
        #expect(records == [PcapRecord(timestampNanoseconds: 1_999_999_999, packet: packet)])
    }

    /// Ethernet frames that are not IPv4 (here ARP, 0x0806) are skipped and counted.
    @Test func skipsNonIPv4Frames() throws {
        var writer = PcapWriter(linkType: .ethernet)
        let packet = try Fixtures.linuxSYN()
        writer.append(packet: packet, timestampNanoseconds: 0)
        var bytes = writer.bytes
        bytes[24 + 16 + 13] = 0x06  // EtherType 0x0806
        var reader = try PcapReader(bytes: bytes + Array(writer.bytes[24...]))
        #expect(try reader.next()?.packet == packet)
        #expect(try reader.next() == nil)
        #expect(reader.skippedRecords == 1)
    }

    @Test func snapLengthCutsLongFrames() throws {
        var writer = PcapWriter(linkType: .raw, snapLength: 40)
        let packet = try Fixtures.linuxSYN()
        writer.append(packet: packet, timestampNanoseconds: 0)
        let records = try PcapReader.records(writer.bytes)
        #expect(records == [PcapRecord(timestampNanoseconds: 0, packet: Array(packet.prefix(40)), originalLength: 60)])
    }

    /// Wireshark's dissector as an oracle: same flags, and IP and TCP checksums "Good" (status 1).
    @Test(.enabled(if: findOnPath("tshark") != nil, "tshark is not on PATH"), arguments: [PcapLinkType.raw, .ethernet, .linuxSLL])
    func tsharkAgreesWithFlagsAndChecksums(linkType: PcapLinkType) throws {
        let tshark = try #require(Self.findOnPath("tshark"))
        var writer = PcapWriter(linkType: linkType)
        let packets = Self.sampleTCPPackets()
        for (i, packet) in packets.enumerated() {
            writer.append(packet: packet.emit(), timestampNanoseconds: UInt64(i) * 1_000_000)
        }
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("wire-tshark-\(getpid())-\(linkType.rawValue).pcap")
        try Data(writer.bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }

        let process = Process()
        process.executableURL = tshark
        process.arguments = ["-r", url.path, "-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE",
                             "-T", "fields", "-E", "separator=|",
                             "-e", "tcp.flags.str", "-e", "tcp.checksum.status", "-e", "ip.checksum.status"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.count == packets.count)
        // tshark spells flags as 12 positions, e.g. "··········S·"; keep the letters.
        let letters = lines.map { line in
            String(line.split(separator: "|", omittingEmptySubsequences: false).first ?? "").filter(\.isLetter)
        }
        #expect(letters == ["S", "AS", "A", "AP", "AF"])
        for line in lines {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            #expect(fields.count == 3, "\(line)")
            let good: Set<String> = ["1", "Good"]
            #expect(fields.count == 3 && good.contains(fields[1]) && good.contains(fields[2]), "\(line)")
        }
    }

    static func findOnPath(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}
