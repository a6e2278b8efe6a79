/// A shared reference to the world's one `SeededGenerator`.
///
/// `SeededGenerator` is a value type; links, routers and applications of one world share a
/// single stream of decisions by holding the same `RandomSource`, so a whole world is one seed.
/// The order in which components draw is part of the simulation's behaviour (deterministic,
/// because the scheduler's order is).
public final class RandomSource {
    /// The generator every component of the world draws from.
    public var generator: SeededGenerator

    public init(seed: UInt64) {
        generator = SeededGenerator(seed: seed)
    }

    public init(_ generator: SeededGenerator) {
        self.generator = generator
    }

    /// The next 64 random bits.
    @inlinable public func next() -> UInt64 { generator.next() }

    /// A double in [0, 1) from 53 random bits.
    @inlinable public func nextDouble() -> Double { generator.nextDouble() }

    /// `true` with probability `p`; draws nothing when p ≤ 0 or p ≥ 1.
    @inlinable public func bernoulli(_ p: Double) -> Bool { generator.bernoulli(p) }

    /// An unbiased integer in `range`.
    @inlinable public func uniform(_ range: ClosedRange<Int64>) -> Int64 { generator.uniform(range) }
}
