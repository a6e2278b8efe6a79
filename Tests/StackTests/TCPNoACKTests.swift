import Simulation
import Stack
import Testing
import Tracing
import Wire

/// RFC 9293 §3.10.7.4 fifth check: "if the ACK bit is off, drop the segment and return", in every state
/// after SYN-SENT. The segment is acceptable (at RCV.NXT, inside the window) and carries data or a FIN;
/// it must change nothing at all.
@Suite("TCP segments without ACK in synchronized states (RFC 9293 §3.10.7.4 fifth check)")
struct TCPNoACKTests {
    let t0 = VirtualTime.zero

    /// A client (ISS 1000, IRS 5000) brought into `state` by the usual calls and segments.
    func connection(in state: TCPState) throws -> TCPConnection {
        var connection = establishedClient()
        let peerFIN = segment(seq: 5001, ack: 1001, flags: .fin)
        switch state {
        case .established:
            break
        case .finWait1:
            _ = connection.close(now: t0)
        case .finWait2:
            _ = connection.close(now: t0)
            _ = connection.segmentArrives(segment(seq: 5001, ack: 1002, flags: []), now: t0)
        case .closeWait:
            _ = connection.segmentArrives(peerFIN, now: t0)
        case .closing:
            _ = connection.close(now: t0)
            _ = connection.segmentArrives(peerFIN, now: t0)
        case .lastAck:
            _ = connection.segmentArrives(peerFIN, now: t0)
            _ = connection.close(now: t0)
        case .timeWait:
            _ = connection.close(now: t0)
            _ = connection.segmentArrives(segment(seq: 5001, ack: 1002, flags: .fin), now: t0)
        case .synReceived:
            connection = TCPConnection(configuration: .textbook, local: serverEndpoint, remote: nil,
                                       initialSequenceNumber: serverISS)
            _ = connection.listen(now: t0)
            _ = connection.segmentArrives(segment(seq: 1000, flags: .syn, from: clientEndpoint, to: serverEndpoint),
                                          from: clientEndpoint.address, now: t0)
        case .closed, .listen, .synSent:
            throw TestSetupError("\(state) is not a state of §3.10.7.4")
        }
        try #require(connection.state == state)
        return connection
    }

    /// What the peer of `connection` sends without ACK: data (and a FIN when `fin`) at RCV.NXT.
    func withoutACK(to connection: TCPConnection, fin: Bool) -> TCPSegment {
        let peer = connection.remote ?? serverEndpoint
        return segment(seq: connection.rcvNXT.rawValue, flags: fin ? [.fin, .psh] : .psh, window: 1000,
                       payload: pattern(100), from: peer, to: connection.local)
    }

    @Test("Data and a FIN without ACK are dropped (.noACK) and change nothing",
          arguments: [TCPState.synReceived, .established, .finWait1, .finWait2, .closeWait, .closing, .lastAck, .timeWait],
          [false, true])
    func dropped(state: TCPState, fin: Bool) throws {
        var connection = try connection(in: state)
        let before = connection.variables
        let timers = connection.runningTimers.map { "\($0.timer)@\($0.deadline)" }
        let incoming = withoutACK(to: connection, fin: fin)
        let actions = connection.segmentArrives(incoming, now: t0 + .milliseconds(100))
        #expect(actions == [.dropped(incoming, reason: .noACK)])   // no reply, no timer, no data, no state change
        #expect(connection.state == state)
        #expect(connection.variables == before)   // RCV.NXT, SND.UNA, SND.WND (not the segment's 1000) …
        #expect(connection.receiveQueueCount == 0)
        #expect(connection.outOfOrderCount == 0)
        #expect(connection.runningTimers.map { "\($0.timer)@\($0.deadline)" } == timers)
    }

    @Test("A bare FIN without ACK in ESTABLISHED does not move the connection to CLOSE-WAIT")
    func bareFIN() throws {
        var connection = try connection(in: .established)
        let fin = segment(seq: 5001, flags: .fin)
        let actions = connection.segmentArrives(fin, now: t0)
        #expect(actions == [.dropped(fin, reason: .noACK)])
        #expect(connection.state == .established)
        #expect(connection.rcvNXT == SequenceNumber(5001))
        // The same FIN with ACK is taken (control).
        let accepted = connection.segmentArrives(segment(seq: 5001, ack: 1001, flags: .fin), now: t0)
        #expect(connection.state == .closeWait)
        #expect(accepted.contains(.peerFinished))
    }
}
