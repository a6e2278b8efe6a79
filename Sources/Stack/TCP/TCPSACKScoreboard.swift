import Wire

/// The data sender's scoreboard (RFC 6675 §3): which octets above SND.UNA the receiver has reported
/// in SACK blocks, kept as disjoint ranges in ascending order, and RFC 6675 §4's `IsLost` over them.
///
/// Octets below SND.UNA are forgotten as the cumulative ACK passes them; blocks that lie below
/// SND.UNA or beyond SND.MAX are ignored (RFC 2018 §5: a block reports data the sender sent and the
/// cumulative ACK does not cover). At most `rangeLimit` ranges are kept: past that the highest is
/// forgotten, which only makes the sender more conservative (a forgotten range is retransmitted).
struct TCPSACKScoreboard: Sendable, Hashable {
    /// RFC 6675 §2 `DupThresh`: 3, as in RFC 5681.
    static let duplicateThreshold = 3
    /// Bound on memory: more ranges than this would need more holes than any window here allows.
    static let rangeLimit = 128

    /// SACKed ranges above SND.UNA, ascending, neither overlapping nor touching.
    private(set) var ranges: [SACKBlock] = []

    var isEmpty: Bool { ranges.isEmpty }

    /// One past the highest SACKed octet, if any octet is SACKed.
    var highestSACKed: SequenceNumber? { ranges.last?.right }

    /// RFC 6675 §4 `Update()`: marks the octets of each acceptable block SACKed, after dropping what
    /// SND.UNA (`highACK`, already moved by this ACK) has passed.
    mutating func update(blocks: [SACKBlock], highACK: SequenceNumber, highData: SequenceNumber) {
        acknowledge(upTo: highACK)
        for block in blocks where highACK < block.right && block.right <= highData && block.left < block.right {
            let left = block.left < highACK ? highACK : block.left   // RFC 2018 §5: only what SND.UNA has not covered
            insert(SACKBlock(left: left, right: block.right))
        }
    }

    /// The cumulative ACK has reached `highACK`: SACKed octets below it are acknowledged anyway.
    mutating func acknowledge(upTo highACK: SequenceNumber) {
        guard let first = ranges.first, first.left < highACK else { return }
        ranges.removeAll { !(highACK < $0.right) }
        if let first = ranges.first, first.left < highACK { ranges[0].left = highACK }
    }

    /// RFC 2018 §8 and RFC 6675 §5.1: after a retransmission timeout the SACK information is dropped,
    /// as the receiver may have reneged on it.
    mutating func clear() { ranges.removeAll() }

    /// Whether `sequence` lies in a SACKed range.
    func isSACKed(_ sequence: SequenceNumber) -> Bool {
        ranges.contains { $0.left <= sequence && sequence < $0.right }
    }

    /// RFC 6675 §4 `IsLost(SeqNum)`: DupThresh discontiguous SACKed segments lie above `sequence`, or
    /// more than (DupThresh − 1)·SMSS SACKed octets do. A range counts as ⌈length / SMSS⌉ segments:
    /// the sender cuts its data into segments of at most SMSS octets.
    func isLost(_ sequence: SequenceNumber, smss: Int) -> Bool {
        var octets = 0
        var segments = 0
        for range in ranges.reversed() {
            guard sequence < range.right else { break }
            let length = Int(range.right - (range.left < sequence ? sequence + 1 : range.left))
            octets += length
            segments += (length + smss - 1) / smss
            if segments >= Self.duplicateThreshold || octets > (Self.duplicateThreshold - 1) * smss { return true }
        }
        return false
    }

    /// The unSACKed stretches between `highACK` and `highData`, ascending: the holes below the highest
    /// SACKed octet, then the tail above it (nothing is SACKed above the tail).
    func holes(highACK: SequenceNumber, highData: SequenceNumber) -> [SACKBlock] {
        var holes: [SACKBlock] = []
        var start = highACK
        for range in ranges {
            if start < range.left { holes.append(SACKBlock(left: start, right: range.left)) }
            if start < range.right { start = range.right }
        }
        if start < highData { holes.append(SACKBlock(left: start, right: highData)) }
        return holes
    }

    /// Adds `block`, merging it with the ranges it overlaps or touches.
    private mutating func insert(_ block: SACKBlock) {
        var merged = block
        var kept: [SACKBlock] = []
        kept.reserveCapacity(ranges.count + 1)
        for range in ranges {
            if range.right < merged.left || merged.right < range.left {
                kept.append(range)
            } else {
                if range.left < merged.left { merged.left = range.left }
                if merged.right < range.right { merged.right = range.right }
            }
        }
        let index = kept.firstIndex { merged.left < $0.left } ?? kept.count
        kept.insert(merged, at: index)
        if kept.count > Self.rangeLimit { kept.removeLast(kept.count - Self.rangeLimit) }
        ranges = kept
    }
}
