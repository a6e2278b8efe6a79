/// Reads a pcapng file (draft-ietf-opsawg-pcapng, "PCAP Now Generic") and yields the IPv4 packets
/// in it, with their interface, link type, comments and direction.
///
/// Every section is read in its own byte order (§4.1). Enhanced Packet Blocks (§4.3) and Simple
/// Packet Blocks (§4.4) yield packets; Interface Description Blocks (§4.2) give each interface its
/// link type, snap length, name and timestamp units (`if_tsresol`, powers of 10 or of 2, and
/// `if_tsoffset`). Name Resolution, Interface Statistics and Decryption Secrets Blocks, and block
/// types StackLab does not know, are skipped and counted in `skippedBlocks` once their lengths check.
/// Packets that are not IPv4, or whose interface has a link type other than RAW, ETHERNET,
/// LINUX_SLL or LINUX_SLL2, are skipped and counted in `skippedRecords`: unlike a classic pcap
/// file, a pcapng file may mix interfaces of several link types, and one foreign interface should
/// not hide the others.
///
/// Every length is checked before use: a Block Total Length must be a multiple of 4, at least the
/// block type's fixed fields, at most 16 MiB, inside the file and equal to its trailing copy; a
/// packet must fit inside its block and be at most 256 KiB; every option must fit inside its block.
/// Nothing is allocated that the input does not hold, so memory stays proportional to the input.
/// How many packets to read is the caller's limit.
public struct PcapngReader: Sendable {
    /// Blocks longer than this are refused.
    public static let maximumBlockLength = 16 * 1024 * 1024
    /// Packets longer than this are refused, as in classic pcap files.
    public static let maximumPacketLength = PcapReader.maximumRecordLength

    /// The index of the current section, counting from 0.
    public private(set) var section = 0
    /// Whether the current section is big-endian.
    public private(set) var bigEndian = false
    /// The current section's interfaces read so far, in the order of their Interface Description Blocks.
    public private(set) var interfaces: [PcapngInterface] = []
    /// How many packets were skipped because they did not hold IPv4.
    public private(set) var skippedRecords = 0
    /// How many blocks were skipped because they carry no packets (NRB, ISB, DSB, unknown types).
    public private(set) var skippedBlocks = 0

    private let bytes: [UInt8]
    private var position = 0
    private var timeBases: [PcapngTimeBase] = []

    /// One block whose lengths have been checked: `length` octets from `start` are in the input.
    private struct Block {
        var start: Int
        var type: PcapngBlockType
        var length: Int
        /// Where the options area ends: before the trailing Block Total Length.
        var end: Int { start + length - 4 }
    }

    /// One option inside a block: its code and the range of its value, without padding.
    private struct Option {
        var start: Int
        var code: UInt16
        var value: Range<Int>
    }

    /// Reads the first Section Header Block. Errors: a file that does not start with one
    /// (`.badMagic` in `pcapng.SHB.block_type`), an unknown byte-order magic (`.badMagic`), a major
    /// version other than 1 (`.badVersion`), and the length errors of any block.
    public init(bytes: [UInt8]) throws(WireError) {
        self.bytes = bytes
        let b = bytes[...]
        if b.count >= 4, b.u32(0) != PcapngBlockType.sectionHeader.rawValue {
            throw WireError(.badMagic, field: "pcapng.SHB.block_type", offset: 0,
                            detail: "0x\(hex32(b.u32(0))) is not a Section Header Block (0x0a0d0d0a)")
        }
        let block = try nextBlock()
        try readSectionHeader(block)
    }

    /// The next IPv4 packet, or nil at the end of the file.
    ///
    /// Errors: a block cut short (`.truncated` at the end of the input); a Block Total Length that is
    /// not a multiple of 4 (`.invalidValue`), below the type's fixed fields (`.badHeaderLength`), over
    /// 16 MiB (`.recordTooLarge`) or unlike its trailing copy (`.lengthMismatch`); a packet that does
    /// not fit in its block (`.lengthMismatch`) or is over 256 KiB (`.recordTooLarge`); a packet on an
    /// interface the section did not describe (`.invalidValue`); an option that runs past its block
    /// (`.optionOverrun`) or has the wrong length for its code (`.badOptionLength`).
    public mutating func next() throws(WireError) -> CaptureRecord? {
        while position < bytes.count {
            let block = try nextBlock()
            switch block.type {
            case .sectionHeader:
                try readSectionHeader(block)
                section += 1
            case .interfaceDescription:
                try readInterfaceDescription(block)
            case .enhancedPacket:
                if let record = try readEnhancedPacket(block) { return record }
            case .simplePacket:
                if let record = try readSimplePacket(block) { return record }
            default:
                skippedBlocks += 1
            }
        }
        return nil
    }

    /// Every IPv4 packet in a file.
    public static func records(_ bytes: [UInt8]) throws(WireError) -> [CaptureRecord] {
        var reader = try PcapngReader(bytes: bytes)
        var records: [CaptureRecord] = []
        while let record = try reader.next() { records.append(record) }
        return records
    }

    // MARK: Blocks

    /// Checks the general block structure at `position` (§3.1) and moves past the block. A Section
    /// Header Block first sets the byte order from its byte-order magic (§4.1).
    private mutating func nextBlock() throws(WireError) -> Block {
        let b = bytes[...]
        let start = position
        let remaining = b.count - start
        let type = remaining >= 4 ? PcapngBlockType(rawValue: u32(start)) : nil
        let name = type?.name ?? "block"
        let isSection = type == .sectionHeader
        let headerLength = isSection ? 12 : 8
        guard let type, remaining >= headerLength else {
            throw .truncated("pcapng.\(name).header", at: b.count, needed: headerLength, available: remaining)
        }
        if isSection {
            switch b.u32(start + 8) {
            case 0x1A2B_3C4D: bigEndian = true
            case 0x4D3C_2B1A: bigEndian = false
            case let magic:
                throw WireError(.badMagic, field: "pcapng.SHB.byte_order_magic", offset: start + 8,
                                detail: "0x\(hex32(magic)) is neither 0x1a2b3c4d nor its byte swap")
            }
        }
        let total = u32(start + 4)
        let field = "pcapng.\(name).block_total_length"
        guard total % 4 == 0 else {
            throw WireError(.invalidValue, field: field, offset: start + 4, detail: "\(total) is not a multiple of 4")
        }
        guard Int(total) >= type.minimumLength else {
            throw WireError(.badHeaderLength, field: field, offset: start + 4,
                            detail: "\(total) bytes is below the minimum of \(type.minimumLength) for this block type")
        }
        guard Int(total) <= Self.maximumBlockLength else {
            throw WireError(.recordTooLarge, field: field, offset: start + 4, detail: "\(total) bytes exceeds 16 MiB")
        }
        let length = Int(total)
        guard length <= remaining else {
            throw .truncated("pcapng.\(name).body", at: b.count, needed: length, available: remaining)
        }
        let trailing = u32(start + length - 4)
        guard trailing == total else {
            throw WireError(.lengthMismatch, field: field, offset: start + length - 4,
                            detail: "the trailing copy says \(trailing) bytes, the leading one \(total)")
        }
        position = start + length
        return Block(start: start, type: type, length: length)
    }

    /// A Section Header Block (§4.1): version 1.x; a new section forgets the previous interfaces.
    /// The section length is not used: blocks are walked one by one.
    private mutating func readSectionHeader(_ block: Block) throws(WireError) {
        let s = block.start
        let major = u16(s + 12)
        let minor = u16(s + 14)
        guard major == 1 else {
            throw WireError(.badVersion, field: "pcapng.SHB.major_version", offset: s + 12,
                            detail: "version \(major).\(minor) is not 1.x")
        }
        try forEachOption(of: block, from: s + 24) { _ throws(WireError) in }
        interfaces = []
        timeBases = []
    }

    /// An Interface Description Block (§4.2): link type, snap length, `if_name`, `if_tsresol`,
    /// `if_tsoffset`.
    private mutating func readInterfaceDescription(_ block: Block) throws(WireError) {
        let s = block.start
        var interface = PcapngInterface(linkType: PcapLinkType(rawValue: UInt32(u16(s + 8))), snapLength: u32(s + 12))
        var timeBase = PcapngTimeBase()
        try forEachOption(of: block, from: s + 16) { option throws(WireError) in
            switch option.code {
            case PcapngOptionCode.interfaceName:
                interface.name = text(option)
            case PcapngOptionCode.timestampResolution:
                try expectLength(1, of: option, field: "pcapng.IDB.if_tsresol")
                timeBase.resolution = bytes[option.value.lowerBound]
            case PcapngOptionCode.timestampOffset:
                try expectLength(8, of: option, field: "pcapng.IDB.if_tsoffset")
                timeBase.offsetSeconds = Int64(bitPattern: u64(option.value.lowerBound))
            default:
                break
            }
        }
        interfaces.append(interface)
        timeBases.append(timeBase)
    }

    /// An Enhanced Packet Block (§4.3): interface, timestamp (high word first), captured and original
    /// length, packet data padded to 32 bits, then options (`opt_comment`, `epb_flags`).
    private mutating func readEnhancedPacket(_ block: Block) throws(WireError) -> CaptureRecord? {
        let s = block.start
        let captured = Int(u32(s + 20))
        guard captured <= Self.maximumPacketLength else {
            throw WireError(.recordTooLarge, field: "pcapng.EPB.captured_length", offset: s + 20,
                            detail: "\(captured) bytes exceeds 256 KiB")
        }
        let padded = (captured + 3) & ~3
        let room = block.length - PcapngBlockType.enhancedPacket.minimumLength
        guard padded <= room else {
            throw WireError(.lengthMismatch, field: "pcapng.EPB.captured_length", offset: s + 20,
                            detail: "\(captured) bytes (\(padded) padded) do not fit in the block's \(room)")
        }
        let id = Int(u32(s + 8))
        guard id < interfaces.count else {
            throw WireError(.invalidValue, field: "pcapng.EPB.interface_id", offset: s + 8,
                            detail: "interface \(id) is not described; the section has \(interfaces.count)")
        }
        var comments: [String] = []
        var direction: PacketDirection? = nil
        try forEachOption(of: block, from: s + 28 + padded) { option throws(WireError) in
            switch option.code {
            case PcapngOptionCode.comment:
                comments.append(text(option))
            case PcapngOptionCode.packetFlags:
                try expectLength(4, of: option, field: "pcapng.EPB.epb_flags")
                direction = PacketDirection(flags: u32(option.value.lowerBound))
            default:
                break
            }
        }
        let units = UInt64(u32(s + 12)) << 32 | UInt64(u32(s + 16))
        return try record(block, frame: bytes[(s + 28)..<(s + 28 + captured)], originalLength: Int(u32(s + 24)),
                          interface: id, timestampNanoseconds: timeBases[id].nanoseconds(units),
                          comments: comments, direction: direction)
    }

    /// A Simple Packet Block (§4.4): interface 0, no timestamp, the original length; the captured
    /// length is the original one cut at interface 0's snap length, and must fit in the block.
    private mutating func readSimplePacket(_ block: Block) throws(WireError) -> CaptureRecord? {
        let s = block.start
        guard let interface = interfaces.first else {
            throw WireError(.invalidValue, field: "pcapng.SPB.block_type", offset: s,
                            detail: "a Simple Packet Block belongs to interface 0, and the section describes none")
        }
        let original = Int(u32(s + 8))
        let snap = Int(interface.snapLength)
        let captured = snap == 0 ? original : min(original, snap)
        guard captured <= Self.maximumPacketLength else {
            throw WireError(.recordTooLarge, field: "pcapng.SPB.original_length", offset: s + 8,
                            detail: "\(captured) captured bytes exceeds 256 KiB")
        }
        let padded = (captured + 3) & ~3
        let room = block.length - PcapngBlockType.simplePacket.minimumLength
        guard padded <= room else {
            throw WireError(.lengthMismatch, field: "pcapng.SPB.original_length", offset: s + 8,
                            detail: "\(captured) captured bytes (\(padded) padded) do not fit in the block's \(room)")
        }
        return try record(block, frame: bytes[(s + 12)..<(s + 12 + captured)], originalLength: original,
                          interface: 0, timestampNanoseconds: 0, comments: [], direction: nil)
    }

    /// The packet inside a frame of interface `interface`, or nil (counted) when it is not IPv4.
    private mutating func record(
        _ block: Block, frame: ArraySlice<UInt8>, originalLength: Int, interface: Int,
        timestampNanoseconds: UInt64, comments: [String], direction: PacketDirection?
    ) throws(WireError) -> CaptureRecord? {
        let linkType = interfaces[interface].linkType
        let field = "pcapng.\(block.type.name).packet_data"
        guard let packet = try linkType.ipv4Packet(in: frame, field: field) else {
            skippedRecords += 1
            return nil
        }
        return CaptureRecord(timestampNanoseconds: timestampNanoseconds, packet: Array(packet),
                             originalLength: max(0, originalLength - (linkType.headerLength ?? 0)),
                             linkType: linkType, interface: interface, section: section,
                             comments: comments, direction: direction)
    }

    // MARK: Options

    /// Calls `body` with each option from `start` to the end of `block`, up to `opt_endofopt` or the
    /// end (§3.5): each a code, a length, and a value padded to 32 bits that must fit inside the block.
    /// Nothing is collected, so a block of many tiny options costs no memory.
    private func forEachOption(
        of block: Block, from start: Int, _ body: (Option) throws(WireError) -> Void
    ) throws(WireError) {
        var p = start
        var index = 0
        let name = block.type.name
        while p < block.end {
            // Blocks and values are padded to 32 bits, so this holds; it keeps every read in the block.
            guard block.end - p >= 4 else {
                throw WireError(.optionOverrun, field: "pcapng.\(name).option[\(index)]", offset: p,
                                detail: "\(block.end - p) bytes are left in the block, an option header needs 4")
            }
            let code = u16(p)
            if code == PcapngOptionCode.endOfOptions { return }
            let length = Int(u16(p + 2))
            let padded = (length + 3) & ~3
            guard padded <= block.end - p - 4 else {
                throw WireError(.optionOverrun, field: "pcapng.\(name).option[\(index)].length", offset: p + 2,
                                detail: "\(length) bytes run past the block's \(block.end - p - 4) left")
            }
            try body(Option(start: p, code: code, value: (p + 4)..<(p + 4 + length)))
            p += 4 + padded
            index += 1
        }
    }

    private func expectLength(_ length: Int, of option: Option, field: String) throws(WireError) {
        guard option.value.count == length else {
            throw WireError(.badOptionLength, field: field, offset: option.start + 2,
                            detail: "\(option.value.count) bytes, but the option has \(length)")
        }
    }

    /// A string option's value, as UTF-8; invalid sequences become U+FFFD.
    private func text(_ option: Option) -> String { String(decoding: bytes[option.value], as: UTF8.self) }

    // MARK: Integers in the section's byte order

    private func u16(_ i: Int) -> UInt16 {
        let value = bytes[...].u16(i)
        return bigEndian ? value : value.byteSwapped
    }

    private func u32(_ i: Int) -> UInt32 { bytes[...].u32(i, bigEndian: bigEndian) }

    private func u64(_ i: Int) -> UInt64 {
        let first = UInt64(bytes[...].u32(i)) << 32 | UInt64(bytes[...].u32(i + 4))
        return bigEndian ? first : first.byteSwapped
    }
}
