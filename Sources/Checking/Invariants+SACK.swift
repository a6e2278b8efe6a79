import Tracing
import Wire

extension Invariant {
    // MARK: - SACK loss recovery

    /// RFC 6675 §4 NextSeg: rule 1 (retransmit what is lost) comes before rule 2 (send new data),
    /// stated from the trace: the SACK blocks that reached the sender, and what it sent.
    static let sackLostFirst = Invariant(
        name: "sack-lost-first",
        statement: "On a connection with SACK, once the SACK blocks the sender has received show a hole lost "
            + "(RFC 6675 IsLost: more than (DupThresh − 1)·SMSS octets SACKed above it, SMSS at most the "
            + "peer's MSS), the sender retransmits every octet of that hole before it sends new data, except "
            + "while it recovers from a retransmission timeout (until SND.UNA reaches the SND.MAX of then).",
        reference: "RFC 6675 §4 (IsLost, NextSeg rules 1–2), §5, §5.1; RFC 2018 §5",
        needs: [.sentPackets, .receivedPackets, .states, .timers]
    ) { analysis, _ in
        struct Sender {
            var synchronized = false
            var sndUNA: SequenceNumber?
            var sndMax: SequenceNumber?
            var acceptance = ReceiveAcceptance()
            /// What the peer's SACK blocks reported, above SND.UNA.
            var sacked = SequenceRanges()
            /// Octets sent more than once, above SND.UNA.
            var retransmitted = SequenceRanges()
            /// SND.MAX when the retransmission timer last fired, until SND.UNA reaches it (RFC 6675 §5.1).
            var timeoutPoint: SequenceNumber?
        }
        let duplicateThreshold = 3
        var senders = [Sender?](repeating: nil, count: analysis.connectionNames.count)
        for entry in analysis.entries where analysis.usesSACK[entry.id] {
            let name = entry.connection
            var sender = senders[entry.id] ?? Sender()
            switch entry.item {
            case .sent(let segment, _):
                let header = segment.header
                if header.flags.contains(.syn) { sender.sndUNA = header.sequenceNumber }
                let start = header.sequenceNumber
                let end = segment.end
                if sender.synchronized, segment.sequenceLength > 0, !header.flags.contains(.syn),
                   let una = sender.sndUNA, let max = sender.sndMax {
                    if start < max {
                        sender.retransmitted.insert(start < una ? una : start, end < max ? end : max)
                    } else if sender.timeoutPoint == nil {
                        // New data: every hole that IsLost must have been sent again.
                        let limit = (duplicateThreshold - 1) * (analysis.peerMSS[entry.id] ?? 536)
                        for hole in sender.sacked.gaps(from: una) where sender.sacked.count(above: hole.start) > limit {
                            if let octet = sender.retransmitted.firstMissing(from: hole.start, to: hole.end) {
                                return "\(timeText(entry.time)) \(name) sent new data at \(start) while octet \(octet) "
                                    + "of the hole \(hole.start)–\(hole.end) was lost (over \(limit) octets SACKed "
                                    + "above it) and not yet retransmitted"
                            }
                        }
                    }
                }
                if sender.sndMax.map({ $0 < end }) ?? true { sender.sndMax = end }
                let shift = header.flags.contains(.syn) ? 0 : analysis.windowShifts[entry.peerID] ?? 0
                sender.acceptance.sent(segment, windowShift: shift)
            case .received(let segment):
                let header = segment.header
                guard header.flags.contains(.ack), !header.flags.contains(.rst), !header.flags.contains(.syn),
                      sender.acceptance.accepts(segment), let una = sender.sndUNA, let max = sender.sndMax else { break }
                let ack = header.acknowledgmentNumber
                guard !(max < ack), !(ack < una) else { break }   // ACKs of unsent data, and old ACKs, are ignored
                if una < ack {
                    sender.sndUNA = ack
                    sender.sacked.removeAll(below: ack)
                    sender.retransmitted.removeAll(below: ack)
                }
                if let point = sender.timeoutPoint, !(ack < point) { sender.timeoutPoint = nil }
                sender.sacked.insertSACKBlocks(of: header, sndMax: max)
            case .state(_, let to, _):
                if to.isSynchronized { sender.synchronized = true }
                if to == .closed || to == .listen { sender = Sender() }
            case .timer(.retransmission, .fired):   // RFC 6675 §5.1: SACK information is dropped
                guard sender.synchronized, let max = sender.sndMax else { break }
                sender.timeoutPoint = max
                sender.sacked.removeAll()
            case .timer, .congestion:
                break
            }
            senders[entry.id] = sender
        }
        return nil
    }
}
