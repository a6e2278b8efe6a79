/// A FIFO of octets: the send queue (bytes from `SND.UNA` on) and the in-order receive queue.
///
/// A head index avoids moving the whole array on every ACK or read; storage is reset when drained and
/// compacted once the dead prefix is four times the live bytes.
struct TCPByteQueue: Sendable {
    private var storage: [UInt8] = []
    private var head = 0

    var count: Int { storage.count - head }
    var isEmpty: Bool { count == 0 }

    mutating func append(contentsOf bytes: some Collection<UInt8>) {
        storage.append(contentsOf: bytes)
    }

    /// Up to `length` bytes starting `offset` bytes after the front.
    func bytes(from offset: Int, length: Int) -> [UInt8] {
        let offset = max(0, offset)
        guard offset < count, length > 0 else { return [] }
        let start = head + offset
        let end = start + min(length, count - offset)
        return Array(storage[start..<end])
    }

    mutating func removeFirst(_ n: Int) {
        head += min(n, count)
        if head == storage.count {
            // Drained: start over in the same storage, nothing to move.
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 4096, head > 4 * count {
            // Compact only when the dead prefix is four times the live bytes: each byte moves
            // at most a quarter of a time on average, and storage stays within five times the
            // live bytes (plus 4 KiB).
            storage.removeFirst(head)
            head = 0
        }
    }
}

extension TCPByteQueue {
    /// Removes and returns up to `n` bytes from the front.
    mutating func popFirst(_ n: Int) -> [UInt8] {
        let out = bytes(from: 0, length: n)
        removeFirst(out.count)
        return out
    }
}
