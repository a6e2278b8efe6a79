import Protocols
import Simulation
import Testing

@Suite("Reconnect backoff")
struct HeartbeatReconnectTests {
    static let ms: Int64 = 1_000_000

    /// Without jitter: base · 2ⁿ, capped.
    @Test func doublesUpToTheCap() {
        var backoff = ReconnectBackoff(base: 100 * Self.ms, cap: 2000 * Self.ms, jitter: .none)
        let delays = (0..<8).map { _ in backoff.nextDelay(random: 0) }
        #expect(delays == [100, 200, 400, 800, 1600, 2000, 2000, 2000].map { $0 * Self.ms })
        #expect(backoff.attempt == 8)
    }

    /// Ceilings never overflow, never decrease and never pass the cap, however many attempts.
    @Test func ceilingsAreSafeForAnyAttempt() {
        let backoff = ReconnectBackoff(base: Int64.max / 3, cap: Int64.max / 2)
        var previous: Int64 = 0
        for attempt in 0..<200 {
            let ceiling = backoff.ceiling(forAttempt: attempt)
            #expect(ceiling >= previous && ceiling <= Int64.max / 2)
            previous = ceiling
        }
        #expect(ReconnectBackoff(base: 5, cap: 1).cap == 5)
    }

    /// Full jitter maps the random value onto 0...ceiling; equal jitter onto ceiling/2...ceiling.
    @Test func jitterScalesTheRandomValue() {
        var full = ReconnectBackoff(base: 1000, cap: 1_000_000, jitter: .full)
        #expect(full.nextDelay(random: 0) == 0)
        #expect(full.nextDelay(random: UInt64.max) == 2000)
        #expect(full.nextDelay(random: 1 << 63) == 2000)  // Half of 0...4000.
        var equal = ReconnectBackoff(base: 1000, cap: 1_000_000, jitter: .equal)
        #expect(equal.nextDelay(random: 0) == 500)
        #expect(equal.nextDelay(random: UInt64.max) == 2000)
    }

    /// The same random sequence gives the same delays; each lies within its ceiling.
    @Test func seededJitterIsDeterministic() {
        func delays(seed: UInt64, jitter: ReconnectBackoff.Jitter) -> [Int64] {
            var generator = SeededGenerator(seed: seed)
            var backoff = ReconnectBackoff(base: 50 * Self.ms, cap: 5000 * Self.ms, jitter: jitter)
            return (0..<12).map { _ in backoff.nextDelay(random: generator.next()) }
        }
        #expect(delays(seed: 7, jitter: .full) == delays(seed: 7, jitter: .full))
        #expect(delays(seed: 7, jitter: .full) != delays(seed: 8, jitter: .full))
        let reference = ReconnectBackoff(base: 50 * Self.ms, cap: 5000 * Self.ms)
        for (attempt, delay) in delays(seed: 7, jitter: .full).enumerated() {
            #expect(delay >= 0 && delay <= reference.ceiling(forAttempt: attempt))
        }
        for (attempt, delay) in delays(seed: 9, jitter: .equal).enumerated() {
            let ceiling = reference.ceiling(forAttempt: attempt)
            #expect(delay >= ceiling / 2 && delay <= ceiling)
        }
    }

    /// Success resets the sequence to the base.
    @Test func resetsOnSuccess() {
        var backoff = ReconnectBackoff(base: 10, cap: 1000, jitter: .none)
        _ = (0..<5).map { _ in backoff.nextDelay(random: 0) }
        #expect(backoff.nextDelay(random: 0) == 320)
        backoff.reset()
        #expect(backoff.attempt == 0)
        #expect(backoff.nextDelay(random: 0) == 10)
    }
}
