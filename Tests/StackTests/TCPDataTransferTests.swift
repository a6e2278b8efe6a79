import Tracing
import Simulation
import Stack
import Testing
import Wire

@Suite("TCP data transfer: reliability, congestion control, flow control")
struct TCPDataTransferTests {
    /// Sends `total` bytes from the client, refilling the send buffer as it drains, then closes both ways.
    func transfer(_ pair: TCPPair, total: Int, limit: VirtualDuration = .seconds(3600)) {
        let data = pattern(total)
        var offset = 0
        let deadline = pair.now + limit
        while pair.now < deadline {
            if offset < total {
                offset += pair.send(.client, Array(data[offset..<min(total, offset + 65536)]))
                if offset == total { pair.perform(.client) { connection, now in connection.close(now: now) } }
            }
            pair.run(for: .milliseconds(10))
            if offset == total, pair.server.state == .closeWait {
                pair.perform(.server) { connection, now in connection.close(now: now) }
            }
            if pair.client.state == .closed || pair.client.state == .timeWait, pair.server.state == .closed { break }
        }
    }

    @Test("Bulk transfer of 1 MB at zero loss arrives intact; cwnd grows in slow start")
    func bulkNoLoss() {
        let pair = TCPPair.established()
        transfer(pair, total: 1 << 20)
        #expect(pair.received[1] == pattern(1 << 20))
        #expect(pair.sent(by: .client).allSatisfy { $0.retransmission == nil })
        let growth = pair.actions(of: .client).congestionEvents.filter { $0.reason == .slowStart }.map(\.cwnd)
        #expect(growth.count > 10)
        #expect(growth == growth.sorted())
        #expect(pair.sent(by: .client).allSatisfy { $0.segment.payload.count <= 1460 })
    }

    @Test("Bulk transfer of 1 MB with 5% seeded loss both ways arrives intact", arguments: [1, 2, 3] as [UInt64])
    func bulkWithLoss(seed: UInt64) {
        let pair = TCPPair.established()
        var random = SplitMix64(state: seed)
        pair.filter = { _, _, _ in random.chance(percent: 5) ? .drop : .deliver }
        transfer(pair, total: 1 << 20)
        #expect(pair.received[1].count == 1 << 20)
        #expect(pair.received[1] == pattern(1 << 20))
        let reasons = Set(pair.sent(by: .client).compactMap(\.retransmission))
        #expect(reasons.contains(.fastRetransmit))
        #expect(pair.client.state == .timeWait || pair.client.state == .closed)
        #expect(pair.server.state == .closed)
    }

    @Test("Bulk transfer of 1 MB with reordering and loss arrives intact")
    func bulkWithReordering() {
        let pair = TCPPair.established()
        var random = SplitMix64(state: 42)
        pair.filter = { _, _, _ in
            let roll = random.next() % 100
            if roll < 3 { return .drop }
            if roll < 13 { return .delay(.milliseconds(Int64(random.next() % 30))) }
            return .deliver
        }
        transfer(pair, total: 1 << 20)
        #expect(pair.received[1] == pattern(1 << 20))
    }

    @Test("Linux profile: 1 MB with delayed ACKs, timestamps and window scaling, 5% loss")
    func bulkLinux() {
        let pair = TCPPair.established(.linux(mtu: 1500))
        var random = SplitMix64(state: 7)
        pair.filter = { _, _, _ in random.chance(percent: 5) ? .drop : .deliver }
        transfer(pair, total: 1 << 20)
        #expect(pair.received[1] == pattern(1 << 20))
        #expect(pair.client.srtt != nil)
    }

    @Test("Three duplicate ACKs trigger fast retransmit; cwnd halves; NewReno leaves recovery on the full ACK")
    func fastRetransmit() throws {
        let pair = TCPPair.established()
        pair.filter = { side, _, index in side == .client && index == 20 ? .drop : .deliver }
        transfer(pair, total: 200_000)
        #expect(pair.received[1] == pattern(200_000))
        let retransmitted = pair.sent(by: .client).filter { $0.retransmission != nil }
        #expect(retransmitted.count == 1)
        #expect(retransmitted.first?.retransmission == .fastRetransmit)
        let events = pair.actions(of: .client).congestionEvents
        let enter = try #require(events.first { $0.reason == .fastRetransmit })
        let before = try #require(events.prefix { $0.reason != enter.reason }.last)
        #expect(enter.ssthresh == max(before.cwnd / 2, 2 * 1460) || enter.ssthresh < before.cwnd)
        #expect(enter.cwnd == enter.ssthresh + 3 * 1460)
        #expect(events.contains { $0.reason == .fullACK && $0.cwnd <= enter.ssthresh })
    }

    @Test("RTO backs off exponentially: 1, 2, 4, 8 s while the peer is unreachable; cwnd falls to 1 MSS")
    func rtoBackoff() {
        let pair = TCPPair.established()
        pair.filter = { side, _, _ in side == .client ? .drop : .deliver }
        pair.send(.client, pattern(1000))
        pair.run(for: .seconds(16))
        let times = pair.sent(by: .client).map { $0.time.nanoseconds / 1_000_000_000 }
        #expect(times == [0, 1, 3, 7, 15])
        #expect(pair.sent(by: .client).dropFirst().allSatisfy { $0.retransmission == .timeout })
        #expect(pair.client.cwnd == 1460)
        #expect(pair.client.ssthresh == 2 * 1460)
    }

    @Test("User timeout: after dataRetries backoffs without progress, RST and failed(timedOut)")
    func userTimeout() {
        var configuration = TCPConfiguration.textbook
        configuration.dataRetries = 3
        let pair = TCPPair.established(configuration)
        pair.filter = { side, _, _ in side == .client ? .drop : .deliver }
        pair.send(.client, pattern(100))
        pair.runUntilIdle()
        #expect(pair.actions(of: .client).errors == [.timedOut])
        #expect(pair.time(.client, entered: .closed) == VirtualTime.zero + .seconds(15))   // 1 + 2 + 4 + 8
        #expect(pair.sent(by: .client).last?.segment.header.flags == .rst)
    }

    @Test("RFC 6298: SRTT, RTTVAR and RTO from a 100 ms RTT, minimum 1 s")
    func rttEstimation() {
        let pair = TCPPair.established()
        pair.send(.client, pattern(1000))
        pair.runUntilIdle()
        #expect(pair.client.srtt == .milliseconds(100))
        #expect(pair.client.rttvar == .milliseconds(50))
        #expect(pair.client.rto == .seconds(1))   // 100 + 4 × 50 = 300 ms, raised to the 1 s minimum
        var linux = TCPConfiguration.linux(mtu: 1500)
        linux.offersTimestamps = false
        let fast = TCPPair.established(linux)
        fast.send(.client, pattern(1000))
        fast.runUntilIdle()
        #expect(fast.client.rto == .milliseconds(300))
    }

    @Test("A half-closed connection still delivers 100 KB from the other side")
    func halfClose() {
        let pair = TCPPair.established()
        pair.perform(.client) { connection, now in connection.close(now: now) }
        pair.run(for: .seconds(1))
        #expect(pair.client.state == .finWait2)
        #expect(pair.server.state == .closeWait)
        let data = pattern(100_000, offset: 7)
        var offset = 0
        while offset < data.count {
            offset += pair.send(.server, Array(data[offset...]))
            pair.run(for: .milliseconds(100))
        }
        pair.run(for: .seconds(5))
        #expect(pair.received[0] == data)
        pair.perform(.server) { connection, now in connection.close(now: now) }
        pair.runUntilIdle()
        #expect(pair.states(.client) == [.finWait1, .finWait2, .timeWait, .closed])
        #expect(pair.states(.server) == [.closeWait, .lastAck, .closed])
    }

    @Test("Out-of-order segments are held and reassembled, with an immediate duplicate ACK")
    func reassembly() throws {
        var receiver = establishedClient()
        let first = receiver.segmentArrives(
            segment(seq: 5001 + 100, ack: 1001, flags: [], payload: pattern(100, offset: 100)), now: .zero)
        #expect(try #require(first.sent.first).header.acknowledgmentNumber == SequenceNumber(5001))
        #expect(receiver.outOfOrderCount == 100)
        _ = receiver.segmentArrives(   // overlaps both neighbours
            segment(seq: 5001 + 50, ack: 1001, flags: [], payload: pattern(100, offset: 50)), now: .zero)
        let last = receiver.segmentArrives(
            segment(seq: 5001, ack: 1001, flags: [], payload: pattern(60)), now: .zero)
        #expect(last.contains(.dataAvailable(200)))
        #expect(receiver.rcvNXT == SequenceNumber(5201))
        #expect(receiver.read(maxBytes: 1000, now: .zero).bytes == pattern(200))
    }

    @Test("Zero window: a receiver that does not read closes it; the sender probes; after a read it resumes")
    func zeroWindow() {
        var small = TCPConfiguration.textbook
        small.receiveBufferSize = 8192
        let pair = TCPPair.established(.textbook, server: small)
        pair.autoRead[1] = false
        let data = pattern(30_000)
        let accepted = pair.send(.client, data)
        #expect(accepted == 30_000)
        pair.run(for: .seconds(20))
        #expect(pair.server.receiveQueueCount == 8192)
        #expect(pair.client.sndWND == 0)
        let probes = pair.sent(by: .client).filter { $0.segment.payload.isEmpty && $0.time > .zero }
        #expect(probes.count >= 3)
        let gaps = zip(probes.dropFirst(), probes).map { ($0.time - $1.time) }
        #expect(gaps.count >= 2 && gaps[1] > gaps[0])   // persist backoff
        pair.autoRead[1] = true
        pair.read(.server)
        pair.runUntilIdle(limit: pair.now + .seconds(120))
        #expect(pair.received[1] == data)
    }

    @Test("Nagle: small writes wait for the outstanding ACK; off, each goes at once")
    func nagle() {
        let pair = TCPPair.established()
        pair.send(.client, [1])
        pair.send(.client, [2])
        pair.send(.client, [3])
        #expect(pair.sent(by: .client).count == 1)
        pair.runUntilIdle()
        #expect(pair.received[1] == [1, 2, 3])
        #expect(pair.sent(by: .client).count == 2)

        var noNagle = TCPConfiguration.textbook
        noNagle.nagle = false
        let eager = TCPPair.established(noNagle)
        eager.send(.client, [1])
        eager.send(.client, [2])
        eager.send(.client, [3])
        #expect(eager.sent(by: .client).count == 3)
    }

    @Test("Delayed ACK: one segment is acknowledged after the delay, two at once")
    func delayedACK() {
        var configuration = TCPConfiguration.textbook
        configuration.delayedACK = .milliseconds(40)
        let pair = TCPPair.established(.textbook, server: configuration, delay: .milliseconds(10))
        pair.send(.client, pattern(100))
        pair.runUntilIdle()
        let acks = pair.sent(by: .server)
        #expect(acks.map(\.time) == [VirtualTime.zero + .milliseconds(50)])
        let before = pair.sent(by: .server).count
        pair.send(.client, pattern(2920))
        pair.runUntilIdle()
        let second = pair.sent(by: .server).dropFirst(before)
        #expect(second.first?.time == pair.sent(by: .client).last.map { $0.time + .milliseconds(10) })
    }

    @Test("Determinism: the same seed gives the same actions, action for action")
    func deterministic() {
        func run() -> [TCPAction] {
            let pair = TCPPair.established(.linux(mtu: 1500))
            var random = SplitMix64(state: 99)
            pair.filter = { _, _, _ in random.chance(percent: 5) ? .drop : .deliver }
            transfer(pair, total: 200_000)
            return pair.log.map(\.action)
        }
        let first = run()
        #expect(first.count > 100)
        #expect(first == run())
    }
}
