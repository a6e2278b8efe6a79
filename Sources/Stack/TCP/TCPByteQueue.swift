import Wire

/// A FIFO of octets: the send queue (bytes from `SND.UNA` on) and the in-order receive queue.
///
/// It holds payloads (`Payload`), not bytes: what the application wrote, stretches of a
/// generated stream, slices of received frames. Appending, taking a segment's payload from the
/// send queue and dropping acknowledged data copy nothing; bytes are copied once, into a frame
/// or out to the application. A payload that continues the last one (the next stretch of the same
/// generated stream, or of the same buffer) is merged with it, so a bulk sender's queue is one
/// piece however many writes filled it.
struct TCPByteQueue: Sendable {
    /// The pieces from `head` on; those before `head` are used up and dropped in batches.
    private var pieces: [Payload] = []
    private var head = 0
    /// Bytes of `pieces[head]` already removed.
    private var headOffset = 0
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    /// `consuming`: a received segment's payload is moved into the queue, not copied and the
    /// caller's copy released (~20 instructions a packet; callgrind, workload A).
    mutating func append(_ payload: consuming Payload) {
        guard !payload.isEmpty else { return }
        count += payload.count
        if head < pieces.count, pieces[pieces.count - 1].extend(with: payload) { return }
        pieces.append(payload)
    }

    mutating func append(contentsOf bytes: [UInt8]) {
        append(Payload(bytes))
    }

    /// Up to `length` bytes starting `offset` bytes after the front: a stretch of one piece when
    /// they lie in one (the common case: a segment of a bulk stream), else copied together.
    func bytes(from offset: Int, length: Int) -> Payload {
        let offset = max(0, offset)
        guard offset < count, length > 0 else { return Payload() }
        let length = min(length, count - offset)
        var index = head
        var skip = offset + headOffset
        while skip >= pieces[index].count {
            skip -= pieces[index].count
            index += 1
        }
        if skip + length <= pieces[index].count {
            return pieces[index].extracting(skip..<(skip + length))
        }
        var out: [UInt8] = []
        out.reserveCapacity(length)
        while out.count < length {
            let piece = pieces[index]
            let take = min(piece.count - skip, length - out.count)
            piece.extracting(skip..<(skip + take)).withContiguousPieces { out.append(contentsOf: $0) }
            skip = 0
            index += 1
        }
        return Payload(out)
    }

    mutating func removeFirst(_ n: Int) {
        var remaining = min(n, count)
        count -= remaining
        while remaining > 0 {
            let left = pieces[head].count - headOffset
            if remaining < left {
                headOffset += remaining
                break
            }
            remaining -= left
            head += 1
            headOffset = 0
        }
        if head == pieces.count {
            // One by one (mostly one piece): `removeAll(keepingCapacity:)` went through the generic
            // `replaceSubrange`, ~90 instructions a read (callgrind, workload A).
            while !pieces.isEmpty { pieces.removeLast() }
            head = 0
        } else if head >= 64 && head * 2 >= pieces.count {
            pieces.removeFirst(head)
            head = 0
        }
    }

    /// Removes up to `n` bytes from the front and returns them as held, nothing copied, when they
    /// lie in one stretch of a buffer (not of a generated stream); else nil, removing nothing.
    mutating func popFirstInPlace(_ n: Int) -> Payload? {
        let taken = min(max(0, n), count)
        guard taken > 0, pieces[head].count - headOffset >= taken, !pieces[head].isGenerated else { return nil }
        let payload = pieces[head].extracting(headOffset..<(headOffset + taken))
        removeFirst(taken)
        return payload
    }

    /// Removes and returns up to `n` bytes from the front, copied into one array.
    mutating func popFirst(_ n: Int) -> [UInt8] {
        var out: [UInt8] = []
        popFirst(n, into: &out)
        return out
    }

    /// Removes up to `n` bytes from the front and copies them into `buffer`, whose storage is
    /// reused (its count becomes the number of bytes).
    mutating func popFirst(_ n: Int, into buffer: inout [UInt8]) {
        let taken = min(max(0, n), count)
        guard taken > 0 else { return buffer.removeAll(keepingCapacity: true) }
        if buffer.capacity < taken { buffer.reserveCapacity(taken) }
        var index = head
        var skip = headOffset
        var written = 0
        while written < taken {
            let piece = pieces[index]
            let length = min(piece.count - skip, taken - written)
            piece.extracting(skip..<(skip + length)).withContiguousPieces { bytes in
                // The first bytes replace what the reused buffer held, in one call: emptying it
                // first, then appending, cost ~90 instructions more a read (callgrind).
                if written == 0 {
                    buffer.replaceSubrange(0..<buffer.count, with: bytes)
                } else {
                    buffer.append(contentsOf: bytes)
                }
                written += bytes.count
            }
            skip = 0
            index += 1
        }
        removeFirst(taken)
    }
}
