/// The one source of randomness in a simulated world: xoshiro256** seeded by SplitMix64.
///
/// - The generator is **xoshiro256\*\*** 1.0 by David Blackman and Sebastiano Vigna
///   ("Scrambled Linear Pseudorandom Number Generators", ACM TOMS 47(4), 2021; reference code
///   <https://prng.di.unimi.it/xoshiro256starstar.c>).
/// - Its 256-bit state is filled from a 64-bit seed by four outputs of **SplitMix64**
///   (Steele, Lea and Flood, "Fast Splittable Pseudorandom Number Generators", OOPSLA 2014;
///   reference code <https://prng.di.unimi.it/splitmix64.c>), as the xoshiro authors recommend.
///
/// The helpers (`nextDouble`, `bernoulli`, `uniform`) are defined here rather than taken from the
/// standard library so that a seed gives the same decisions with any Swift version.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
    /// The four 64-bit words of xoshiro256** state (`s[0]`...`s[3]` in the reference code).
    public var state: (UInt64, UInt64, UInt64, UInt64) { s }

    @usableFromInline
    var s: (UInt64, UInt64, UInt64, UInt64)

    /// The seed this generator was created from, or `nil` when created from a raw state.
    public let seed: UInt64?

    /// Creates a generator whose state is four consecutive SplitMix64 outputs from `seed`.
    public init(seed: UInt64) {
        var splitMix = SplitMix64(state: seed)
        s = (splitMix.next(), splitMix.next(), splitMix.next(), splitMix.next())
        self.seed = seed
    }

    /// Creates a generator from a raw xoshiro256** state; the state must not be all zero.
    public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        precondition(state != (0, 0, 0, 0), "xoshiro256** state must not be all zero")
        self.s = state
        self.seed = nil
    }

    public static func == (lhs: SeededGenerator, rhs: SeededGenerator) -> Bool {
        lhs.s == rhs.s
    }

    /// The next 64 random bits (`next()` in the reference code).
    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = rotateLeft(s.3, 45)
        return result
    }

    /// A double in [0, 1) built from the top 53 bits of one output (all multiples of 2⁻⁵³).
    @inlinable
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// `true` with probability `p`.
    ///
    /// Draws one output when 0 < p < 1 and none otherwise, so a disabled fault (p = 0) does not
    /// disturb the sequence seen by other decisions.
    @inlinable
    public mutating func bernoulli(_ p: Double) -> Bool {
        if p <= 0 { return false }
        if p >= 1 { return true }
        return nextDouble() < p
    }

    /// An integer uniformly distributed over `range`, without modulo bias.
    ///
    /// Uses Lemire's multiply-and-reject method ("Fast Random Integer Generation in an
    /// Interval", ACM TOMS 29(1), 2019). A single-value range draws nothing.
    @inlinable
    public mutating func uniform(_ range: ClosedRange<Int64>) -> Int64 {
        let span = UInt64(bitPattern: range.upperBound &- range.lowerBound)
        if span == 0 { return range.lowerBound }
        if span == UInt64.max { return Int64(bitPattern: next()) }
        let offset = below(span + 1)
        return range.lowerBound &+ Int64(bitPattern: offset)
    }

    /// An integer uniformly distributed in `0..<bound` (Lemire's method); `bound` must be positive.
    @inlinable
    public mutating func below(_ bound: UInt64) -> UInt64 {
        precondition(bound > 0, "bound must be positive")
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = next().multipliedFullWidth(by: bound)
            }
        }
        return product.high
    }
}

@inlinable
func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
    (x << k) | (x >> (64 - k))
}

/// SplitMix64, used only to expand a 64-bit seed into xoshiro256** state.
///
/// Reference: <https://prng.di.unimi.it/splitmix64.c>. From seed 0 its first outputs are
/// `0xe220a8397b1dcdaf`, `0x6e789e6aa1b965f4`, `0x06c45d188009454f`.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(state: UInt64) {
        self.state = state
    }

    /// The same as `init(state:)`: the seed is the first state.
    public init(seed: UInt64) {
        self.init(state: seed)
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
