import Tracing
import Simulation
import Stack
import Testing
import Wire

@Suite("TCP ablations: each one changes behaviour observably")
struct TCPAblationTests {
    func configuration(_ ablations: TCPAblations) -> TCPConfiguration {
        var configuration = TCPConfiguration.textbook
        configuration.ablations = ablations
        return configuration
    }

    @Test("noTimeWait: FIN-WAIT-2 goes straight to CLOSED on the peer's FIN (still ACKing it)")
    func noTimeWait() {
        var connection = establishedClient(configuration(.noTimeWait))
        _ = connection.close(now: .zero)
        _ = connection.segmentArrives(segment(seq: 5001, ack: 1002, flags: []), now: .zero)
        let actions = connection.segmentArrives(segment(seq: 5001, ack: 1002, flags: .fin), now: .zero)
        #expect(connection.state == .closed)
        #expect(actions.sent.map(\.header.acknowledgmentNumber) == [SequenceNumber(5002)])
        #expect(!actions.timersSet.contains { $0.0 == .timeWait })
        var normal = establishedClient()
        _ = normal.close(now: .zero)
        _ = normal.segmentArrives(segment(seq: 5001, ack: 1002, flags: .fin), now: .zero)
        #expect(normal.state == .timeWait)
    }

    @Test("zeroISN: the SYN carries sequence number 0")
    func zeroISN() {
        var connection = TCPConnection(configuration: configuration(.zeroISN), local: clientEndpoint,
                                       remote: serverEndpoint, initialSequenceNumber: clientISS)
        let actions = connection.connect(now: .zero)
        #expect(connection.iss == SequenceNumber(0))
        #expect(actions.sent.first?.header.sequenceNumber == SequenceNumber(0))
    }

    @Test("noRetransmission: a lost SYN is never sent again")
    func noRetransmission() {
        let pair = TCPPair.unconnected(client: configuration(.noRetransmission))
        pair.filter = { _, _, _ in .drop }
        pair.perform(.client) { connection, now in connection.connect(now: now) }
        pair.run(until: VirtualTime.zero + .seconds(300))
        #expect(pair.sent(by: .client).count == 1)
        #expect(pair.client.state == .synSent)
        #expect(pair.client.runningTimers.isEmpty)
    }

    @Test("ackOffByOne: the receiver acknowledges one octet too many; the sender rejects it")
    func ackOffByOne() {
        let pair = TCPPair.established(.textbook, server: configuration(.ackOffByOne))
        pair.send(.client, pattern(10))
        pair.run(for: .milliseconds(200))
        #expect(pair.sent(by: .server).first?.segment.header.acknowledgmentNumber == SequenceNumber(1012))
        #expect(pair.actions(of: .client).drops.contains(.ackOfUnsentData))
        #expect(pair.client.sndUNA == SequenceNumber(1001))
    }

    @Test("ignoreReceiveWindow: the sender overruns a 1000-octet window")
    func ignoreReceiveWindow() {
        var honest = establishedClient(peerWindow: 1000)
        _ = honest.send(pattern(5000), now: .zero)
        #expect(honest.bytesInFlight == 1000)
        var rude = establishedClient(configuration(.ignoreReceiveWindow), peerWindow: 1000)
        _ = rude.send(pattern(5000), now: .zero)
        #expect(rude.bytesInFlight == 4380)   // the initial congestion window
    }

    @Test("acceptOutOfWindow: a blind RST far out of window resets the connection")
    func acceptOutOfWindow() {
        var connection = establishedClient(configuration(.acceptOutOfWindow))
        let actions = connection.segmentArrives(segment(seq: 5001 + 1_000_000, flags: .rst), now: .zero)
        #expect(connection.state == .closed)
        #expect(actions.errors == [.reset])
    }

    @Test("noFastRetransmit: a single loss is repaired by RTO only")
    func noFastRetransmit() {
        for (ablations, expected) in [([] as TCPAblations, TCPRetransmission.fastRetransmit),
                                      (.noFastRetransmit, .timeout)] {
            let pair = TCPPair.established(configuration(ablations))
            pair.filter = { side, _, index in side == .client && index == 5 ? .drop : .deliver }
            var offset = 0
            let data = pattern(100_000)
            while offset < data.count {
                offset += pair.send(.client, Array(data[offset...]))
                pair.run(for: .milliseconds(50))
            }
            pair.run(for: .seconds(10))
            #expect(pair.received[1] == data)
            let reasons = pair.sent(by: .client).compactMap(\.retransmission)
            #expect(reasons.first == expected)
        }
    }
}
