import Tracing
import Simulation
import Stack
import Testing
import Wire

/// One test per transition of the RFC 9293 state diagram (Figure 5), checking the state and the segment sent.
@Suite("TCP state transitions (RFC 9293 Figure 5)")
struct TCPStateTransitionTests {
    let t0 = VirtualTime.zero

    // MARK: Fixtures

    func listener(remote: TCPEndpoint? = nil) -> TCPConnection {
        var connection = TCPConnection(configuration: .textbook, local: serverEndpoint, remote: remote,
                                       initialSequenceNumber: serverISS)
        _ = connection.listen(now: t0)
        return connection
    }

    /// A server in SYN-RECEIVED after the client's SYN (seq 1000).
    func synReceivedServer() -> TCPConnection {
        var connection = listener()
        _ = connection.segmentArrives(segment(seq: 1000, flags: .syn, from: clientEndpoint, to: serverEndpoint),
                                      from: clientEndpoint.address, now: t0)
        return connection
    }

    func synSentClient() -> TCPConnection {
        var connection = TCPConnection(configuration: .textbook, local: clientEndpoint, remote: serverEndpoint,
                                       initialSequenceNumber: clientISS)
        _ = connection.connect(now: t0)
        return connection
    }

    /// ESTABLISHED client after CLOSE: FIN sent with seq 1001.
    func finWait1Client() -> TCPConnection {
        var connection = establishedClient()
        _ = connection.close(now: t0)
        return connection
    }

    func single(_ actions: [TCPAction]) throws -> TCPSegment {
        try #require(actions.sent.count == 1, "expected one segment, got \(actions.sent)")
        return actions.sent[0]
    }

    // MARK: Opening

    @Test("CLOSED → LISTEN on passive OPEN")
    func closedToListen() {
        var connection = TCPConnection(configuration: .textbook, local: serverEndpoint, remote: nil,
                                       initialSequenceNumber: serverISS)
        let actions = connection.listen(now: t0)
        #expect(connection.state == .listen)
        #expect(actions.transitions.map(\.to) == [.listen])
        #expect(actions.sent.isEmpty)
    }

    @Test("CLOSED → SYN-SENT on active OPEN, snd SYN")
    func closedToSynSent() throws {
        var connection = TCPConnection(configuration: .textbook, local: clientEndpoint, remote: serverEndpoint,
                                       initialSequenceNumber: clientISS)
        let actions = connection.connect(now: t0)
        #expect(connection.state == .synSent)
        let syn = try single(actions)
        #expect(syn.header.flags == .syn)
        #expect(syn.header.sequenceNumber == clientISS)
        #expect(syn.header.options == [.maximumSegmentSize(1460)])
        #expect(actions.timersSet.contains { $0.0 == .retransmission && $0.1 == t0 + .seconds(1) })
        #expect(connection.sndNXT == clientISS + 1)
    }

    @Test("LISTEN → SYN-RECEIVED on rcv SYN, snd SYN,ACK")
    func listenToSynReceived() throws {
        var connection = listener()
        let actions = connection.segmentArrives(
            segment(seq: 1000, flags: .syn, options: [.maximumSegmentSize(1400)], from: clientEndpoint, to: serverEndpoint),
            from: clientEndpoint.address, now: t0)
        #expect(connection.state == .synReceived)
        #expect(connection.remote == clientEndpoint)
        let synAck = try single(actions)
        #expect(synAck.header.flags == [.syn, .ack])
        #expect(synAck.header.sequenceNumber == serverISS)
        #expect(synAck.header.acknowledgmentNumber == SequenceNumber(1001))
        #expect(synAck.header.destinationPort == clientEndpoint.port)
        #expect(connection.effectiveMSS == 1400)
    }

    @Test("LISTEN → SYN-SENT on SEND, snd SYN")
    func listenToSynSent() throws {
        var connection = listener(remote: clientEndpoint)
        let result = connection.send(pattern(10), now: t0)
        #expect(result.accepted == 10)
        #expect(connection.state == .synSent)
        let syn = try single(result.actions)
        #expect(syn.header.flags == .syn)
        #expect(syn.payload.isEmpty)
        #expect(connection.sendQueueCount == 10)
    }

    @Test("LISTEN → CLOSED on CLOSE")
    func listenToClosed() {
        var connection = listener()
        let actions = connection.close(now: t0)
        #expect(connection.state == .closed)
        #expect(actions.sent.isEmpty)
        #expect(actions.contains(.closed))
    }

    @Test("SYN-SENT → SYN-RECEIVED on rcv SYN (simultaneous open), snd SYN,ACK")
    func synSentToSynReceived() throws {
        var connection = synSentClient()
        let actions = connection.segmentArrives(segment(seq: 5000, flags: .syn), now: t0 + .milliseconds(10))
        #expect(connection.state == .synReceived)
        let synAck = try single(actions)
        #expect(synAck.header.flags == [.syn, .ack])
        #expect(synAck.header.sequenceNumber == clientISS)
        #expect(synAck.header.acknowledgmentNumber == SequenceNumber(5001))
    }

    @Test("SYN-SENT → ESTABLISHED on rcv SYN,ACK, snd ACK")
    func synSentToEstablished() throws {
        var connection = synSentClient()
        let actions = connection.segmentArrives(
            segment(seq: 5000, ack: 1001, flags: .syn, options: [.maximumSegmentSize(1200)]), now: t0 + .milliseconds(100))
        #expect(connection.state == .established)
        #expect(actions.contains(.connected))
        let ack = try single(actions)
        #expect(ack.header.flags == .ack)
        #expect(ack.header.sequenceNumber == SequenceNumber(1001))
        #expect(ack.header.acknowledgmentNumber == SequenceNumber(5001))
        #expect(connection.effectiveMSS == 1200)
        #expect(connection.srtt == .milliseconds(100))
        #expect(actions.contains(.cancelTimer(.retransmission)))
    }

    @Test("SYN-SENT → CLOSED on CLOSE")
    func synSentToClosed() {
        var connection = synSentClient()
        let actions = connection.close(now: t0)
        #expect(connection.state == .closed)
        #expect(actions.sent.isEmpty)
        #expect(actions.contains(.cancelTimer(.retransmission)))
    }

    @Test("SYN-RECEIVED → ESTABLISHED on rcv ACK of SYN")
    func synReceivedToEstablished() {
        var connection = synReceivedServer()
        let actions = connection.segmentArrives(
            segment(seq: 1001, ack: 5001, flags: [], from: clientEndpoint, to: serverEndpoint), now: t0)
        #expect(connection.state == .established)
        #expect(actions.contains(.connected))
        #expect(actions.sent.isEmpty)
        #expect(connection.sndUNA == SequenceNumber(5001))
    }

    @Test("SYN-RECEIVED → FIN-WAIT-1 on CLOSE, snd FIN")
    func synReceivedToFinWait1() throws {
        var connection = synReceivedServer()
        let actions = connection.close(now: t0)
        #expect(connection.state == .finWait1)
        let fin = try single(actions)
        #expect(fin.header.flags == [.fin, .ack])
        #expect(fin.header.sequenceNumber == SequenceNumber(5001))
    }

    @Test("SYN-RECEIVED → LISTEN on rcv RST (passive open)")
    func synReceivedToListen() {
        var connection = synReceivedServer()
        let actions = connection.segmentArrives(
            segment(seq: 1001, flags: .rst, from: clientEndpoint, to: serverEndpoint), now: t0)
        #expect(connection.state == .listen)
        #expect(actions.transitions.map(\.to) == [.listen])
        #expect(actions.sent.isEmpty)
    }

    // MARK: Closing

    @Test("ESTABLISHED → FIN-WAIT-1 on CLOSE, snd FIN")
    func establishedToFinWait1() throws {
        var connection = establishedClient()
        let actions = connection.close(now: t0)
        #expect(connection.state == .finWait1)
        let fin = try single(actions)
        #expect(fin.header.flags == [.fin, .ack])
        #expect(fin.header.sequenceNumber == SequenceNumber(1001))
        #expect(fin.header.acknowledgmentNumber == SequenceNumber(5001))
    }

    @Test("ESTABLISHED → CLOSE-WAIT on rcv FIN, snd ACK")
    func establishedToCloseWait() throws {
        var connection = establishedClient()
        let actions = connection.segmentArrives(segment(seq: 5001, ack: 1001, flags: .fin), now: t0)
        #expect(connection.state == .closeWait)
        #expect(actions.contains(.peerFinished))
        let ack = try single(actions)
        #expect(ack.header.flags == .ack)
        #expect(ack.header.acknowledgmentNumber == SequenceNumber(5002))
    }

    @Test("FIN-WAIT-1 → FIN-WAIT-2 on rcv ACK of FIN")
    func finWait1ToFinWait2() {
        var connection = finWait1Client()
        let actions = connection.segmentArrives(segment(seq: 5001, ack: 1002, flags: []), now: t0)
        #expect(connection.state == .finWait2)
        #expect(actions.sent.isEmpty)
        #expect(actions.contains(.cancelTimer(.retransmission)))
    }

    @Test("FIN-WAIT-1 → CLOSING on rcv FIN (simultaneous close), snd ACK")
    func finWait1ToClosing() throws {
        var connection = finWait1Client()
        let actions = connection.segmentArrives(segment(seq: 5001, ack: 1001, flags: .fin), now: t0)
        #expect(connection.state == .closing)
        let ack = try single(actions)
        #expect(ack.header.flags == .ack)
        #expect(ack.header.acknowledgmentNumber == SequenceNumber(5002))
    }

    @Test("FIN-WAIT-1 → TIME-WAIT on rcv FIN,ACK of our FIN, snd ACK")
    func finWait1ToTimeWait() throws {
        var connection = finWait1Client()
        let now = t0 + .milliseconds(100)
        let actions = connection.segmentArrives(segment(seq: 5001, ack: 1002, flags: .fin), now: now)
        #expect(connection.state == .timeWait)
        #expect(actions.transitions.map(\.to) == [.timeWait])
        let ack = try single(actions)
        #expect(ack.header.acknowledgmentNumber == SequenceNumber(5002))
        #expect(actions.contains(.setTimer(.timeWait, at: now + .seconds(60))))
    }

    @Test("FIN-WAIT-2 → TIME-WAIT on rcv FIN, snd ACK")
    func finWait2ToTimeWait() throws {
        var connection = finWait1Client()
        _ = connection.segmentArrives(segment(seq: 5001, ack: 1002, flags: []), now: t0)
        let actions = connection.segmentArrives(segment(seq: 5001, ack: 1002, flags: .fin), now: t0 + .seconds(1))
        #expect(connection.state == .timeWait)
        let ack = try single(actions)
        #expect(ack.header.flags == .ack)
        #expect(ack.header.acknowledgmentNumber == SequenceNumber(5002))
        #expect(connection.deadline(of: .timeWait) == t0 + .seconds(61))
    }

    @Test("CLOSING → TIME-WAIT on rcv ACK of FIN")
    func closingToTimeWait() {
        var connection = finWait1Client()
        _ = connection.segmentArrives(segment(seq: 5001, ack: 1001, flags: .fin), now: t0)
        let actions = connection.segmentArrives(segment(seq: 5002, ack: 1002, flags: []), now: t0 + .seconds(2))
        #expect(connection.state == .timeWait)
        #expect(actions.sent.isEmpty)
        #expect(actions.contains(.setTimer(.timeWait, at: t0 + .seconds(62))))
    }

    @Test("CLOSE-WAIT → LAST-ACK on CLOSE, snd FIN")
    func closeWaitToLastAck() throws {
        var connection = establishedClient()
        _ = connection.segmentArrives(segment(seq: 5001, ack: 1001, flags: .fin), now: t0)
        let actions = connection.close(now: t0)
        #expect(connection.state == .lastAck)
        let fin = try single(actions)
        #expect(fin.header.flags == [.fin, .ack])
        #expect(fin.header.sequenceNumber == SequenceNumber(1001))
        #expect(fin.header.acknowledgmentNumber == SequenceNumber(5002))
    }

    @Test("LAST-ACK → CLOSED on rcv ACK of FIN")
    func lastAckToClosed() {
        var connection = establishedClient()
        _ = connection.segmentArrives(segment(seq: 5001, ack: 1001, flags: .fin), now: t0)
        _ = connection.close(now: t0)
        let actions = connection.segmentArrives(segment(seq: 5002, ack: 1002, flags: []), now: t0)
        #expect(connection.state == .closed)
        #expect(actions.sent.isEmpty)
        #expect(actions.contains(.closed))
        #expect(actions.errors.isEmpty)
    }

    @Test("TIME-WAIT → CLOSED on timeout 2MSL")
    func timeWaitToClosed() {
        var connection = finWait1Client()
        _ = connection.segmentArrives(segment(seq: 5001, ack: 1002, flags: .fin), now: t0)
        #expect(connection.timerFires(.timeWait, now: t0 + .seconds(59)).isEmpty)   // early: ignored
        #expect(connection.state == .timeWait)
        let actions = connection.timerFires(.timeWait, now: t0 + .seconds(60))
        #expect(connection.state == .closed)
        #expect(actions.transitions.first?.cause == .timeWaitTimeout)
        #expect(actions.contains(.closed))
    }

    @Test("TIME-WAIT restarts 2MSL on a retransmitted FIN and ACKs it")
    func timeWaitRestart() throws {
        var connection = finWait1Client()
        _ = connection.segmentArrives(segment(seq: 5001, ack: 1002, flags: .fin), now: t0)
        let actions = connection.segmentArrives(segment(seq: 5001, ack: 1002, flags: .fin), now: t0 + .seconds(10))
        #expect(connection.state == .timeWait)
        #expect(try single(actions).header.acknowledgmentNumber == SequenceNumber(5002))
        #expect(connection.deadline(of: .timeWait) == t0 + .seconds(70))
    }

    // MARK: Resets and aborts

    @Test("ESTABLISHED → CLOSED on ABORT, snd RST")
    func abortSendsReset() throws {
        var connection = establishedClient()
        let actions = connection.abort(now: t0)
        #expect(connection.state == .closed)
        let rst = try single(actions)
        #expect(rst.header.flags == .rst)
        #expect(rst.header.sequenceNumber == SequenceNumber(1001))
    }

    @Test("ESTABLISHED → CLOSED on rcv RST at RCV.NXT: failed(reset)")
    func establishedReset() {
        var connection = establishedClient()
        let actions = connection.segmentArrives(segment(seq: 5001, flags: .rst), now: t0)
        #expect(connection.state == .closed)
        #expect(actions.errors == [.reset])
        #expect(actions.sent.isEmpty)
    }

    @Test("SYN-SENT → CLOSED on rcv RST,ACK of our SYN: failed(refused)")
    func synSentRefused() {
        var connection = synSentClient()
        let actions = connection.segmentArrives(segment(seq: 0, ack: 1001, flags: .rst), now: t0)
        #expect(connection.state == .closed)
        #expect(actions.errors == [.refused])
    }

    @Test("CLOSED answers a stray segment with RST")
    func closedAnswersReset() throws {
        var connection = TCPConnection(configuration: .textbook, local: clientEndpoint, remote: serverEndpoint,
                                       initialSequenceNumber: clientISS)
        let actions = connection.segmentArrives(segment(seq: 7, ack: 99, flags: [], payload: [1]), now: t0)
        let rst = try single(actions)
        #expect(rst.header.flags == .rst)
        #expect(rst.header.sequenceNumber == SequenceNumber(99))
    }

    @Test("States print their RFC names")
    func stateNames() {
        #expect(TCPState.allCases.map(\.description) == [
            "CLOSED", "LISTEN", "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2",
            "CLOSE-WAIT", "CLOSING", "LAST-ACK", "TIME-WAIT",
        ])
    }
}
