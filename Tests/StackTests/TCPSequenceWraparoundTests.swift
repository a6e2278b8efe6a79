import Simulation
import Stack
import Testing
import Tracing
import Wire

/// Initial sequence numbers just below 2^32, so the handshake, the data, a retransmission and the FIN
/// all cross the wrap (RFC 9293 §3.4: sequence space is arithmetic modulo 2^32).
@Suite("TCP sequence-number wraparound (RFC 9293 §3.4)")
struct TCPSequenceWraparoundTests {
    let t0 = VirtualTime.zero

    /// A client in CLOSED and a server in LISTEN with the given initial sequence numbers.
    func unconnectedPair(clientISN: UInt32, serverISN: UInt32) -> TCPPair {
        var listener = TCPConnection(configuration: .textbook, local: serverEndpoint, remote: nil,
                                     initialSequenceNumber: SequenceNumber(serverISN))
        _ = listener.listen(now: t0)
        let connector = TCPConnection(configuration: .textbook, local: clientEndpoint, remote: serverEndpoint,
                                      initialSequenceNumber: SequenceNumber(clientISN))
        return TCPPair(client: connector, server: listener, delay: .milliseconds(50))
    }

    /// Both sides ESTABLISHED without a handshake, with the given ISS (client) and IRS (server's ISS).
    func establishedPair(clientISS: UInt32, serverISS: UInt32) -> TCPPair {
        let client = TCPConnection.established(
            configuration: .textbook, local: clientEndpoint, remote: serverEndpoint, iss: SequenceNumber(clientISS),
            irs: SequenceNumber(serverISS), peerWindow: 65535, peerMSS: 1460)
        let server = TCPConnection.established(
            configuration: .textbook, local: serverEndpoint, remote: clientEndpoint, iss: SequenceNumber(serverISS),
            irs: SequenceNumber(clientISS), peerWindow: 65535, peerMSS: 1460)
        return TCPPair(client: client, server: server, delay: .milliseconds(50))
    }

    @Test("Handshake with ISNs 0xFFFFFFFF and 0xFFFFFF00: the SYN takes the last number, the ACK of it is 0")
    func handshake() throws {
        let pair = unconnectedPair(clientISN: 0xFFFF_FFFF, serverISN: 0xFFFF_FF00)
        pair.perform(.client) { connection, now in connection.connect(now: now) }
        pair.runUntilIdle()
        #expect(pair.client.state == .established)
        #expect(pair.server.state == .established)
        let client = pair.sent(by: .client).map(\.segment.header)
        let server = pair.sent(by: .server).map(\.segment.header)
        try #require(client.count == 2 && server.count == 1)
        #expect(client[0].flags == .syn)
        #expect(client[0].sequenceNumber == SequenceNumber(0xFFFF_FFFF))
        #expect(server[0].flags == [.syn, .ack])
        #expect(server[0].sequenceNumber == SequenceNumber(0xFFFF_FF00))
        #expect(server[0].acknowledgmentNumber == SequenceNumber(0))
        #expect(client[1].flags == .ack)
        #expect(client[1].sequenceNumber == SequenceNumber(0))
        #expect(client[1].acknowledgmentNumber == SequenceNumber(0xFFFF_FF01))
        #expect(pair.client.sndUNA == SequenceNumber(0))
        #expect(pair.server.rcvNXT == SequenceNumber(0))
    }

    @Test("After a handshake across the wrap, 50 KB each way arrives intact and both sides close")
    func handshakeDataAndClose() {
        let pair = unconnectedPair(clientISN: 0xFFFF_FFFF, serverISN: 0xFFFF_FF00)
        pair.perform(.client) { connection, now in connection.connect(now: now) }
        pair.run(for: .milliseconds(200))
        let up = pattern(50_000)
        let down = pattern(50_000, offset: 3)
        #expect(pair.send(.client, up) == up.count)
        #expect(pair.send(.server, down) == down.count)
        pair.run(for: .seconds(10))
        #expect(pair.received[1] == up)
        #expect(pair.received[0] == down)
        pair.perform(.client) { connection, now in connection.close(now: now) }
        pair.perform(.server) { connection, now in connection.close(now: now) }
        pair.runUntilIdle()
        #expect(pair.client.state == .closed)
        #expect(pair.server.state == .closed)
        // Server data started at 0xFFFFFF01: its FIN sits 50 000 octets later, past the wrap.
        let serverFIN = pair.sent(by: .server).first { $0.segment.header.flags.contains(.fin) }
        #expect(serverFIN?.segment.header.sequenceNumber == SequenceNumber(0xFFFF_FF01) + 50_000)
        #expect(pair.sent(by: .client).allSatisfy { $0.retransmission == nil })
    }

    @Test("Segments straddling the wrap carry the right sequence numbers and bytes")
    func segmentsAcrossWrap() {
        var client = TCPConnection.established(
            configuration: .textbook, local: clientEndpoint, remote: serverEndpoint, iss: SequenceNumber(0xFFFF_FF00),
            irs: serverISS, peerWindow: 65535, peerMSS: 1460)
        let sent = client.send(pattern(8760), now: t0).actions.sent
        // IW = 4380: three full segments go out, the second and third past the wrap.
        #expect(sent.map(\.header.sequenceNumber) == [
            SequenceNumber(0xFFFF_FF01), SequenceNumber(0xFFFF_FF01) + 1460, SequenceNumber(0xFFFF_FF01) + 2920,
        ])
        #expect(sent.map(\.header.sequenceNumber.rawValue) == [0xFFFF_FF01, 1205, 2665])
        #expect(sent.map(\.payload.bytes) == [pattern(1460), pattern(1460, offset: 1460), pattern(1460, offset: 2920)])
        #expect(client.bytesInFlight == 4380)
        // A cumulative ACK past the wrap frees the first two segments; slow start (cwnd 5840) sends three more.
        let acked = client.segmentArrives(segment(seq: 5001, ack: 2665, flags: []), now: t0 + .milliseconds(100))
        #expect(client.sndUNA == SequenceNumber(2665))
        #expect(client.sendQueueCount == 8760 - 2920)
        #expect(acked.sent.map(\.header.sequenceNumber.rawValue) == [4125, 5585, 7045])
        #expect(acked.sent.map(\.payload.bytes) == [4380, 5840, 7300].map { pattern(1460, offset: $0) })
    }

    @Test("RFC 6298 §5.4: an RTO retransmits the segment that straddles the wrap, and its ACK past 0 stops the timer")
    func timeoutAcrossWrap() throws {
        var client = TCPConnection.established(
            configuration: .textbook, local: clientEndpoint, remote: serverEndpoint, iss: SequenceNumber(0xFFFF_FF00),
            irs: serverISS, peerWindow: 65535, peerMSS: 1460)
        _ = client.send(pattern(1000), now: t0)
        let timeout = client.timerFires(.retransmission, now: t0 + .seconds(1))
        let resent = try #require(timeout.retransmissions.first)
        #expect(timeout.retransmissions.count == 1)
        #expect(resent.1 == .timeout)
        #expect(resent.0.header.sequenceNumber == SequenceNumber(0xFFFF_FF01))
        #expect(resent.0.payload.bytes == pattern(1000))
        let acked = client.segmentArrives(segment(seq: 5001, ack: 745, flags: []), now: t0 + .milliseconds(1100))
        #expect(client.sndUNA == SequenceNumber(745))   // 0xFFFFFF01 + 1000, modulo 2^32
        #expect(acked.contains(.cancelTimer(.retransmission)))
        #expect(client.bytesInFlight == 0)
    }

    @Test("RFC 5681 §3.2: a lost segment just before the wrap is fast-retransmitted; the receiver reassembles across 0")
    func fastRetransmitAcrossWrap() {
        // The client's data starts at 0xFFFFF001: its third segment (index 2, the one lost) straddles 0.
        let pair = establishedPair(clientISS: 0xFFFF_F000, serverISS: 0xFFFF_FFF0)
        pair.filter = { side, _, index in side == .client && index == 2 ? .drop : .deliver }
        let data = pattern(100_000)
        #expect(pair.send(.client, Array(data[..<65535])) == 65535)
        pair.run(for: .seconds(2))
        #expect(pair.send(.client, Array(data[65535...])) == data.count - 65535)
        pair.run(for: .seconds(10))
        #expect(pair.received[1] == data)
        let retransmitted = pair.sent(by: .client).filter { $0.retransmission != nil }
        #expect(retransmitted.map(\.retransmission) == [.fastRetransmit])
        #expect(retransmitted.first?.segment.header.sequenceNumber == SequenceNumber(0xFFFF_F001) + 2 * 1460)
        #expect(pair.server.rcvNXT == SequenceNumber(0xFFFF_F001) + 100_000)
        #expect(pair.server.outOfOrderCount == 0)
    }

    @Test("RFC 9293 §3.6: a FIN at 0xFFFFFFFF is acknowledged with 0; a FIN at 0 with 1; both sides close")
    func finAtTheWrap() throws {
        // Client: ISS 0xFFFFFFFD, one data octet at 0xFFFFFFFE, FIN at 0xFFFFFFFF. Server: ISS 0xFFFFFFFF, FIN at 0.
        let pair = establishedPair(clientISS: 0xFFFF_FFFD, serverISS: 0xFFFF_FFFF)
        pair.send(.client, [42])
        pair.perform(.client) { connection, now in connection.close(now: now) }
        pair.run(for: .milliseconds(300))
        #expect(pair.received[1] == [42])
        #expect(pair.client.state == .finWait2)
        #expect(pair.server.state == .closeWait)
        pair.perform(.server) { connection, now in connection.close(now: now) }
        pair.runUntilIdle()
        #expect(pair.states(.client) == [.finWait1, .finWait2, .timeWait, .closed])
        #expect(pair.states(.server) == [.closeWait, .lastAck, .closed])

        let clientFIN = try #require(pair.sent(by: .client).first { $0.segment.header.flags.contains(.fin) })
        #expect(clientFIN.segment.header.sequenceNumber == SequenceNumber(0xFFFF_FFFF))
        let serverFIN = try #require(pair.sent(by: .server).first { $0.segment.header.flags.contains(.fin) })
        #expect(serverFIN.segment.header.sequenceNumber == SequenceNumber(0))
        #expect(serverFIN.segment.header.acknowledgmentNumber == SequenceNumber(0))   // ACK of the client's FIN
        let lastACK = try #require(pair.sent(by: .client).last)
        #expect(lastACK.segment.header.flags == .ack)
        #expect(lastACK.segment.header.sequenceNumber == SequenceNumber(0))
        #expect(lastACK.segment.header.acknowledgmentNumber == SequenceNumber(1))
    }
}
