/// Reads a classic libpcap file (https://wiki.wireshark.org/Development/LibpcapFileFormat) and
/// yields the IPv4 packets in it.
///
/// Both byte orders and both timestamp resolutions are read (magic 0xa1b2c3d4 for microseconds,
/// 0xa1b23c4d for nanoseconds). Link types: RAW (101, and the historical 12 and 14), ETHERNET (1),
/// LINUX_SLL (113) and LINUX_SLL2 (276). Frames that are not IPv4 (another EtherType or protocol,
/// or an IP version other than 4) are skipped and counted in `skippedRecords`.
///
/// A record's length field is checked against the snap length, against 256 KiB and against the
/// bytes left in the file before anything is copied, so a hostile length cannot make it allocate.
public struct PcapReader: Sendable {
    /// Records longer than this are refused whatever the snap length says.
    public static let maximumRecordLength = 256 * 1024
    public static let globalHeaderLength = 24
    public static let recordHeaderLength = 16

    public let linkType: PcapLinkType
    public let snapLength: UInt32
    public let nanosecondResolution: Bool
    public let bigEndian: Bool
    public let versionMajor: UInt16
    public let versionMinor: UInt16
    /// How many records were skipped because they did not hold IPv4.
    public private(set) var skippedRecords = 0

    private let bytes: [UInt8]
    private let linkHeaderLength: Int
    private var position = PcapReader.globalHeaderLength
    private var recordIndex = 0

    /// Reads the global header. Errors: fewer than 24 octets (`.truncated`), an unknown magic
    /// (`.badMagic`), a major version other than 2 (`.badVersion`), an unsupported link type.
    public init(bytes: [UInt8]) throws(WireError) {
        let b = bytes[...]
        guard b.count >= Self.globalHeaderLength else {
            throw .truncated("pcap.globalHeader", at: b.count, needed: Self.globalHeaderLength, available: b.count)
        }
        let magic = b.u32(0)
        switch magic {
        case 0xa1b2_c3d4: (bigEndian, nanosecondResolution) = (true, false)
        case 0xd4c3_b2a1: (bigEndian, nanosecondResolution) = (false, false)
        case 0xa1b2_3c4d: (bigEndian, nanosecondResolution) = (true, true)
        case 0x4d3c_b2a1: (bigEndian, nanosecondResolution) = (false, true)
        default:
            throw WireError(.badMagic, field: "pcap.magic", offset: 0,
                            detail: "0x\(hex16(UInt16(magic >> 16)))\(hex16(UInt16(magic & 0xFFFF)))"
                                + " is not a libpcap magic number")
        }
        let be = bigEndian
        func u16(_ i: Int) -> UInt16 { be ? b.u16(i) : b.u16(i).byteSwapped }
        versionMajor = u16(4)
        versionMinor = u16(6)
        guard versionMajor == 2 else {
            throw WireError(.badVersion, field: "pcap.versionMajor", offset: 4,
                            detail: "version \(versionMajor).\(versionMinor) is not 2.x")
        }
        snapLength = b.u32(16, bigEndian: be)
        // The low 16 bits are the link type; the upper bits may carry FCS information.
        linkType = PcapLinkType(rawValue: b.u32(20, bigEndian: be) & 0xFFFF)
        guard let headerLength = linkType.headerLength else {
            throw WireError(.unsupportedLinkType, field: "pcap.linkType", offset: 20,
                            detail: "\(linkType) is not RAW, ETHERNET, LINUX_SLL or LINUX_SLL2")
        }
        linkHeaderLength = headerLength
        self.bytes = bytes
    }

    /// The next IPv4 record, or nil at the end of the file.
    ///
    /// Errors: a record header or data cut short (`.truncated`); a captured length beyond the
    /// snap length or 256 KiB (`.recordTooLarge`); a frame shorter than its link-layer header (`.truncated`).
    public mutating func next() throws(WireError) -> PcapRecord? {
        let b = bytes[...]
        while position < b.count {
            let start = position
            let index = recordIndex
            let remaining = b.count - start
            guard remaining >= Self.recordHeaderLength else {
                throw .truncated("pcap.record[\(index)].header", at: b.count,
                                 needed: Self.recordHeaderLength, available: remaining)
            }
            let seconds = UInt64(b.u32(start, bigEndian: bigEndian))
            let fraction = UInt64(b.u32(start + 4, bigEndian: bigEndian))
            let included = b.u32(start + 8, bigEndian: bigEndian)
            let original = b.u32(start + 12, bigEndian: bigEndian)
            guard included <= snapLength, included <= Self.maximumRecordLength else {
                throw WireError(.recordTooLarge, field: "pcap.record[\(index)].includedLength", offset: start + 8,
                                detail: "\(included) bytes exceeds the snap length \(snapLength) or 256 KiB")
            }
            let dataStart = start + Self.recordHeaderLength
            let length = Int(included)
            guard length <= b.count - dataStart else {
                throw .truncated("pcap.record[\(index)].data", at: b.count,
                                 needed: length, available: b.count - dataStart)
            }
            position = dataStart + length
            recordIndex += 1
            let frame = b[dataStart..<(dataStart + length)]
            guard let packet = try linkType.ipv4Packet(in: frame, field: "pcap.record[\(index)].linkHeader") else {
                skippedRecords += 1
                continue
            }
            let nanoseconds = seconds &* 1_000_000_000 &+ (nanosecondResolution ? fraction : fraction &* 1_000)
            let originalIP = max(0, Int(original) - linkHeaderLength)
            return PcapRecord(timestampNanoseconds: nanoseconds, packet: Array(packet), originalLength: originalIP)
        }
        return nil
    }

    /// Every IPv4 record in a file.
    public static func records(_ bytes: [UInt8]) throws(WireError) -> [PcapRecord] {
        var reader = try PcapReader(bytes: bytes)
        var records: [PcapRecord] = []
        while let record = try reader.next() { records.append(record) }
        return records
    }
}
