import Tracing
import Wire

extension Invariant {
    // MARK: - Acknowledgments and windows

    static let ackNumbers = Invariant(
        name: "ack-numbers",
        statement: "The acknowledgment numbers a connection sends never decrease and never acknowledge a "
            + "sequence number the peer has not sent.",
        reference: "RFC 9293 §3.4, §3.10.7.4 (fifth check: \"ACK of something not yet sent\")",
        needs: [.sentPackets]
    ) { analysis, _ in
        // Per connection id: the end of what it sent, and the last ACK it sent.
        var highestSent = [SequenceNumber?](repeating: nil, count: analysis.connectionNames.count)
        var lastAck = [SequenceNumber?](repeating: nil, count: analysis.connectionNames.count)
        for entry in analysis.entries {
            guard case .sent(let segment, _) = entry.item else { continue }
            let name = entry.connection
            let header = segment.header
            if header.flags.contains(.syn) {   // a new incarnation numbers its bytes afresh
                highestSent[entry.id] = nil
                if !header.flags.contains(.ack) {
                    lastAck[entry.id] = nil
                    lastAck[entry.peerID] = nil
                }
            }
            let end = segment.end
            if let old = highestSent[entry.id] { if old < end { highestSent[entry.id] = end } } else { highestSent[entry.id] = end }
            guard header.flags.contains(.ack), !header.flags.contains(.rst) else { continue }
            let ack = header.acknowledgmentNumber
            guard let peerEnd = highestSent[entry.peerID], !(peerEnd < ack) else {
                return "\(timeText(entry.time)) \(name) sent ACK \(ack) but its peer has sent only up to "
                    + (highestSent[entry.peerID].map { "\($0)" } ?? "nothing")
            }
            if let previous = lastAck[entry.id], ack < previous {
                return "\(timeText(entry.time)) \(name) sent ACK \(ack) after ACK \(previous)"
            }
            lastAck[entry.id] = ack
        }
        return nil
    }

    static let flightWithinWindow = Invariant(
        name: "flight-within-window",
        statement: "No data segment ends beyond the right edge of the peer's advertised window, and new data "
            + "never puts more than the congestion window (plus one unreported SMSS of growth) in flight above "
            + "the highest octet the peer has SACKed (octets that RFC 6675's pipe counts in any case); a tail "
            + "loss probe may send one segment more.",
        reference: "RFC 9293 §3.8.6; RFC 5681 §2, §3; RFC 6582 §3.2; RFC 6675 §4 (SetPipe), §5 (C); RFC 8985 §7.3 "
            + "(Linux tcp_send_loss_probe forces the probe out past cwnd)",
        needs: [.sentPackets, .receivedPackets, .congestion, .timers]
    ) { analysis, _ in
        struct Sender {
            var sndMax: SequenceNumber?
            var sndUNA: SequenceNumber?
            var rightEdge: SequenceNumber?
            var cwnd: Int?
            var largest = 0
            var ownShift: UInt8?
            var peerShift: UInt8?
            /// What the peer's SACK blocks reported above SND.UNA (from every ACK: never less than the
            /// sender knows).
            var sacked = SequenceRanges()
            /// When its loss-probe timer last fired.
            var probeFired: Int64?
        }
        var senders = [Sender?](repeating: nil, count: analysis.connectionNames.count)
        for entry in analysis.entries {
            let name = entry.connection
            var sender = senders[entry.id] ?? Sender()
            switch entry.item {
            case .sent(let segment, _):
                if segment.header.flags.contains(.syn) { sender.ownShift = TraceAnalysis.windowShift(in: segment).map { min($0, 14) } }
                let dataEnd = segment.dataEnd
                if !segment.payload.isEmpty {
                    sender.largest = max(sender.largest, segment.payload.count)
                    if let edge = sender.rightEdge, edge < dataEnd {
                        return "\(timeText(entry.time)) \(name) sent data up to \(dataEnd), beyond the peer's window edge \(edge)"
                    }
                    let isNew = sender.sndMax.map { $0 < dataEnd } ?? true
                    if isNew, let una = sender.sndUNA, let cwnd = sender.cwnd {
                        let sackedUpTo = sender.sacked.upperBound.map { una < $0 ? $0 : una } ?? una
                        let flight = Int(dataEnd - sackedUpTo)
                        let probe = sender.probeFired == entry.time ? sender.largest : 0
                        if flight > cwnd + sender.largest + probe {
                            return "\(timeText(entry.time)) \(name) has \(flight) bytes in flight with cwnd \(cwnd)"
                        }
                    }
                }
                let end = segment.end
                if sender.sndMax.map({ $0 < end }) ?? true { sender.sndMax = end }
            case .received(let segment):
                let header = segment.header
                if header.flags.contains(.syn) { sender.peerShift = TraceAnalysis.windowShift(in: segment).map { min($0, 14) } }
                if header.flags.contains(.ack), !header.flags.contains(.rst) {
                    let ack = header.acknowledgmentNumber
                    if let max = sender.sndMax, !(max < ack), sender.sndUNA.map({ $0 < ack }) ?? true {
                        sender.sndUNA = ack
                        sender.sacked.removeAll(below: ack)
                    }
                    if let max = sender.sndMax, !(max < ack) { sender.sacked.insertSACKBlocks(of: header, sndMax: max) }
                    var window = UInt32(header.window)
                    if !header.flags.contains(.syn), sender.ownShift != nil, let theirs = sender.peerShift {
                        window <<= UInt32(theirs)
                    }
                    let edge = ack + window
                    if sender.rightEdge.map({ $0 < edge }) ?? true { sender.rightEdge = edge }
                }
            case .congestion(let cwnd, _, _):
                sender.cwnd = cwnd
            case .state(_, let to, _):
                if to == .closed || to == .listen { sender = Sender() }
            case .timer(.lossProbe, .fired):
                sender.probeFired = entry.time
            case .timer:
                break
            }
            senders[entry.id] = sender
        }
        return nil
    }

    static let unacceptableSegmentAcked = Invariant(
        name: "unacceptable-segment-acked",
        statement: "A segment that lies wholly before RCV.NXT (an old duplicate, or a probe) is unacceptable: the "
            + "receiver answers it at once with an ACK and does nothing else with it. Linux (and the linux "
            + "profile) answers those without data at most once per 500 ms, and a duplicate that arrives while "
            + "an ACK is owed only by that ACK.",
        reference: "RFC 9293 §3.4, §3.10.7.4 (first check); Linux tcp_oow_rate_limited(), tcp_data_queue()",
        needs: [.states, .sentPackets, .receivedPackets]
    ) { analysis, context in
        // Per connection id.
        let connections = analysis.connectionNames.count
        var state = [TCPState?](repeating: nil, count: connections)
        var lastAck = [SequenceNumber?](repeating: nil, count: connections)
        /// Data or a FIN arrived that no ACK sent since covers.
        var owed = [Bool](repeating: false, count: connections)
        /// When an unacceptable segment without data was last answered.
        var lastEmptyAnswer = [Int64?](repeating: nil, count: connections)
        var pending: (connection: Int, time: Int64, segment: TCPSegment)?
        func unanswered(_ pending: (connection: Int, time: Int64, segment: TCPSegment)) -> String {
            "\(timeText(pending.time)) \(analysis.connectionNames[pending.connection]) received an unacceptable "
                + "segment (seq \(pending.segment.header.sequenceNumber), \(pending.segment.payload.count) bytes, "
                + "below the ACK \(lastAck[pending.connection].map { "\($0)" } ?? "") it had sent) and did not "
                + "answer with an ACK"
        }
        for entry in analysis.entries {
            if let waiting = pending {
                if entry.time != waiting.time { return unanswered(waiting) }
                if entry.id == waiting.connection {
                    switch entry.item {
                    case .sent(let segment, _):
                        guard segment.header.flags.contains(.ack) else { return unanswered(waiting) }
                        if waiting.segment.sequenceLength == 0 { lastEmptyAnswer[waiting.connection] = waiting.time }
                        pending = nil
                    case .timer, .congestion:
                        break
                    case .received, .state:
                        return unanswered(waiting)
                    }
                }
            }
            let id = entry.id
            switch entry.item {
            case .state(_, let to, _):
                state[id] = to
                if to == .closed || to == .listen { lastAck[id] = nil }
            case .sent(let segment, _):
                if segment.header.flags.contains(.ack), !segment.header.flags.contains(.rst) {
                    lastAck[id] = segment.header.acknowledgmentNumber
                    owed[id] = false
                }
            case .received(let segment):
                // SYN-RECEIVED and the synchronized states run the §3.10.7.4 acceptability test.
                guard let current = state[id], current.isSynchronized || current == .synReceived,
                      let ack = lastAck[id], !segment.header.flags.contains(.rst) else { break }
                // RFC 9293 Figure 8, line 6: in a simultaneous open the peer's SYN,ACK repeats the SYN
                // already received, and its ACK completes the open (the crossing SYN,ACKs are the ACKs).
                if current == .synReceived, segment.header.flags.contains([.syn, .ack]),
                   segment.header.sequenceNumber + 1 == ack { break }
                let length = max(segment.sequenceLength, 1)
                guard !(ack < segment.header.sequenceNumber + length) else {   // not wholly before what we acknowledged
                    if segment.sequenceLength > 0 { owed[id] = true }
                    break
                }
                if segment.sequenceLength > 0, context.duplicatesWaitForOwedACK, owed[id] { break }
                if segment.sequenceLength == 0, let interval = context.outOfWindowACKInterval,
                   let last = lastEmptyAnswer[id], entry.time - last < interval { break }
                pending = (id, entry.time, segment)
            case .timer, .congestion:
                break
            }
        }
        if let waiting = pending { return unanswered(waiting) }
        return nil
    }
}
