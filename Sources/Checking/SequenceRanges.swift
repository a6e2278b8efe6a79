import Wire

/// A set of sequence numbers kept as disjoint, non-touching half-open ranges in ascending order:
/// what an invariant remembers of SACK blocks received, or of octets sent more than once.
struct SequenceRanges: Sendable {
    private(set) var ranges: [(start: SequenceNumber, end: SequenceNumber)] = []

    /// One past the highest member, if any.
    var upperBound: SequenceNumber? { ranges.last?.end }

    /// Adds [`start`, `end`): sorts the ranges by start and joins those that overlap or touch.
    mutating func insert(_ start: SequenceNumber, _ end: SequenceNumber) {
        guard start < end else { return }
        let sorted = (ranges + [(start, end)]).sorted { $0.start < $1.start }
        ranges = sorted.reduce(into: []) { joined, range in
            if let last = joined.last, !(last.end < range.start) {
                if last.end < range.end { joined[joined.count - 1].end = range.end }
            } else {
                joined.append(range)
            }
        }
    }

    /// Adds the SACK blocks of an arriving ACK that report data above its SEG.ACK that was sent, below
    /// `sndMax` (RFC 2018 §5), clipped at SEG.ACK.
    mutating func insertSACKBlocks(of header: TCPHeader, sndMax: SequenceNumber) {
        let ack = header.acknowledgmentNumber
        for option in header.options {
            guard case .sack(let blocks) = option else { continue }
            for block in blocks where ack < block.right && !(sndMax < block.right) {
                insert(block.left < ack ? ack : block.left, block.right)
            }
        }
    }

    /// Forgets every member below `bound`.
    mutating func removeAll(below bound: SequenceNumber) {
        ranges = ranges.compactMap { range in
            guard bound < range.end else { return nil }
            return range.start < bound ? (bound, range.end) : range
        }
    }

    mutating func removeAll() { ranges.removeAll() }

    /// How many members lie above `sequence` (greater than it).
    func count(above sequence: SequenceNumber) -> Int {
        ranges.reduce(0) { total, range in
            guard sequence < range.end else { return total }
            return total + Int(range.end - (range.start < sequence ? sequence + 1 : range.start))
        }
    }

    /// The first number in [`start`, `end`) that is not a member, if any.
    func firstMissing(from start: SequenceNumber, to end: SequenceNumber) -> SequenceNumber? {
        var next = start
        for range in ranges where next < range.end {
            guard next < end else { return nil }
            if next < range.start { return next }
            next = range.end
        }
        return next < end ? next : nil
    }

    /// The gaps between `start` and the highest member, ascending.
    func gaps(from start: SequenceNumber) -> [(start: SequenceNumber, end: SequenceNumber)] {
        var gaps: [(start: SequenceNumber, end: SequenceNumber)] = []
        var next = start
        for range in ranges where next < range.end {
            if next < range.start { gaps.append((next, range.start)) }
            next = range.end
        }
        return gaps
    }
}
