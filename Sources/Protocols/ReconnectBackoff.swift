/// Delays between reconnection attempts: exponential backoff with a cap and caller-supplied jitter.
///
/// Attempt n (counting from 0 since the last success) has the ceiling `min(cap, base · 2ⁿ)`.
/// Jitter spreads clients that lost the same server so they do not all return at once; its
/// randomness is a `UInt64` the caller draws from its seeded generator, so a seed replays the
/// same delays. The `UInt64` is scaled to a range with a 128-bit multiply (no modulo bias).
public struct ReconnectBackoff: Sendable {
    /// How the random value shapes a delay with ceiling `c`.
    public enum Jitter: Sendable, Hashable {
        /// Exactly `c`: no randomness.
        case none
        /// Uniform in `0...c` ("full jitter").
        case full
        /// Uniform in `c/2...c` ("equal jitter"): never shorter than half the ceiling.
        case equal
    }

    /// The ceiling of the first attempt, in nanoseconds.
    public let base: Int64
    /// The largest ceiling, in nanoseconds.
    public let cap: Int64
    public let jitter: Jitter
    /// The number of delays given since the last success.
    public private(set) var attempt = 0

    /// Backoff from `base` up to `cap` nanoseconds (both ≥ 0; `cap` below `base` caps at `base`).
    public init(base: Int64, cap: Int64, jitter: Jitter = .full) {
        self.base = max(0, base)
        self.cap = max(self.base, cap)
        self.jitter = jitter
    }

    /// `min(cap, base · 2ⁿ)`, without overflow.
    public func ceiling(forAttempt n: Int) -> Int64 {
        guard n >= 0 else { return base }
        if n >= 62 { return base == 0 ? 0 : cap }
        let (value, overflowed) = base.multipliedReportingOverflow(by: Int64(1) << Int64(n))
        return overflowed ? cap : min(cap, value)
    }

    /// The delay before the next attempt, shaped by `random`; counts the attempt.
    public mutating func nextDelay(random: UInt64) -> Int64 {
        let ceiling = ceiling(forAttempt: attempt)
        attempt += 1
        switch jitter {
        case .none: return ceiling
        case .full: return Self.scale(random, upTo: ceiling)
        case .equal: return ceiling / 2 + Self.scale(random, upTo: ceiling - ceiling / 2)
        }
    }

    /// A connection succeeded: the next delay starts again from `base`.
    public mutating func reset() {
        attempt = 0
    }

    /// `random` mapped uniformly onto `0...bound` by the high half of a 128-bit product.
    static func scale(_ random: UInt64, upTo bound: Int64) -> Int64 {
        guard bound > 0 else { return 0 }
        return Int64(random.multipliedFullWidth(by: UInt64(bound) + 1).high)
    }
}
