import Wire

/// Out-of-order data held until the gap before it is filled (RFC 9293 §3.10.7.4, seventh check).
///
/// A sorted array of non-overlapping ranges; an arriving range is trimmed against the ones held.
struct TCPReassemblyQueue: Sendable {
    struct Range: Sendable, Hashable {
        var start: SequenceNumber
        var bytes: [UInt8]
        var end: SequenceNumber { start + UInt32(bytes.count) }
    }

    private(set) var ranges: [Range] = []

    var byteCount: Int { ranges.reduce(0) { $0 + $1.bytes.count } }
    var isEmpty: Bool { ranges.isEmpty }

    /// Holds `bytes` starting at `start` (ahead of `RCV.NXT`), keeping only octets not already held.
    mutating func insert(_ bytes: [UInt8], at start: SequenceNumber) {
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
                    next.append(Range(start: piece.start, bytes: Array(piece.bytes[0..<n])))
                }
                if held.end < piece.end {
                    let n = Int(held.end - piece.start)
                    next.append(Range(start: held.end, bytes: Array(piece.bytes[n...])))
                }
            }
            pieces = next
        }
        for piece in pieces where !piece.bytes.isEmpty {
            let index = ranges.firstIndex { piece.start < $0.start } ?? ranges.count
            ranges.insert(piece, at: index)
        }
    }

    /// Removes and returns the bytes that now follow `next` contiguously; drops anything older.
    mutating func take(at next: SequenceNumber) -> [UInt8] {
        var out: [UInt8] = []
        var cursor = next
        while let first = ranges.first, first.start <= cursor {
            ranges.removeFirst()
            if first.end > cursor {
                out.append(contentsOf: first.bytes[Int(cursor - first.start)...])
                cursor = first.end
            }
        }
        return out
    }
}
