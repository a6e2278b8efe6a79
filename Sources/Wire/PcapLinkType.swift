/// A pcap link-layer header type (https://www.tcpdump.org/linktypes.html).
public struct PcapLinkType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// LINKTYPE_ETHERNET: a 14-octet Ethernet II header before the packet.
    public static let ethernet = PcapLinkType(rawValue: 1)
    /// LINKTYPE_RAW: the packet starts with the IP header.
    public static let raw = PcapLinkType(rawValue: 101)
    /// LINKTYPE_LINUX_SLL: Linux "cooked" capture v1, a 16-octet header.
    public static let linuxSLL = PcapLinkType(rawValue: 113)
    /// LINKTYPE_LINUX_SLL2: Linux "cooked" capture v2, a 20-octet header.
    public static let linuxSLL2 = PcapLinkType(rawValue: 276)

    /// Octets of link-layer header before the IP packet, or nil for a type StackLab does not read.
    /// DLT values 12 and 14 are historical spellings of raw IP on some BSDs.
    public var headerLength: Int? {
        switch rawValue {
        case 101, 12, 14: 0
        case 1: 14
        case 113: 16
        case 276: 20
        default: nil
        }
    }

    public var description: String {
        switch rawValue {
        case 1: "ETHERNET"
        case 101, 12, 14: "RAW"
        case 113: "LINUX_SLL"
        case 276: "LINUX_SLL2"
        default: "link type \(rawValue)"
        }
    }
}

/// One captured IPv4 packet.
public struct PcapRecord: Hashable, Sendable {
    /// Capture time in nanoseconds since the Unix epoch.
    public var timestampNanoseconds: UInt64
    /// The IPv4 packet, link-layer header removed; shorter than the original when the capture
    /// was cut at the snap length.
    public var packet: [UInt8]
    /// The packet's length on the wire, link-layer header removed.
    public var originalLength: Int

    public init(timestampNanoseconds: UInt64, packet: [UInt8], originalLength: Int? = nil) {
        self.timestampNanoseconds = timestampNanoseconds
        self.packet = packet
        self.originalLength = originalLength ?? packet.count
    }
}
