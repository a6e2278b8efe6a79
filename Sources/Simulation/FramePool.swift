/// Frame buffers a world reuses: a host takes one to write a packet into and gives it back once
/// the packet has been received and nothing else needs it.
///
/// A frame is a byte array, so whoever still holds a given-back frame (a trace that keeps its
/// packets, a segment held for reassembly) keeps it safely: the next writer's mutation copies it
/// first, as arrays do. Frames are only given back when nothing is expected to hold them (a run
/// that keeps no trace), so that copy is rare. (A new full-sized frame per packet cost ~650
/// instructions of allocation and release; callgrind, workload A.)
///
/// Buffers are kept by their length, in a stack for each of 16 hashes of it, so that a writer who
/// asks for a length given back before (`take(preferringCount:)`) mostly gets a buffer of exactly
/// that length and need not resize it. With one stack, a bulk flow's receiver took the data frame
/// it had just given back to write an ACK into, and its sender grew that ACK's frame again for
/// data, filling it with zeros first (~100 instructions a packet; callgrind, workload A).
public final class FramePool {
    /// A new buffer has room for a frame of this many bytes.
    public static let frameCapacity = 2048
    /// Buffers with room for fewer bytes than this are not kept. (Not `frameCapacity`: a data
    /// frame copied because it was still shared, after a loss, has room for its own length
    /// only, and is worth keeping for the next frame of that length.)
    public static let smallestKept = 1024
    /// At most this many buffers are kept.
    public static let limit = stackCount * perStack
    /// Buffers with room for more than this many bytes are not kept.
    public static let largestKept = 1 << 16

    /// A stack for each hash of a length, and one more for what those have no room for.
    private static let hashCount = 16
    private static let overflow = hashCount
    private static let stackCount = hashCount + 1
    /// The most buffers one stack keeps.
    public static let perStack = 256

    /// The stacks: stack `s` holds `buffers[s * perStack ..< s * perStack + counts[s]]`, room for
    /// all allocated at once. Not arrays of arrays: appending to and popping from one went
    /// through the runtime's unspecialized array code, ~60 instructions a call, 1.4 calls a
    /// packet (callgrind, workload A).
    private let buffers: UnsafeMutablePointer<[UInt8]>
    private let counts: UnsafeMutablePointer<Int>

    public init() {
        buffers = .allocate(capacity: Self.limit)
        counts = .allocate(capacity: Self.stackCount)
        counts.initialize(repeating: 0, count: Self.stackCount)
    }

    deinit {
        for stack in 0..<Self.stackCount {
            (buffers + stack * Self.perStack).deinitialize(count: counts[stack])
        }
        buffers.deallocate()
        counts.deallocate()
    }

    /// The number of buffers kept.
    public var keptCount: Int {
        (0..<Self.stackCount).reduce(0) { $0 + counts[$1] }
    }

    /// The stack for buffers of `length` bytes (Fibonacci hashing: the top bits of the product).
    @inline(__always)
    private static func stack(forLength length: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(truncatingIfNeeded: length) &* 0x9E37_79B9_7F4A_7C15) >> 60)
    }

    /// A buffer to write a frame of up to `frameCapacity` bytes into (any count, any contents).
    public func take() -> [UInt8] {
        for stack in (0..<Self.stackCount).reversed() where counts[stack] > 0 {
            return pop(stack)
        }
        return fresh()
    }

    /// A buffer to write a frame of `count` bytes into: mostly one of exactly `count` bytes (any
    /// contents) when one of that length was given back; else one of any count, as `take()`.
    /// (Allocating rather than taking another length's buffer kept more memory: 58 MiB at
    /// `bench flows`, against 42 MiB.)
    public func take(preferringCount count: Int) -> [UInt8] {
        let stack = Self.stack(forLength: count)
        if counts[stack] > 0 { return pop(stack) }
        return take()
    }

    /// Keeps `frame`'s storage for a later `take` (unless it is too small, or too large to keep).
    public func giveBack(_ frame: consuming [UInt8]) {
        guard frame.capacity >= Self.smallestKept, frame.capacity <= Self.largestKept else { return }
        var stack = Self.stack(forLength: frame.count)
        if counts[stack] == Self.perStack {
            stack = Self.overflow
            guard counts[stack] < Self.perStack else { return }
        }
        (buffers + stack * Self.perStack + counts[stack]).initialize(to: frame)
        counts[stack] += 1
    }

    private func pop(_ stack: Int) -> [UInt8] {
        counts[stack] -= 1
        return (buffers + stack * Self.perStack + counts[stack]).move()
    }

    private func fresh() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(Self.frameCapacity)
        return buffer
    }
}
