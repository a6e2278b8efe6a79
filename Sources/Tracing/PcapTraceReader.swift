import Wire

/// Turns a capture (classic pcap or pcapng) into a `Trace`, so a real capture is drawn like a simulated run.
///
/// Each IPv4 record becomes a `packetSent` event at its timestamp relative to the first record,
/// from the host of its source address. Hosts are the addresses seen, in order of first
/// appearance, named by their dotted quad. Packets are parsed with checksums unverified, because
/// Linux loopback captures carry partial TCP checksums (offloading). With `limit`, only the
/// first `limit` TCP connections (by address and port pair) are kept; other TCP packets are
/// skipped, and so are packets that do not decode as IPv4. UDP and ICMP packets are kept.
public enum PcapTraceReader {
    /// The profile a trace read from a capture says it has.
    public static let profile = TraceSource.captureProfile

    /// Reads `bytes` (a whole pcap file). Errors carry the byte offset in the file.
    public static func trace(fromPcap bytes: [UInt8], name: String, limit: Int? = nil) throws(WireError) -> Trace {
        try read(bytes, name: name, limit: limit).trace
    }

    /// A capture read with a limit: the trace, and how many TCP connections the capture holds
    /// and how many of them the trace kept.
    public struct Reading: Sendable {
        public var trace: Trace
        public var connections: Int
        public var connectionsKept: Int
    }

    /// Reads `bytes` keeping the first `limit` TCP connections, and says how many were left out.
    /// Timestamps that go backwards are read as no time passing (the trace's clock never goes
    /// back), so everything downstream sees times in order.
    public static func read(_ bytes: [UInt8], name: String, limit: Int? = nil) throws(WireError) -> Reading {
        var reader = try CaptureReader(bytes: bytes)
        var hosts: [TraceHost] = []
        var known: Set<IPv4Address> = []
        var events: [TraceEvent] = []
        var kept: Set<ConnectionKey> = []
        var skipped: Set<ConnectionKey> = []
        var first: UInt64? = nil
        var latest: Int64 = 0
        while let record = try reader.next() {
            guard let packet = try? IPv4Packet.parse(record.packet, verifyChecksums: false) else { continue }
            if case .tcp(let segment) = packet.payload {
                let key = ConnectionKey(packet.header.source, segment.header.sourcePort,
                                        packet.header.destination, segment.header.destinationPort)
                if !kept.contains(key) {
                    guard kept.count < (limit ?? .max) else {
                        skipped.insert(key)
                        continue
                    }
                    kept.insert(key)
                }
            }
            for address in [packet.header.source, packet.header.destination] where !known.contains(address) {
                known.insert(address)
                hosts.append(TraceHost(name: address.description, address: address))
            }
            let start = first ?? record.timestampNanoseconds
            first = start
            let later = record.timestampNanoseconds >= start
            let time = max(latest, later ? Int64(clamping: record.timestampNanoseconds - start) : 0)
            latest = time
            events.append(TraceEvent(time: time, node: packet.header.source.description,
                                     kind: .packetSent(bytes: Array(record.packet.prefix(Int(packet.header.totalLength))), cause: .original)))
        }
        let header = TraceHeader(scenario: SafeText.escaped(name), seed: 0, profile: profile, hosts: hosts,
                                 link: LinkSpec(rtt: 0))
        return Reading(trace: Trace(header: header, events: events), connections: kept.count + skipped.count,
                       connectionsKept: kept.count)
    }

    /// A TCP connection regardless of direction.
    private struct ConnectionKey: Hashable {
        var low: UInt64
        var high: UInt64

        init(_ a: IPv4Address, _ ap: UInt16, _ b: IPv4Address, _ bp: UInt16) {
            let x = UInt64(a.rawValue) << 16 | UInt64(ap)
            let y = UInt64(b.rawValue) << 16 | UInt64(bp)
            (low, high) = x < y ? (x, y) : (y, x)
        }
    }
}
