import Foundation
import Testing
@testable import Wire

/// Wireshark as the oracle for pcapng: tshark reads what `PcapngWriter` writes (comments, times,
/// link types, nothing malformed), and `PcapngReader` reads what tshark, editcap and mergecap write.
@Suite(.enabled(if: tsharkAvailable, "tshark is not installed: pcapng interoperability with Wireshark is unchecked"))
struct PcapngTsharkTests {
    /// `seconds.nanoseconds`, as tshark prints `frame.time_epoch`.
    static func epoch(_ nanoseconds: UInt64) -> String {
        let fraction = String(nanoseconds % 1_000_000_000)
        return "\(nanoseconds / 1_000_000_000)." + String(repeating: "0", count: 9 - fraction.count) + fraction
    }

    @Test func tsharkReadsOurFile() throws {
        let records = PcapngRoundTripTests.sampleRecords()
        let file = Tshark.temporaryFile("ours.pcapng")
        try Data(PcapngRoundTripTests.write(records)).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        let (status, output) = try Tshark.run([
            "-r", file.path, "-T", "fields", "-E", "separator=/t", "-E", "aggregator=|",
            "-e", "frame.comment", "-e", "frame.time_epoch", "-e", "frame.interface_id", "-e", "tcp.flags.str",
            "-e", "frame.p2p_dir",
        ])
        #expect(status == 0)
        let rows = output.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
        #expect(rows.count == records.count)
        for (row, record) in zip(rows, records) {
            #expect(row.count == 5, "\(row)")
            guard row.count == 5 else { continue }
            #expect(row[0] == record.comments.joined(separator: "|"))
            #expect(row[1] == Self.epoch(record.timestampNanoseconds))
            #expect(row[2] == String(record.interface))
            #expect(!row[3].filter(\.isLetter).isEmpty, "tcp flags: \(row[3])")
            // Wireshark's point-to-point direction: 0 sent, 1 received.
            let direction = switch record.direction {
            case .outbound: "0"
            case .inbound: "1"
            case nil: ""
            }
            #expect(row[4] == direction)
        }

        let malformed = try Tshark.run(["-r", file.path, "-Y", "_ws.malformed || _ws.expert.severity >= warning"])
        #expect(malformed.status == 0)
        #expect(malformed.output.isEmpty, "\(malformed.output)")
    }

    /// Two classic pcap files of the sample exchange, LINUX_SLL and RAW, 1 ms apart.
    static func classicFiles() -> (sll: [UInt8], raw: [UInt8]) {
        var sll = PcapWriter(linkType: .linuxSLL), raw = PcapWriter(linkType: .raw)
        for (i, packet) in PcapTests.sampleTCPPackets().enumerated() {
            sll.append(packet: packet.emit(), timestampNanoseconds: 1_700_000_000_000_000_000 + UInt64(i) * 2_000_000)
            raw.append(packet: packet.emit(), timestampNanoseconds: 1_700_000_000_001_000_000 + UInt64(i) * 2_000_000)
        }
        return (sll.bytes, raw.bytes)
    }

    /// What `mergecap` of the two classic files, then `editcap -a 1:… -a 4:…`, holds: one section,
    /// interface 0 the LINUX_SLL file, interface 1 the RAW file, packets in time order.
    static func expectedMergedRecords() throws -> [CaptureRecord] {
        let (sll, raw) = classicFiles()
        var records = try CaptureReader.records(sll) + CaptureReader.records(raw).map { record in
            var record = record
            record.interface = 1
            return record
        }
        records.sort { $0.timestampNanoseconds < $1.timestampNanoseconds }
        records[0].comments = ["first, with a comma"]
        records[3].comments = ["fourth ✓"]
        return records
    }

    /// Our classic pcap files converted by Wireshark's tools: `tshark -F pcapng`, comments added by
    /// `editcap -a`, and the two files of different link types merged by `mergecap` (one section, two
    /// interfaces). `CaptureReader` reads the same packets, times and comments. With
    /// `STACKLAB_RECORD_FIXTURES=1` the merged file is saved as `Fixtures/wireshark-written.pcapng`.
    @Test func weReadWhatWiresharkWrites() throws {
        let (sll, raw) = Self.classicFiles()
        let names = ["sll.pcap", "raw.pcap", "converted.pcapng", "merged.pcapng", "commented.pcapng"]
        let files = names.map(Tshark.temporaryFile)
        defer { for file in files { try? FileManager.default.removeItem(at: file) } }
        try Data(sll).write(to: files[0])
        try Data(raw).write(to: files[1])

        #expect(try Tshark.run(["-r", files[0].path, "-F", "pcapng", "-w", files[2].path]).status == 0)
        let converted = [UInt8](try Data(contentsOf: files[2]))
        #expect(try CaptureReader(bytes: converted).format == .pcapng)
        #expect(try CaptureReader.records(converted) == CaptureReader.records(sll))

        #expect(try Tshark.run(["-F", "pcapng", "-w", files[3].path, files[0].path, files[1].path],
                               tool: "mergecap").status == 0)
        #expect(try Tshark.run(["-a", "1:first, with a comma", "-a", "4:fourth ✓", files[3].path, files[4].path],
                               tool: "editcap").status == 0)
        let commented = [UInt8](try Data(contentsOf: files[4]))
        #expect(try CaptureReader.records(commented) == Self.expectedMergedRecords())

        if ProcessInfo.processInfo.environment["STACKLAB_RECORD_FIXTURES"] != nil {
            let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("Fixtures/wireshark-written.pcapng")
            try Data(commented).write(to: fixture)
        }
    }
}
