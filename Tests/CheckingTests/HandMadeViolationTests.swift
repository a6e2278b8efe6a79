import Checking
import Testing
import Tracing
import Wire

private let client = TraceBuilder.client
private let server = TraceBuilder.server

/// Each invariant of the catalogue against a hand-made trace that breaks exactly that rule (and no
/// other), and against its positive twin, the same ladder without the fault, on which every
/// invariant applies and holds. The twins also check the builder: its ladders are healthy TCP.
///
/// This file holds the rules about streams and states; `+Segments` the rules about segments,
/// timers, datagrams and runs.
@Suite("Each invariant against a hand-made violation and its healthy twin")
struct HandMadeViolationTests {
    @Test("the builder's whole connection (open, 100 bytes, close) is healthy under every invariant")
    func healthyConnection() {
        let trace = TraceBuilder.healthyConnection()
        expectEveryInvariantHolds(in: trace)
        #expect(trace.events.map(\.time) == trace.events.map(\.time).sorted())
        #expect(TraceAnalysis(trace).entries.count > 30)
    }

    // MARK: - Byte streams

    enum Delivery: CaseIterable { case intact, altered, moreThanSent, endTooEarly }

    /// The client sends 100 bytes; what the server's application is handed is `delivery`.
    static func streamLadder(_ delivery: Delivery) -> Trace {
        var t = TraceBuilder()
        t.openConnection()
        t.call(at: 40, client, .send(bytes: 100))
        let data = t.send(at: 40, from: client, [.ack, .psh], seq: 1001, ack: 5001, data: 100)
        t.timer(at: 40, client, .retransmission, .set(for: 1000))
        t.receive(at: 50, data)
        switch delivery {
        case .intact: t.event(at: 50, server, .message(bytes: 100, intact: true))
        case .altered: t.event(at: 50, server, .message(bytes: 100, intact: false))
        case .moreThanSent: t.event(at: 50, server, .message(bytes: 150, intact: true))
        case .endTooEarly: t.event(at: 50, server, .message(bytes: 60, intact: true))
        }
        let ack = t.send(at: 50, from: server, .ack, seq: 5001, ack: 1101)
        t.receive(at: 60, ack)
        t.timer(at: 60, client, .retransmission, .cancelled)
        t.clientCloses()   // the server's application is told `end` at 80 ms
        return t.trace
    }

    @Test("stream-integrity: altered bytes, more bytes than were sent, or an end of stream too early")
    func streamIntegrity() {
        let altered = expectOnlyViolation(of: "stream-integrity", in: Self.streamLadder(.altered))
        #expect(altered == "server:80>client:49152 received bytes out of order or altered")
        let more = expectOnlyViolation(of: "stream-integrity", in: Self.streamLadder(.moreThanSent))
        #expect(more == "server:80>client:49152 received 150 bytes but its peer sent 100")
        let early = expectOnlyViolation(of: "stream-integrity", in: Self.streamLadder(.endTooEarly))
        #expect(early == "server:80>client:49152 saw the peer's end of stream after 60 of 100 bytes")
        expectEveryInvariantHolds(in: Self.streamLadder(.intact))
    }

    @Test("stream-integrity: altered bytes are reported even when the peer's socket is not in the trace")
    func streamIntegrityWithoutPeer() {
        var t = TraceBuilder()
        t.openConnection()
        t.clientSends()
        // Drop every socket record of the client: a trace that saw only the server's application.
        let trace = t.trace
        let serverOnly = Trace(header: trace.header, events: trace.events.filter { event in
            switch event.kind {
            case .socketCall, .socketEvent: event.node == "server"
            default: true
            }
        })
        expectEveryInvariantHolds(in: serverOnly)
        let altered = Trace(header: trace.header, events: serverOnly.events.map { event in
            guard case .socketEvent(let socket, .message(let bytes, _)) = event.kind else { return event }
            return TraceEvent(time: event.time, node: event.node,
                              kind: .socketEvent(socket: socket, event: .message(bytes: bytes, intact: false)))
        })
        let message = expectOnlyViolation(of: "stream-integrity", in: altered)
        #expect(message == "server:80>client:49152 received bytes out of order or altered")
    }

    /// The client sends 100 bytes, TCP delivers and acknowledges them, and the server's
    /// application is told (or, with `delivered` false, never told); neither side closes.
    static func deliveryLadder(delivered: Bool) -> Trace {
        var t = TraceBuilder()
        t.openConnection()
        t.call(at: 40, client, .send(bytes: 100))
        let data = t.send(at: 40, from: client, [.ack, .psh], seq: 1001, ack: 5001, data: 100)
        t.timer(at: 40, client, .retransmission, .set(for: 1000))
        t.receive(at: 50, data)
        if delivered { t.event(at: 50, server, .message(bytes: 100, intact: true)) }
        let ack = t.send(at: 50, from: server, .ack, seq: 5001, ack: 1101)
        t.receive(at: 60, ack)
        t.timer(at: 60, client, .retransmission, .cancelled)
        return t.trace
    }

    @Test("reliable-delivery: a quiet run ends with acknowledged bytes never handed to the application")
    func reliableDelivery() {
        let lost = Self.deliveryLadder(delivered: false)
        let message = expectOnlyViolation(of: "reliable-delivery", in: lost)
        #expect(message == "the run ended with server:80>client:49152 having received 0 of the 100 bytes its peer "
            + "sent, and no error")
        // A run cut short at a time or event limit may still have bytes on the way.
        var cutShort = InvariantContext.handMade(rerun: lost)
        cutShort.quiesced = false
        #expect(violations(in: lost, context: cutShort).isEmpty)
        expectEveryInvariantHolds(in: Self.deliveryLadder(delivered: true))
    }

    // MARK: - States

    /// Open, 100 bytes, then the client closes first; the server's connection, on the client's
    /// FIN, goes to CLOSE-WAIT and on its application's close to LAST-ACK, or (`skipsCloseWait`)
    /// straight from ESTABLISHED to LAST-ACK.
    static func passiveCloseLadder(skipsCloseWait: Bool) -> Trace {
        var t = TraceBuilder()
        t.openConnection()
        t.clientSends()
        t.call(at: 70, client, .close)
        t.state(at: 70, client, .established, .finWait1, .close)
        let fin = t.send(at: 70, from: client, [.fin, .ack], seq: 1101, ack: 5001)
        t.timer(at: 70, client, .retransmission, .set(for: 1000))

        t.receive(at: 80, fin)
        if skipsCloseWait {
            t.state(at: 80, server, .established, .lastAck, .receivedFIN)
        } else {
            t.state(at: 80, server, .established, .closeWait, .receivedFIN)
        }
        let ackOfFIN = t.send(at: 80, from: server, .ack, seq: 5001, ack: 1102)
        t.event(at: 80, server, .end)
        t.call(at: 80, server, .close)
        if !skipsCloseWait { t.state(at: 80, server, .closeWait, .lastAck, .close) }
        let serverFIN = t.send(at: 80, from: server, [.fin, .ack], seq: 5001, ack: 1102)
        t.timer(at: 80, server, .retransmission, .set(for: 1000))

        t.receive(at: 90, ackOfFIN)
        t.timer(at: 90, client, .retransmission, .cancelled)
        t.state(at: 90, client, .finWait1, .finWait2, .receivedACKOfFIN)
        t.receive(at: 90, serverFIN)
        t.state(at: 90, client, .finWait2, .timeWait, .receivedFIN)
        let lastACK = t.send(at: 90, from: client, .ack, seq: 1102, ack: 5002)
        t.timer(at: 90, client, .timeWait, .set(for: 2000))
        t.event(at: 90, client, .end)

        t.receive(at: 100, lastACK)
        t.timer(at: 100, server, .retransmission, .cancelled)
        t.state(at: 100, server, .lastAck, .closed, .receivedACKOfFIN)
        t.event(at: 100, server, .close)

        t.timer(at: 2090, client, .timeWait, .fired)
        t.state(at: 2090, client, .timeWait, .closed, .timeWaitTimeout)
        t.event(at: 2090, client, .close)
        return t.trace
    }

    @Test("state-machine: ESTABLISHED straight to LAST-ACK is no edge of RFC 9293 Figure 5")
    func stateMachine() {
        let message = expectOnlyViolation(of: "state-machine", in: Self.passiveCloseLadder(skipsCloseWait: true))
        #expect(message == "0.080000s server:80>client:49152 ESTABLISHED -> LAST-ACK (rcv FIN) is not an RFC 9293 "
            + "transition")
        expectEveryInvariantHolds(in: Self.passiveCloseLadder(skipsCloseWait: false))
        #expect(TraceBuilder.healthyConnection().events == Self.passiveCloseLadder(skipsCloseWait: false).events)
    }

    @Test("state-machine: a change that does not start from the state the connection is in")
    func stateMachineFrom() {
        var t = TraceBuilder()
        t.openConnection()
        t.state(at: 35, client, .synSent, .established, .receivedSYNACK)   // recorded twice
        let message = expectOnlyViolation(of: "state-machine", in: t.trace)
        #expect(message == "0.035000s client:49152>server:80 changed SYN-SENT -> ESTABLISHED but was in ESTABLISHED")
    }

    @Test("state-machine: a connection's first change starts from a state it cannot have been in")
    func stateMachineFirstChange() {
        var t = TraceBuilder()
        t.state(at: 0, client, .established, .finWait1, .close)   // no OPEN, no SYN: there was no TCB
        let message = expectOnlyViolation(of: "state-machine", in: t.trace)
        #expect(message == "0.000000s client:49152>server:80 changed ESTABLISHED -> FIN-WAIT-1 but had no "
            + "connection yet (CLOSED)")
    }

    /// RFC 9293 Figure 6 with the server's connection ESTABLISHED on the client's ACK at 30 ms,
    /// or (`early`) already when it sends its SYN,ACK at 10 ms: a two-way handshake.
    static func handshakeLadder(early: Bool) -> Trace {
        var t = TraceBuilder()
        t.listen(at: 0, server)
        t.connect(at: 0, client)
        t.state(at: 0, client, .closed, .synSent, .activeOpen)
        let syn = t.send(at: 0, from: client, .syn, seq: 1000, options: [.maximumSegmentSize(1460)])
        t.timer(at: 0, client, .retransmission, .set(for: 1000))

        t.receive(at: 10, syn)
        t.state(at: 10, server, .listen, .synReceived, .receivedSYN)
        let synACK = t.send(at: 10, from: server, [.syn, .ack], seq: 5000, ack: 1001,
                            options: [.maximumSegmentSize(1460)])
        t.timer(at: 10, server, .retransmission, .set(for: 1000))
        func serverOpens(at time: Int64) {
            t.state(at: time, server, .synReceived, .established, .receivedACKOfSYN)
            t.congestion(at: time, server, cwnd: 4380, .initialWindow)
            t.accept(at: time, server)
            t.event(at: time, server, .open(remote: "client:49152"))
        }
        if early { serverOpens(at: 10) }

        t.receive(at: 20, synACK)
        t.timer(at: 20, client, .retransmission, .cancelled)
        t.state(at: 20, client, .synSent, .established, .receivedSYNACK)
        t.congestion(at: 20, client, cwnd: 4380, .initialWindow)
        let ack = t.send(at: 20, from: client, .ack, seq: 1001, ack: 5001)
        t.event(at: 20, client, .open(remote: "server:80"))

        t.receive(at: 30, ack)
        t.timer(at: 30, server, .retransmission, .cancelled)
        if !early { serverOpens(at: 30) }
        t.clientSends()
        t.clientCloses()
        return t.trace
    }

    @Test("handshake: the server is ESTABLISHED before the ACK of its SYN arrives")
    func handshake() {
        let message = expectOnlyViolation(of: "handshake", in: Self.handshakeLadder(early: true))
        #expect(message == "0.010000s server:80>client:49152 ESTABLISHED before its SYN was acknowledged")
        expectEveryInvariantHolds(in: Self.handshakeLadder(early: false))
    }

    @Test("time-wait: the active closer waits 1×MSL instead of 2×MSL")
    func timeWait() {
        var short = TraceBuilder()
        short.openConnection()
        short.clientSends()
        short.clientCloses(timeWait: 1000)
        let message = expectOnlyViolation(of: "time-wait", in: short.trace)
        #expect(message == "1.090000s client:49152>server:80 left TIME-WAIT 1.000000s after (re)starting it; "
            + "2×MSL is 2.000000s")
        var right = TraceBuilder()
        right.openConnection()
        right.clientSends()
        right.clientCloses(timeWait: 2000)
        expectEveryInvariantHolds(in: right.trace)
    }

    @Test("time-wait: the passive closer enters TIME-WAIT")
    func timeWaitPassiveCloser() {
        var t = TraceBuilder()
        t.openConnection()
        t.clientSends()
        t.clientCloses()
        // After its LAST-ACK ends at 100 ms, the server's connection goes on to TIME-WAIT.
        t.state(at: 100, server, .closed, .timeWait, .receivedACKOfFIN)
        let found = violations(in: t.trace)
        #expect(found.map(\.name) == ["state-machine", "time-wait"])   // CLOSED -> TIME-WAIT is no edge either
        #expect(found.last?.message
            == "0.100000s server:80>client:49152 entered TIME-WAIT but was not the active closer")
    }

    @Test("time-wait: TIME-WAIT ends early on a CLOSE call (RFC 9293 §3.10.4: CLOSE there is an error)")
    func timeWaitEndsOnClose() {
        var t = TraceBuilder()
        t.openConnection()
        t.clientSends()
        t.clientCloses(timeWaitEnds: false)
        t.timer(at: 500, client, .timeWait, .cancelled)
        t.state(at: 500, client, .timeWait, .closed, .close)
        let message = expectOnlyViolation(of: "time-wait", in: t.trace)
        #expect(message == "0.500000s client:49152>server:80 left TIME-WAIT on CLOSE, before its 2×MSL timeout")
        // ABORT in TIME-WAIT deletes the TCB at once (RFC 9293 §3.10.5): allowed.
        var aborted = TraceBuilder()
        aborted.openConnection()
        aborted.clientSends()
        aborted.clientCloses(timeWaitEnds: false)
        aborted.call(at: 500, client, .abort)
        aborted.timer(at: 500, client, .timeWait, .cancelled)
        aborted.state(at: 500, client, .timeWait, .closed, .abort)
        expectEveryInvariantHolds(in: aborted.trace)
    }

    // MARK: - Resets

    enum ResetReaction { case closes, goesToCloseWait, sendsAfterClosing }

    /// Open, 100 bytes, then the server's application aborts: the server sends RST and the
    /// client reacts as `reaction` says.
    static func resetLadder(_ reaction: ResetReaction) -> Trace {
        var t = TraceBuilder()
        t.openConnection()
        t.clientSends()
        t.call(at: 70, server, .abort)
        t.state(at: 70, server, .established, .closed, .abort)
        let rst = t.send(at: 70, from: server, [.rst, .ack], seq: 5001, ack: 1101)
        t.receive(at: 80, rst)
        switch reaction {
        case .closes, .sendsAfterClosing: t.state(at: 80, client, .established, .closed, .receivedRST)
        case .goesToCloseWait: t.state(at: 80, client, .established, .closeWait, .receivedRST)
        }
        t.event(at: 80, client, .error(.reset))
        if reaction == .sendsAfterClosing { t.send(at: 90, from: client, .ack, seq: 1101, ack: 5001) }
        return t.trace
    }

    @Test("rst-closes: an accepted RST that leaves the connection open, or a closed connection that still sends")
    func rstCloses() {
        let open = expectOnlyViolation(of: "rst-closes", in: Self.resetLadder(.goesToCloseWait))
        #expect(open == "0.080000s client:49152>server:80 accepted a RST but went ESTABLISHED -> CLOSE-WAIT")
        let sends = expectOnlyViolation(of: "rst-closes", in: Self.resetLadder(.sendsAfterClosing))
        #expect(sends == "0.090000s client:49152>server:80 sent a segment after it was CLOSED")
        expectEveryInvariantHolds(in: Self.resetLadder(.closes))
    }
}
