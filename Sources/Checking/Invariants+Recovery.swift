import Tracing
import Wire

extension Invariant {
    // MARK: - Loss recovery

    /// RFC 5681 §2's duplicate ACK, §3.2's fast retransmit and RFC 6582's `recover`, stated from the
    /// trace: what the sender sent and what reached it, nothing else.
    static let fastRetransmit = Invariant(
        name: "fast-retransmit",
        statement: "On the third duplicate ACK (RFC 5681 §2: data outstanding, no data, no SYN or FIN, the "
            + "highest ACK so far, the same window as the last ACK) outside fast recovery and past `recover`, "
            + "the sender retransmits the first unacknowledged segment at once. A sender with SACK may start "
            + "recovery earlier, by retransmitting that segment.",
        reference: "RFC 5681 §2, §3.2; RFC 6582 §3.2 (steps 1–2), §4; RFC 6675 §5 (step 3.2)",
        needs: [.sentPackets, .receivedPackets, .states, .timers]
    ) { analysis, _ in
        struct Sender {
            var synchronized = false
            /// `TCP.UNA` of RFC 5681 §2 (d): the greatest acknowledgment received.
            var sndUNA: SequenceNumber?
            /// One past the highest sequence number sent.
            var sndMax: SequenceNumber?
            /// The window of the last incoming acknowledgment, scaled (RFC 5681 §2 (e)).
            var lastWindow: Int?
            var duplicates = 0
            /// RFC 6582 §3.2: the ISS at first, then SND.MAX at each fast retransmit and timeout.
            var recover: SequenceNumber?
            var inRecovery = false
            /// What this side acknowledged and advertised, which decides whether an arriving ACK is looked at.
            var acceptance = ReceiveAcceptance()
        }
        var senders = [Sender?](repeating: nil, count: analysis.connectionNames.count)
        var due: (connection: String, time: Int64, sequence: SequenceNumber)?
        func missed(_ expected: (connection: String, time: Int64, sequence: SequenceNumber)) -> String {
            "\(timeText(expected.time)) \(expected.connection) got a third duplicate ACK for \(expected.sequence) "
                + "and did not retransmit"
        }
        for entry in analysis.entries {
            let name = entry.connection
            if let expected = due {
                if entry.time != expected.time { return missed(expected) }
                if expected.connection == name {
                    switch entry.item {
                    case .sent(let segment, _):
                        guard segment.header.sequenceNumber == expected.sequence else {
                            return "\(timeText(entry.time)) \(name) answered a third duplicate ACK with a segment at "
                                + "\(segment.header.sequenceNumber), not a retransmission from \(expected.sequence)"
                        }
                        due = nil
                    case .timer, .congestion:
                        break
                    case .received, .state:
                        return missed(expected)
                    }
                }
            }
            var sender = senders[entry.id] ?? Sender()
            switch entry.item {
            case .sent(let segment, _):
                let header = segment.header
                if header.flags.contains(.syn) {
                    sender.sndUNA = header.sequenceNumber
                    if sender.recover == nil { sender.recover = header.sequenceNumber }
                }
                // The SACK sender of RFC 6675 may start recovery before the third duplicate ACK (§5 step
                // 3.2): its retransmission of SND.UNA outside recovery starts it, `recover` = SND.MAX.
                if analysis.usesSACK[entry.id], sender.synchronized, !sender.inRecovery,
                   header.sequenceNumber == sender.sndUNA, segment.sequenceLength > 0, !header.flags.contains(.syn),
                   let max = sender.sndMax, header.sequenceNumber < max {
                    sender.recover = max
                    sender.inRecovery = true
                }
                let end = segment.end
                if sender.sndMax.map({ $0 < end }) ?? true { sender.sndMax = end }
                let shift = header.flags.contains(.syn) ? 0 : analysis.windowShifts[entry.peerID] ?? 0
                sender.acceptance.sent(segment, windowShift: shift)
            case .received(let segment):
                let header = segment.header
                guard header.flags.contains(.ack), !header.flags.contains(.rst),
                      let una = sender.sndUNA, let max = sender.sndMax else { break }
                guard sender.acceptance.accepts(segment) else { break }
                let ack = header.acknowledgmentNumber
                guard !(max < ack), !(ack < una) else { break }   // ACKs of unsent data, and old ACKs, are ignored
                // RFC 7323 §2.2: the window of a SYN is never scaled.
                let window = Int(header.window) << (header.flags.contains(.syn) ? 0 : analysis.windowShifts[entry.id] ?? 0)
                if una < ack {   // new data acknowledged: SND.UNA moves, the count starts over
                    sender.sndUNA = ack
                    sender.duplicates = 0
                    if sender.inRecovery, let recover = sender.recover, !(ack < recover) { sender.inRecovery = false }
                } else if sender.synchronized, una < max, segment.payload.isEmpty, !header.flags.contains(.syn),
                          !header.flags.contains(.fin), window == sender.lastWindow {
                    sender.duplicates += 1
                    // RFC 6582 §3.2 step 1: only when the ACK covers more than `recover`.
                    if sender.duplicates == 3, !sender.inRecovery, let recover = sender.recover, recover < ack {
                        sender.recover = max
                        sender.inRecovery = true
                        due = (name, entry.time, ack)
                    }
                }
                sender.lastWindow = window
            case .state(_, let to, _):
                if to.isSynchronized { sender.synchronized = true }
                if to == .closed || to == .listen { sender = Sender() }
            case .timer(.retransmission, .fired):   // RFC 6582 §4: a timeout ends recovery and moves `recover`
                // Only a timeout of data: a SYN's (before the connection is synchronized) is not loss
                // recovery's, and `recover` stays at the ISS, behind the first duplicate ACK.
                guard sender.synchronized else { break }
                sender.recover = sender.sndMax
                sender.inRecovery = false
                sender.duplicates = 0
            case .timer, .congestion:
                break
            }
            senders[entry.id] = sender
        }
        if let expected = due { return missed(expected) }
        return nil
    }

    static let determinism = Invariant(
        name: "determinism",
        statement: "Running the same case (same seed) again gives the same trace, event for event.",
        reference: "StackLab DESIGN.md, determinism rules",
        needs: []
    ) { analysis, context in
        guard let rerun = context.rerun else { return nil }
        let again = rerun().events
        let first = analysis.trace.events
        if again.isIdentical(to: first) { return nil }
        let index = zip(first, again).enumerated().first { !$0.element.0.isIdentical(to: $0.element.1) }?.offset
            ?? min(first.count, again.count)
        return "the second run differs at event \(index + 1) of \(first.count)"
    }
}
