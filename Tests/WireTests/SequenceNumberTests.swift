import Testing
@testable import Wire

@Suite struct SequenceNumberTests {
    @Test func comparisonAcrossWrapAround() {
        #expect(SequenceNumber(0xFFFF_FFF0) < SequenceNumber(0x10))
        #expect(!(SequenceNumber(0x10) < SequenceNumber(0xFFFF_FFF0)))
        #expect(SequenceNumber(0x10) > SequenceNumber(0xFFFF_FFF0))
        #expect(SequenceNumber(5) < SequenceNumber(6))
        #expect(!(SequenceNumber(7) < SequenceNumber(7)))
    }

    @Test func distanceAndAdditionWrap() {
        #expect(SequenceNumber(0x10) - SequenceNumber(0xFFFF_FFF0) == 0x20)
        #expect(SequenceNumber(0xFFFF_FFF0) - SequenceNumber(0x10) == -0x20)
        #expect(SequenceNumber(0xFFFF_FFFF) + 1 == SequenceNumber(0))
        #expect(SequenceNumber(0) - UInt32(1) == SequenceNumber(0xFFFF_FFFF))
    }

    @Test func windowAtTheWrap() {
        let lower = SequenceNumber(0xFFFF_FFF0)
        #expect(SequenceNumber(0xFFFF_FFF0).isInWindow(from: lower, size: 0x20))
        #expect(SequenceNumber(0xFFFF_FFFF).isInWindow(from: lower, size: 0x20))
        #expect(SequenceNumber(0).isInWindow(from: lower, size: 0x20))
        #expect(SequenceNumber(0x0F).isInWindow(from: lower, size: 0x20))
        #expect(!SequenceNumber(0x10).isInWindow(from: lower, size: 0x20))  // upper edge excluded
        #expect(!SequenceNumber(0xFFFF_FFEF).isInWindow(from: lower, size: 0x20))
        #expect(!SequenceNumber(0).isInWindow(from: lower, size: 0))
    }
}
