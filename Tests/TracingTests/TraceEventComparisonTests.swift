import Testing
import Tracing

/// `isIdentical(to:)` is the `determinism` invariant's fast `==`: it must say exactly what `==` says.
@Suite struct TraceEventComparisonTests {
    static func packet(_ count: Int, flipping index: Int? = nil) -> [UInt8] {
        var bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        if let index { bytes[index] ^= 0x10 }
        return bytes
    }

    @Test("a packet differing in any one byte, in the 8-byte words or the tail, is not identical",
          arguments: [0, 7, 8, 63, 1_496, 1_499])
    func oneByteDiffers(index: Int) {
        let sent = TraceEvent(time: 5, node: "a", kind: .packetSent(bytes: Self.packet(1_500), cause: .original))
        let changed = TraceEvent(time: 5, node: "a",
                                 kind: .packetSent(bytes: Self.packet(1_500, flipping: index), cause: .original))
        #expect(sent.isIdentical(to: sent))
        #expect(!sent.isIdentical(to: changed))
        #expect(![sent].isIdentical(to: [changed]))
    }

    @Test("it agrees with == on every pair of a mixed set of events")
    func agreesWithEquality() {
        let events = [
            TraceEvent(time: 1, node: "a", kind: .packetSent(bytes: Self.packet(40), cause: .original)),
            TraceEvent(time: 1, node: "b", kind: .packetSent(bytes: Self.packet(40), cause: .original)),
            TraceEvent(time: 2, node: "a", kind: .packetSent(bytes: Self.packet(40), cause: .original)),
            TraceEvent(time: 1, node: "a", kind: .packetSent(bytes: Self.packet(41), cause: .original)),
            TraceEvent(time: 1, node: "a", kind: .packetReceived(bytes: Self.packet(40))),
            TraceEvent(time: 1, node: "a", kind: .packetDuplicated(bytes: Self.packet(40))),
            TraceEvent(time: 1, node: "a", kind: .packetDropped(bytes: Self.packet(40), reason: .loss)),
            TraceEvent(time: 1, node: "a", kind: .packetDropped(bytes: Self.packet(40), reason: .queueFull)),
            TraceEvent(time: 1, node: "a", kind: .packetReceived(bytes: Self.packet(3))),
            TraceEvent(time: 1, node: "a", kind: .packetReceived(bytes: Self.packet(3, flipping: 2))),
            TraceEvent(time: 1, node: "a", kind: .stateChanged(connection: "a:1>b:2", from: .listen, to: .synReceived,
                                                              cause: .receivedSYN)),
        ]
        for first in events {
            for second in events { #expect(first.isIdentical(to: second) == (first == second)) }
        }
        #expect(events.isIdentical(to: events))
        #expect(!events.isIdentical(to: Array(events.dropLast())))
        #expect(!events.isIdentical(to: events.reversed()))
    }
}
