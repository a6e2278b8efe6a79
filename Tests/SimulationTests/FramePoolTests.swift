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
