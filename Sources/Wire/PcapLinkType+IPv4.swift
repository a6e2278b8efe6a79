/// How IPv4 packets sit inside the link layers StackLab reads and writes: one place for both file
/// formats, so classic pcap and pcapng unwrap and wrap frames the same way.
extension PcapLinkType {
    /// The link types the writers wrap packets in; any other is written as RAW.
    static let writable: [PcapLinkType] = [.raw, .ethernet, .linuxSLL]

    /// This link type if a writer can produce it, otherwise RAW.
    var writableOrRaw: PcapLinkType { Self.writable.contains(self) ? self : .raw }

    /// The IPv4 packet inside a captured `frame`, or nil when the frame holds something else (another
    /// EtherType or protocol, an IP version other than 4, or a link type StackLab does not read).
    ///
    /// The EtherType sits at octet 12 of an Ethernet II header, at octet 14 of a LINUX_SLL header
    /// and at octet 0 of a LINUX_SLL2 header. Errors: a frame shorter than its link-layer header
    /// (`.truncated`, at the frame's end, named `field`).
    func ipv4Packet(in frame: ArraySlice<UInt8>, field: String) throws(WireError) -> ArraySlice<UInt8>? {
        guard let headerLength else { return nil }
        guard frame.count >= headerLength else {
            throw .truncated(field, at: frame.endIndex, needed: headerLength, available: frame.count)
        }
        let s = frame.startIndex
        let etherType: UInt16? = switch headerLength {
        case 14: frame.u16(s + 12)
        case 16: frame.u16(s + 14)
        case 20: frame.u16(s)
        default: nil
        }
        if let etherType, etherType != 0x0800 { return nil }
        let ip = s + headerLength
        guard ip < frame.endIndex, frame[ip] >> 4 == 4 else { return nil }
        return frame[ip...]
    }

    /// `packet` wrapped in this link type's header: nothing for RAW; an Ethernet II header with zero
    /// MAC addresses and type 0x0800; or a Linux cooked (SLL) header as `tcpdump -i any` writes for
    /// loopback (packet type 0 "to us", ARPHRD_LOOPBACK 772, no address, 0x0800). Other types as RAW.
    func frame(wrapping packet: [UInt8]) -> [UInt8] {
        var frame: [UInt8] = []
        switch self {
        case .ethernet:
            frame = Array(repeating: 0, count: 12) + [0x08, 0x00]
        case .linuxSLL:
            frame = [0, 0, 0x03, 0x04, 0, 0] + Array(repeating: 0, count: 8) + [0x08, 0x00]
        default:
            break
        }
        frame += packet
        return frame
    }
}
