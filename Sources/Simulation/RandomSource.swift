/// A shared reference to the world's one `SeededGenerator`.
///
/// `SeededGenerator` is a value type; links, routers and applications of one world share a
/// single stream of decisions by holding the same `RandomSource`, so a whole world is one seed.
/// The order in which components draw is part of the simulation's behaviour (deterministic,
/// because the scheduler's order is).
///
/// The generator lives behind a pointer the source owns, so that a draw does not pay the
/// dynamic exclusivity check that every access to a class's stored `var` costs (see
/// `Scheduler`). Draws never call out, so no access can overlap another.
public final class RandomSource {
    @usableFromInline
    let state: UnsafeMutablePointer<SeededGenerator>

    public convenience init(seed: UInt64) {
        self.init(SeededGenerator(seed: seed))
    }

    public init(_ generator: SeededGenerator) {
        state = .allocate(capacity: 1)
        state.initialize(to: generator)
    }

    deinit {
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// The generator every component of the world draws from (a copy when read).
    public var generator: SeededGenerator {
        get { state.pointee }
        set { state.pointee = newValue }
    }

    /// The next 64 random bits.
    @inlinable public func next() -> UInt64 { state.pointee.next() }

    /// A double in [0, 1) from 53 random bits.
    @inlinable public func nextDouble() -> Double { state.pointee.nextDouble() }

    /// `true` with probability `p`; draws nothing when p ≤ 0 or p ≥ 1.
    @inlinable public func bernoulli(_ p: Double) -> Bool { state.pointee.bernoulli(p) }

    /// An unbiased integer in `range`.
    @inlinable public func uniform(_ range: ClosedRange<Int64>) -> Int64 { state.pointee.uniform(range) }
}
