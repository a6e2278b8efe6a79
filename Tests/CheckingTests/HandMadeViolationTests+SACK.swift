import Checking
import Testing
import Tracing
import Wire

private let client = TraceBuilder.client
private let server = TraceBuilder.server

extension HandMadeViolationTests {
    // MARK: - SACK loss recovery

    enum SACKSender { case rfc6675, newReno }

    /// SACK negotiated; the client writes 9000 bytes and sends eight segments of 1000 (1001–9001); the
    /// link loses the first and the third. The server's duplicate ACKs of 1001 report the rest in
    /// SACK blocks. After the fourth segment's ACK the hole at 1001 IsLost (3000 > 2·1460 octets
    /// SACKed above it), after the sixth's the hole at 3001 too. The client then sends the last 1000
    /// bytes (new data at 9001): after resending 3001 (RFC 6675), or before (NewReno, which learns of
    /// the second hole only from the partial ACK a round trip later).
    static func sackLadder(_ sender: SACKSender) -> Trace {
        var t = TraceBuilder()
        t.openConnection(sackPermitted: true)
        t.call(at: 40, client, .send(bytes: 9000))
        t.congestion(at: 40, client, cwnd: 10_000, .slowStart)
        var segments: [Packet] = []
        for index in 0..<UInt32(8) {
            segments.append(t.send(at: 40, from: client, .ack, seq: 1001 + 1000 * index, ack: 5001, data: 1000))
        }
        t.timer(at: 40, client, .retransmission, .set(for: 1000))
        t.drop(at: 45, segments[0])
        t.drop(at: 45, segments[2])
        func sack(_ blocks: [(UInt32, UInt32)]) -> [TCPOption] {
            [.noOperation, .noOperation, .sack(blocks.map { SACKBlock(left: SequenceNumber($0.0), right: SequenceNumber($0.1)) })]
        }
        let reports: [[(UInt32, UInt32)]] = [
            [(2001, 3001)], [(4001, 5001), (2001, 3001)], [(4001, 6001), (2001, 3001)], [(4001, 7001), (2001, 3001)],
            [(4001, 8001), (2001, 3001)], [(4001, 9001), (2001, 3001)],
        ]
        var duplicates: [Packet] = []
        for (segment, blocks) in zip([1, 3, 4, 5, 6, 7].map { segments[$0] }, reports) {
            t.receive(at: 50, segment)
            duplicates.append(t.send(at: 50, from: server, .ack, seq: 5001, ack: 1001, options: sack(blocks)))
        }
        for duplicate in duplicates.prefix(3) { t.receive(at: 60, duplicate) }
        // The third duplicate (RFC 5681 §3.2; IsLost(1001) as well): retransmit 1001.
        let first = t.send(at: 60, from: client, .ack, seq: 1001, ack: 5001, data: 1000,
                           cause: .retransmission(.fastRetransmit))
        let newData: Packet
        let second: Packet
        switch sender {
        case .rfc6675:
            t.congestion(at: 60, client, cwnd: 4000, ssthresh: 4000, .enterSACKRecovery)
            t.receive(at: 60, duplicates[3])   // 1001 and 3001 are lost now: NextSeg rule 1
            second = t.send(at: 60, from: client, .ack, seq: 3001, ack: 5001, data: 1000,
                            cause: .retransmission(.sackRecovery))
            t.receive(at: 60, duplicates[4])
            t.receive(at: 60, duplicates[5])
            newData = t.send(at: 60, from: client, [.ack, .psh], seq: 9001, ack: 5001, data: 1000)   // rule 2
        case .newReno:
            t.congestion(at: 60, client, cwnd: 4000 + 3 * 1460, ssthresh: 4000, .fastRetransmit)
            t.receive(at: 60, duplicates[3])
            t.congestion(at: 60, client, cwnd: 4000 + 4 * 1460, ssthresh: 4000, .duplicateACKInRecovery)
            t.receive(at: 60, duplicates[4])
            t.congestion(at: 60, client, cwnd: 4000 + 5 * 1460, ssthresh: 4000, .duplicateACKInRecovery)
            t.receive(at: 60, duplicates[5])
            t.congestion(at: 60, client, cwnd: 4000 + 6 * 1460, ssthresh: 4000, .duplicateACKInRecovery)
            newData = t.send(at: 60, from: client, [.ack, .psh], seq: 9001, ack: 5001, data: 1000)
            // RFC 6582 §3.2 step 3: the partial ACK of 3001 shows the second hole.
            t.receive(at: 70, first)
            let partial = t.send(at: 70, from: server, .ack, seq: 5001, ack: 3001, options: sack([(4001, 9001)]))
            t.receive(at: 70, newData)
            let duplicate = t.send(at: 70, from: server, .ack, seq: 5001, ack: 3001, options: sack([(4001, 10001)]))
            t.receive(at: 80, partial)
            t.timer(at: 80, client, .retransmission, .set(for: 1000))
            t.congestion(at: 80, client, cwnd: 4000 + 6 * 1460 - 2000 + 1460, ssthresh: 4000, .partialACK)
            second = t.send(at: 80, from: client, .ack, seq: 3001, ack: 5001, data: 1000,
                            cause: .retransmission(.partialACK))
            t.receive(at: 80, duplicate)
            t.congestion(at: 80, client, cwnd: 4000 + 7 * 1460 - 2000 + 1460, ssthresh: 4000, .duplicateACKInRecovery)
            t.receive(at: 90, second)
            t.event(at: 90, server, .message(bytes: 9000, intact: true))
            let full = t.send(at: 90, from: server, .ack, seq: 5001, ack: 10001)
            t.receive(at: 100, full)
            t.timer(at: 100, client, .retransmission, .cancelled)
            t.congestion(at: 100, client, cwnd: 4000, ssthresh: 4000, .fullACK)
            t.clientCloses(at: 110, clientFIN: 10001)
            return t.trace
        }
        t.receive(at: 70, first)
        let partial = t.send(at: 70, from: server, .ack, seq: 5001, ack: 3001, options: sack([(4001, 9001)]))
        t.receive(at: 70, second)
        t.event(at: 70, server, .message(bytes: 8000, intact: true))
        let upTo9001 = t.send(at: 70, from: server, .ack, seq: 5001, ack: 9001)
        t.receive(at: 70, newData)
        t.event(at: 70, server, .message(bytes: 1000, intact: true))
        let full = t.send(at: 70, from: server, .ack, seq: 5001, ack: 10001)
        t.receive(at: 80, partial)
        t.timer(at: 80, client, .retransmission, .set(for: 1000))
        t.receive(at: 80, upTo9001)
        t.congestion(at: 80, client, cwnd: 4000, ssthresh: 4000, .leaveSACKRecovery)
        t.receive(at: 80, full)
        t.timer(at: 80, client, .retransmission, .cancelled)
        t.clientCloses(at: 90, clientFIN: 10001)
        return t.trace
    }

    @Test("sack-lost-first: new data while a hole the SACK blocks show lost is not yet resent (RFC 6675 NextSeg)")
    func sackLostFirst() {
        let message = expectOnlyViolation(of: "sack-lost-first", in: Self.sackLadder(.newReno))
        #expect(message == "0.060000s client:49152>server:80 sent new data at 9001 while octet 3001 of the hole "
                    + "3001–4001 was lost (over 2920 octets SACKed above it) and not yet retransmitted")
        expectEveryInvariantHolds(in: Self.sackLadder(.rfc6675))
    }
}
