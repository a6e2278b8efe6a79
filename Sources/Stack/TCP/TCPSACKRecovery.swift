import Wire

/// RFC 6675 conservative SACK-based loss recovery: the sender's variables during one recovery
/// phase and the routines `SetPipe()` and `NextSeg()` (§4) over the scoreboard.
///
/// Sequence numbers here are one past the octet the RFC names: `highRetransmitted` is HighRxt + 1,
/// `rescueRetransmitted` is RescueRxt + 1, and the recovery point (RFC 6675 RecoveryPoint + 1, the
/// congestion control's `recover`) is SND.MAX when recovery began.
struct TCPSACKRecovery: Sendable, Hashable {
    /// One past `HighRxt`: the highest octet retransmitted in this phase by rules 1 and 3.
    var highRetransmitted: SequenceNumber
    /// One past `RescueRxt`: the highest octet of the rescue retransmission (rule 4).
    var rescueRetransmitted: SequenceNumber

    /// What `NextSeg()` chose: `length` octets from `start`, and which rule chose them.
    struct Segment: Hashable, Sendable {
        enum Rule: Hashable, Sendable {
            /// Rule 1: the first octets above HighRxt that `IsLost` (retransmitted).
            case lost
            /// Rule 2: new data (sent by the ordinary path at SND.NXT).
            case newData
            /// Rule 3: unSACKed octets above HighRxt below the highest SACKed octet, not yet lost.
            case notYetLost
            /// Rule 4: the rescue retransmission of the highest unSACKed octets.
            case rescue
        }
        var rule: Rule
        var start: SequenceNumber
        var length: Int
    }

    /// RFC 6675 §4 `SetPipe()`: the octets the sender thinks are still in the network. Of each
    /// unSACKed octet between SND.UNA and SND.MAX, one if it is not lost, and one more if it has been
    /// retransmitted (is below HighRxt + 1).
    func pipe(scoreboard: TCPSACKScoreboard, highACK: SequenceNumber, highData: SequenceNumber, smss: Int) -> Int {
        var pipe = 0
        for hole in scoreboard.holes(highACK: highACK, highData: highData) {
            let length = Int(hole.right - hole.left)
            if !scoreboard.isLost(hole.left, smss: smss) { pipe += length }   // (a): every octet of a hole shares IsLost
            if hole.left < highRetransmitted {   // (b): retransmitted octets count again
                pipe += Int((highRetransmitted < hole.right ? highRetransmitted : hole.right) - hole.left)
            }
        }
        return pipe
    }

    /// RFC 6675 §4 `NextSeg()`: what to send next, or nil when nothing may go. `highACK` is SND.UNA
    /// (HighACK + 1), `highData` SND.MAX (HighData + 1).
    ///
    /// `newData` is how many octets of new data may leave now (the receive window, the send queue and
    /// sender SWS avoidance already applied), `dataEnd` one past the last queued octet (the FIN's
    /// sequence number when it is queued).
    func nextSegment(scoreboard: TCPSACKScoreboard, highACK: SequenceNumber, highData: SequenceNumber,
                     smss: Int, newData: Int?, dataEnd: SequenceNumber) -> Segment? {
        let holes = scoreboard.holes(highACK: highACK, highData: highData)
        let highestSACKed = scoreboard.highestSACKed ?? highACK
        // The unSACKed octets above HighRxt and below the highest SACKed octet, as runs (rules 1.a, 1.b).
        let candidates: [SACKBlock] = holes.compactMap { hole in
            let start = hole.left < highRetransmitted ? highRetransmitted : hole.left
            let end = highestSACKed < hole.right ? highestSACKed : hole.right
            return start < end ? SACKBlock(left: start, right: end) : nil
        }
        // Rule 1 (1.c): the lowest such octet that IsLost; IsLost is the same for every octet of a hole.
        if let run = candidates.first(where: { scoreboard.isLost($0.left, smss: smss) }) {
            return Segment(rule: .lost, start: run.left, length: min(smss, Int(run.right - run.left)))
        }
        // Rule 2: up to SMSS octets of new data that the receive window allows.
        if let newData {
            return Segment(rule: .newData, start: highData, length: newData)
        }
        // Rule 3: the lowest unSACKed octet meeting 1.a and 1.b though not lost.
        if let run = candidates.first {
            return Segment(rule: .notYetLost, start: run.left, length: min(smss, Int(run.right - run.left)))
        }
        // Rule 4 (4.a): once per phase, after HighACK passed RescueRxt, the highest outstanding
        // unSACKed data, to keep the ACK clock going when the tail of the window is lost.
        guard rescueRetransmitted < highACK, let tail = holes.last, tail.left < highData else { return nil }
        let end = dataEnd < tail.right ? dataEnd : tail.right
        guard tail.left <= end else { return nil }
        let length = min(smss, Int(end - tail.left))
        return Segment(rule: .rescue, start: end - UInt32(length), length: length)
    }
}
