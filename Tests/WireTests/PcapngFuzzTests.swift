import Simulation
import Testing
@testable import Wire

/// Seeded mutations of valid pcapng files: the reader throws or returns, never traps, and what it
/// returns is bounded by the input's size.
@Suite struct PcapngFuzzTests {
    static let comments = ["", "a", "SYN", "é", "三次握手", "lost ✗", String(repeating: "x", count: 40)]
    static let linkTypes: [UInt16] = [101, 1, 113, 276, 105]

    static func packet(_ rng: inout SplitMix64) -> [UInt8] {
        let payload: IPPayload = rng.chance(1, in: 2)
            ? .tcp(Generate.tcpSegment(&rng)) : .udp(Generate.udpDatagram(&rng))
        return Generate.packet(&rng, payload: payload).emit()
    }

    static func someComments(_ rng: inout SplitMix64) -> [String] {
        (0..<rng.int(0...3)).map { _ in comments[rng.int(0...(comments.count - 1))] }
    }

    /// A valid file from `PcapngWriter` (little-endian, SHB, IDBs, EPBs).
    static func writtenFile(_ rng: inout SplitMix64) -> [UInt8] {
        let links: [PcapLinkType] = [.raw, .ethernet, .linuxSLL]
        let interfaces = (0..<rng.int(1...3)).map { i in
            PcapngInterface(name: rng.chance(1, in: 2) ? "if\(i)" : nil, linkType: links[rng.int(0...2)],
                            snapLength: rng.chance(1, in: 4) ? UInt32(rng.int(20...120)) : 0)
        }
        var writer = PcapngWriter(interfaces: interfaces)
        for _ in 0..<rng.int(0...5) {
            let direction: PacketDirection? = [nil, .inbound, .outbound][rng.int(0...2)]
            writer.append(packet: packet(&rng), timestampNanoseconds: rng.next(),
                          interface: rng.int(0...(interfaces.count - 1)),
                          comments: someComments(&rng), direction: direction)
        }
        return writer.bytes
    }

    /// A valid file from `PcapngBuilder`: either byte order, other timestamp units, SPB, NRB, ISB,
    /// DSB, unsupported link types, several sections.
    static func builtFile(_ rng: inout SplitMix64) -> [UInt8] {
        var bytes: [UInt8] = []
        for _ in 0..<rng.int(1...2) {
            var b = PcapngBuilder(bigEndian: rng.chance(1, in: 2))
            b.sectionHeader(options: rng.chance(1, in: 2) ? b.option(4, "fuzz") + b.endOfOptions : [])
            var links: [UInt16] = []
            for _ in 0..<rng.int(1...3) {
                let link = linkTypes[rng.int(0...(linkTypes.count - 1))]
                links.append(link)
                var options = b.option(9, [rng.byte()])
                if rng.chance(1, in: 3) { options += b.option(14, b.u64(rng.next())) }
                b.interface(linkType: link, snapLength: rng.chance(1, in: 4) ? UInt32(rng.int(20...120)) : 0,
                            options: options + b.endOfOptions)
            }
            for _ in 0..<rng.int(0...6) {
                let interface = rng.int(0...(links.count - 1))
                let ip = packet(&rng)
                let frame: [UInt8] = switch links[interface] {
                case 1: PcapngReaderTests.ethernet(ip)
                case 113: PcapLinkType.linuxSLL.frame(wrapping: ip)
                case 276: PcapngReaderTests.sll2(ip)
                case 105: rng.bytes(rng.int(0...40))
                default: ip
                }
                switch rng.int(0...9) {
                case 0: b.simplePacket(frame: links[0] == 101 ? ip : frame)
                case 1: b.nameResolution()
                case 2: b.interfaceStatistics()
                case 3: b.decryptionSecrets()
                default:
                    var options = someComments(&rng).flatMap { b.option(1, $0) }
                    if rng.chance(1, in: 2) { options += b.option(2, b.u32(rng.u32())) }
                    if !options.isEmpty, rng.chance(3, in: 4) { options += b.endOfOptions }
                    b.enhancedPacket(interface: UInt32(interface), timestamp: rng.next(), frame: frame,
                                     options: options)
                }
            }
            bytes += b.bytes
        }
        return bytes
    }

    /// One to four mutations: bit flips, interesting 32- and 16-bit values at aligned offsets (where
    /// lengths live), truncation, duplicated or removed ranges.
    static func mutate(_ bytes: inout [UInt8], _ rng: inout SplitMix64) {
        let interesting: [UInt32] = [0, 1, 2, 3, 4, 8, 12, 16, 20, 28, 32, 0xFF, 0x1_0000, 0x100_0004,
                                     0x7FFF_FFFF, 0xFFFF_FFFC, 0xFFFF_FFFF]
        for _ in 0..<rng.int(1...4) where bytes.count >= 8 {
            let aligned = rng.int(0...(bytes.count / 4 - 1)) * 4
            switch rng.int(0...6) {
            case 0, 1:
                bytes[rng.int(0...(bytes.count - 1))] ^= UInt8(1) << UInt8(rng.int(0...7))
            case 2:
                var value = rng.chance(1, in: 3) ? UInt32(truncatingIfNeeded: bytes.count + rng.int(-8...8))
                    : interesting[rng.int(0...(interesting.count - 1))]
                if rng.chance(1, in: 2) { value = value.byteSwapped }
                for k in 0..<4 { bytes[aligned + k] = UInt8(truncatingIfNeeded: value >> (24 - 8 * UInt32(k))) }
            case 3:
                let value = UInt16(interesting[rng.int(0...(interesting.count - 1))] & 0xFFFF)
                let at = aligned + 2 * rng.int(0...1)
                bytes[at] = UInt8(value >> 8)
                bytes[at + 1] = UInt8(value & 0xFF)
            case 4:
                bytes.removeLast(rng.int(1...min(64, bytes.count)))
            case 5:
                let start = rng.int(0...(bytes.count - 1))
                let slice = bytes[start..<min(bytes.count, start + rng.int(1...64))]
                bytes.insert(contentsOf: slice, at: rng.int(0...bytes.count))
            default:
                let start = rng.int(0...(bytes.count - 1))
                bytes.removeSubrange(start..<min(bytes.count, start + rng.int(1...16)))
            }
        }
    }

    /// What records hold on the heap and inline, overestimated: the record itself, the packet
    /// array's header and octets, and each comment's string (16 octets, or its UTF-8 when longer).
    static func retainedBytes(_ records: [CaptureRecord]) -> Int {
        records.reduce(0) { total, record in
            total + MemoryLayout<CaptureRecord>.stride + 32 + record.packet.count
                + record.comments.reduce(32) { $0 + max(16, $1.utf8.count) }
        }
    }

    @Test func mutatedFilesNeverTrapAndStayBounded() {
        var rng = SplitMix64(seed: 0x0A0D_0D0A)
        var parsed = 0, thrown = 0, packets = 0
        var kinds: Set<WireError.Kind> = []
        var worstRatio = 0.0
        for round in 0..<10_000 {
            var bytes = round % 2 == 0 ? Self.writtenFile(&rng) : Self.builtFile(&rng)
            Self.mutate(&bytes, &rng)
            do throws(WireError) {
                var reader = try PcapngReader(bytes: bytes)
                var records: [CaptureRecord] = []
                while let record = try reader.next() {
                    records.append(record)
                    #expect(reader.interfaces.count * 20 <= bytes.count)
                }
                #expect(try CaptureReader.records(bytes) == records)
                let ratio = Double(Self.retainedBytes(records)) / Double(bytes.count)
                worstRatio = max(worstRatio, ratio)
                #expect(records.count * 16 <= bytes.count)
                #expect(ratio <= 8, "round \(round): \(Self.retainedBytes(records)) bytes kept from \(bytes.count)")
                parsed += 1
                packets += records.count
            } catch {
                kinds.insert(error.kind)
                #expect(error.offset >= 0 && error.offset <= bytes.count, "round \(round): \(error)")
                thrown += 1
            }
        }
        #expect(parsed > 1_000 && thrown > 3_000, "parsed \(parsed), thrown \(thrown)")
        #expect(packets > 1_000)
        #expect(kinds.count >= 8, "\(kinds)")
        print("PcapngFuzzTests: parsed \(parsed), thrown \(thrown), packets \(packets), kinds \(kinds.count),"
              + " worst retained/input \(worstRatio)")
    }
}
