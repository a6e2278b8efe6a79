import Simulation
@testable import Stack
import Testing
import Tracing
import Wire

/// `TCPReassemblyQueue` on its own: out-of-order data held until the gap before it is filled
/// (RFC 9293 §3.10.7.4 seventh check). Old and new bytes are told apart by their value: octets
/// already held win over a retransmission that overlaps them.
@Suite("TCP reassembly queue (RFC 9293 §3.10.7.4 seventh check)")
struct TCPReassemblyQueueTests {
    /// `count` octets of `value`.
    func bytes(_ count: Int, _ value: UInt8) -> [UInt8] { Array(repeating: value, count: count) }

    func spans(_ queue: TCPReassemblyQueue) -> [ClosedRange<UInt32>] {
        queue.ranges.map { $0.start.rawValue...($0.end.rawValue &- 1) }
    }

    @Test("Out-of-order inserts are kept sorted by sequence number")
    func sortedInserts() {
        var queue = TCPReassemblyQueue()
        queue.insert(bytes(100, 3), at: SequenceNumber(500))
        queue.insert(bytes(100, 1), at: SequenceNumber(100))
        queue.insert(bytes(100, 2), at: SequenceNumber(300))
        #expect(spans(queue) == [100...199, 300...399, 500...599])
        #expect(queue.byteCount == 300)
        #expect(!queue.isEmpty)
    }

    @Test("New data overlapping old data on the left keeps only the new octets before it")
    func overlapLeft() {
        var queue = TCPReassemblyQueue()
        queue.insert(bytes(100, 0xAA), at: SequenceNumber(100))
        queue.insert(bytes(100, 0xBB), at: SequenceNumber(50))   // 50…149
        #expect(spans(queue) == [50...99, 100...199])
        #expect(queue.byteCount == 150)
        #expect(queue.take(at: SequenceNumber(50)) == bytes(50, 0xBB) + bytes(100, 0xAA))
    }

    @Test("New data overlapping old data on the right keeps only the new octets after it")
    func overlapRight() {
        var queue = TCPReassemblyQueue()
        queue.insert(bytes(100, 0xAA), at: SequenceNumber(100))
        queue.insert(bytes(100, 0xBB), at: SequenceNumber(150))   // 150…249
        #expect(spans(queue) == [100...199, 200...249])
        #expect(queue.byteCount == 150)
        #expect(queue.take(at: SequenceNumber(100)) == bytes(100, 0xAA) + bytes(50, 0xBB))
    }

    @Test("New data containing old data is split around it; old octets are kept")
    func containsOld() {
        var queue = TCPReassemblyQueue()
        queue.insert(bytes(100, 0xAA), at: SequenceNumber(100))
        queue.insert(bytes(200, 0xBB), at: SequenceNumber(50))   // 50…249
        #expect(spans(queue) == [50...99, 100...199, 200...249])
        #expect(queue.byteCount == 200)
        #expect(queue.take(at: SequenceNumber(50)) == bytes(50, 0xBB) + bytes(100, 0xAA) + bytes(50, 0xBB))
    }

    @Test("New data inside old data, or a duplicate, adds nothing")
    func containedAndDuplicate() {
        var queue = TCPReassemblyQueue()
        queue.insert(bytes(100, 0xAA), at: SequenceNumber(100))
        queue.insert(bytes(60, 0xBB), at: SequenceNumber(120))
        queue.insert(bytes(100, 0xCC), at: SequenceNumber(100))
        queue.insert(bytes(1, 0xDD), at: SequenceNumber(199))
        #expect(spans(queue) == [100...199])
        #expect(queue.byteCount == 100)
        #expect(queue.take(at: SequenceNumber(100)) == bytes(100, 0xAA))
    }

    @Test("New data spanning several held ranges fills only the gaps between them")
    func fillsGaps() {
        var queue = TCPReassemblyQueue()
        queue.insert(bytes(100, 0xAA), at: SequenceNumber(100))
        queue.insert(bytes(100, 0xAA), at: SequenceNumber(300))
        queue.insert(bytes(500, 0xBB), at: SequenceNumber(0))
        #expect(spans(queue) == [0...99, 100...199, 200...299, 300...399, 400...499])
        #expect(queue.byteCount == 500)
        #expect(queue.take(at: SequenceNumber(0))
                == bytes(100, 0xBB) + bytes(100, 0xAA) + bytes(100, 0xBB) + bytes(100, 0xAA) + bytes(100, 0xBB))
        #expect(queue.isEmpty)
    }

    @Test("take(at:) delivers contiguous ranges in order and stops at the next gap")
    func takeStopsAtGap() {
        var queue = TCPReassemblyQueue()
        queue.insert(pattern(100, offset: 100), at: SequenceNumber(100))
        queue.insert(pattern(100, offset: 200), at: SequenceNumber(200))
        queue.insert(pattern(100, offset: 400), at: SequenceNumber(400))
        #expect(queue.take(at: SequenceNumber(0)).isEmpty)   // the gap 0…99 is still open
        #expect(queue.byteCount == 300)
        #expect(queue.take(at: SequenceNumber(100)) == pattern(200, offset: 100))
        #expect(spans(queue) == [400...499])
        #expect(queue.byteCount == 100)
    }

    @Test("take(at:) drops octets already delivered and returns the rest of a range it starts inside")
    func takeFromInside() {
        var queue = TCPReassemblyQueue()
        queue.insert(pattern(100, offset: 100), at: SequenceNumber(100))
        queue.insert(pattern(50, offset: 300), at: SequenceNumber(300))
        #expect(queue.take(at: SequenceNumber(150)) == pattern(50, offset: 150))
        #expect(spans(queue) == [300...349])
        #expect(queue.take(at: SequenceNumber(400)).isEmpty)   // wholly older than RCV.NXT: dropped
        #expect(queue.isEmpty)
    }

    @Test("Ranges either side of 2^32 sort and deliver in sequence-space order (RFC 9293 §3.4)")
    func acrossWrap() {
        var queue = TCPReassemblyQueue()
        queue.insert(pattern(100, offset: 100), at: SequenceNumber(0xFFFF_FFC0) + 100)   // 36…135 after the wrap
        queue.insert(pattern(50, offset: 50), at: SequenceNumber(0xFFFF_FFC0) + 50)   // 0xFFFF_FFF2…0x23
        #expect(queue.ranges.map(\.start) == [SequenceNumber(0xFFFF_FFF2), SequenceNumber(0x24)])
        #expect(queue.byteCount == 150)
        #expect(queue.take(at: SequenceNumber(0xFFFF_FFC0)).isEmpty)
        #expect(queue.take(at: SequenceNumber(0xFFFF_FFF2)) == pattern(150, offset: 50))
        #expect(queue.isEmpty)
    }
}
