import Simulation
import Stack
import Testing
import Tracing
import Wire

/// SEGMENT ARRIVES in SYN-SENT (RFC 9293 §3.10.7.3): the client sent its SYN (ISS 1000, SND.NXT 1001)
/// and waits; segments come from the server (port 80).
@Suite("TCP SYN-SENT input (RFC 9293 §3.10.7.3)")
struct TCPSynSentInputTests {
    let t0 = VirtualTime.zero

    func synSentClient() -> TCPConnection {
        var connection = TCPConnection(configuration: .textbook, local: clientEndpoint, remote: serverEndpoint,
                                       initialSequenceNumber: clientISS)
        _ = connection.connect(now: t0)
        return connection
    }

    /// The connection is still waiting, exactly as before, and a correct SYN,ACK still opens it.
    func expectStillWaiting(_ connection: TCPConnection, sourceLocation: SourceLocation = #_sourceLocation) {
        var connection = connection
        #expect(connection.state == .synSent, sourceLocation: sourceLocation)
        #expect(connection.sndNXT == SequenceNumber(1001), sourceLocation: sourceLocation)
        #expect(connection.deadline(of: .retransmission) == t0 + .seconds(1), sourceLocation: sourceLocation)
        let actions = connection.segmentArrives(segment(seq: 5000, ack: 1001, flags: .syn), now: t0 + .milliseconds(100))
        #expect(connection.state == .established, sourceLocation: sourceLocation)
        #expect(actions.contains(.connected), sourceLocation: sourceLocation)
        #expect(connection.rcvNXT == SequenceNumber(5001), sourceLocation: sourceLocation)
    }

    @Test("First check: SEG.ACK ≤ ISS or > SND.NXT gets <SEQ=SEG.ACK><CTL=RST>, the segment is dropped",
          arguments: [999, 1000, 1002, 0x8000_0000] as [UInt32])
    func unacceptableACK(ack: UInt32) throws {
        var connection = synSentClient()
        let actions = connection.segmentArrives(segment(seq: 5000, ack: ack, flags: []), now: t0 + .milliseconds(10))
        try #require(actions.sent.count == 1)
        let reset = actions.sent[0].header
        #expect(reset.flags == .rst)
        #expect(reset.sequenceNumber == SequenceNumber(ack))
        #expect(reset.sourcePort == clientEndpoint.port)
        #expect(reset.destinationPort == serverEndpoint.port)
        #expect(actions.drops == [.unacceptableACKInSynSent])
        #expect(actions.transitions.isEmpty)
        #expect(actions.errors.isEmpty)
        expectStillWaiting(connection)
    }

    @Test("First check: a SYN,ACK whose ACK is not ours gets a RST and its SYN is not accepted")
    func unacceptableSYNACK() throws {
        var connection = synSentClient()
        let actions = connection.segmentArrives(segment(seq: 7777, ack: 1002, flags: .syn), now: t0 + .milliseconds(10))
        #expect(actions.sent.map(\.header.flags) == [.rst])
        #expect(actions.sent.map(\.header.sequenceNumber) == [SequenceNumber(1002)])
        #expect(actions.drops == [.unacceptableACKInSynSent])
        #expect(!actions.contains(.connected))
        expectStillWaiting(connection)   // and IRS comes from the real SYN,ACK (RCV.NXT = 5001, not 7778)
    }

    @Test("First check: a RST carrying an unacceptable ACK is dropped without a reply")
    func resetWithUnacceptableACK() {
        var connection = synSentClient()
        let actions = connection.segmentArrives(segment(seq: 0, ack: 1002, flags: .rst), now: t0 + .milliseconds(10))
        #expect(actions.sent.isEmpty)
        #expect(actions.drops == [.unacceptableACKInSynSent])
        #expect(actions.errors.isEmpty)
        expectStillWaiting(connection)
    }

    @Test("Second check: a RST without ACK is dropped (.rstWithoutACKInSynSent); the connection stays in SYN-SENT")
    func resetWithoutACK() {
        var connection = synSentClient()
        let actions = connection.segmentArrives(segment(seq: 5000, flags: .rst), now: t0 + .milliseconds(10))
        #expect(actions.sent.isEmpty)
        #expect(actions.drops == [.rstWithoutACKInSynSent])
        #expect(actions.transitions.isEmpty)
        #expect(actions.errors.isEmpty)
        #expect(!actions.contains(.closed))
        expectStillWaiting(connection)
    }

    @Test("Second check: a RST whose ACK is acceptable refuses the connection (control for the test above)")
    func resetWithACK() {
        var connection = synSentClient()
        let actions = connection.segmentArrives(segment(seq: 0, ack: 1001, flags: .rst), now: t0 + .milliseconds(10))
        #expect(connection.state == .closed)
        #expect(actions.errors == [.refused])
        #expect(actions.sent.isEmpty)
    }

    @Test("Fifth check: a segment with neither SYN nor RST is dropped (.noSYNInSynSent) without a reply",
          arguments: ["acceptable ACK", "ACK with data", "FIN", "data without ACK"])
    func neitherSYNNorRST(kind: String) throws {
        let incoming: TCPSegment
        switch kind {
        case "acceptable ACK": incoming = segment(seq: 5001, ack: 1001, flags: [])
        case "ACK with data": incoming = segment(seq: 5001, ack: 1001, flags: .psh, payload: pattern(100))
        case "FIN": incoming = segment(seq: 5001, flags: .fin)
        case "data without ACK": incoming = segment(seq: 5001, flags: [], payload: pattern(100))
        default: throw TestSetupError(kind)
        }
        var connection = synSentClient()
        let actions = connection.segmentArrives(incoming, now: t0 + .milliseconds(10))
        #expect(actions == [.dropped(incoming, reason: .noSYNInSynSent)])
        #expect(connection.receiveQueueCount == 0)
        expectStillWaiting(connection)
    }
}
