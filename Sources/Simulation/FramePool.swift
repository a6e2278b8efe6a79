/// Frame buffers a world reuses: a host takes one to write a packet into and gives it back once
/// the packet has been received and nothing else needs it.
///
/// A frame is a byte array, so whoever still holds a given-back frame (a trace that keeps its
/// packets, a segment held for reassembly) keeps it safely: the next writer's mutation copies it
/// first, as arrays do. Frames are only given back when nothing is expected to hold them (a run
/// that keeps no trace), so that copy is rare. (A new full-sized frame per packet cost ~650
/// instructions of allocation and release; callgrind, workload A.)
public final class FramePool {
    /// Buffers kept have room for a frame of this many bytes; larger frames are not kept.
    public static let frameCapacity = 2048
    /// At most this many buffers are kept.
    public static let limit = 4096
    /// Buffers with room for more than this many bytes are not kept.
    public static let largestKept = 1 << 16

    /// The buffers kept, a stack: `buffers[0..<count]`, room for `limit` allocated at once. Not an
    /// array of arrays: appending to and popping from one went through the runtime's unspecialized
    /// array code, ~60 instructions a call, 1.4 calls a packet (callgrind, workload A).
    private let buffers: UnsafeMutablePointer<[UInt8]>
    @exclusivity(unchecked) private var count = 0

    public init() {
        buffers = .allocate(capacity: Self.limit)
    }

    deinit {
        buffers.deinitialize(count: count)
        buffers.deallocate()
    }

    /// A buffer to write a frame of up to `frameCapacity` bytes into (any count, any contents).
    public func take() -> [UInt8] {
        if count > 0 {
            count -= 1
            return (buffers + count).move()
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(Self.frameCapacity)
        return buffer
    }

    /// Keeps `frame`'s storage for a later `take` (unless it is too small, or too large to keep).
    public func giveBack(_ frame: consuming [UInt8]) {
        guard frame.capacity >= Self.frameCapacity, frame.capacity <= Self.largestKept, count < Self.limit else { return }
        (buffers + count).initialize(to: frame)
        count += 1
    }
}
