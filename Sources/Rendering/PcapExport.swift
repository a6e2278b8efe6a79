import Tracing
import Wire

/// A trace's sent packets as a classic libpcap file.
public enum PcapExport {
    /// Every `packetSent` in order, LINKTYPE_RAW, timestamps from virtual time (microseconds).
    /// The packets are the trace's bytes, which carry valid checksums for a simulated run.
    public static func pcap(of trace: Trace) -> [UInt8] {
        var writer = PcapWriter(linkType: .raw)
        for event in trace.events {
            guard case .packetSent(let bytes, _) = event.kind else { continue }
            writer.append(packet: bytes, timestampNanoseconds: UInt64(max(0, event.time)))
        }
        return writer.bytes
    }
}
