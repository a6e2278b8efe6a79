import Wire

/// Out-of-order data held until the gap before it is filled (RFC 9293 §3.10.7.4, seventh check).
///
/// A sorted array of non-overlapping ranges; an arriving range is trimmed against the ones held.
/// The ranges hold payloads (slices of the received frames), so holding data copies nothing.
struct TCPReassemblyQueue: Sendable {
    struct Range: Sendable, Hashable {
        var start: SequenceNumber
        var bytes: Payload
        var end: SequenceNumber { start + UInt32(bytes.count) }
    }

    private(set) var ranges: [Range] = []

    var byteCount: Int { ranges.reduce(0) { $0 + $1.bytes.count } }
    var isEmpty: Bool { ranges.isEmpty }

    /// Holds `bytes` starting at `start` (ahead of `RCV.NXT`), keeping only octets not already held.
    mutating func insert(_ bytes: Payload, at start: SequenceNumber) {
        guard !bytes.isEmpty else { return }
        // Most out-of-order data lies beyond everything held (the segments after a lost one):
        // appended without building the list of pieces below (callgrind, workload A: that list
        // cost an allocation per segment held).
        if ranges.last.map({ $0.end <= start }) ?? true {
            ranges.append(Range(start: start, bytes: bytes))
            return
        }
        var pieces = [Range(start: start, bytes: bytes)]
        for held in ranges {
            var next: [Range] = []
            for piece in pieces {
                // Keep the parts of `piece` before and after `held`.
                if piece.end <= held.start || held.end <= piece.start {
                    next.append(piece)
                    continue
                }
                if piece.start < held.start {
                    let n = Int(held.start - piece.start)
                    next.append(Range(start: piece.start, bytes: piece.bytes.extracting(0..<n)))
                }
                if held.end < piece.end {
                    let n = Int(held.end - piece.start)
                    next.append(Range(start: held.end, bytes: piece.bytes.extracting(n..<piece.bytes.count)))
                }
            }
            pieces = next
        }
        for piece in pieces where !piece.bytes.isEmpty {
            let index = ranges.firstIndex { piece.start < $0.start } ?? ranges.count
            ranges.insert(piece, at: index)
        }
    }

    mutating func insert(_ bytes: [UInt8], at start: SequenceNumber) {
        insert(Payload(bytes), at: start)
    }

    /// The contiguous block of held octets that contains `sequence` (adjacent ranges joined), as
    /// a SACK block reports it (RFC 2018 §3: left edge, and the sequence number after the last octet).
    func block(containing sequence: SequenceNumber) -> SACKBlock? {
        guard var index = ranges.firstIndex(where: { $0.start <= sequence && sequence < $0.end }) else { return nil }
        var left = ranges[index].start, right = ranges[index].end
        while index > 0, ranges[index - 1].end == left {
            index -= 1
            left = ranges[index].start
        }
        var next = ranges.firstIndex { $0.start == right }
        while let found = next {
            right = ranges[found].end
            next = ranges.firstIndex { $0.start == right }
        }
        return SACKBlock(left: left, right: right)
    }

    /// Moves the bytes that now follow `next` contiguously to the end of `queue`, drops anything
    /// older, and returns how many bytes moved.
    @inline(__always)
    mutating func take(at next: SequenceNumber, into queue: inout TCPByteQueue) -> Int {
        // Nothing held (in-order data, mostly): no call, loop or `removeFirst(0)` (~17
        // instructions a packet; callgrind, workload A).
        guard !ranges.isEmpty else { return 0 }
        return takeHeld(at: next, into: &queue)
    }

    private mutating func takeHeld(at next: SequenceNumber, into queue: inout TCPByteQueue) -> Int {
        var cursor = next
        var moved = 0
        var used = 0
        while used < ranges.count, ranges[used].start <= cursor {
            let range = ranges[used]
            used += 1
            if range.end > cursor {
                let piece = range.bytes.extracting(Int(cursor - range.start)..<range.bytes.count)
                queue.append(piece)
                moved += piece.count
                cursor = range.end
            }
        }
        ranges.removeFirst(used)
        return moved
    }

    /// Removes and returns the bytes that now follow `next` contiguously; drops anything older.
    mutating func take(at next: SequenceNumber) -> [UInt8] {
        var queue = TCPByteQueue()
        _ = take(at: next, into: &queue)
        return queue.popFirst(queue.count)
    }
}
