import Testing
import Simulation

@Suite("Frame pool")
struct FramePoolTests {
    @Test func aBufferGivenBackIsTakenAgain() {
        let pool = FramePool()
        var frame = pool.take()
        #expect(frame.capacity >= FramePool.frameCapacity)
        frame.append(contentsOf: [1, 2, 3])
        let storage = frame.withUnsafeBufferPointer { $0.baseAddress }
        pool.giveBack(frame)
        frame = []
        let again = pool.take()
        #expect(again.withUnsafeBufferPointer { $0.baseAddress } == storage)
    }

    @Test func aFrameStillHeldElsewhereIsCopiedBeforeItIsWritten() {
        let pool = FramePool()
        var frame = pool.take()
        frame.append(contentsOf: [1, 2, 3])
        let kept = frame   // say, a trace event
        pool.giveBack(frame)
        var reused = pool.take()
        reused[0] = 9
        #expect(kept == [1, 2, 3])
        #expect(reused == [9, 2, 3])
    }

    @Test func smallBuffersAreNotKept() {
        let pool = FramePool()
        pool.giveBack([1, 2, 3])
        #expect(pool.take().capacity >= FramePool.frameCapacity)
    }
}

@Suite("Frame pool: buffers by length")
struct FramePoolLengthTests {
    /// A frame of `count` bytes in a pool buffer, and where its storage is.
    static func frame(_ pool: FramePool, count: Int, byte: UInt8) -> (frame: [UInt8], storage: UnsafePointer<UInt8>?) {
        var frame = pool.take()
        frame.removeAll(keepingCapacity: true)
        frame.append(contentsOf: repeatElement(byte, count: count))
        return (frame, frame.withUnsafeBufferPointer { $0.baseAddress })
    }

    @Test func aWriterGetsTheBufferOfTheLengthItAsksFor() {
        let pool = FramePool()
        let data = Self.frame(pool, count: 1500, byte: 1)
        let ack = Self.frame(pool, count: 40, byte: 2)
        pool.giveBack(data.frame)
        pool.giveBack(ack.frame)   // on top: a single stack would hand this one out first
        let forData = pool.take(preferringCount: 1500)
        #expect(forData.count == 1500 && forData.withUnsafeBufferPointer { $0.baseAddress } == data.storage)
        let forACK = pool.take(preferringCount: 40)
        #expect(forACK.count == 40 && forACK.withUnsafeBufferPointer { $0.baseAddress } == ack.storage)
        #expect(pool.keptCount == 0)
    }

    @Test func aLengthNotGivenBackTakesAnotherLengthsBufferRatherThanAllocating() {
        let pool = FramePool()
        let data = Self.frame(pool, count: 1500, byte: 1)
        pool.giveBack(data.frame)
        let other = pool.take(preferringCount: 52)
        #expect(other.count == 1500 && other.withUnsafeBufferPointer { $0.baseAddress } == data.storage)
        #expect(pool.keptCount == 0)
        #expect(pool.take(preferringCount: 52).capacity >= FramePool.frameCapacity)   // none left: a new one
    }

    @Test func aFullStackOverflowsIntoTheSpareOneAndThenDrops() {
        let pool = FramePool()
        let frames = (0..<(FramePool.limit + 10)).map { _ in [UInt8](repeating: 0, count: 1500) + [] }
        for frame in frames { pool.giveBack(frame) }
        // One length fills its own stack and the overflow stack, no more.
        #expect(pool.keptCount == 2 * FramePool.perStack)
    }

    @Test func aCopiedDataFrameIsKeptButATinyBufferIsNot() {
        let pool = FramePool()
        var copied = [UInt8](repeating: 7, count: 1500)
        copied.reserveCapacity(1500)
        #expect(copied.capacity >= FramePool.smallestKept)
        pool.giveBack(copied)
        #expect(pool.keptCount == 1)
        pool.giveBack([UInt8](repeating: 0, count: 40))
        #expect(pool.keptCount == 1)
    }
}
