/// Empty action buffers with room, reused for every call into a connection (nested calls take
/// one each), so carrying out a segment's actions allocates nothing.
///
/// A stack behind a pointer, not an array of buffers: the array's `popLast` and `append` went
/// through the runtime's unspecialized array code and a generic metadata lookup, ~100
/// instructions a packet (callgrind, workload A), as `FramePool`'s array of frames did.
final class ActionBufferPool {
    /// At most this many buffers are kept (calls into connections nest a few deep at most).
    static let limit = 64

    /// The buffers kept: `buffers[0..<count]`.
    private let buffers: UnsafeMutablePointer<TCPActionList>
    @exclusivity(unchecked) private var count = 0

    init() {
        buffers = .allocate(capacity: Self.limit)
    }

    deinit {
        buffers.deinitialize(count: count)
        buffers.deallocate()
    }

    /// An empty buffer, with room when one was given back.
    func take() -> TCPActionList {
        guard count > 0 else { return TCPActionList() }
        count -= 1
        return (buffers + count).move()
    }

    /// Keeps `buffer` (emptied) for a later `take`, unless the pool is full.
    func giveBack(_ buffer: consuming TCPActionList) {
        guard count < Self.limit else { return }
        (buffers + count).initialize(to: buffer)
        count += 1
    }
}
