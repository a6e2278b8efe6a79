import Apps
import Runs
import Stack
import Testing
import Tracing
import Wire

/// RFC 6675 SACK-based loss recovery (the linux profile) against NewReno (the textbook profile, and
/// the linux profile with the `sack-ignored` ablation) on whole runs: a bulk transfer over a 100 ms
/// link loses three data segments of one window (scripted drops), and random loss.
@Suite("SACK loss recovery on whole runs (RFC 6675)")
struct SACKRecoveryScenarioTests {
    static let rtt: Int64 = 100 * millisecond

    /// A 300 kB transfer over a 100 ms link whose packets `drops` (counted on the link, both ways) are lost.
    func bulkTransfer(profile: StackProfile, drops: String, ablation: Ablation? = nil) throws -> Run {
        let scenario = try ScenarioLanguage.parse("""
            scenario sack-drops "bulk transfer, three losses in one window"
            seed 1
            profile \(profile)
            hosts client server
            link rtt 100ms
            link mtu 1500
            link drop \(drops)
            at 0 server listen 80
            at 0 client connect server:80
            on connected client send 300000
            on connected client close
            on peer-finished server close
            """, file: "sack-drops")
        return SimulatedRuntime(settings: StackSettings(ablation: ablation)).run(scenario)
    }

    /// What one recovery looked like, read from the trace.
    struct Recovery {
        /// The client's data segments the link dropped (their sequence numbers).
        var dropped: [SequenceNumber]
        /// When each dropped segment was first sent again.
        var resent: [Int64]
        /// Congestion events that start a recovery (fast retransmit or SACK recovery).
        var episodes: Int
        var timeouts: Int
        var bytesDelivered: Int
    }

    func recovery(of run: Run) -> Recovery {
        var dropped: [SequenceNumber] = []
        var episodes = 0
        var timeouts = 0
        for event in run.events {
            switch event.kind {
            case .packetDropped(let bytes, .scripted):   // recorded by the link; only the client sends data
                if let packet = try? IPv4Packet.parse(bytes), case .tcp(let segment) = packet.payload,
                   !segment.payload.isEmpty {
                    dropped.append(segment.header.sequenceNumber)
                }
            case .congestion(_, _, _, let reason) where event.node == "client":
                if reason == .fastRetransmit || reason == .enterSACKRecovery { episodes += 1 }
            case .timer(_, .retransmission, .fired) where event.node == "client":
                timeouts += 1
            default:
                break
            }
        }
        let retransmissions = run.segmentsSent(by: "client").filter(\.cause.isRetransmission)
        let resent = dropped.compactMap { sequence in
            retransmissions.first { $0.segment.header.sequenceNumber == sequence }?.time
        }
        return Recovery(dropped: dropped, resent: resent, episodes: episodes, timeouts: timeouts,
                        bytesDelivered: run.summary.bytesDelivered)
    }

    @Test("three losses in one window: SACK recovery resends every hole within one RTT, without a timeout")
    func sackRecoversThreeLossesInOneRTT() throws {
        let sack = recovery(of: try bulkTransfer(profile: .linux, drops: "30 32 34"))
        #expect(sack.dropped.count == 3)   // three data segments of one window, with data between them
        #expect(sack.resent.count == 3)
        #expect(sack.timeouts == 0)
        #expect(sack.episodes == 1)
        #expect(sack.bytesDelivered == 300_000)
        let first = try #require(sack.resent.min())
        let last = try #require(sack.resent.max())
        #expect(last - first <= Self.rtt)   // all holes go out in the first round trip of recovery
    }

    @Test("the same three losses under NewReno (textbook, and linux with sack-ignored) take one RTT per loss")
    func newRenoNeedsOneRTTPerLoss() throws {
        let sack = recovery(of: try bulkTransfer(profile: .linux, drops: "30 32 34"))
        // The textbook profile acknowledges every segment, so other link packets carry its data.
        let textbook = recovery(of: try bulkTransfer(profile: .textbook, drops: "50 52 54"))
        let ignored = recovery(of: try bulkTransfer(profile: .linux, drops: "30 32 34", ablation: .sackIgnored))
        for newReno in [textbook, ignored] {
            #expect(newReno.dropped.count == 3)
            #expect(newReno.timeouts == 0)
            #expect(newReno.episodes == 1)
            #expect(newReno.bytesDelivered == 300_000)
            // RFC 6582: a partial ACK reveals the next hole, one round trip after the last.
            let times = newReno.resent.sorted()
            try #require(times.count == 3)
            #expect(times[1] - times[0] >= Self.rtt && times[2] - times[1] >= Self.rtt)
            let span = times[2] - times[0]
            let sackSpan = try #require(sack.resent.max()) - (try #require(sack.resent.min()))
            #expect(span >= sackSpan + Self.rtt)
        }
        #expect(ignored.dropped == sack.dropped)   // the same segments lost, recovered differently
    }

    @Test("under 1% random loss the linux profile completes a transfer", arguments: [UInt64(1), 2, 3])
    func randomLoss(seed: UInt64) throws {
        let bytes = 2 * 1_048_576
        let overrides = ScenarioOverrides(seed: seed, rtt: 20 * millisecond, lossPPM: 10_000, profile: .linux,
                                          bytes: bytes)
        let result = run("bulk-transfer", overrides)
        #expect(result.summary.bytesDelivered == bytes)
        let sackEpisodes = result.events.filter { event in
            if case .congestion(_, _, _, .enterSACKRecovery) = event.kind { return true }
            return false
        }
        #expect(!sackEpisodes.isEmpty)
    }
}
