import Wire

/// What a connection last told its peer (the ACK it sent and the right edge of the window it
/// advertised), so an invariant can tell which arriving segments pass the RFC 9293 §3.10.7.4
/// acceptability test and have their ACK looked at: one wholly outside them is dropped first.
struct ReceiveAcceptance: Sendable {
    private var lastAckSent: SequenceNumber?
    private var advertisedEdge: SequenceNumber?

    /// Records a segment the connection sent; `shift` scales its window (0 for a SYN).
    mutating func sent(_ segment: TCPSegment, windowShift shift: Int) {
        let header = segment.header
        guard header.flags.contains(.ack), !header.flags.contains(.rst) else { return }
        let ack = header.acknowledgmentNumber
        lastAckSent = ack
        let edge = ack + (UInt32(header.window) << UInt32(shift))
        if advertisedEdge.map({ $0 < edge }) ?? true { advertisedEdge = edge }
    }

    /// Whether an arriving segment lies (at least partly) inside what was acknowledged and advertised.
    func accepts(_ segment: TCPSegment) -> Bool {
        let sequence = segment.header.sequenceNumber
        let length = Swift.max(segment.sequenceLength, 1)
        if let acked = lastAckSent, !(acked < sequence + length) { return false }   // wholly old
        if let edge = advertisedEdge, !(sequence < edge), segment.sequenceLength > 0 { return false }
        return true
    }
}
