import Simulation
@testable import Stack
import Testing
import Tracing
import Wire

/// `TCPRTOEstimator` on its own (RFC 6298 §2 and §5), values computed by hand to the nanosecond.
@Suite("TCP retransmission timeout (RFC 6298)")
struct TCPRTOEstimatorTests {
    func estimator(initial: VirtualDuration = .seconds(1), minimum: VirtualDuration = .milliseconds(200),
                   maximum: VirtualDuration = .seconds(120), granularity: VirtualDuration = .milliseconds(1))
        -> TCPRTOEstimator
    {
        TCPRTOEstimator(initial: initial, minimum: minimum, maximum: maximum, granularity: granularity)
    }

    @Test("RFC 6298 §2.1: before any measurement RTO is the initial 1 s, with no SRTT or RTTVAR")
    func initial() {
        let rto = estimator()
        #expect(rto.rto == .seconds(1))
        #expect(rto.srtt == nil)
        #expect(rto.rttvar == nil)
        #expect(estimator(initial: .seconds(3), maximum: .seconds(2)).rto == .seconds(2))   // §2.5 maximum
    }

    @Test("RFC 6298 §2.2: first sample R: SRTT = R, RTTVAR = R/2, RTO = SRTT + max(G, 4·RTTVAR)")
    func firstSample() {
        var rto = estimator()
        rto.sample(.milliseconds(100))
        #expect(rto.srtt == .milliseconds(100))
        #expect(rto.rttvar == .milliseconds(50))
        #expect(rto.rto == .milliseconds(300))
    }

    @Test("RFC 6298 §2.2: the clock granularity G applies when 4·RTTVAR is smaller")
    func granularity() {
        var rto = estimator(minimum: .zero, granularity: .milliseconds(100))
        rto.sample(.milliseconds(40))
        #expect(rto.rttvar == .milliseconds(20))
        #expect(rto.rto == .milliseconds(140))   // 40 + max(100, 80)
    }

    @Test("RFC 6298 §2.3: later samples, RTTVAR first (β = 1/4, with the old SRTT), then SRTT (α = 1/8)")
    func laterSamples() {
        var rto = estimator()
        rto.sample(.milliseconds(100))
        rto.sample(.milliseconds(200))
        // RTTVAR = 3/4·50 + 1/4·|100 − 200| = 62.5 ms; SRTT = 7/8·100 + 1/8·200 = 112.5 ms
        #expect(rto.rttvar == .microseconds(62_500))
        #expect(rto.srtt == .microseconds(112_500))
        #expect(rto.rto == .microseconds(362_500))   // 112.5 + 4 × 62.5
        rto.sample(.milliseconds(50))
        // RTTVAR = 3/4·62.5 + 1/4·|112.5 − 50| = 62.5 ms; SRTT = 7/8·112.5 + 1/8·50 = 104.6875 ms
        #expect(rto.rttvar == .microseconds(62_500))
        #expect(rto.srtt == .nanoseconds(104_687_500))
        #expect(rto.rto == .nanoseconds(354_687_500))
        rto.sample(.milliseconds(104))
        // RTTVAR = 3/4·62.5 + 1/4·0.6875 = 47.046875 ms; SRTT = (7 × 104.6875 + 104) / 8 = 104.6015625 ms
        #expect(rto.rttvar == .nanoseconds(47_046_875))
        #expect(rto.srtt == .nanoseconds(104_601_562))   // 104.6015625 ms, truncated to the nanosecond
        #expect(rto.rto == .nanoseconds(104_601_562 + 4 * 47_046_875))
    }

    @Test("RFC 6298 §2.4: RTO is raised to the minimum (1 s in the RFC)")
    func minimum() {
        var rto = estimator(minimum: .seconds(1))
        rto.sample(.milliseconds(100))
        #expect(rto.rto == .seconds(1))   // 300 ms computed
        #expect(rto.srtt == .milliseconds(100))   // the estimate itself is not clamped
    }

    @Test("RFC 6298 §2.5: RTO is capped at the maximum")
    func maximum() {
        var rto = estimator(maximum: .seconds(60))
        rto.sample(.seconds(30))
        #expect(rto.rto == .seconds(60))   // 30 + 4 × 15 = 90 s computed
    }

    @Test("RFC 6298 §5.5: each expiry doubles RTO, up to the maximum")
    func backoff() {
        var rto = estimator(maximum: .seconds(2))
        rto.sample(.milliseconds(100))
        var timeouts: [VirtualDuration] = []
        for _ in 0..<4 {
            rto.backOff()
            timeouts.append(rto.rto)
        }
        #expect(timeouts == [.milliseconds(600), .milliseconds(1200), .seconds(2), .seconds(2)])
        var fresh = estimator()
        fresh.backOff()
        fresh.backOff()
        #expect(fresh.rto == .seconds(4))   // without a sample the initial 1 s doubles too
    }

    @Test("RFC 6298 §5 (the note after rule 5.7): a new measurement after backoff recomputes RTO, collapsing the backoff")
    func backoffReset() {
        var rto = estimator()
        rto.sample(.milliseconds(100))
        rto.backOff()
        rto.backOff()
        #expect(rto.rto == .milliseconds(1200))
        rto.sample(.milliseconds(100))
        #expect(rto.rttvar == .microseconds(37_500))   // 3/4·50 + 1/4·0
        #expect(rto.rto == .milliseconds(250))   // 100 + 4 × 37.5: the backoff is gone
    }

    @Test("RFC 6298 §5.7: after a SYN timeout without a measurement, data starts at RTO = 3 s")
    func synTimeout() {
        var unmeasured = estimator()
        unmeasured.backOff()
        unmeasured.resetAfterSYNTimeout()
        #expect(unmeasured.rto == .seconds(3))
        var measured = estimator()
        measured.sample(.milliseconds(100))
        measured.resetAfterSYNTimeout()
        #expect(measured.rto == .milliseconds(300))   // a measurement exists: keep it
        var capped = estimator(maximum: .seconds(2))
        capped.resetAfterSYNTimeout()
        #expect(capped.rto == .seconds(2))
    }

    @Test("RFC 6298 §3 (Karn) and §5.5: the ACK of a retransmission gives no sample and keeps the backed-off RTO; the next timed segment resets it")
    func karnThroughConnection() {
        var configuration = TCPConfiguration.textbook
        configuration.minimumRTO = .milliseconds(200)
        var client = establishedClient(configuration)
        let t0 = VirtualTime.zero
        _ = client.send(pattern(100), now: t0)
        #expect(client.deadline(of: .retransmission) == t0 + .seconds(1))
        let timeout = client.timerFires(.retransmission, now: t0 + .seconds(1))
        #expect(timeout.retransmissions.map(\.1) == [.timeout])
        #expect(client.rto == .seconds(2))
        #expect(client.deadline(of: .retransmission) == t0 + .seconds(3))

        _ = client.segmentArrives(segment(seq: 5001, ack: 1101, flags: []), now: t0 + .milliseconds(1100))
        #expect(client.srtt == nil)   // ambiguous: the original or the retransmission?
        #expect(client.rto == .seconds(2))

        let second = client.send(pattern(100, offset: 100), now: t0 + .milliseconds(1200))
        #expect(second.actions.contains(.setTimer(.retransmission, at: t0 + .milliseconds(3200))))
        _ = client.segmentArrives(segment(seq: 5001, ack: 1201, flags: []), now: t0 + .milliseconds(1300))
        #expect(client.srtt == .milliseconds(100))
        #expect(client.rttvar == .milliseconds(50))
        #expect(client.rto == .milliseconds(300))
    }
}
