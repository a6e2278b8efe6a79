import Simulation
@testable import Stack
import Testing
import Tracing
import Wire

/// RFC 6675 SACK-based loss recovery on one connection, driven segment by segment, and the
/// scoreboard on its own.
///
/// The client is the textbook profile with SACK negotiated and `sackRecovery` on (MSS 1460, no
/// timestamps), ESTABLISHED with an initial window of ten segments and twenty queued; segment `i`
/// starts at `seq(i) = 1001 + 1460·i`. The peer's ACKs and their SACK blocks are written by hand.
@Suite("TCP SACK loss recovery (RFC 6675)")
struct TCPSACKRecoveryTests {
    let smss = 1460
    let t0 = VirtualTime.zero

    func seq(_ i: Int) -> SequenceNumber { SequenceNumber(1001) + UInt32(i * 1460) }

    /// An ACK of `ack` whose SACK blocks cover the segments `sacked` (runs of consecutive segments merge).
    func ack(_ ack: SequenceNumber, sacked: [Int] = []) -> TCPSegment {
        var blocks: [SACKBlock] = []
        for i in sacked.sorted() {
            if let last = blocks.last, last.right == seq(i) {
                blocks[blocks.count - 1].right = seq(i + 1)
            } else {
                blocks.append(SACKBlock(left: seq(i), right: seq(i + 1)))
            }
        }
        let options: [TCPOption] = blocks.isEmpty ? [] : [.noOperation, .noOperation, .sack(blocks)]
        return segment(seq: 5001, ack: ack.rawValue, flags: [], options: options)
    }

    func sendingClient(sackIgnored: Bool = false) throws -> TCPConnection {
        var configuration = TCPConfiguration.textbook
        configuration.offersSACKPermitted = true
        configuration.sackRecovery = true
        configuration.initialWindowSegments = 10
        if sackIgnored { configuration.ablations.insert(.sackIgnored) }
        var client = establishedClient(configuration)
        let result = client.send(pattern(20 * smss), now: t0)
        try #require(result.actions.sent.map(\.header.sequenceNumber) == (0..<10).map(seq))
        return client
    }

    /// Segments 0, 2 and 4 are lost; the ACKs for 1, 3, 5, 6, 7, 8, 9 arrive, each reporting every
    /// segment received so far. Returns each ACK's actions.
    func loseThree(_ client: inout TCPConnection) -> [[TCPAction]] {
        var received: [Int] = []
        return [1, 3, 5, 6, 7, 8, 9].map { index in
            received.append(index)
            return client.segmentArrives(ack(seq(0), sacked: received), now: t0 + .milliseconds(100))
        }
    }

    @Test("§5 step 4: the third duplicate ACK enters recovery: cwnd = ssthresh = FlightSize/2, retransmit HighACK + 1")
    func entersRecovery() throws {
        var client = try sendingClient()
        let acks = loseThree(&client)
        #expect(acks[0].sent.isEmpty && acks[1].sent.isEmpty)
        let third = acks[2]
        #expect(third.retransmissions.map { $0.0.header.sequenceNumber } == [seq(0)])
        #expect(third.retransmissions.map(\.1) == [.fastRetransmit])
        let event = try #require(third.congestionEvents.first)
        #expect(event.reason == .enterSACKRecovery)
        #expect(event.cwnd == 7300 && event.ssthresh == 7300)   // max(14600 / 2, 2 × 1460)
        #expect(client.inSACKRecovery && !client.inFastRecovery)
    }

    @Test("§4 NextSeg rule 1: every hole IsLost shows is resent as pipe falls below cwnd, before any new data")
    func lostHolesBeforeNewData() throws {
        var client = try sendingClient()
        let acks = loseThree(&client)
        // ACK of 6: segment 2 has 3 SACKed segments above it (lost), but pipe = 7300 = cwnd.
        #expect(acks[3].sent.isEmpty)
        // ACK of 7: segment 4 is lost too; pipe = 1460 (0 resent) + 2920 (8, 9) = 4380: resend 2 and 4.
        #expect(acks[4].retransmissions.map { $0.0.header.sequenceNumber } == [seq(2), seq(4)])
        #expect(acks[4].retransmissions.map(\.1) == [.sackRecovery, .sackRecovery])
        // ACKs of 8 and 9: each frees one segment of pipe: rule 2 sends new data.
        #expect(acks[5].sent.map(\.header.sequenceNumber) == [seq(10)])
        #expect(acks[6].sent.map(\.header.sequenceNumber) == [seq(11)])
        #expect(acks.allSatisfy { $0.congestionEvents.allSatisfy { $0.reason == .enterSACKRecovery } })
    }

    @Test("§5 (A): recovery ends when the cumulative ACK reaches RecoveryPoint; cwnd stays at ssthresh")
    func leavesRecovery() throws {
        var client = try sendingClient()
        _ = loseThree(&client)
        // The retransmissions of 0, 2 and 4 arrive: 0–11 are all acknowledged; RecoveryPoint was seq(10).
        let partial = client.segmentArrives(ack(seq(2), sacked: [3, 5, 6, 7, 8, 9]), now: t0 + .milliseconds(200))
        #expect(client.inSACKRecovery)
        #expect(partial.congestionEvents.isEmpty)
        let full = client.segmentArrives(ack(seq(12)), now: t0 + .milliseconds(200))
        #expect(!client.inSACKRecovery)
        #expect(full.congestionEvents.map(\.reason) == [.leaveSACKRecovery])
        #expect(client.cwnd == 7300 && client.ssthresh == 7300)
    }

    @Test("§5.1: an RTO ends recovery and clears the scoreboard; no new recovery until SND.UNA reaches RecoveryPoint")
    func timeoutEndsRecovery() throws {
        var client = try sendingClient()
        _ = loseThree(&client)
        let rto = try #require(client.deadline(of: .retransmission))
        let fired = client.timerFires(.retransmission, now: rto)
        #expect(!client.inSACKRecovery)
        #expect(client.sackScoreboard.isEmpty)
        #expect(fired.congestionEvents.map(\.reason) == [.lossWindow])
        #expect(fired.retransmissions.map { $0.0.header.sequenceNumber } == [seq(0)])
        // Duplicates below the new RecoveryPoint (SND.MAX at the timeout) start nothing.
        for _ in 0..<3 {
            let dup = client.segmentArrives(ack(seq(0), sacked: [1, 3, 5, 6]), now: rto + .milliseconds(10))
            #expect(dup.congestionEvents.isEmpty)
        }
        #expect(!client.inSACKRecovery)
    }

    @Test("sack-ignored: the same losses recover by NewReno (one hole per partial ACK)")
    func ablationIgnoresBlocks() throws {
        var client = try sendingClient(sackIgnored: true)
        let acks = loseThree(&client)
        #expect(acks[2].congestionEvents.map(\.reason) == [.fastRetransmit])
        #expect(acks.flatMap(\.retransmissions).map { $0.0.header.sequenceNumber } == [seq(0)])
        #expect(client.inFastRecovery && !client.inSACKRecovery)
    }

    // MARK: Scoreboard

    @Test("RFC 2018 §5: blocks below SND.UNA or beyond SND.MAX are ignored; blocks merge; SND.UNA prunes")
    func scoreboardUpdate() {
        var board = TCPSACKScoreboard()
        let una = SequenceNumber(1000)
        let max = SequenceNumber(9000)
        board.update(blocks: [SACKBlock(left: SequenceNumber(500), right: SequenceNumber(900)),   // below SND.UNA
                              SACKBlock(left: SequenceNumber(8000), right: SequenceNumber(9500)),   // beyond SND.MAX
                              SACKBlock(left: SequenceNumber(2000), right: SequenceNumber(3000)),
                              SACKBlock(left: SequenceNumber(3000), right: SequenceNumber(4000)),
                              SACKBlock(left: SequenceNumber(6000), right: SequenceNumber(7000))],
                     highACK: una, highData: max)
        #expect(board.ranges == [SACKBlock(left: SequenceNumber(2000), right: SequenceNumber(4000)),
                                 SACKBlock(left: SequenceNumber(6000), right: SequenceNumber(7000))])
        #expect(board.holes(highACK: una, highData: max).map(\.left) == [una, SequenceNumber(4000), SequenceNumber(7000)])
        board.acknowledge(upTo: SequenceNumber(2500))
        #expect(board.ranges.first == SACKBlock(left: SequenceNumber(2500), right: SequenceNumber(4000)))
        board.acknowledge(upTo: SequenceNumber(6500))
        #expect(board.ranges == [SACKBlock(left: SequenceNumber(6500), right: SequenceNumber(7000))])
    }

    @Test("§4 IsLost: DupThresh SACKed segments above, or more than (DupThresh − 1)·SMSS SACKed octets")
    func isLost() {
        var board = TCPSACKScoreboard()
        let una = SequenceNumber(1000)
        // Two full segments above: neither three segments nor more than 2·SMSS octets.
        board.update(blocks: [SACKBlock(left: SequenceNumber(2000), right: SequenceNumber(4000))],
                     highACK: una, highData: SequenceNumber(20_000))
        #expect(!board.isLost(una, smss: 1000))
        // One octet more than 2·SMSS.
        board.update(blocks: [SACKBlock(left: SequenceNumber(5000), right: SequenceNumber(5001))],
                     highACK: una, highData: SequenceNumber(20_000))
        #expect(board.isLost(una, smss: 1000))
        #expect(!board.isLost(SequenceNumber(4000), smss: 1000))
        // Three small discontiguous segments: three segments, few octets.
        var small = TCPSACKScoreboard()
        small.update(blocks: [SACKBlock(left: SequenceNumber(1100), right: SequenceNumber(1110)),
                              SACKBlock(left: SequenceNumber(1200), right: SequenceNumber(1210)),
                              SACKBlock(left: SequenceNumber(1300), right: SequenceNumber(1310))],
                     highACK: una, highData: SequenceNumber(2000))
        #expect(small.isLost(una, smss: 1000))
        #expect(!small.isLost(SequenceNumber(1150), smss: 1000))
    }
}
