/// A FIFO of octets: the send queue (bytes from `SND.UNA` on) and the in-order receive queue.
///
/// A head index avoids moving the whole array on every ACK or read; storage is compacted once the dead
/// prefix is larger than the live bytes.
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
        if head > 4096, head * 2 > storage.count {
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
