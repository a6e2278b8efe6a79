import Runs
import Simulation
@testable import Stack
import Testing
import Tracing
import Wire

/// The linux profile's tail loss probe (RFC 8985 §7), D-SACK (RFC 2883) and rate-limited answers to
/// out-of-window segments (Linux `tcp_invalid_ratelimit`), on whole runs; the kernel's side of the
/// same is `stopped-reader`, which replays exactly (ReplayCommandTests).
@Suite("Tail loss probe and D-SACK (linux profile)")
struct TailLossProbeTests {
    static let millisecond: Int64 = 1_000_000

    /// The client sends ten segments over a 20 ms link and the link loses the last (the 13th packet
    /// on the link, after the handshake's three); a second write a second later lets an ACK pass
    /// the probe.
    func lostTail(configuration: TCPConfiguration? = nil) throws -> Run {
        let scenario = try ScenarioLanguage.parse("""
            scenario lost-tail "the last segment of a flight is lost"
            seed 1
            profile linux
            hosts client server
            link rtt 20ms
            link mtu 1500
            link drop 13
            at 0 server listen 80
            at 0 client connect server:80
            on connected client send 14480
            on connected+1s client send 1448
            on connected+2s client close
            on peer-finished server close
            """, file: "lost-tail.scn")
        return SimulatedRuntime(settings: StackSettings(configuration: configuration)).run(scenario)
    }

    func clientTimers(_ run: Run, _ timer: TCPTimer) -> [(time: Int64, action: TimerAction)] {
        run.events.compactMap { event in
            guard event.node == "client", case .timer(_, timer, let action) = event.kind else { return nil }
            return (event.time, action)
        }
    }

    func clientCongestion(_ run: Run) -> [(cwnd: Int, reason: CongestionReason)] {
        run.events.compactMap { event in
            guard event.node == "client", case .congestion(_, let cwnd, _, let reason) = event.kind else { return nil }
            return (cwnd, reason)
        }
    }

    @Test("with one segment in flight the probe takes the RTO's place: no timeout, no backoff, cwnd halved later")
    func aLostTailIsRepairedByTheProbe() throws {
        let run = try lostTail()
        let resent = run.segmentsSent(by: "client").filter(\.cause.isRetransmission)
        #expect(resent.map(\.cause) == [.retransmission(.tailLossProbe)])
        #expect(resent.first?.segment.header.sequenceNumber == SequenceNumber(run.clientISN) + 13033)
        #expect(clientTimers(run, .retransmission).allSatisfy { $0.action != .fired })
        // The probe fires when the RTO would have: the RTO it replaced was due at that instant.
        let probe = try #require(resent.first)
        let replaced = clientTimers(run, .retransmission).last { $0.time < probe.time && $0.action != .cancelled }
        #expect(replaced.map { $0.action } == .set(at: probe.time))
        #expect(clientTimers(run, .lossProbe).contains { $0.action == .set(at: probe.time) })
        // The next ACK past the probe says it repaired a loss (no D-SACK): cwnd halves (RFC 8985 §7.4.2).
        let congestion = clientCongestion(run)
        let repair = try #require(congestion.last)
        #expect(repair.reason == .lossProbeRepair)
        let before = congestion[congestion.count - 2].cwnd
        #expect(repair.cwnd == before / 2)
        #expect(!congestion.contains { $0.reason == .lossWindow })
        #expect(run.summary.bytesDelivered == 15_928)
    }

    @Test("without the probe the same loss waits for the RTO, and the window collapses to one segment")
    func withoutTheProbeTheRTORepairsIt() throws {
        var configuration = TCPConfiguration.linux(mtu: 1500)
        configuration.tailLossProbe = false
        let run = try lostTail(configuration: configuration)
        let resent = run.segmentsSent(by: "client").filter(\.cause.isRetransmission)
        #expect(resent.map(\.cause) == [.retransmission(.timeout)])
        #expect(clientTimers(run, .lossProbe).isEmpty)
        #expect(clientCongestion(run).contains { $0.reason == .lossWindow && $0.cwnd == 1448 })
        // Both runs resend at the same instant; only what follows differs.
        let probed = try lostTail().segmentsSent(by: "client").first(where: \.cause.isRetransmission)
        #expect(probed?.time == resent.first?.time)
    }

    @Test("PTO: 2·SRTT plus 2 ms (one segment in flight: plus the minimum RTO), in whole 4 ms ticks")
    func probeTimeoutFormula() {
        func pto(_ srtt: Int64?, one: Bool) -> Int64 {
            TCPTailLossProbe.timeout(srtt: srtt.map { .milliseconds($0) }, oneSegmentInFlight: one,
                                     minimumRTO: .milliseconds(200), initialRTO: .seconds(1)).nanoseconds
        }
        #expect(pto(20, one: false) == 44 * Self.millisecond)   // 42 ms, rounded up to a tick
        #expect(pto(0, one: false) == 4 * Self.millisecond)     // loopback: one tick
        #expect(pto(20, one: true) == 240 * Self.millisecond)
        #expect(pto(nil, one: false) == 1_000 * Self.millisecond)
    }

    /// The built-in `stopped-reader` on a loopback link, as the replay runs it: the server does not
    /// read, so its ACK of the last segment waits for the delayed-ACK timer.
    func stoppedReader(configuration: TCPConfiguration? = nil) throws -> Run {
        let scenario = try ScenarioLanguage.parse("""
            scenario stopped "a reader that does not read"
            seed 1
            profile linux
            hosts client server
            link loopback
            at 0 server listen 80
            at 0 client connect server:80
            on connected client send 150000
            on accepted server pause-reading
            on accepted+1s server resume-reading
            on connected+1500ms client close
            on peer-finished server close
            """, file: "stopped.scn")
        return SimulatedRuntime(settings: StackSettings(configuration: configuration)).run(scenario)
    }

    @Test("a probe that resends what had arrived draws a D-SACK on the owed ACK, and cwnd stays")
    func aNeedlessProbeIsReportedAsADuplicate() throws {
        let run = try stoppedReader()
        let probe = try #require(run.segmentsSent(by: "client").first { $0.cause == .retransmission(.tailLossProbe) })
        // Four segments were in flight: PTO is one tick after the last was sent (SRTT is 0 on lo).
        let lastOriginal = try #require(run.segmentsSent(by: "client").last { $0.time < probe.time && $0.cause == .original })
        #expect(probe.time - lastOriginal.time == 4 * Self.millisecond)
        let probed = SACKBlock(left: probe.segment.header.sequenceNumber,
                               right: probe.segment.header.sequenceNumber + UInt32(probe.segment.payload.count))
        // The server owed an ACK already: the duplicate does not hurry it (as on Linux 6.18); the
        // delayed ACK reports the duplicate in its first SACK block, below its ACK (RFC 2883 §4).
        let answer = try #require(run.segmentsSent(by: "server").first { $0.time > probe.time })
        #expect(answer.time - lastOriginal.time == 40 * Self.millisecond)
        #expect(answer.segment.header.acknowledgmentNumber == probed.right)
        #expect(answer.segment.header.options.contains(.sack([probed])))
        // Reported once: no later ACK repeats it.
        let later = run.segmentsSent(by: "server").filter { $0.time > answer.time }
        #expect(!later.contains { $0.segment.header.options.contains { if case .sack = $0 { true } else { false } } })
        #expect(!clientCongestion(run).contains { $0.reason == .lossProbeRepair })
    }

    @Test("zero-window probes 440 ms apart: Linux answers the first only, RFC 9293 both")
    func outOfWindowAnswersAreRateLimited() throws {
        /// Zero-window probes (empty, one below SND.MAX) and how many the server answered; on a
        /// loopback link an answer leaves in the instant the probe arrives.
        func probes(_ run: Run) -> (sent: Int, answered: Int) {
            let client = run.segmentsSent(by: "client"), server = run.segmentsSent(by: "server")
            let probes = client.filter { $0.segment.payload.isEmpty && $0.segment.header.sequenceNumber + 1 == $0.nextData(in: client) }
            return (probes.count, probes.filter { probe in server.contains { $0.time == probe.time } }.count)
        }
        let linux = probes(try stoppedReader())
        #expect(linux.sent == 2 && linux.answered == 1)
        var everyOne = TCPConfiguration.linux(mtu: 65536)
        everyOne.outOfWindowACKInterval = nil
        let rfc = probes(try stoppedReader(configuration: everyOne))
        #expect(rfc.sent == 2 && rfc.answered == 2)
    }
}

extension TracedSegment {
    /// SND.MAX when this segment left: one past the highest data sent before it.
    func nextData(in sent: [TracedSegment]) -> SequenceNumber? {
        sent.filter { $0.time <= time && !$0.segment.payload.isEmpty }
            .map { $0.segment.header.sequenceNumber + UInt32($0.segment.payload.count) }
            .max { $0 < $1 }
    }
}

extension Run {
    /// The client's initial sequence number (its SYN's).
    var clientISN: UInt32 {
        segmentsSent(by: "client").first { $0.segment.header.flags.contains(.syn) }?.segment.header.sequenceNumber.rawValue ?? 0
    }
}
