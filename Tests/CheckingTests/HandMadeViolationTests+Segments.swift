import Checking
import Testing
import Tracing
import Wire

private let client = TraceBuilder.client
private let server = TraceBuilder.server

extension HandMadeViolationTests {
    // MARK: - Acknowledgments and windows

    enum Acknowledgment { case right, beyondWhatWasSent, decreasing }

    /// Open, then 100 bytes from the client, acknowledged by the server as `acknowledgment` says.
    static func ackLadder(_ acknowledgment: Acknowledgment) -> Trace {
        var t = TraceBuilder()
        t.openConnection()
        t.call(at: 40, client, .send(bytes: 100))
        let data = t.send(at: 40, from: client, [.ack, .psh], seq: 1001, ack: 5001, data: 100)
        t.timer(at: 40, client, .retransmission, .set(for: 1000))
        t.receive(at: 50, data)
        t.event(at: 50, server, .message(bytes: 100, intact: true))
        switch acknowledgment {
        case .right, .decreasing:
            let ack = t.send(at: 50, from: server, .ack, seq: 5001, ack: 1101)
            t.receive(at: 60, ack)
            t.timer(at: 60, client, .retransmission, .cancelled)
            if acknowledgment == .decreasing {
                let old = t.send(at: 65, from: server, .ack, seq: 5001, ack: 1001)   // a window update, ACK gone back
                t.receive(at: 75, old)
            }
            t.clientCloses(at: 80)
        case .beyondWhatWasSent:
            let ack = t.send(at: 50, from: server, .ack, seq: 5001, ack: 1201)
            t.receive(at: 60, ack)
            // RFC 9293 §3.10.7.4: an ACK of something not yet sent is answered with an ACK and dropped.
            t.send(at: 60, from: client, .ack, seq: 1101, ack: 5001)
        }
        return t.trace
    }

    @Test("ack-numbers: an ACK of bytes never sent, and an ACK that goes back")
    func ackNumbers() {
        let beyond = expectOnlyViolation(of: "ack-numbers", in: Self.ackLadder(.beyondWhatWasSent))
        #expect(beyond == "0.050000s server:80>client:49152 sent ACK 1201 but its peer has sent only up to 1101")
        let back = expectOnlyViolation(of: "ack-numbers", in: Self.ackLadder(.decreasing))
        #expect(back == "0.065000s server:80>client:49152 sent ACK 1001 after ACK 1101")
        expectEveryInvariantHolds(in: Self.ackLadder(.right))
    }

    /// The server offers a window of 100 bytes; the client sends `bytes` at once.
    static func windowLadder(bytes: Int) -> Trace {
        var t = TraceBuilder()
        t.openConnection(serverWindow: 100)
        t.clientSends(bytes: bytes)
        t.clientCloses(clientFIN: 1001 + UInt32(bytes))
        return t.trace
    }

    /// cwnd is 4380 (three segments of 1460); the client sends `segments` segments of 1000 bytes at once.
    static func congestionWindowLadder(segments: Int) -> Trace {
        var t = TraceBuilder()
        t.openConnection()
        t.call(at: 40, client, .send(bytes: 1000 * segments))
        var sent: [Packet] = []
        for index in 0..<segments {
            sent.append(t.send(at: 40, from: client, .ack, seq: 1001 + 1000 * UInt32(index), ack: 5001, data: 1000))
        }
        t.timer(at: 40, client, .retransmission, .set(for: 1000))
        for packet in sent { t.receive(at: 50, packet) }
        t.event(at: 50, server, .message(bytes: 1000 * segments, intact: true))
        let ack = t.send(at: 50, from: server, .ack, seq: 5001, ack: 1001 + 1000 * UInt32(segments))
        t.receive(at: 60, ack)
        t.timer(at: 60, client, .retransmission, .cancelled)
        t.clientCloses(clientFIN: 1001 + 1000 * UInt32(segments))
        return t.trace
    }

    @Test("flight-within-window: data beyond the peer's window, and more in flight than cwnd allows")
    func flightWithinWindow() {
        let window = expectOnlyViolation(of: "flight-within-window", in: Self.windowLadder(bytes: 150))
        #expect(window == "0.040000s client:49152>server:80 sent data up to 1151, beyond the peer's window edge 1101")
        expectEveryInvariantHolds(in: Self.windowLadder(bytes: 100))
        // 6000 bytes in flight with cwnd 4380: more than cwnd plus one unreported segment of growth
        // (1000 bytes here); 5000 is within that allowance, and 4000 within cwnd itself.
        let flight = expectOnlyViolation(of: "flight-within-window", in: Self.congestionWindowLadder(segments: 6))
        #expect(flight == "0.040000s client:49152>server:80 has 6000 bytes in flight with cwnd 4380")
        expectEveryInvariantHolds(in: Self.congestionWindowLadder(segments: 5))
        expectEveryInvariantHolds(in: Self.congestionWindowLadder(segments: 4))
    }

    /// The client's ISS is 1000 and the server's `serverISS`: the handshake alone.
    static func isnLadder(serverISS: UInt32) -> Trace {
        var t = TraceBuilder()
        t.openConnection(serverISS: serverISS)
        return t.trace
    }

    @Test("isn-distinct: both ends choose ISN 1000")
    func isnDistinct() {
        let message = expectOnlyViolation(of: "isn-distinct", in: Self.isnLadder(serverISS: 1000))
        #expect(message == "0.010000s server:80>client:49152 and client:49152>server:80 both chose ISN 1000")
        expectEveryInvariantHolds(in: Self.isnLadder(serverISS: 5000))
    }

    @Test("no-data-after-fin: the client sends 10 bytes past its FIN (the link loses them)")
    func noDataAfterFIN() {
        var t = TraceBuilder()
        t.openConnection()
        t.clientSends()
        t.clientCloses()   // FIN at 1101, sent at 70 ms
        expectEveryInvariantHolds(in: t.trace)
        t.call(at: 75, client, .send(bytes: 10))
        let late = t.send(at: 75, from: client, [.ack, .psh], seq: 1102, ack: 5001, data: 10)
        t.drop(at: 80, late)
        let message = expectOnlyViolation(of: "no-data-after-fin", in: t.trace)
        #expect(message == "0.075000s client:49152>server:80 sent data up to 1112 after its FIN at 1101")
    }

    @Test("unacceptable-segment-acked: an old duplicate of acknowledged data goes unanswered")
    func unacceptableSegmentAcked() {
        func ladder(answered: Bool) -> Trace {
            var t = TraceBuilder()
            t.openConnection()
            t.call(at: 40, client, .send(bytes: 100))
            let data = t.send(at: 40, from: client, [.ack, .psh], seq: 1001, ack: 5001, data: 100)
            t.timer(at: 40, client, .retransmission, .set(for: 1000))
            t.receive(at: 50, data)
            t.event(at: 50, server, .message(bytes: 100, intact: true))
            let ack = t.send(at: 50, from: server, .ack, seq: 5001, ack: 1101)
            t.drop(at: 55, ack)
            // The client's RTO: the same 100 bytes again, which the server has already acknowledged.
            t.timer(at: 1040, client, .retransmission, .fired)
            let again = t.send(at: 1040, from: client, [.ack, .psh], seq: 1001, ack: 5001, data: 100,
                               cause: .retransmission(.timeout))
            t.timer(at: 1040, client, .retransmission, .set(for: 2000))
            t.congestion(at: 1040, client, cwnd: 1460, ssthresh: 2920, .lossWindow)
            t.receive(at: 1050, again)
            guard answered else { return t.trace }
            let reply = t.send(at: 1050, from: server, .ack, seq: 5001, ack: 1101)   // RFC 9293 §3.10.7.4: <ACK>
            t.receive(at: 1060, reply)
            t.timer(at: 1060, client, .retransmission, .cancelled)
            t.clientCloses(at: 1070)
            return t.trace
        }
        let message = expectOnlyViolation(of: "unacceptable-segment-acked", in: ladder(answered: false))
        #expect(message == "1.050000s server:80>client:49152 received an unacceptable segment (seq 1001, 100 bytes, "
            + "below the ACK 1101 it had sent) and did not answer with an ACK")
        expectEveryInvariantHolds(in: ladder(answered: true))
    }

    @Test("unacceptable-segment-acked under Linux's rules: a duplicate waits for the owed ACK; empty probes 500 ms apart")
    func unacceptableSegmentAckedUnderLinuxRules() {
        var linux = InvariantContext.handMade()
        linux.outOfWindowACKInterval = 500_000_000
        linux.duplicatesWaitForOwedACK = true
        // The server acknowledges 100 bytes (the ACK is lost), delays its ACK of the next 100, and
        // meanwhile the first 100 arrive again (wholly below the ACK it sent).
        func duplicateWhileOwed() -> Trace {
            var t = TraceBuilder()
            t.openConnection()
            t.call(at: 40, client, .send(bytes: 200))
            let first = t.send(at: 40, from: client, [.ack, .psh], seq: 1001, ack: 5001, data: 100)
            let second = t.send(at: 60, from: client, [.ack, .psh], seq: 1101, ack: 5001, data: 100)
            let again = t.send(at: 65, from: client, [.ack, .psh], seq: 1001, ack: 5001, data: 100,
                               cause: .retransmission(.tailLossProbe))
            t.receive(at: 50, first)
            t.event(at: 50, server, .message(bytes: 100, intact: true))
            let lost = t.send(at: 50, from: server, .ack, seq: 5001, ack: 1101)
            t.drop(at: 55, lost)
            t.receive(at: 70, second)
            t.event(at: 70, server, .message(bytes: 100, intact: true))
            t.receive(at: 75, again)
            let ack = t.send(at: 110, from: server, .ack, seq: 5001, ack: 1201)
            t.receive(at: 120, ack)
            t.clientCloses(at: 130, clientFIN: 1201)
            return t.trace
        }
        #expect(violations(in: duplicateWhileOwed(), context: linux).isEmpty)
        #expect(violations(in: duplicateWhileOwed()).map(\.name).contains("unacceptable-segment-acked"))
        // Two empty segments below RCV.NXT (keepalive-like probes), `gap` ms apart; the server answers the first.
        func probes(gap: Int64) -> Trace {
            var t = TraceBuilder()
            t.openConnection()
            let first = t.send(at: 100, from: client, .ack, seq: 1000, ack: 5001)
            t.receive(at: 110, first)
            let answer = t.send(at: 110, from: server, .ack, seq: 5001, ack: 1001)
            t.receive(at: 120, answer)
            let second = t.send(at: 100 + gap, from: client, .ack, seq: 1000, ack: 5001)
            t.receive(at: 110 + gap, second)
            t.clientCloses(at: 200 + gap)
            return t.trace
        }
        #expect(violations(in: probes(gap: 440), context: linux).isEmpty)
        let late = violations(in: probes(gap: 600), context: linux)
        #expect(late.map(\.name) == ["unacceptable-segment-acked"], "\(late)")
        #expect(violations(in: probes(gap: 440)).map(\.name) == ["unacceptable-segment-acked"])
    }

    // MARK: - Timers and loss recovery

    /// The client's SYN is lost; its RTO (1 s) fires and the SYN goes again with the timer re-armed
    /// for `rearmed` ms (or, with nil, not re-armed); the handshake then completes a second later
    /// than usual.
    static func synLostLadder(rearmed: Int64?) -> Trace {
        var t = TraceBuilder()
        t.listen(at: 0, server)
        t.connect(at: 0, client)
        t.state(at: 0, client, .closed, .synSent, .activeOpen)
        let syn = t.send(at: 0, from: client, .syn, seq: 1000, options: [.maximumSegmentSize(1460)])
        t.timer(at: 0, client, .retransmission, .set(for: 1000))
        t.drop(at: 5, syn)

        t.timer(at: 1000, client, .retransmission, .fired)
        let again = t.send(at: 1000, from: client, .syn, seq: 1000, options: [.maximumSegmentSize(1460)],
                           cause: .retransmission(.timeout))
        if let rearmed { t.timer(at: 1000, client, .retransmission, .set(for: rearmed)) }

        t.receive(at: 1010, again)
        t.state(at: 1010, server, .listen, .synReceived, .receivedSYN)
        let synACK = t.send(at: 1010, from: server, [.syn, .ack], seq: 5000, ack: 1001,
                            options: [.maximumSegmentSize(1460)])
        t.timer(at: 1010, server, .retransmission, .set(for: 1000))

        t.receive(at: 1020, synACK)
        t.timer(at: 1020, client, .retransmission, .cancelled)
        t.state(at: 1020, client, .synSent, .established, .receivedSYNACK)
        t.congestion(at: 1020, client, cwnd: 1460, .initialWindow)   // RFC 5681 §3.1: one segment after a lost SYN
        let ack = t.send(at: 1020, from: client, .ack, seq: 1001, ack: 5001)
        t.event(at: 1020, client, .open(remote: "server:80"))

        t.receive(at: 1030, ack)
        t.timer(at: 1030, server, .retransmission, .cancelled)
        t.state(at: 1030, server, .synReceived, .established, .receivedACKOfSYN)
        t.congestion(at: 1030, server, cwnd: 4380, .initialWindow)
        t.accept(at: 1030, server)
        t.event(at: 1030, server, .open(remote: "client:49152"))
        t.clientSends(at: 1040)
        t.clientCloses(at: 1070)
        return t.trace
    }

    @Test("rto-backoff: the RTO re-armed with the same 1 s after it expired, or not at all; and the cap")
    func rtoBackoff() {
        let message = expectOnlyViolation(of: "rto-backoff", in: Self.synLostLadder(rearmed: 1000))
        #expect(message == "1.000000s client:49152>server:80 re-armed its RTO for 1000 ms after one of 1000 ms "
            + "expired (expected 2000 ms)")
        expectEveryInvariantHolds(in: Self.synLostLadder(rearmed: 2000))

        // RFC 6298 §5.6: the timer is started again with the retransmission.
        let unarmed = expectOnlyViolation(of: "rto-backoff", in: Self.synLostLadder(rearmed: nil))
        #expect(unarmed == "1.000000s client:49152>server:80 resent on its RTO's expiry but did not re-arm the timer")

        // RFC 6298 §2.5: with a maximum of 1.5 s, the doubled RTO is 1.5 s, and 2 s is too long.
        func capped(_ trace: Trace) -> InvariantContext {
            var context = InvariantContext.handMade(rerun: trace)
            context.maximumRTO = 1_500_000_000
            return context
        }
        let uncapped = Self.synLostLadder(rearmed: 2000)
        let tooLong = expectOnlyViolation(of: "rto-backoff", in: uncapped, context: capped(uncapped))
        #expect(tooLong.hasSuffix("expired (expected 1500 ms)"), "\(tooLong)")
        let cappedRight = Self.synLostLadder(rearmed: 1500)
        expectEveryInvariantHolds(in: cappedRight, context: capped(cappedRight))
    }

    enum AfterThreeACKs { case retransmits, waitsForRTO }

    /// The client sends four segments of 100 bytes; the link loses the first. The server answers
    /// each of the other three with an ACK of 1001 advertising the window in `windows`; the
    /// client then does what `reaction` says, and the connection closes.
    static func fastRetransmitLadder(windows: [UInt16], _ reaction: AfterThreeACKs) -> Trace {
        var t = TraceBuilder()
        t.openConnection()   // the SYN,ACK advertised 65535
        t.call(at: 40, client, .send(bytes: 400))
        var segments: [Packet] = []
        for index in 0..<UInt32(4) {
            segments.append(t.send(at: 40, from: client, .ack, seq: 1001 + 100 * index, ack: 5001, data: 100))
        }
        t.timer(at: 40, client, .retransmission, .set(for: 1000))
        t.drop(at: 45, segments[0])
        var acks: [Packet] = []
        for (segment, window) in zip(segments.dropFirst(), windows) {
            t.receive(at: 50, segment)
            acks.append(t.send(at: 50, from: server, .ack, seq: 5001, ack: 1001, window: window))
        }
        for ack in acks { t.receive(at: 60, ack) }

        let resent: Int64
        let retransmission: Packet
        switch reaction {
        case .retransmits:   // RFC 5681 §3.2 steps 2 and 3
            resent = 60
            retransmission = t.send(at: 60, from: client, .ack, seq: 1001, ack: 5001, data: 100,
                                    cause: .retransmission(.fastRetransmit))
            t.congestion(at: 60, client, cwnd: 2920 + 3 * 1460, ssthresh: 2920, .fastRetransmit)
        case .waitsForRTO:
            resent = 1040
            t.timer(at: 1040, client, .retransmission, .fired)
            retransmission = t.send(at: 1040, from: client, .ack, seq: 1001, ack: 5001, data: 100,
                                    cause: .retransmission(.timeout))
            t.timer(at: 1040, client, .retransmission, .set(for: 2000))
            t.congestion(at: 1040, client, cwnd: 1460, ssthresh: 2920, .lossWindow)
        }
        t.receive(at: resent + 10, retransmission)
        t.event(at: resent + 10, server, .message(bytes: 400, intact: true))
        let full = t.send(at: resent + 10, from: server, .ack, seq: 5001, ack: 1401)
        t.receive(at: resent + 20, full)
        t.timer(at: resent + 20, client, .retransmission, .cancelled)
        if reaction == .retransmits { t.congestion(at: resent + 20, client, cwnd: 2920, ssthresh: 2920, .fullACK) }
        t.clientCloses(at: resent + 30, clientFIN: 1401)
        return t.trace
    }

    @Test("fast-retransmit: three duplicate ACKs (RFC 5681 §2) and no retransmission until the RTO")
    func fastRetransmit() {
        let same: [UInt16] = [65535, 65535, 65535]
        let waits = Self.fastRetransmitLadder(windows: same, .waitsForRTO)
        let message = expectOnlyViolation(of: "fast-retransmit", in: waits)
        #expect(message == "0.060000s client:49152>server:80 got a third duplicate ACK for 1001 and did not retransmit")
        expectEveryInvariantHolds(in: Self.fastRetransmitLadder(windows: same, .retransmits))
        // Each ACK advertises a different window: window updates, not duplicates (§2 (e)); nothing is due.
        let shrinking: [UInt16] = [65435, 65335, 65235]
        expectEveryInvariantHolds(in: Self.fastRetransmitLadder(windows: shrinking, .waitsForRTO))
    }

    // MARK: - Packets

    enum ChecksumCase { case intact, corruptedAccepted, corruptedDropped }

    /// 100 bytes from the client whose TCP checksum the link corrupts (or not); the server's IP
    /// layer accepts the bad packet, or drops it so that the client's RTO sends it again.
    static func checksumLadder(_ fault: ChecksumCase) -> Trace {
        var t = TraceBuilder()
        t.openConnection()
        t.call(at: 40, client, .send(bytes: 100))
        let data = t.send(at: 40, from: client, [.ack, .psh], seq: 1001, ack: 5001, data: 100)
        t.timer(at: 40, client, .retransmission, .set(for: 1000))
        let checksumOffset = 20 + 16   // the TCP checksum, after a 20-octet IPv4 header
        var delivered = data
        var arrival: Int64 = 50
        switch fault {
        case .intact:
            break
        case .corruptedAccepted:
            delivered = data.corrupted(at: checksumOffset)
        case .corruptedDropped:
            t.append(at: 50, node: "server", .packetDropped(bytes: data.corrupted(at: checksumOffset).bytes,
                                                              reason: .badChecksum(field: "TCP.checksum")))
            t.timer(at: 1040, client, .retransmission, .fired)
            delivered = t.send(at: 1040, from: client, [.ack, .psh], seq: 1001, ack: 5001, data: 100,
                               cause: .retransmission(.timeout))
            t.timer(at: 1040, client, .retransmission, .set(for: 2000))
            t.congestion(at: 1040, client, cwnd: 1460, ssthresh: 2920, .lossWindow)
            arrival = 1050
        }
        t.receive(at: arrival, delivered)
        t.event(at: arrival, server, .message(bytes: 100, intact: true))
        let ack = t.send(at: arrival, from: server, .ack, seq: 5001, ack: 1101)
        t.receive(at: arrival + 10, ack)
        t.timer(at: arrival + 10, client, .retransmission, .cancelled)
        t.clientCloses(at: arrival + 20)
        return t.trace
    }

    @Test("checksum-drop: the server's IP layer accepts a segment whose TCP checksum fails")
    func checksumDrop() {
        let message = expectOnlyViolation(of: "checksum-drop", in: Self.checksumLadder(.corruptedAccepted))
        #expect(message.hasPrefix("0.050000s server accepted a packet that fails its checksum: "), "\(message)")
        #expect(message.contains("TCP.checksum"), "\(message)")
        expectEveryInvariantHolds(in: Self.checksumLadder(.intact))
        expectEveryInvariantHolds(in: Self.checksumLadder(.corruptedDropped))
    }

    enum DatagramCase { case once, forged, twice, twiceDuplicatedByTheLink }

    /// A UDP datagram of 20 bytes from client:5000 to server:9, delivered as `delivery` says.
    static func datagramLadder(_ delivery: DatagramCase) -> Trace {
        let client = Side(local: Endpoint(host: "client", address: IPv4Address(10, 0, 0, 1), port: 5000),
                          remote: Endpoint(host: "server", address: IPv4Address(10, 0, 0, 2), port: 9))
        let server = client.peer
        var t = TraceBuilder()
        t.bindUDP(at: 0, server)
        t.bindUDP(at: 0, client)
        let datagram = t.sendDatagram(at: 0, from: client, bytes: 20)
        t.receive(at: 10, datagram)
        t.datagramEvent(at: 10, server, bytes: 20)
        switch delivery {
        case .once:
            break
        case .forged:
            t.receive(at: 12, t.forgeDatagram(from: client, bytes: 20))
            t.datagramEvent(at: 12, server, bytes: 20)
        case .twice, .twiceDuplicatedByTheLink:
            if delivery == .twiceDuplicatedByTheLink { t.duplicate(at: 10, datagram) }
            t.receive(at: 11, datagram)
            t.datagramEvent(at: 11, server, bytes: 20)
        }
        return t.trace
    }

    @Test("udp-delivery: a datagram nobody sent, and one delivered twice that the link did not duplicate")
    func udpDelivery() {
        let forged = expectOnlyViolation(of: "udp-delivery", in: Self.datagramLadder(.forged))
        #expect(forged == "0.012000s server accepted a UDP datagram nobody sent")
        let twice = expectOnlyViolation(of: "udp-delivery", in: Self.datagramLadder(.twice))
        #expect(twice == "0.011000s server accepted a UDP datagram more often than it was sent and duplicated")
        expectEveryInvariantHolds(in: Self.datagramLadder(.once))
        expectEveryInvariantHolds(in: Self.datagramLadder(.twiceDuplicatedByTheLink))
    }

    // MARK: - Runs

    @Test("determinism: a second run that differs at one event, or stops early")
    func determinism() {
        let trace = TraceBuilder.healthyConnection()
        var changed = trace
        changed.events[6].time += 1
        let message = expectOnlyViolation(of: "determinism", in: trace, context: .handMade(rerun: changed))
        #expect(message == "the second run differs at event 7 of \(trace.events.count)")
        var shorter = trace
        shorter.events.removeLast(3)
        let early = expectOnlyViolation(of: "determinism", in: trace, context: .handMade(rerun: shorter))
        #expect(early == "the second run differs at event \(trace.events.count - 2) of \(trace.events.count)")
        expectEveryInvariantHolds(in: trace, context: .handMade(rerun: trace))
    }
}
