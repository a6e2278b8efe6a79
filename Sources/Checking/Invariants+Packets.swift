import Tracing
import Wire

extension Invariant {
    // MARK: - What single packets must be

    static let noDataAfterFIN = Invariant(
        name: "no-data-after-fin",
        statement: "Once a connection has sent its FIN, no segment carries data at or beyond the FIN's sequence number.",
        reference: "RFC 9293 §3.10.4 (CLOSE), §3.6",
        needs: [.sentPackets]
    ) { analysis, _ in
        var fin: [String: SequenceNumber] = [:]
        for entry in analysis.entries {
            guard case .sent(let segment, _) = entry.item else { continue }
            if segment.header.flags.contains(.syn) { fin[entry.connection] = nil }   // a new incarnation
            if let finSequence = fin[entry.connection], !segment.payload.isEmpty, finSequence < segment.dataEnd {
                return "\(timeText(entry.time)) \(entry.connection) sent data up to \(segment.dataEnd) after its FIN at \(finSequence)"
            }
            if segment.header.flags.contains(.fin), fin[entry.connection] == nil {
                fin[entry.connection] = segment.dataEnd
            }
        }
        return nil
    }

    static let checksumDrop = Invariant(
        name: "checksum-drop",
        statement: "Every packet an IP layer accepts has valid IPv4, TCP and UDP checksums: corrupted packets "
            + "are dropped, never delivered.",
        reference: "RFC 791 §3.1; RFC 9293 §3.1; RFC 768; RFC 1122 §4.1.3.4, §4.2.2.7",
        needs: [.receivedPackets, .checksums]
    ) { analysis, _ in
        for packet in analysis.receivedPackets {
            do {
                _ = try IPv4Packet.parse(packet.bytes, verifyChecksums: true)
            } catch {
                return "\(timeText(packet.time)) \(packet.node) accepted a packet that fails its checksum: \(error)"
            }
        }
        return nil
    }

    static let isnDistinct = Invariant(
        name: "isn-distinct",
        statement: "Every connection endpoint in a run picks its own initial sequence number: no two SYNs of "
            + "different endpoints carry the same ISN (a 32-bit random ISN repeats with probability ~2⁻³²).",
        reference: "RFC 9293 §3.4.1; RFC 6528",
        needs: [.sentPackets]
    ) { analysis, _ in
        var owner: [UInt32: String] = [:]
        for entry in analysis.entries {
            guard case .sent(let segment, _) = entry.item, segment.header.flags.contains(.syn) else { continue }
            let isn = segment.header.sequenceNumber.rawValue
            if let other = owner[isn], other != entry.connection {
                return "\(timeText(entry.time)) \(entry.connection) and \(other) both chose ISN \(isn)"
            }
            owner[isn] = entry.connection
        }
        return nil
    }
}
