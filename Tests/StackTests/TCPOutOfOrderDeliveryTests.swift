import Simulation
import Stack
import Testing
import Tracing
import Wire

/// Out-of-order segments through the connection: a duplicate ACK at once, and an immediate ACK when a
/// gap is (partly) filled (RFC 5681 §4.2, RFC 9293 §3.10.7.4), even with delayed ACKs on.
@Suite("TCP out-of-order delivery (RFC 5681 §4.2, RFC 9293 §3.10.7.4)")
struct TCPOutOfOrderDeliveryTests {
    /// A client that would otherwise delay its ACKs by 200 ms.
    func delayingClient() -> TCPConnection {
        var configuration = TCPConfiguration.textbook
        configuration.delayedACK = .milliseconds(200)
        return establishedClient(configuration)
    }

    /// `count` octets of the server's stream starting `offset` octets after RCV.NXT = 5001.
    func data(at offset: Int, _ count: Int) -> TCPSegment {
        segment(seq: 5001 + UInt32(offset), ack: 1001, flags: [], payload: pattern(count, offset: offset))
    }

    func single(_ actions: [TCPAction]) throws -> TCPSegment {
        try #require(actions.sent.count == 1, "expected one segment, got \(actions.sent)")
        return actions.sent[0]
    }

    @Test("In order, no gap: the ACK is delayed (control for the tests below)")
    func inOrderIsDelayed() {
        var client = delayingClient()
        let actions = client.segmentArrives(data(at: 0, 500), now: .zero)
        #expect(actions.sent.isEmpty)
        #expect(actions.contains(.setTimer(.delayedACK, at: VirtualTime.zero + .milliseconds(200))))
        #expect(actions.contains(.dataAvailable(500)))
    }

    @Test("RFC 5681 §4.2: an out-of-order segment gets an immediate duplicate ACK and is held")
    func outOfOrderDuplicateACK() throws {
        var client = delayingClient()
        let first = client.segmentArrives(data(at: 1000, 500), now: .zero)
        let ack = try single(first)
        #expect(ack.header.flags == .ack)
        #expect(ack.header.sequenceNumber == SequenceNumber(1001))
        #expect(ack.header.acknowledgmentNumber == SequenceNumber(5001))   // RCV.NXT unchanged
        #expect(ack.payload.isEmpty)
        #expect(first.timersSet.isEmpty)
        #expect(!first.contains { if case .dataAvailable = $0 { true } else { false } })
        #expect(client.outOfOrderCount == 500)
        #expect(client.rcvNXT == SequenceNumber(5001))

        let second = client.segmentArrives(data(at: 2000, 500), now: VirtualTime.zero + .milliseconds(1))
        #expect(try single(second).header.acknowledgmentNumber == SequenceNumber(5001))
        #expect(client.outOfOrderCount == 1000)
        #expect(client.receiveQueueCount == 0)
    }

    @Test("RFC 5681 §4.2: a segment that fills part of a gap is ACKed at once up to the next hole")
    func partlyFilled() throws {
        var client = delayingClient()
        _ = client.segmentArrives(data(at: 1000, 500), now: .zero)
        _ = client.segmentArrives(data(at: 2000, 500), now: .zero)
        let actions = client.segmentArrives(data(at: 0, 1000), now: VirtualTime.zero + .milliseconds(5))
        #expect(try single(actions).header.acknowledgmentNumber == SequenceNumber(5001 + 1500))
        #expect(actions.contains(.dataAvailable(1500)))
        #expect(client.outOfOrderCount == 500)
    }

    @Test("RFC 9293 §3.10.7.4: filling the last hole delivers everything in order and ACKs the whole")
    func filled() throws {
        var client = delayingClient()
        _ = client.segmentArrives(data(at: 1000, 500), now: .zero)
        _ = client.segmentArrives(data(at: 2000, 500), now: .zero)
        _ = client.segmentArrives(data(at: 1800, 400), now: .zero)   // overlaps the held 2000…2499
        _ = client.segmentArrives(data(at: 0, 1000), now: VirtualTime.zero + .milliseconds(5))
        let actions = client.segmentArrives(data(at: 1500, 300), now: VirtualTime.zero + .milliseconds(6))
        let ack = try single(actions)
        #expect(ack.header.acknowledgmentNumber == SequenceNumber(5001 + 2500))
        #expect(actions.contains(.dataAvailable(2500)))
        #expect(client.outOfOrderCount == 0)
        #expect(client.rcvNXT == SequenceNumber(5001 + 2500))
        #expect(client.read(maxBytes: 10_000, now: VirtualTime.zero + .milliseconds(7)).bytes == pattern(2500))
    }
}
