/// Writes a classic libpcap file (https://wiki.wireshark.org/Development/LibpcapFileFormat):
/// magic 0xa1b2c3d4 (microsecond timestamps), version 2.4, in little-endian byte order.
///
/// IPv4 packets are wrapped in the link layer the file declares (see `PcapLinkType.frame(wrapping:)`):
/// nothing for RAW, an Ethernet II header, or a Linux cooked (SLL) header.
public struct PcapWriter: Sendable {
    /// The file so far.
    public private(set) var bytes: [UInt8] = []
    public let linkType: PcapLinkType
    public let snapLength: UInt32

    /// Starts a file; only `.raw`, `.ethernet` and `.linuxSLL` are written (others are written as RAW).
    public init(linkType: PcapLinkType = .raw, snapLength: UInt32 = 65535) {
        self.linkType = linkType.writableOrRaw
        self.snapLength = snapLength
        bytes.appendU32LE(0xa1b2_c3d4)
        bytes.appendU16LE(2)
        bytes.appendU16LE(4)
        bytes.appendU32LE(0)  // thiszone: GMT
        bytes.appendU32LE(0)  // sigfigs
        bytes.appendU32LE(snapLength)
        bytes.appendU32LE(self.linkType.rawValue)
    }

    /// Appends one IPv4 packet captured at `timestampNanoseconds` (rounded down to a microsecond).
    /// A frame longer than the snap length is cut, with its original length recorded.
    public mutating func append(packet: [UInt8], timestampNanoseconds: UInt64) {
        let frame = linkType.frame(wrapping: packet)
        let captured = min(frame.count, Int(snapLength))
        bytes.appendU32LE(UInt32(truncatingIfNeeded: timestampNanoseconds / 1_000_000_000))
        bytes.appendU32LE(UInt32(truncatingIfNeeded: timestampNanoseconds % 1_000_000_000 / 1_000))
        bytes.appendU32LE(UInt32(truncatingIfNeeded: captured))
        bytes.appendU32LE(UInt32(truncatingIfNeeded: frame.count))
        bytes += frame.prefix(captured)
    }
}
