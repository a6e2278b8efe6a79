/// One captured IPv4 packet from a classic pcap or a pcapng file, as `CaptureReader` yields it.
///
/// A classic pcap file has one section and one interface, so `section` and `interface` are 0 there,
/// and it has no comments or directions. In pcapng, interface indices count the Interface
/// Description Blocks of the packet's section, starting at 0 (draft-ietf-opsawg-pcapng §4.2).
public struct CaptureRecord: Hashable, Sendable {
    /// Capture time in nanoseconds since the Unix epoch (0 for a pcapng Simple Packet Block,
    /// which carries no timestamp).
    public var timestampNanoseconds: UInt64
    /// The IPv4 packet, link-layer header removed; shorter than the original when the capture
    /// was cut at the snap length.
    public var packet: [UInt8]
    /// The packet's length on the wire, link-layer header removed.
    public var originalLength: Int
    /// The link-layer header type the packet was captured with.
    public var linkType: PcapLinkType
    /// The index of the capturing interface within its section.
    public var interface: Int
    /// The index of the file's section that holds the packet.
    public var section: Int
    /// The packet's comments (pcapng `opt_comment`), in file order.
    public var comments: [String]
    /// Whether the packet came in or went out, when the file says so (pcapng `epb_flags`).
    public var direction: PacketDirection?

    public init(timestampNanoseconds: UInt64, packet: [UInt8], originalLength: Int? = nil,
                linkType: PcapLinkType = .raw, interface: Int = 0, section: Int = 0,
                comments: [String] = [], direction: PacketDirection? = nil) {
        self.timestampNanoseconds = timestampNanoseconds
        self.packet = packet
        self.originalLength = originalLength ?? packet.count
        self.linkType = linkType
        self.interface = interface
        self.section = section
        self.comments = comments
        self.direction = direction
    }

    /// A classic pcap record, from a file of this link type.
    public init(_ record: PcapRecord, linkType: PcapLinkType) {
        self.init(timestampNanoseconds: record.timestampNanoseconds, packet: record.packet,
                  originalLength: record.originalLength, linkType: linkType)
    }
}
