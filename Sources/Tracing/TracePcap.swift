import Wire

/// A trace as a classic libpcap file (LINKTYPE_RAW), with timestamps from virtual time.
///
/// Exactly the `packet_sent` events are exported: every packet a host put on its wire appears
/// once, in the order it was sent, including frames the link then lost (they were on the sender's
/// wire) and excluding receptions, link drops and duplicates, which are copies of a sent packet.
/// The pcap clock starts at the Unix epoch: a packet sent at 10 ms shows as 00:00:00.010.
public enum TracePcap {
    /// The packets that `bytes(of:)` exports, with their times in nanoseconds.
    public static func packets(of trace: Trace) -> [(time: Int64, bytes: [UInt8])] {
        trace.events.compactMap { event in
            if case .packetSent(let bytes, _) = event.kind { return (event.time, bytes) }
            return nil
        }
    }

    /// The pcap file's bytes.
    public static func bytes(of trace: Trace) -> [UInt8] {
        var writer = PcapWriter(linkType: .raw)
        for packet in packets(of: trace) {
            writer.append(packet: packet.bytes, timestampNanoseconds: UInt64(max(0, packet.time)))
        }
        return writer.bytes
    }
}
