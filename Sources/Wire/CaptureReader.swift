/// Reads a capture file in either format, classic pcap or pcapng, told apart by its first four
/// octets, and yields the same `CaptureRecord` for both.
///
/// The classic libpcap magic numbers are 0xa1b2c3d4 and 0xa1b23c4d in either byte order; a pcapng
/// file starts with a Section Header Block, type 0x0a0d0d0a (draft-ietf-opsawg-pcapng §4.1).
public struct CaptureReader: Sendable {
    /// The two file formats.
    public enum Format: String, Hashable, Sendable {
        /// Classic libpcap.
        case pcap
        /// pcapng (draft-ietf-opsawg-pcapng).
        case pcapng
    }

    private enum Source: Sendable {
        case pcap(PcapReader)
        case pcapng(PcapngReader)
    }

    private var source: Source

    /// Which format the file is in.
    public var format: Format {
        switch source {
        case .pcap: .pcap
        case .pcapng: .pcapng
        }
    }

    /// How many packets were skipped because they did not hold IPv4.
    public var skippedRecords: Int {
        switch source {
        case .pcap(let reader): reader.skippedRecords
        case .pcapng(let reader): reader.skippedRecords
        }
    }

    /// The format that the first four octets of `bytes` announce, or nil for neither.
    public static func format(of bytes: [UInt8]) -> Format? {
        guard bytes.count >= 4 else { return nil }
        switch bytes[...].u32(0) {
        case 0xa1b2_c3d4, 0xd4c3_b2a1, 0xa1b2_3c4d, 0x4d3c_b2a1: return .pcap
        case PcapngBlockType.sectionHeader.rawValue: return .pcapng
        default: return nil
        }
    }

    /// Reads the file's header. Errors: fewer than four octets (`.truncated`) or a magic number of
    /// neither format (`.badMagic`, in `capture.magic`), then those of `PcapReader` or `PcapngReader`.
    public init(bytes: [UInt8]) throws(WireError) {
        guard bytes.count >= 4 else {
            throw .truncated("capture.magic", at: bytes.count, needed: 4, available: bytes.count)
        }
        switch Self.format(of: bytes) {
        case .pcap: source = .pcap(try PcapReader(bytes: bytes))
        case .pcapng: source = .pcapng(try PcapngReader(bytes: bytes))
        case nil:
            throw WireError(.badMagic, field: "capture.magic", offset: 0,
                            detail: "0x\(hex32(bytes[...].u32(0))) starts neither a pcap nor a pcapng file")
        }
    }

    /// The next IPv4 packet, or nil at the end of the file.
    public mutating func next() throws(WireError) -> CaptureRecord? {
        switch source {
        case .pcap(var reader):
            let record = try reader.next()
            source = .pcap(reader)
            return record.map { CaptureRecord($0, linkType: reader.linkType) }
        case .pcapng(var reader):
            let record = try reader.next()
            source = .pcapng(reader)
            return record
        }
    }

    /// Every IPv4 packet in a file of either format.
    public static func records(_ bytes: [UInt8]) throws(WireError) -> [CaptureRecord] {
        var reader = try CaptureReader(bytes: bytes)
        var records: [CaptureRecord] = []
        while let record = try reader.next() { records.append(record) }
        return records
    }
}
