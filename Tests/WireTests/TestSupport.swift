import Foundation
import Simulation
import Testing
@testable import Wire

extension SplitMix64 {
    mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
    mutating func u16() -> UInt16 { UInt16(truncatingIfNeeded: next()) }
    mutating func u32() -> UInt32 { UInt32(truncatingIfNeeded: next()) }
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    mutating func chance(_ numerator: Int, in denominator: Int) -> Bool { int(0...(denominator - 1)) < numerator }
    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in byte() } }
}

enum Fixtures {
    /// A file from `Tests/WireTests/Fixtures`, copied into the test bundle.
    static func data(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.resourceURL)
            .appendingPathComponent("Fixtures").appendingPathComponent(name)
        return try Data(contentsOf: url)
    }

    static func hex(_ name: String) throws -> [UInt8] {
        let text = try #require(String(data: try data(name), encoding: .utf8))
        return try #require(HexDump.parse(text))
    }

    /// The Linux loopback SYN, IPv4 header onwards (see LinuxCaptureTests). Its TCP checksum is
    /// the partial one that checksum offload leaves, so it does not verify.
    static func linuxSYN() throws -> [UInt8] { try hex("linux-loopback-syn.hex") }

    /// The Linux loopback SYN with its TCP checksum completed (0x5843, as `tcpdump -vv` says it
    /// should be), as a NIC would: a fully valid packet to break in the malformed-input tests.
    static func completedSYN() throws -> [UInt8] {
        var bytes = try linuxSYN()
        bytes[36] = 0x58
        bytes[37] = 0x43
        return bytes
    }
}

/// Overwrites the IPv4 header checksum of `packet` so that only the field a test breaks is wrong.
func fixIPv4Checksum(_ packet: inout [UInt8]) {
    let headerLength = Int(packet[0] & 0x0F) * 4
    packet[10] = 0
    packet[11] = 0
    let sum = InternetChecksum.checksum(Array(packet[0..<headerLength]))
    packet[10] = UInt8(sum >> 8)
    packet[11] = UInt8(sum & 0xFF)
}

/// Expects `body` to throw a `WireError` of this kind, field and offset.
func expectWireError(
    _ kind: WireError.Kind, field: String, offset: Int,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws(WireError) -> Void
) {
    do {
        try body()
        Issue.record("expected \(kind) at \(field), byte \(offset); parsed fine", sourceLocation: sourceLocation)
    } catch {
        #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        #expect(error.field == field, "\(error)", sourceLocation: sourceLocation)
        #expect(error.offset == offset, "\(error)", sourceLocation: sourceLocation)
    }
}

/// Seeded generators of valid values for the round-trip and fuzz tests.
enum Generate {
    static func address(_ rng: inout SplitMix64) -> IPv4Address { IPv4Address(rng.u32()) }

    /// A valid option list that fills a whole number of words, at most 40 octets, plus the
    /// padding after an end-of-list.
    static func tcpOptions(_ rng: inout SplitMix64) -> (options: [TCPOption], padding: [UInt8]) {
        var options: [TCPOption] = []
        var length = 0
        let wanted = rng.int(0...6)
        for _ in 0..<wanted {
            let option: TCPOption
            switch rng.int(0...7) {
            case 0: option = .maximumSegmentSize(rng.u16())
            case 1: option = .windowScale(rng.byte())
            case 2: option = .sackPermitted
            case 3:
                option = .sack((0..<rng.int(1...3)).map { _ in
                    SACKBlock(left: SequenceNumber(rng.u32()), right: SequenceNumber(rng.u32()))
                })
            case 4: option = .timestamps(value: rng.u32(), echoReply: rng.u32())
            case 5: option = .noOperation
            default:
                let kinds: [UInt8] = [6, 7, 9, 14, 19, 28, 29, 30, 34, 253, 254, 255]
                option = .unknown(kind: kinds[rng.int(0...(kinds.count - 1))], data: rng.bytes(rng.int(0...6)))
            }
            guard length + option.encodedLength <= 36 else { break }
            options.append(option)
            length += option.encodedLength
        }
        var padding: [UInt8] = []
        if rng.chance(1, in: 3) {
            options.append(.endOfList)
            length += 1
            let count = (4 - length % 4) % 4
            padding = rng.chance(1, in: 2) ? Array(repeating: 0, count: count) : rng.bytes(count)
        } else {
            while length % 4 != 0 {
                options.append(.noOperation)
                length += 1
            }
        }
        return (options, padding)
    }

    static func tcpSegment(_ rng: inout SplitMix64) -> TCPSegment {
        let (options, padding) = tcpOptions(&rng)
        let header = TCPHeader(
            sourcePort: rng.u16(), destinationPort: rng.u16(),
            sequenceNumber: SequenceNumber(rng.u32()), acknowledgmentNumber: SequenceNumber(rng.u32()),
            flags: TCPFlags(rawValue: rng.byte()), window: rng.u16(), checksum: rng.u16(),
            urgentPointer: rng.u16(), options: options, optionPadding: padding, reserved: rng.byte() & 0x0F)
        return TCPSegment(header: header, payload: rng.bytes(rng.int(0...100)))
    }

    static func udpDatagram(_ rng: inout SplitMix64) -> UDPDatagram {
        UDPDatagram(sourcePort: rng.u16(), destinationPort: rng.u16(), payload: rng.bytes(rng.int(0...100)))
    }

    static func icmpMessage(_ rng: inout SplitMix64) -> ICMPMessage {
        switch rng.int(0...4) {
        case 0: .echoRequest(identifier: rng.u16(), sequence: rng.u16(), data: rng.bytes(rng.int(0...64)))
        case 1: .echoReply(identifier: rng.u16(), sequence: rng.u16(), data: rng.bytes(rng.int(0...64)))
        case 2: .destinationUnreachable(code: rng.byte() % 16, nextHopMTU: rng.u16(), quoted: rng.bytes(28))
        case 3: .timeExceeded(code: rng.byte() % 2, quoted: rng.bytes(28))
        default: .other(type: [5, 13, 14, 42][rng.int(0...3)], code: rng.byte(), rest: rng.bytes(rng.int(0...40)))
        }
    }

    /// Valid raw IPv4 options: router alert (RFC 2113), no-operations, end-of-list padding.
    static func ipv4Options(_ rng: inout SplitMix64) -> [UInt8] {
        switch rng.int(0...3) {
        case 0: [0x94, 0x04, 0x00, 0x00]
        case 1: [0x01, 0x01, 0x94, 0x04, 0x00, 0x00, 0x00, 0x00]
        case 2: [0x01, 0x00, 0x00, 0x00]
        default: []
        }
    }

    static func packet(_ rng: inout SplitMix64, payload: IPPayload) -> IPv4Packet {
        var packet = IPv4Packet(source: address(&rng), destination: address(&rng), ttl: rng.byte(),
                                identification: rng.u16(), payload: payload)
        packet.header.dscp = rng.byte() & 0x3F
        packet.header.ecn = rng.byte() & 0x03
        packet.header.flags = IPv4Flags(rawValue: rng.byte() & 0x06)
        if rng.chance(1, in: 4) { packet.header.options = ipv4Options(&rng) }
        return packet
    }
}

/// Whether Wireshark's `tshark` is installed; tests that need it are skipped (and reported so) without.
let tsharkAvailable = Tshark.path != nil

/// Wireshark's command-line tools, found as Tests/RenderingTests/TsharkTests.swift finds tshark.
enum Tshark {
    static let path = ["/usr/bin/tshark", "/usr/local/bin/tshark"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Runs `tool` (tshark, or editcap beside it) and returns its exit status and standard output;
    /// standard error (e.g. tshark's warning about running as root) is discarded.
    static func run(_ arguments: [String], tool: String = "tshark") throws -> (status: Int32, output: String) {
        let directory = URL(fileURLWithPath: try #require(path)).deletingLastPathComponent()
        let process = Process()
        process.executableURL = directory.appendingPathComponent(tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A fresh path in the temporary directory for this process and `name`.
    static func temporaryFile(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("wire-\(getpid())-\(name)")
    }
}
