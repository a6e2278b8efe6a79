/// Writes a pcapng file (draft-ietf-opsawg-pcapng, "PCAP Now Generic") in little-endian byte order.
///
/// The file is one section: a Section Header Block (version 1.0, section length -1 for "not
/// given", `shb_userappl` "StackLab"), then one Interface Description Block per interface (its
/// link type and snap length, `if_name`, and `if_tsresol` 9 so that timestamps count nanoseconds),
/// then an Enhanced Packet Block per packet, with `opt_comment` for each comment and `epb_flags`
/// for a direction. IPv4 packets are wrapped in the interface's link layer as `PcapWriter` does.
public struct PcapngWriter: Sendable {
    /// The file so far.
    public private(set) var bytes: [UInt8] = []
    /// The interfaces, in the order of their IDBs; a link type the writer cannot produce is RAW.
    public let interfaces: [PcapngInterface]
    /// The `shb_userappl` of every file.
    public static let application = "StackLab"

    /// Starts a file with the section header and one IDB per interface.
    public init(interfaces: [PcapngInterface] = [PcapngInterface(name: "stacklab")]) {
        self.interfaces = interfaces.map { interface in
            var writable = interface
            writable.linkType = interface.linkType.writableOrRaw
            return writable
        }
        // §4.1: byte-order magic, major 1, minor 0, section length -1.
        var header: [UInt8] = []
        header.appendU32LE(0x1A2B_3C4D)
        header.appendU16LE(1)
        header.appendU16LE(0)
        header.appendU32LE(0xFFFF_FFFF)
        header.appendU32LE(0xFFFF_FFFF)
        header += Self.options([(PcapngOptionCode.userApplication, Array(Self.application.utf8))])
        appendBlock(.sectionHeader, body: header)
        for interface in self.interfaces {
            // §4.2: LinkType, reserved, SnapLen.
            var description: [UInt8] = []
            description.appendU16LE(UInt16(truncatingIfNeeded: interface.linkType.rawValue))
            description.appendU16LE(0)
            description.appendU32LE(interface.snapLength)
            var options: [(UInt16, [UInt8])] = []
            if let name = interface.name { options.append((PcapngOptionCode.interfaceName, Self.optionValue(name))) }
            options.append((PcapngOptionCode.timestampResolution, [9]))
            description += Self.options(options)
            appendBlock(.interfaceDescription, body: description)
        }
    }

    /// Appends one IPv4 packet seen on interface number `interface` at `timestampNanoseconds`, as an
    /// Enhanced Packet Block (§4.3). A frame longer than the interface's snap length (when not 0) is
    /// cut, with its original length recorded. A comment longer than 65,535 octets of UTF-8 is cut there.
    ///
    /// - Precondition: `interface` indexes `interfaces`; a packet on an undeclared interface would
    ///   make a file that no reader accepts.
    public mutating func append(packet: [UInt8], timestampNanoseconds: UInt64, interface: Int = 0,
                                comments: [String] = [], direction: PacketDirection? = nil) {
        precondition(interfaces.indices.contains(interface),
                     "PcapngWriter: interface \(interface) is not one of the \(interfaces.count) declared")
        let description = interfaces[interface]
        let frame = description.linkType.frame(wrapping: packet)
        let snap = description.snapLength
        let captured = snap == 0 ? frame.count : min(frame.count, Int(snap))
        var body: [UInt8] = []
        body.appendU32LE(UInt32(interface))
        body.appendU32LE(UInt32(truncatingIfNeeded: timestampNanoseconds >> 32))
        body.appendU32LE(UInt32(truncatingIfNeeded: timestampNanoseconds))
        body.appendU32LE(UInt32(truncatingIfNeeded: captured))
        body.appendU32LE(UInt32(truncatingIfNeeded: frame.count))
        body += frame.prefix(captured)
        body += Self.padding(captured)
        var options = comments.map { (PcapngOptionCode.comment, Self.optionValue($0)) }
        if let direction {
            var flags: [UInt8] = []
            flags.appendU32LE(direction.flagBits)
            options.append((PcapngOptionCode.packetFlags, flags))
        }
        if !options.isEmpty { body += Self.options(options) }
        appendBlock(.enhancedPacket, body: body)
    }

    /// Block type, Block Total Length, body, Block Total Length again (§3.1).
    private mutating func appendBlock(_ type: PcapngBlockType, body: [UInt8]) {
        let total = UInt32(truncatingIfNeeded: 12 + body.count)
        bytes.appendU32LE(type.rawValue)
        bytes.appendU32LE(total)
        bytes += body
        bytes.appendU32LE(total)
    }

    /// Options as code, length, value padded to 32 bits, ending with `opt_endofopt` (§3.5).
    private static func options(_ options: [(code: UInt16, value: [UInt8])]) -> [UInt8] {
        var bytes: [UInt8] = []
        for option in options {
            bytes.appendU16LE(option.code)
            bytes.appendU16LE(UInt16(truncatingIfNeeded: option.value.count))
            bytes += option.value
            bytes += padding(option.value.count)
        }
        bytes.appendU16LE(PcapngOptionCode.endOfOptions)
        bytes.appendU16LE(0)
        return bytes
    }

    /// A string option's UTF-8, cut to at most 65,535 octets between scalars.
    private static func optionValue(_ text: String) -> [UInt8] {
        var utf8 = Array(text.utf8)
        guard utf8.count > 0xFFFF else { return utf8 }
        var end = 0xFFFF
        // Step back over continuation octets (10xxxxxx) so no scalar is split.
        while end > 0, utf8[end] & 0xC0 == 0x80 { end -= 1 }
        utf8.removeSubrange(end...)
        return utf8
    }

    /// The zero octets that pad `count` octets to a multiple of 4.
    private static func padding(_ count: Int) -> [UInt8] { Array(repeating: 0, count: (4 - count % 4) % 4) }
}
