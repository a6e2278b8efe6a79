import Simulation
@testable import Stack
import Testing
import Tracing
import Wire

/// SEGMENT ARRIVES in LISTEN (RFC 9293 §3.10.7.2) through `TCPListener`: segments from the client
/// (10.0.0.1:40000) to the listening server port 80.
@Suite("TCP LISTEN input through TCPListener (RFC 9293 §3.10.7.2)")
struct TCPListenerTests {
    let t0 = VirtualTime.zero
    let isn = SequenceNumber(0x1234_5678)

    func fromClient(seq: UInt32, ack: UInt32? = nil, flags: TCPFlags, payload: [UInt8] = [],
                    port: UInt16 = clientEndpoint.port) -> TCPSegment {
        segment(seq: seq, ack: ack, flags: flags, payload: payload,
                from: TCPEndpoint(address: clientEndpoint.address, port: port), to: serverEndpoint)
    }

    /// Runs `segment` through `listener`, counting the ISNs it draws.
    func arrive(_ segment: TCPSegment, at listener: inout TCPListener, drawn: inout Int) -> TCPListener.Arrival {
        listener.segmentArrives(segment, from: clientEndpoint.address, now: t0) {
            drawn += 1
            return isn + UInt32(drawn - 1)
        }
    }

    /// The actions of an `.answered` arrival; records an issue for `.spawned`.
    func answered(_ arrival: TCPListener.Arrival, sourceLocation: SourceLocation = #_sourceLocation) -> [TCPAction]? {
        switch arrival {
        case .answered(let actions):
            return actions
        case .spawned(let connection, _):
            Issue.record("a connection was spawned in \(connection.state)", sourceLocation: sourceLocation)
            return nil
        }
    }

    @Test("Passive OPEN: CLOSED → LISTEN")
    func open() {
        let listener = TCPListener(configuration: .textbook, local: serverEndpoint, backlog: 0)
        #expect(listener.open() == [.stateChanged(from: .closed, to: .listen, cause: .passiveOpen)])
        #expect(listener.backlog == 1)   // at least one
    }

    @Test("First: a RST is ignored, with or without ACK: no reply, no connection", arguments: [false, true])
    func resetIgnored(withACK: Bool) throws {
        var listener = TCPListener(configuration: .textbook, local: serverEndpoint, backlog: 4)
        var drawn = 0
        let rst = fromClient(seq: 1000, ack: withACK ? 77 : nil, flags: .rst)
        let actions = try #require(answered(arrive(rst, at: &listener, drawn: &drawn)))
        #expect(actions == [.dropped(rst, reason: .rstInListen)])
        #expect(drawn == 0)
        #expect(listener.pending == 0)
    }

    @Test("Second: any ACK gets <SEQ=SEG.ACK><CTL=RST>, even on a SYN", arguments: ["ACK", "ACK with data", "SYN,ACK", "FIN,ACK"])
    func ackGetsReset(kind: String) throws {
        let incoming: TCPSegment
        switch kind {
        case "ACK": incoming = fromClient(seq: 1001, ack: 9999, flags: [])
        case "ACK with data": incoming = fromClient(seq: 1001, ack: 9999, flags: .psh, payload: pattern(10))
        case "SYN,ACK": incoming = fromClient(seq: 1000, ack: 9999, flags: .syn)
        case "FIN,ACK": incoming = fromClient(seq: 1001, ack: 9999, flags: .fin)
        default: throw TestSetupError(kind)
        }
        var listener = TCPListener(configuration: .textbook, local: serverEndpoint, backlog: 4)
        var drawn = 0
        let actions = try #require(answered(arrive(incoming, at: &listener, drawn: &drawn)))
        try #require(actions.sent.count == 1)
        let reset = actions.sent[0].header
        #expect(reset.flags == .rst)
        #expect(reset.sequenceNumber == SequenceNumber(9999))
        #expect(reset.sourcePort == serverEndpoint.port)
        #expect(reset.destinationPort == clientEndpoint.port)
        #expect(actions.drops == [.ackInListen])
        #expect(drawn == 0)   // no connection may be created, so no ISN is drawn
        #expect(listener.pending == 0)
    }

    @Test("Fourth: a segment without SYN, RST or ACK (a FIN, data, nothing) is dropped without reply (.noSYNInListen)",
          arguments: ["FIN", "FIN with data", "data", "no flags"])
    func noSYNDropped(kind: String) throws {
        let incoming: TCPSegment
        switch kind {
        case "FIN": incoming = fromClient(seq: 1001, flags: .fin)
        case "FIN with data": incoming = fromClient(seq: 1001, flags: [.fin, .psh], payload: pattern(10))
        case "data": incoming = fromClient(seq: 1001, flags: .psh, payload: pattern(10))
        case "no flags": incoming = fromClient(seq: 1001, flags: [])
        default: throw TestSetupError(kind)
        }
        var listener = TCPListener(configuration: .textbook, local: serverEndpoint, backlog: 4)
        var drawn = 0
        let actions = try #require(answered(arrive(incoming, at: &listener, drawn: &drawn)))
        #expect(actions == [.dropped(incoming, reason: .noSYNInListen)])
        #expect(drawn == 0)
        #expect(listener.pending == 0)
    }

    @Test("Third: a SYN spawns a connection in SYN-RECEIVED that sends <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>")
    func synSpawns() throws {
        var listener = TCPListener(configuration: .textbook, local: serverEndpoint, backlog: 4)
        var drawn = 0
        let syn = fromClient(seq: 1000, flags: .syn)
        guard case .spawned(let connection, let actions) = arrive(syn, at: &listener, drawn: &drawn) else {
            Issue.record("the SYN made no connection")
            return
        }
        #expect(drawn == 1)
        #expect(listener.pending == 1)
        #expect(connection.state == .synReceived)
        #expect(connection.remote == clientEndpoint)
        #expect(connection.iss == isn)
        #expect(connection.rcvNXT == SequenceNumber(1001))
        #expect(actions.transitions.map(\.from) == [.listen])
        #expect(actions.transitions.map(\.to) == [.synReceived])
        try #require(actions.sent.count == 1)
        let synACK = actions.sent[0].header
        #expect(synACK.flags == [.syn, .ack])
        #expect(synACK.sequenceNumber == isn)
        #expect(synACK.acknowledgmentNumber == SequenceNumber(1001))
        #expect(synACK.destinationPort == clientEndpoint.port)
    }

    @Test("A full backlog drops a SYN (.listenBacklogFull) without drawing an ISN; room again once one leaves the queue")
    func backlogFull() throws {
        var listener = TCPListener(configuration: .textbook, local: serverEndpoint, backlog: 1)
        var drawn = 0
        guard case .spawned = arrive(fromClient(seq: 1000, flags: .syn), at: &listener, drawn: &drawn) else {
            Issue.record("the first SYN made no connection")
            return
        }
        let second = fromClient(seq: 3000, flags: .syn, port: 40001)
        let actions = try #require(answered(arrive(second, at: &listener, drawn: &drawn)))
        #expect(actions == [.dropped(second, reason: .listenBacklogFull)])
        #expect(drawn == 1)
        #expect(listener.pending == 1)
        // Other segments are still answered by the LISTEN rules while the queue is full.
        let ack = try #require(answered(arrive(fromClient(seq: 3001, ack: 42, flags: [], port: 40002),
                                               at: &listener, drawn: &drawn)))
        #expect(ack.drops == [.ackInListen])
        #expect(ack.sent.map(\.header.sequenceNumber) == [SequenceNumber(42)])

        listener.connectionLeftQueue()
        #expect(listener.pending == 0)
        guard case .spawned(let connection, _) = arrive(second, at: &listener, drawn: &drawn) else {
            Issue.record("the retransmitted SYN made no connection")
            return
        }
        #expect(drawn == 2)
        #expect(connection.iss == isn + 1)
        #expect(connection.remote?.port == 40001)
    }
}
