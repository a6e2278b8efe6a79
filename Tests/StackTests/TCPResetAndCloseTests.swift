import Tracing
import Simulation
import Stack
import Testing
import Wire

@Suite("TCP resets (RFC 5961), teardown, keepalive")
struct TCPResetAndCloseTests {
    @Test("RST at exactly RCV.NXT is accepted")
    func resetExact() {
        var connection = establishedClient()
        let actions = connection.segmentArrives(segment(seq: 5001, flags: .rst), now: .zero)
        #expect(connection.state == .closed)
        #expect(actions.errors == [.reset])
    }

    @Test("RST in window but not at RCV.NXT gets a challenge ACK and is otherwise ignored")
    func resetChallenge() throws {
        var connection = establishedClient()
        let actions = connection.segmentArrives(segment(seq: 5001 + 100, flags: .rst), now: .zero)
        #expect(connection.state == .established)
        let ack = try #require(actions.sent.first)
        #expect(actions.sent.count == 1)
        #expect(ack.header.flags == .ack)
        #expect(ack.header.sequenceNumber == SequenceNumber(1001))
        #expect(ack.header.acknowledgmentNumber == SequenceNumber(5001))
    }

    @Test("RST out of window is ignored silently")
    func resetOutOfWindow() {
        var connection = establishedClient()
        let actions = connection.segmentArrives(segment(seq: 5001 + 100_000, flags: .rst), now: .zero)
        #expect(connection.state == .established)
        #expect(actions.sent.isEmpty)
        #expect(actions.drops == [.rstOutOfWindow])
    }

    @Test("SYN in ESTABLISHED gets a challenge ACK (RFC 5961 §4)")
    func synChallenge() throws {
        var connection = establishedClient()
        let actions = connection.segmentArrives(segment(seq: 5001, flags: .syn), now: .zero)
        #expect(connection.state == .established)
        #expect(try #require(actions.sent.first).header.flags == .ack)
    }

    @Test("A data segment out of window is answered with an ACK and dropped")
    func outOfWindowData() throws {
        var connection = establishedClient()
        let actions = connection.segmentArrives(segment(seq: 5001 + 70_000, ack: 1001, flags: [], payload: [1]),
                                                now: .zero)
        #expect(actions.drops == [.outOfWindow])
        #expect(try #require(actions.sent.first).header.acknowledgmentNumber == SequenceNumber(5001))
        #expect(connection.receiveQueueCount == 0)
    }

    @Test("Simultaneous close passes CLOSING on both sides; TIME-WAIT lasts exactly 2×MSL")
    func simultaneousClose() {
        let pair = TCPPair.established()
        pair.perform(.client) { connection, now in connection.close(now: now) }
        pair.perform(.server) { connection, now in connection.close(now: now) }
        pair.run(for: .milliseconds(75))
        #expect(pair.client.state == .closing && pair.server.state == .closing)
        pair.runUntilIdle()
        #expect(pair.states(.client) == [.finWait1, .closing, .timeWait, .closed])
        #expect(pair.states(.server) == [.finWait1, .closing, .timeWait, .closed])
        let entered = pair.time(.client, entered: .timeWait)!
        #expect(pair.actions(of: .client).contains(.setTimer(.timeWait, at: entered + .seconds(60))))
        #expect(pair.time(.client, entered: .closed) == entered + .seconds(60))
    }

    @Test("Four-way teardown: the active closer waits 2×MSL in TIME-WAIT, the passive one closes at once")
    func fourWay() {
        let pair = TCPPair.established(delay: .milliseconds(50))
        pair.perform(.client) { connection, now in connection.close(now: now) }
        pair.run(for: .milliseconds(200))
        pair.perform(.server) { connection, now in connection.close(now: now) }
        pair.runUntilIdle()
        #expect(pair.states(.client) == [.finWait1, .finWait2, .timeWait, .closed])
        #expect(pair.states(.server) == [.closeWait, .lastAck, .closed])
        let entered = pair.time(.client, entered: .timeWait)!
        #expect(pair.time(.client, entered: .closed)! - entered == .seconds(60))
        #expect(pair.actions(of: .server).contains(.peerFinished))
    }

    @Test("Keepalive: idle 7200 s, 9 probes 75 s apart, then failed(timedOut) at 7875 s")
    func keepaliveGivesUp() {
        var configuration = TCPConfiguration.textbook
        configuration.keepalive = .linuxDefaults
        let pair = TCPPair.unconnected(client: configuration, delay: .milliseconds(10))
        pair.filter = { side, _, index in side == .server && index > 0 ? .drop : .deliver }   // peer unplugged
        pair.perform(.client) { connection, now in connection.connect(now: now) }
        pair.run(until: VirtualTime.zero + .seconds(10_000))
        let established = pair.time(.client, entered: .established)!
        let probes = pair.sent(by: .client).filter { $0.segment.header.flags == .ack }.dropFirst()   // not the handshake ACK
        #expect(probes.first?.segment.header.sequenceNumber == SequenceNumber(1000))   // SND.NXT − 1
        #expect(probes.first?.time == established + .seconds(7200))
        #expect(probes.count == 9)
        #expect(pair.actions(of: .client).errors == [.timedOut])
        #expect(pair.time(.client, entered: .closed) == established + .seconds(7875))
    }

    @Test("Keepalive answered: the connection stays up")
    func keepaliveAnswered() {
        var configuration = TCPConfiguration.textbook
        configuration.keepalive = TCPKeepalive(idle: .seconds(60), interval: .seconds(5), probes: 3)
        let pair = TCPPair.unconnected(client: configuration)
        pair.perform(.client) { connection, now in connection.connect(now: now) }
        pair.run(until: VirtualTime.zero + .seconds(1000))
        #expect(pair.client.state == .established)
        let probes = pair.sent(by: .client).filter { $0.time > VirtualTime.zero + .seconds(1) }
        #expect(probes.count >= 10)
    }
}
