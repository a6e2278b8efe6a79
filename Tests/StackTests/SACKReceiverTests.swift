@testable import Stack
import Simulation
import Testing
import Tracing
import Wire

/// The data receiver's SACK blocks (RFC 2018 §4) on the linux profile, where SACK is negotiated.
@Suite("SACK blocks from the data receiver")
struct SACKReceiverTests {
    /// The SACK blocks of each pure ACK the server sent, relative to the client's first data octet.
    static func reportedBlocks(_ pair: TCPPair) -> [[ClosedRange<Int32>]] {
        let base = pair.client.iss + 1
        return pair.sent(by: .server).compactMap { sent -> [ClosedRange<Int32>]? in
            for case .sack(let blocks) in sent.segment.header.options {
                return blocks.map { ($0.left - base)...($0.right - base) }
            }
            return nil
        }
    }

    @Test func aLostSegmentIsReportedAroundItsHoleAndForgottenOnceFilled() throws {
        let pair = TCPPair.established(.linux(mtu: 1500))
        // The client's third data segment (octets 2896..<4344) is lost once.
        let third = pair.client.iss + 1 + 2896
        var dropped = false
        pair.filter = { side, segment, _ in
            guard side == .client, segment.header.sequenceNumber == third, !segment.payload.isEmpty, !dropped else {
                return .deliver
            }
            dropped = true
            return .drop
        }
        _ = pair.send(.client, pattern(8 * 1448))
        pair.runUntilIdle()
        #expect(pair.received[1] == pattern(8 * 1448))
        let blocks = Self.reportedBlocks(pair)
        // Each duplicate ACK reports the one block above the hole, growing segment by segment.
        #expect(blocks.first == [4344...5792])
        #expect(blocks.last == [4344...11584])
        #expect(blocks.allSatisfy { $0.count == 1 && $0[0].lowerBound == 4344 })
        // Once the retransmission fills the hole, ACKs carry no blocks.
        let last = try #require(pair.sent(by: .server).last)
        #expect(!last.segment.header.options.contains { if case .sack = $0 { true } else { false } })
    }

    @Test func theNewestBlockComesFirstAndAtMostThreeFitBesideTimestamps() {
        var connection = TCPConnection.established(
            configuration: .linux(mtu: 1500), local: serverEndpoint, remote: clientEndpoint,
            iss: serverISS, irs: clientISS, peerWindow: 65535, peerMSS: 1460)
        let start = clientISS + 1
        // Four separate islands above a hole at the start, the last one first reported last.
        for island in [1, 3, 5, 7] {
            let data = TCPSegment(header: TCPHeader(
                sourcePort: clientEndpoint.port, destinationPort: serverEndpoint.port,
                sequenceNumber: start + UInt32(island * 100), acknowledgmentNumber: serverISS + 1, flags: .ack,
                window: 1000, options: [.noOperation, .noOperation, .timestamps(value: 5, echoReply: 1)]),
                payload: Array(repeating: 7, count: 100))
            _ = connection.segmentArrives(data, now: .zero)
        }
        let relative = connection.sackBlocks.map { Int($0.left - start) }
        #expect(relative == [700, 500, 300, 100])
        guard case .sack(let sent)? = connection.sackOptions.last else {
            Issue.record("no SACK option")
            return
        }
        #expect(sent.map { Int($0.left - start) } == [700, 500, 300])   // 3 beside the timestamps
        // An island joining its neighbour makes one block, reported first.
        let bridge = TCPSegment(header: TCPHeader(
            sourcePort: clientEndpoint.port, destinationPort: serverEndpoint.port, sequenceNumber: start + 400,
            acknowledgmentNumber: serverISS + 1, flags: .ack, window: 1000,
            options: [.noOperation, .noOperation, .timestamps(value: 6, echoReply: 1)]),
            payload: Array(repeating: 7, count: 100))
        _ = connection.segmentArrives(bridge, now: .zero)
        let joined = connection.sackBlocks.map { Int($0.left - start)...Int($0.right - start) }
        #expect(joined == [300...600, 700...800, 100...200])
    }

    @Test func theTextbookSendsNoBlocks() {
        let pair = TCPPair.established(.textbook)
        pair.filter = { side, _, index in side == .client && index == 1 ? .drop : .deliver }
        _ = pair.send(.client, pattern(4 * 1460))
        pair.runUntilIdle()
        #expect(pair.received[1] == pattern(4 * 1460))
        #expect(Self.reportedBlocks(pair).isEmpty)
    }
}
