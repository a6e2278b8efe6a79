// Checking: the property-testing harness, the invariant catalogue and the protocol ablations.
//
// The harness is our own (no packages) and follows Hypothesis's design: a generator draws from a
// *choice sequence* (a list of integers). Random testing fills the sequence from a seeded
// `SeededGenerator` (xoshiro256** seeded by SplitMix64); shrinking edits the recorded sequence
// (deletes chunks, zeroes them, lowers single values) and replays the generator on it. So every
// generator, however built with `map`/`flatMap`, shrinks for free, and a shrunk value is always
// one the generator could have produced.
//
// Deliberate simplifications: choices are `UInt64` bounded by the caller; replaying past the end
// of a sequence draws 0 (the simplest choice); shrinking is greedy with a budget of property runs.
// No clocks and no Foundation: the command-line handler does the timing.
import Simulation

/// Where a generator's decisions come from: fresh random draws (recorded) or a recorded sequence.
public struct ChoiceSource {
    /// Every choice made so far, in order: replaying these gives the same value.
    public private(set) var choices: [UInt64] = []
    private var generator: SeededGenerator?
    private let replayed: [UInt64]
    /// A hint for collection sizes and magnitudes: small for early cases, growing with the case index.
    public let size: Int

    /// Random choices from `seed`.
    public init(seed: UInt64, size: Int = 100) {
        generator = SeededGenerator(seed: seed)
        replayed = []
        self.size = size
    }

    /// Replays `choices`; past their end every choice is 0.
    public init(replaying choices: [UInt64], size: Int = 100) {
        generator = nil
        replayed = choices
        self.size = size
    }

    /// A choice in `0...bound`: uniform when random, the recorded value (clamped) when replaying.
    public mutating func draw(upTo bound: UInt64) -> UInt64 {
        let value: UInt64
        if generator != nil {
            value = bound == .max ? generator!.next() : generator!.below(bound + 1)
        } else {
            let index = choices.count
            value = index < replayed.count ? min(replayed[index], bound) : 0
        }
        choices.append(value)
        return value
    }
}

/// A generator of values from a choice sequence, with shrinking integrated (see the module comment).
public struct Gen<Value>: Sendable {
    public let run: @Sendable (inout ChoiceSource) -> Value

    public init(_ run: @escaping @Sendable (inout ChoiceSource) -> Value) {
        self.run = run
    }

    /// A value from `seed` and the choices that produced it.
    public func generate(seed: UInt64, size: Int = 100) -> (value: Value, choices: [UInt64]) {
        var source = ChoiceSource(seed: seed, size: size)
        let value = run(&source)
        return (value, source.choices)
    }

    /// The value `choices` produce, and the choices actually used (a normalised sequence).
    public func replay(_ choices: [UInt64], size: Int = 100) -> (value: Value, choices: [UInt64]) {
        var source = ChoiceSource(replaying: choices, size: size)
        let value = run(&source)
        return (value, source.choices)
    }

    public func map<T>(_ transform: @escaping @Sendable (Value) -> T) -> Gen<T> {
        Gen<T> { source in transform(self.run(&source)) }
    }

    public func flatMap<T>(_ transform: @escaping @Sendable (Value) -> Gen<T>) -> Gen<T> {
        Gen<T> { source in transform(self.run(&source)).run(&source) }
    }

    /// Values that satisfy `predicate`; tries a few times, then gives the last one anyway
    /// (so shrinking never loops). Prefer generating valid values directly.
    public func filter(_ predicate: @escaping @Sendable (Value) -> Bool) -> Gen<Value> {
        Gen { source in
            var value = self.run(&source)
            for _ in 0..<10 where !predicate(value) { value = self.run(&source) }
            return value
        }
    }

    /// Arrays whose length lies in `count`; shrinks by dropping elements and toward the lower bound.
    ///
    /// Each element after the minimum is preceded by a "one more?" choice, so deleting an element's
    /// choices from the sequence deletes the element (Hypothesis's list encoding).
    public func array(count: ClosedRange<Int>) -> Gen<[Value]> {
        Gen<[Value]> { source in
            var values: [Value] = []
            while values.count < count.upperBound {
                if values.count >= count.lowerBound, source.draw(upTo: 1) == 0 { break }
                values.append(self.run(&source))
            }
            return values
        }
    }

    /// Arrays of at most `size`-scaled length (`maxCount` at full size).
    public func sizedArray(maxCount: Int) -> Gen<[Value]> {
        Gen<[Value]> { source in
            let limit = max(0, min(maxCount, maxCount * source.size / 100))
            return self.array(count: 0...limit).run(&source)
        }
    }

    /// `nil` or a value; shrinks to `nil`.
    public var optional: Gen<Value?> {
        Gen<Value?> { source in source.draw(upTo: 1) == 0 ? nil : self.run(&source) }
    }
}

extension Gen {
    /// Always `value`.
    public static func constant(_ value: Value) -> Gen<Value> where Value: Sendable {
        Gen { _ in value }
    }

    /// One of the generators, chosen uniformly; shrinks toward the first.
    public static func oneOf(_ generators: [Gen<Value>]) -> Gen<Value> {
        precondition(!generators.isEmpty, "oneOf needs a generator")
        return Gen { source in
            generators[Int(source.draw(upTo: UInt64(generators.count - 1)))].run(&source)
        }
    }

    /// One of the generators, chosen with the given weights; shrinks toward the first.
    public static func frequency(_ weighted: [(weight: Int, generator: Gen<Value>)]) -> Gen<Value> {
        let total = weighted.reduce(0) { $0 + max(0, $1.weight) }
        precondition(total > 0, "frequency needs a positive weight")
        return Gen { source in
            // Draw the index first so that shrinking the draw moves toward the first choice.
            var ticket = Int(source.draw(upTo: UInt64(total - 1)))
            for entry in weighted where entry.weight > 0 {
                if ticket < entry.weight { return entry.generator.run(&source) }
                ticket -= entry.weight
            }
            return weighted[weighted.count - 1].generator.run(&source)
        }
    }

    /// One of `values`, uniformly; shrinks toward the first.
    public static func element(of values: [Value]) -> Gen<Value> where Value: Sendable {
        precondition(!values.isEmpty, "element(of:) needs a value")
        return Gen { source in values[Int(source.draw(upTo: UInt64(values.count - 1)))] }
    }
}

extension Gen where Value == Int {
    /// An integer in `range`; shrinks toward the lower bound.
    public static func int(in range: ClosedRange<Int>) -> Gen<Int> {
        Gen { source in
            let span = UInt64(bitPattern: Int64(range.upperBound) &- Int64(range.lowerBound))
            return range.lowerBound &+ Int(truncatingIfNeeded: source.draw(upTo: span))
        }
    }
}

extension Gen where Value == Int64 {
    /// An integer in `range`; shrinks toward the lower bound.
    public static func int64(in range: ClosedRange<Int64>) -> Gen<Int64> {
        Gen { source in
            let span = UInt64(bitPattern: range.upperBound &- range.lowerBound)
            return range.lowerBound &+ Int64(bitPattern: source.draw(upTo: span))
        }
    }
}

extension Gen where Value == Bool {
    /// `false` or `true`; shrinks to `false`.
    public static var bool: Gen<Bool> {
        Gen { source in source.draw(upTo: 1) == 1 }
    }

    /// `true` with probability `partsPerMillion`/10⁶; shrinks to `false`.
    public static func bool(partsPerMillion: Int) -> Gen<Bool> {
        Gen { source in source.draw(upTo: 999_999) >= UInt64(1_000_000 - max(0, min(partsPerMillion, 1_000_000))) }
    }
}
