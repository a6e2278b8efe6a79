import Tracing
import Simulation
import Stack
import Testing
import Wire

@Suite("TCP opening: handshake timing, SYN loss, refusal, options")
struct TCPHandshakeTests {
    @Test("Textbook handshake at zero loss: client ESTABLISHED at 2d, server at 3d")
    func handshakeTiming() {
        let d = VirtualDuration.milliseconds(50)
        let pair = TCPPair.unconnected(delay: d)
        pair.perform(.client) { connection, now in connection.connect(now: now) }
        pair.runUntilIdle()
        #expect(pair.time(.client, entered: .established) == VirtualTime.zero + d * 2)
        #expect(pair.time(.server, entered: .established) == VirtualTime.zero + d * 3)
        #expect(pair.states(.server) == [.synReceived, .established])
        #expect(pair.sent(by: .client).map(\.segment.header.flags) == [.syn, .ack])
        #expect(pair.sent(by: .server).map(\.segment.header.flags) == [[.syn, .ack]])
    }

    @Test("SYN lost twice: retransmitted at 1 s and 3 s, then connected")
    func synLostTwice() {
        let d = VirtualDuration.milliseconds(50)
        let pair = TCPPair.unconnected(delay: d)
        pair.filter = { side, _, index in side == .client && index < 2 ? .drop : .deliver }
        pair.perform(.client) { connection, now in connection.connect(now: now) }
        pair.runUntilIdle()
        let syns = pair.sent(by: .client).filter { $0.segment.header.flags == .syn }
        #expect(syns.map(\.time) == [.zero, VirtualTime.zero + .seconds(1), VirtualTime.zero + .seconds(3)])
        #expect(syns.map(\.retransmission) == [nil, .timeout, .timeout])
        #expect(pair.time(.client, entered: .established) == VirtualTime.zero + .seconds(3) + d * 2)
        #expect(pair.server.state == .established)
        #expect(pair.client.rto == .seconds(3))   // RFC 6298 §5.7: SYN retransmitted, no sample (Karn)
    }

    @Test("SYN never answered: failed(timedOut) after synRetries, at 1+2+4+8+16+32 s")
    func synTimesOut() {
        let pair = TCPPair.unconnected()
        pair.filter = { _, _, _ in .drop }
        pair.perform(.client) { connection, now in connection.connect(now: now) }
        pair.runUntilIdle()
        let syns = pair.sent(by: .client)
        #expect(syns.count == 6)   // the SYN and five retries
        #expect(syns.map { $0.time.nanoseconds / 1_000_000_000 } == [0, 1, 3, 7, 15, 31])
        #expect(pair.actions(of: .client).errors == [.timedOut])
        #expect(pair.time(.client, entered: .closed) == VirtualTime.zero + .seconds(63))
    }

    @Test("Linux profile SYN timeout: six retries, gives up at 127 s")
    func linuxSynTimesOut() {
        let pair = TCPPair.unconnected(client: .linux())
        pair.filter = { _, _, _ in .drop }
        pair.perform(.client) { connection, now in connection.connect(now: now) }
        pair.runUntilIdle()
        #expect(pair.sent(by: .client).count == 7)
        #expect(pair.time(.client, entered: .closed) == VirtualTime.zero + .seconds(127))
    }

    @Test("Connect to a closed port: resetFor(unexpected:) gives RST,ACK; client fails with refused")
    func connectionRefused() throws {
        var client = TCPConnection(configuration: .textbook, local: clientEndpoint, remote: serverEndpoint,
                                   initialSequenceNumber: clientISS)
        let syn = try #require(client.connect(now: .zero).sent.first)
        let rst = try #require(TCPConnection.resetFor(unexpected: syn))
        #expect(rst.header.flags == [.rst, .ack])
        #expect(rst.header.sequenceNumber == SequenceNumber(0))
        #expect(rst.header.acknowledgmentNumber == clientISS + 1)
        #expect(rst.header.sourcePort == serverEndpoint.port && rst.header.destinationPort == clientEndpoint.port)
        #expect(TCPConnection.resetFor(unexpected: rst) == nil)   // never a RST for a RST
        let actions = client.segmentArrives(rst, now: VirtualTime.zero + .milliseconds(1))
        #expect(client.state == .closed)
        #expect(actions.errors == [.refused])
    }

    @Test("Simultaneous open: both sides pass SYN-RECEIVED and reach ESTABLISHED")
    func simultaneousOpen() {
        let a = TCPConnection(configuration: .textbook, local: clientEndpoint, remote: serverEndpoint,
                              initialSequenceNumber: clientISS)
        let b = TCPConnection(configuration: .textbook, local: serverEndpoint, remote: clientEndpoint,
                              initialSequenceNumber: serverISS)
        let pair = TCPPair(client: a, server: b, delay: .milliseconds(10))
        pair.perform(.client) { connection, now in connection.connect(now: now) }
        pair.perform(.server) { connection, now in connection.connect(now: now) }
        pair.runUntilIdle()
        #expect(pair.states(.client) == [.synSent, .synReceived, .established])
        #expect(pair.states(.server) == [.synSent, .synReceived, .established])
    }

    @Test("Linux options: MSS, SACK-permitted, timestamps, window scale negotiated when both offer")
    func optionNegotiation() {
        let pair = TCPPair.unconnected(client: .linux(mtu: 1500), server: .linux(mtu: 1500))
        pair.perform(.client) { connection, now in connection.connect(now: now) }
        pair.runUntilIdle()
        #expect(pair.client.state == .established && pair.server.state == .established)
        #expect(pair.client.timestampsEnabled && pair.server.timestampsEnabled)
        #expect(pair.client.sackPermitted)
        #expect(pair.client.windowScales?.send == 10)
        #expect(pair.client.effectiveMSS == 1448)   // 1460 less the 12-octet timestamps option
    }

    @Test("Options offered by one side only: no window scale, no timestamps; peer MSS default 536")
    func optionsOneSided() {
        var textbookServer = TCPConfiguration.textbook
        textbookServer.mss = 1000
        let pair = TCPPair.unconnected(client: .linux(mtu: 1500), server: textbookServer)
        pair.perform(.client) { connection, now in connection.connect(now: now) }
        pair.runUntilIdle()
        let synAck = pair.sent(by: .server)[0].segment
        #expect(synAck.header.options == [.maximumSegmentSize(1000)])
        #expect(pair.client.windowScales == nil && !pair.client.timestampsEnabled)
        #expect(pair.client.effectiveMSS == 1000)
        #expect(pair.server.effectiveMSS == 1000)

        var noMSS = TCPConnection(configuration: .textbook, local: serverEndpoint, remote: nil,
                                  initialSequenceNumber: serverISS)
        _ = noMSS.listen(now: .zero)
        _ = noMSS.segmentArrives(segment(seq: 1, flags: .syn, from: clientEndpoint, to: serverEndpoint), now: .zero)
        #expect(noMSS.effectiveMSS == 536)
    }

    @Test("SYN,ACK lost: the client's retransmitted SYN makes the server resend its SYN,ACK")
    func synAckLost() {
        let pair = TCPPair.unconnected()
        pair.filter = { side, _, index in side == .server && index == 0 ? .drop : .deliver }
        pair.perform(.client) { connection, now in connection.connect(now: now) }
        pair.runUntilIdle()
        #expect(pair.client.state == .established && pair.server.state == .established)
        #expect(pair.sent(by: .server).contains { $0.retransmission == .duplicateSYN })
    }
}
