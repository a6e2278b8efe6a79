/// Writes a classic libpcap file (https://wiki.wireshark.org/Development/LibpcapFileFormat):
/// magic 0xa1b2c3d4 (microsecond timestamps), version 2.4, in little-endian byte order.
///
/// IPv4 packets are wrapped in the link layer the file declares: nothing for RAW; an Ethernet II
/// header with zero MAC addresses and type 0x0800; or a Linux cooked (SLL) header as `tcpdump -i
/// any` writes for loopback (packet type 0 "to us", ARPHRD_LOOPBACK 772, no address, 0x0800).
public struct PcapWriter: Sendable {
    /// The file so far.
    public private(set) var bytes: [UInt8] = []
    public let linkType: PcapLinkType
    public let snapLength: UInt32

    /// Starts a file; only `.raw`, `.ethernet` and `.linuxSLL` are written (others are written as RAW).
    public init(linkType: PcapLinkType = .raw, snapLength: UInt32 = 65535) {
        self.linkType = [PcapLinkType.ethernet, .linuxSLL].contains(linkType) ? linkType : .raw
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
        var frame: [UInt8] = []
        switch linkType {
        case .ethernet:
            frame = Array(repeating: 0, count: 12) + [0x08, 0x00]
        case .linuxSLL:
            frame = [0, 0, 0x03, 0x04, 0, 0] + Array(repeating: 0, count: 8) + [0x08, 0x00]
        default:
            break
        }
        frame += packet
        let captured = min(frame.count, Int(snapLength))
        bytes.appendU32LE(UInt32(truncatingIfNeeded: timestampNanoseconds / 1_000_000_000))
        bytes.appendU32LE(UInt32(truncatingIfNeeded: timestampNanoseconds % 1_000_000_000 / 1_000))
        bytes.appendU32LE(UInt32(truncatingIfNeeded: captured))
        bytes.appendU32LE(UInt32(truncatingIfNeeded: frame.count))
        bytes += frame.prefix(captured)
    }
}
