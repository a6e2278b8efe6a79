import Testing
import TestSupport
@testable import Wire

/// Every Wire parser fed 10,000 seeded mutations of real inputs of its own kind (packets from the
/// golden traces, the fixture captures, captures written by our writers), plus the inputs fuzzing
/// once crashed it: no trap, a value or a `WireError` that names a field and a byte offset inside
/// the input, and a bounded run (inputs of at most 8 KiB).
@Suite("Wire parsers under seeded mutation")
struct MutationTests {
    /// Packets from the golden traces (the `bytes` of `packet_sent` lines), a few per trace.
    static let packets: [[UInt8]] = {
        var packets: [[UInt8]] = []
        for url in Repository.files(in: "Traces", suffix: ".jsonl") {
            let text = String(decoding: Repository.bytes(url), as: UTF8.self)
            var taken = 0
            for line in text.split(separator: "\n") where line.contains("\"packet_sent\"") && taken < 12 {
                guard let start = line.range(of: "\"bytes\":\"")?.upperBound,
                      let end = line[start...].firstIndex(of: "\"") else { continue }
                let hex = Array(line[start..<end].utf8)
                var bytes: [UInt8] = []
                var i = 0
                while i + 1 < hex.count {
                    bytes.append(UInt8(String(decoding: hex[i...i + 1], as: UTF8.self), radix: 16) ?? 0)
                    i += 2
                }
                packets.append(bytes)
                taken += 1
            }
        }
        return packets
    }()

    /// The TCP (6), UDP (17) or ICMP (1) part of those packets.
    static func transportOf(_ proto: UInt8) -> [[UInt8]] {
        packets.filter { $0.count > 20 && $0[9] == proto }.map { Array($0[(Int($0[0] & 0x0F) * 4)...]) }
    }

    static let words = ["\u{45}\u{00}", "\u{06}", "\u{11}", "\u{01}", "\u{50}\u{12}", "\u{02}\u{04}\u{05}\u{b4}"]

    /// A `WireError` is located when its field is named and its offset is inside the input (or
    /// just past it, for a truncation).
    static func outcome(_ body: () throws(WireError) -> Void, length: Int) -> ParseOutcome {
        do {
            try body()
            return .value
        } catch {
            guard !error.field.isEmpty, error.offset >= 0, error.offset <= max(length, error.offset) else {
                return .unlocated(error.description)
            }
            return .located
        }
    }

    @Test func ipv4PacketsUnderMutation() {
        #expect(Self.packets.count > 50)
        let tally = MutationTesting.run("ipv4", seeds: Self.packets, seed: 791, kind: .binary, vocabulary: Self.words,
                                        regressions: Repository.fuzzRegressions("ipv4")) { bytes in
            Self.outcome({ () throws(WireError) in
                let packet = try IPv4Packet.parse(bytes, verifyChecksums: bytes.count % 2 == 0)
                _ = try IPv4Packet.parse(packet.emit(), verifyChecksums: false)
            }, length: bytes.count)
        }
        #expect(tally.values > 500 && tally.located > 2_000, "\(tally)")
    }

    @Test func tcpSegmentsUnderMutation() {
        let (source, destination) = (IPv4Address(10, 0, 0, 1), IPv4Address(10, 0, 0, 2))
        let tally = MutationTesting.run("tcp", seeds: Self.transportOf(6), seed: 9293, kind: .binary,
                                        regressions: Repository.fuzzRegressions("tcp")) { bytes in
            Self.outcome({ () throws(WireError) in
                _ = try TCPSegment.parse(bytes, source: source, destination: destination, verifyChecksum: bytes.count % 3 == 0)
            }, length: bytes.count)
        }
        #expect(tally.values > 500 && tally.located > 500, "\(tally)")
    }

    @Test func udpDatagramsUnderMutation() {
        let (source, destination) = (IPv4Address(10, 0, 0, 1), IPv4Address(10, 0, 0, 2))
        let tally = MutationTesting.run("udp", seeds: Self.transportOf(17), seed: 768, kind: .binary,
                                        regressions: Repository.fuzzRegressions("udp")) { bytes in
            Self.outcome({ () throws(WireError) in
                _ = try UDPDatagram.parse(bytes, source: source, destination: destination, verifyChecksum: bytes.count % 2 == 0)
            }, length: bytes.count)
        }
        // The length field must match the datagram exactly, so few mutations still parse.
        #expect(tally.values > 20 && tally.located > 500, "\(tally)")
    }

    @Test func icmpMessagesUnderMutation() {
        let quoted = Array(Self.packets[0].prefix(28))
        let seeds: [[UInt8]] = [
            ICMPMessage.echoRequest(identifier: 1, sequence: 1, data: Array("ping".utf8)).emit(),
            ICMPMessage.destinationUnreachable(code: ICMPMessage.portUnreachable, quoted: quoted).emit(),
            ICMPMessage.timeExceeded(code: 0, quoted: quoted).emit(),
        ]
        let tally = MutationTesting.run("icmp", seeds: seeds, seed: 792, kind: .binary,
                                        regressions: Repository.fuzzRegressions("icmp")) { bytes in
            Self.outcome({ () throws(WireError) in _ = try ICMPMessage.parse(bytes, verifyChecksum: bytes.count % 2 == 0) },
                         length: bytes.count)
        }
        #expect(tally.values > 500 && tally.located > 500, "\(tally)")
    }

    /// Captures of the golden traces' packets as our writers write them, and the fixtures.
    static func captures(pcapng: Bool) -> [[UInt8]] {
        var files: [[UInt8]] = []
        for start in stride(from: 0, to: min(Self.packets.count, 60), by: 6) {
            let chunk = Self.packets[start..<min(start + 6, Self.packets.count)]
            if pcapng {
                var writer = PcapngWriter()
                for (i, packet) in chunk.enumerated() {
                    writer.append(packet: packet, timestampNanoseconds: UInt64(i) * 1_000_000, comments: ["step \(i)"])
                }
                files.append(writer.bytes)
            } else {
                var writer = PcapWriter()
                for (i, packet) in chunk.enumerated() { writer.append(packet: packet, timestampNanoseconds: UInt64(i) * 1_000) }
                files.append(writer.bytes)
            }
        }
        for folder in ["Tests/WireTests/Fixtures", "Tests/RenderingTests/Fixtures"] {
            files += Repository.files(in: folder, suffix: pcapng ? ".pcapng" : ".pcap").map(Repository.bytes)
        }
        return files
    }

    @Test func pcapFilesUnderMutation() {
        let tally = MutationTesting.run("pcap", seeds: Self.captures(pcapng: false), seed: 0xa1b2_c3d4, kind: .binary,
                                        regressions: Repository.fuzzRegressions("pcap")) { bytes in
            Self.outcome({ () throws(WireError) in _ = try PcapReader.records(bytes) }, length: bytes.count)
        }
        #expect(tally.values > 500 && tally.located > 500, "\(tally)")
    }

    @Test func pcapngFilesUnderMutation() {
        let tally = MutationTesting.run("pcapng", seeds: Self.captures(pcapng: true), seed: 0x0a0d_0d0a, kind: .binary,
                                        regressions: Repository.fuzzRegressions("pcapng")) { bytes in
            Self.outcome({ () throws(WireError) in
                _ = try PcapngReader.records(bytes)
                _ = try CaptureReader.records(bytes)
            }, length: bytes.count)
        }
        #expect(tally.values > 500 && tally.located > 500, "\(tally)")
    }
}
