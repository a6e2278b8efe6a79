import Simulation
import Stack
import Testing
import Tracing
import Wire

/// The receive window's edges (RFC 9293 §3.10.7.4 first and seventh checks, §3.8.6): the client has
/// a 1000-octet receive buffer, so RCV.NXT = 5001 and RCV.WND = 1000 (octets 5001…6000).
@Suite("TCP receive window trimming (RFC 9293 §3.10.7.4, §3.8.6)")
struct TCPReceiveWindowTrimTests {
    let t0 = VirtualTime.zero

    func smallWindowClient() throws -> TCPConnection {
        var configuration = TCPConfiguration.textbook
        configuration.receiveBufferSize = 1000
        let connection = establishedClient(configuration)
        try #require(connection.rcvWND == 1000)
        return connection
    }

    func data(at offset: Int, _ count: Int, flags: TCPFlags = []) -> TCPSegment {
        segment(seq: 5001 + UInt32(offset), ack: 1001, flags: flags, payload: pattern(count, offset: offset))
    }

    @Test("Seventh check: a segment that starts in the window and ends beyond it is trimmed; only in-window octets are ACKed")
    func trimmedInOrder() throws {
        var client = try smallWindowClient()
        let actions = client.segmentArrives(data(at: 0, 1500), now: t0)
        #expect(actions.contains(.dataAvailable(1000)))
        #expect(client.rcvNXT == SequenceNumber(6001))
        #expect(client.receiveQueueCount == 1000)
        try #require(actions.sent.count == 1)
        let ack = actions.sent[0].header
        #expect(ack.acknowledgmentNumber == SequenceNumber(6001))
        #expect(ack.window == 0)   // the buffer is full
        #expect(client.outOfOrderCount == 0)
        let read = client.read(maxBytes: 2000, now: t0)
        #expect(read.bytes == pattern(1000))
        // Reading opens the window again (RFC 9293 §3.8.6.2.2): a window update for the full buffer.
        #expect(read.actions.sent.map(\.header.window) == [1000])
    }

    @Test("Seventh check: an out-of-order segment running past the window is held only up to the window's edge")
    func trimmedOutOfOrder() throws {
        var client = try smallWindowClient()
        let first = client.segmentArrives(data(at: 500, 1000), now: t0)   // octets 5501…6500; 6001… is beyond
        #expect(first.sent.map(\.header.acknowledgmentNumber) == [SequenceNumber(5001)])
        #expect(client.outOfOrderCount == 500)
        let filled = client.segmentArrives(data(at: 0, 500), now: t0)
        #expect(filled.contains(.dataAvailable(1000)))
        #expect(filled.sent.map(\.header.acknowledgmentNumber) == [SequenceNumber(6001)])
        #expect(client.read(maxBytes: 2000, now: t0).bytes == pattern(1000))
    }

    @Test("Seventh check: a FIN beyond the window is trimmed with the data; the connection stays ESTABLISHED")
    func finTrimmed() throws {
        var client = try smallWindowClient()
        let actions = client.segmentArrives(data(at: 0, 1200, flags: .fin), now: t0)
        #expect(client.state == .established)
        #expect(!actions.contains(.peerFinished))
        #expect(client.rcvNXT == SequenceNumber(6001))
        #expect(actions.sent.map(\.header.acknowledgmentNumber) == [SequenceNumber(6001)])
    }

    @Test("First check: a segment wholly beyond the window is unacceptable: an ACK answers it and nothing is kept",
          arguments: [1000, 1001, 5000])
    func beyondWindow(offset: Int) throws {
        var client = try smallWindowClient()
        let incoming = data(at: offset, 10)
        let actions = client.segmentArrives(incoming, now: t0)
        #expect(actions.drops == [.outOfWindow])
        try #require(actions.sent.count == 1)
        let ack = actions.sent[0].header
        #expect(ack.flags == .ack)
        #expect(ack.sequenceNumber == SequenceNumber(1001))
        #expect(ack.acknowledgmentNumber == SequenceNumber(5001))
        #expect(ack.window == 1000)
        #expect(client.outOfOrderCount == 0)
        #expect(client.receiveQueueCount == 0)
        #expect(client.rcvNXT == SequenceNumber(5001))
    }

    @Test("First check: the last octet of the window is acceptable; a segment ending exactly at the edge is kept whole")
    func lastOctetInWindow() throws {
        var client = try smallWindowClient()
        let actions = client.segmentArrives(data(at: 999, 1), now: t0)   // octet 6000
        #expect(actions.drops.isEmpty)
        #expect(client.outOfOrderCount == 1)
        _ = client.segmentArrives(data(at: 0, 999), now: t0)
        #expect(client.rcvNXT == SequenceNumber(6001))
        #expect(client.read(maxBytes: 2000, now: t0).bytes == pattern(1000))
    }
}
