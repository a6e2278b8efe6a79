import Tracing
import Wire

extension Invariant {
    // MARK: - Byte streams and datagrams, as the applications saw them

    static let streamIntegrity = Invariant(
        name: "stream-integrity",
        statement: "Each byte stream is delivered in order and unaltered, no byte is delivered that was not sent, "
            + "and once the peer's end of stream is delivered every byte the peer sent arrived exactly once.",
        reference: "RFC 9293 §1, §3.4, §3.10.7.4 (seventh check)",
        needs: [.sockets]
    ) { analysis, _ in
        let sockets = analysis.sockets
        for stream in sockets.streams {
            // Altered bytes are wrong whatever the peer did, and whether or not its socket is in the trace.
            if !stream.intact {
                return "\(stream.name) received bytes out of order or altered"
            }
            guard let peer = sockets.stream(named: stream.peerName) else { continue }
            if stream.bytesReceived > peer.bytesSent {
                return "\(stream.name) received \(stream.bytesReceived) bytes but its peer sent \(peer.bytesSent)"
            }
            if stream.peerFinished, stream.error == nil, peer.error == nil, stream.bytesReceived != peer.bytesSent {
                return "\(stream.name) saw the peer's end of stream after \(stream.bytesReceived) of \(peer.bytesSent) bytes"
            }
        }
        return nil
    }

    static let reliableDelivery = Invariant(
        name: "reliable-delivery",
        statement: "When a run ends with nothing left to do and neither side failed, aborted, closed before "
            + "reading or stopped reading, every byte either side sent was delivered.",
        reference: "RFC 9293 §3.8 (retransmission), §3.10.7.4; RFC 6298 §5",
        needs: [.sockets]
    ) { analysis, context in
        guard context.quiesced else { return nil }
        let sockets = analysis.sockets
        for stream in sockets.streams {
            guard let peer = sockets.stream(named: stream.peerName) else { continue }
            guard stream.error == nil, peer.error == nil, !stream.called(.close), !stream.called(.abort),
                  !peer.called(.abort), !stream.readingPausedAtEnd else { continue }
            if stream.bytesReceived < peer.bytesSent {
                return "the run ended with \(stream.name) having received \(stream.bytesReceived) of the "
                    + "\(peer.bytesSent) bytes its peer sent, and no error"
            }
        }
        return nil
    }

    static let udpDelivery = Invariant(
        name: "udp-delivery",
        statement: "UDP delivers a subset of the datagrams sent (copies only when the link duplicates), each with "
            + "its boundaries and bytes intact.",
        reference: "RFC 768; RFC 1122 §4.1",
        needs: [.sentPackets, .receivedPackets, .sockets, .linkFaults]
    ) { analysis, _ in
        for socket in analysis.sockets.datagramSockets where socket.altered > 0 {
            return "\(socket.name) received \(socket.altered) altered or truncated datagrams"
        }
        // A datagram is its addresses, IP identification and UDP bytes (a router changes only the TTL
        // and the header checksum on the way).
        func key(_ bytes: [UInt8]) -> [UInt8]? {
            guard bytes.count >= 20 else { return nil }
            let headerLength = Int(bytes[0] & 0x0F) * 4
            guard bytes.count >= headerLength else { return nil }
            return Array(bytes[4..<6]) + Array(bytes[12..<20]) + Array(bytes[headerLength...])
        }
        var sent: [[UInt8]: Int] = [:]   // copies each datagram may arrive as: one, plus one per duplication
        for datagram in analysis.sentDatagrams {
            if let key = key(datagram.bytes) { sent[key, default: 0] += 1 }
        }
        for copy in analysis.duplicatedPackets {
            if let key = key(copy), sent[key] != nil { sent[key, default: 0] += 1 }
        }
        for datagram in analysis.receivedDatagrams {
            guard let key = key(datagram.bytes), let left = sent[key] else {
                return "\(timeText(datagram.time)) \(datagram.node) accepted a UDP datagram nobody sent"
            }
            guard left > 0 else {
                return "\(timeText(datagram.time)) \(datagram.node) accepted a UDP datagram more often than it was "
                    + "sent and duplicated"
            }
            sent[key] = left - 1
        }
        return nil
    }
}
