import Simulation
import Stack
import Testing
import Tracing
import Wire

/// NewReno loss recovery on one connection, driven segment by segment (RFC 6582 §3.2, RFC 5681 §3.2).
///
/// The client starts ESTABLISHED with an initial window of ten 1460-octet segments and twenty queued;
/// segment `i` starts at `seq(i) = 1001 + 1460·i`. The peer's ACKs are written by hand.
@Suite("TCP NewReno fast recovery (RFC 6582 §3.2)")
struct TCPNewRenoTests {
    let smss = 1460
    let t0 = VirtualTime.zero

    /// The first octet of segment `i` of the client's stream.
    func seq(_ i: Int) -> SequenceNumber { SequenceNumber(1001) + UInt32(i * 1460) }

    /// An ACK from the server acknowledging up to `ack` (same window every time, so duplicates count).
    func ack(_ ack: SequenceNumber) -> TCPSegment { segment(seq: 5001, ack: ack.rawValue, flags: []) }

    /// ESTABLISHED, IW = 10 segments, 20 segments queued: segments 0–9 are in flight.
    func sendingClient() throws -> TCPConnection {
        var configuration = TCPConfiguration.textbook
        configuration.initialWindowSegments = 10
        var client = establishedClient(configuration)
        let result = client.send(pattern(20 * smss), now: t0)
        try #require(result.actions.sent.map(\.header.sequenceNumber) == (0..<10).map(seq))
        try #require(client.cwnd == 10 * smss)
        return client
    }

    /// Segments 0 and 2 of the first window are lost: the peer's ACKs for 1, 3…9 are eight duplicates.
    /// Returns the actions of each duplicate.
    func lose0and2(_ client: inout TCPConnection) -> [[TCPAction]] {
        (0..<8).map { _ in client.segmentArrives(ack(seq(0)), now: t0 + .milliseconds(100)) }
    }

    @Test("RFC 5681 §3.2 / RFC 6582 step 2: the third duplicate ACK retransmits SND.UNA; ssthresh = FlightSize/2, cwnd = ssthresh + 3·SMSS")
    func thirdDuplicateEntersRecovery() throws {
        var client = try sendingClient()
        let dups = lose0and2(&client)
        #expect(dups[0].sent.isEmpty && dups[1].sent.isEmpty)
        #expect(dups[0].congestionEvents.isEmpty && dups[1].congestionEvents.isEmpty)
        let third = dups[2]
        #expect(third.retransmissions.map { $0.0.header.sequenceNumber } == [seq(0)])
        #expect(third.retransmissions.map(\.1) == [.fastRetransmit])
        #expect(third.sent.map(\.payload.bytes) == [pattern(smss)])
        #expect(third.sent.count == 1)   // cwnd 11680 < FlightSize 14600: nothing new
        let entered = try #require(third.congestionEvents.first)
        #expect(entered.reason == .fastRetransmit)
        #expect(entered.ssthresh == 7300)   // eq. 4: max(14600 / 2, 2 × 1460)
        #expect(entered.cwnd == 7300 + 3 * 1460)
    }

    @Test("RFC 6582 step 4: each further duplicate inflates cwnd by SMSS and sends new data once the window allows")
    func duplicatesInflate() throws {
        var client = try sendingClient()
        let dups = lose0and2(&client)
        // Duplicates 4…8 inflate cwnd from 11680 to 18980; FlightSize is 14600 until the sixth.
        #expect(dups[3...].map { $0.congestionEvents.map(\.cwnd) } == [[13140], [14600], [16060], [17520], [18980]])
        #expect(dups[3...].allSatisfy { $0.congestionEvents.map(\.reason) == [.duplicateACKInRecovery] })
        #expect(dups[3...].map { $0.sent.map(\.header.sequenceNumber) } == [[], [], [seq(10)], [seq(11)], [seq(12)]])
        #expect(dups[3...].allSatisfy { $0.retransmissions.isEmpty })
        #expect(client.inFastRecovery)
        #expect(client.ssthresh == 7300)
    }

    @Test("RFC 6582 step 3 partial ACK: retransmit the next hole at once, deflate by the amount acked plus SMSS, stay in recovery")
    func partialACK() throws {
        var client = try sendingClient()
        _ = lose0and2(&client)
        #expect(client.cwnd == 18980)
        // The fast retransmission of segment 0 fills the first hole: the peer now acknowledges up to segment 2.
        let now = t0 + .milliseconds(200)
        let actions = client.segmentArrives(ack(seq(2)), now: now)
        #expect(client.inFastRecovery)
        #expect(client.sndUNA == seq(2))
        let event = try #require(actions.congestionEvents.first)
        #expect(actions.congestionEvents.count == 1)
        #expect(event.reason == .partialACK)
        #expect(event.cwnd == 18980 - 2920 + 1460)   // 2920 octets acknowledged ≥ SMSS: deflate, add one SMSS back
        #expect(event.ssthresh == 7300)
        // The hole at segment 2 goes out at once, then one new segment fits: 17520 − (seq(13) − seq(2)).
        let sent = actions.sent
        #expect(sent.map(\.header.sequenceNumber) == [seq(2), seq(13)])
        #expect(sent.map(\.payload.count) == [1460, 1460])
        #expect(sent[0].payload.bytes == pattern(1460, offset: 2 * 1460))
        #expect(actions.retransmissions.map(\.1) == [.partialACK])
        #expect(sent.allSatisfy { $0.header.acknowledgmentNumber == SequenceNumber(5001) })
        #expect(actions.contains(.setTimer(.retransmission, at: now + .seconds(1))))   // RFC 6582 step 3: reset the timer

        // Still in recovery: one more duplicate inflates, it does not start a second fast retransmit.
        let dup = client.segmentArrives(ack(seq(2)), now: now + .milliseconds(1))
        #expect(dup.congestionEvents.map(\.reason) == [.duplicateACKInRecovery])
        #expect(dup.congestionEvents.map(\.cwnd) == [17520 + 1460])
        #expect(dup.retransmissions.isEmpty)
        #expect(dup.sent.map(\.header.sequenceNumber) == [seq(14)])
    }

    @Test("RFC 6582 step 3 full ACK (≥ recover): leave recovery with cwnd = min(ssthresh, max(FlightSize, SMSS) + SMSS)")
    func fullACK() throws {
        var client = try sendingClient()
        _ = lose0and2(&client)
        _ = client.segmentArrives(ack(seq(2)), now: t0 + .milliseconds(200))
        #expect(client.sndMax == seq(14))   // recover = seq(10), the highest sent when recovery began
        // The retransmission of segment 2 arrives: everything up to segment 13 is acknowledged.
        let actions = client.segmentArrives(ack(seq(13)), now: t0 + .milliseconds(300))
        #expect(!client.inFastRecovery)
        let event = try #require(actions.congestionEvents.first)
        #expect(event.reason == .fullACK)
        #expect(event.cwnd == 2920)   // min(7300, max(1460 in flight, 1460) + 1460)
        #expect(event.ssthresh == 7300)
        #expect(actions.retransmissions.isEmpty)
        #expect(actions.sent.map(\.header.sequenceNumber) == [seq(14)])   // 2920 − 1460 in flight: one more

        // Out of recovery, new ACKs grow cwnd in slow start again (2920 < ssthresh).
        let next = client.segmentArrives(ack(seq(14)), now: t0 + .milliseconds(400))
        #expect(next.congestionEvents.map(\.reason) == [.slowStart])
        #expect(client.cwnd == 2920 + 1460)
    }

    @Test("RFC 6582 step 3: a full ACK with FlightSize + SMSS above ssthresh sets cwnd to ssthresh")
    func fullACKWithLargeFlight() throws {
        var client = try sendingClient()
        _ = lose0and2(&client)
        for _ in 0..<2 { _ = client.segmentArrives(ack(seq(0)), now: t0 + .milliseconds(150)) }   // seq(13), seq(14) go out
        #expect(client.sndMax == seq(15))
        // Only segment 0 was lost after all (2 was late): the ACK of seq(10) = recover is a full ACK,
        // with seq(10)…seq(14) (7300 octets) still in flight.
        let actions = client.segmentArrives(ack(seq(10)), now: t0 + .milliseconds(200))
        #expect(!client.inFastRecovery)
        #expect(actions.congestionEvents.map(\.reason) == [.fullACK])
        #expect(client.cwnd == 7300)   // min(ssthresh 7300, 7300 + 1460)
        #expect(actions.retransmissions.isEmpty)
    }

    @Test("RFC 6582 step 2: three duplicate ACKs below recover after an RTO start no second fast retransmit")
    func noFastRetransmitAfterTimeout() throws {
        var client = try sendingClient()
        // Segment 0 is lost and the duplicate ACKs are slow: the RTO fires first.
        let deadline = try #require(client.deadline(of: .retransmission))
        let timeout = client.timerFires(.retransmission, now: deadline)
        #expect(timeout.retransmissions.map { $0.0.header.sequenceNumber } == [seq(0)])
        #expect(timeout.retransmissions.map(\.1) == [.timeout])
        #expect(timeout.congestionEvents.map(\.reason) == [.lossWindow])
        #expect(client.cwnd == 1460)   // RFC 5681 §3.1: loss window, one SMSS
        #expect(client.ssthresh == 7300)

        // Now the old duplicates arrive (SEG.ACK = SND.UNA < recover = seq(10)): not a new loss.
        for index in 1...4 {
            let dup = client.segmentArrives(ack(seq(0)), now: deadline + .milliseconds(Int64(index)))
            #expect(dup.sent.isEmpty, "duplicate \(index)")
            #expect(dup.congestionEvents.isEmpty, "duplicate \(index)")
        }
        #expect(!client.inFastRecovery)
        #expect(client.cwnd == 1460)
        #expect(client.ssthresh == 7300)

        // Once SND.UNA has passed recover, a new loss is recovered by fast retransmit again.
        let caughtUp = client.segmentArrives(ack(seq(10)), now: deadline + .milliseconds(100))
        #expect(caughtUp.sent.map(\.header.sequenceNumber) == [seq(10), seq(11)])   // slow start: cwnd 2920
        let more = client.segmentArrives(ack(seq(11)), now: deadline + .milliseconds(200))
        #expect(more.sent.map(\.header.sequenceNumber) == [seq(12), seq(13)])   // cwnd 4380
        var third: [TCPAction] = []
        for index in 1...3 {
            third = client.segmentArrives(ack(seq(11)), now: deadline + .milliseconds(Int64(200 + index)))
        }
        #expect(third.retransmissions.map { $0.0.header.sequenceNumber } == [seq(11)])
        #expect(third.retransmissions.map(\.1) == [.fastRetransmit])
        let event = try #require(third.congestionEvents.first)
        #expect(event.ssthresh == 2920)   // max(4380 / 2, 2 × 1460)
        #expect(event.cwnd == 2920 + 3 * 1460)
        #expect(client.inFastRecovery)
    }

    @Test("RFC 6582 `recover` never falls 2^31 behind SND.UNA: fast retransmit still works after 2 GiB without loss")
    func fastRetransmitAfterTwoGiB() throws {
        // Large segments and windows keep the run short: 64 KiB segments, 4 MiB send buffer, 8 MiB peer window.
        var configuration = TCPConfiguration.textbook
        configuration.mss = 65495
        configuration.windowScale = 7
        configuration.sendBufferSize = 1 << 22
        configuration.receiveBufferSize = 1 << 22
        var client = establishedClient(configuration, peerWindow: 65535 << 7, peerMSS: 65495)
        let chunk = pattern(1 << 22)
        var now = t0
        var acknowledged: Int64 = 0
        // Every octet sent is acknowledged, one ACK per flight, until SND.UNA is 2^31 + 16 MiB past the ISS.
        while acknowledged < (1 << 31) + (1 << 24) {
            _ = client.send(chunk, now: now)
            now = now + .milliseconds(10)
            let ackNumber = client.sndNXT
            acknowledged += Int64(ackNumber - client.sndUNA)
            _ = client.segmentArrives(segment(seq: 5001, ack: ackNumber.rawValue, flags: [], window: 65535), now: now)
        }
        _ = client.send(chunk, now: now)
        let inFlight = client.bytesInFlight
        try #require(inFlight > 3 * 65495)
        // The first segment of this flight is lost: three duplicate ACKs.
        let una = client.sndUNA
        var third: [TCPAction] = []
        for index in 1...3 {
            third = client.segmentArrives(segment(seq: 5001, ack: una.rawValue, flags: [], window: 65535),
                                          now: now + .milliseconds(Int64(index)))
        }
        #expect(third.retransmissions.map { $0.0.header.sequenceNumber } == [una])
        #expect(third.retransmissions.map(\.1) == [.fastRetransmit])
        let inRecovery = client.inFastRecovery   // (not `client` itself: its 4 MiB buffer would fill the log)
        #expect(inRecovery)
    }
}
