/// A property over generated values: `check` runs it on many seeds and shrinks the first failure.
///
/// The property returns `nil` when it holds and a description of the violation otherwise.
public struct Property<Value> {
    public let name: String
    public let generator: Gen<Value>
    public let violation: (Value) -> String?

    public init(_ name: String, _ generator: Gen<Value>, violation: @escaping (Value) -> String?) {
        self.name = name
        self.generator = generator
        self.violation = violation
    }

    /// Runs the property on `seeds` in order; stops at the first failure and shrinks it.
    ///
    /// - Parameters:
    ///   - shrinkBudget: at most this many runs of the property while shrinking.
    ///   - progress: called after each seed with the number of cases run so far.
    public func check(
        seeds: some Sequence<UInt64>, shrinkBudget: Int = 2_000, progress: (Int) -> Void = { _ in }
    ) -> PropertyResult<Value> {
        var cases = 0
        for seed in seeds {
            cases += 1
            let (value, choices) = generator.generate(seed: seed, size: Self.size(forCase: cases))
            if let message = violation(value) {
                progress(cases)
                let shrunk = Shrinker(generator: generator, violation: violation, budget: shrinkBudget)
                    .shrink(choices: choices, value: value, message: message)
                return PropertyResult(cases: cases, failure: PropertyFailure(
                    seed: seed, original: value, shrunk: shrunk.value, message: shrunk.message,
                    choices: shrunk.choices, shrinkSteps: shrunk.steps, shrinkRuns: shrunk.runs))
            }
            progress(cases)
        }
        return PropertyResult(cases: cases, failure: nil)
    }

    /// Sizes grow from 10 to 100 over the first 90 cases, so early cases are small.
    static func size(forCase index: Int) -> Int { min(100, 10 + index) }
}

public struct PropertyResult<Value> {
    /// Cases run, the failing one included.
    public var cases: Int
    public var failure: PropertyFailure<Value>?
    public var passed: Bool { failure == nil }
}

public struct PropertyFailure<Value> {
    /// The seed whose case failed first: `generate(seed:)` gives `original` again.
    public var seed: UInt64
    public var original: Value
    /// The smallest failing value shrinking found, and what the property said about it.
    public var shrunk: Value
    public var message: String
    /// The choice sequence that replays to `shrunk`.
    public var choices: [UInt64]
    /// Successful shrink steps, and property runs spent shrinking.
    public var shrinkSteps: Int
    public var shrinkRuns: Int
}

/// Greedy shrinking over a choice sequence (Hypothesis's passes, simplified).
///
/// A candidate sequence is kept when it replays to a value that still fails and it is smaller in
/// shortlex order (shorter, or as long and lexicographically smaller), so shrinking terminates.
struct Shrinker<Value> {
    let generator: Gen<Value>
    /// The property: nil when it holds for a value, else the message describing the violation.
    let violation: (Value) -> String?
    let budget: Int

    struct Outcome {
        var value: Value
        var message: String
        var choices: [UInt64]
        var steps: Int
        var runs: Int
    }

    func shrink(choices: [UInt64], value: Value, message: String) -> Outcome {
        var best = Outcome(value: value, message: message, choices: choices, steps: 0, runs: 0)

        /// Tries a candidate; keeps it if it still fails and is smaller.
        func attempt(_ candidate: [UInt64]) -> Bool {
            guard best.runs < budget, Self.isSmaller(candidate, than: best.choices) else { return false }
            best.runs += 1
            let (value, used) = generator.replay(candidate)
            guard Self.isSmaller(used, than: best.choices), let message = violation(value) else { return false }
            best = Outcome(value: value, message: message, choices: used, steps: best.steps + 1, runs: best.runs)
            return true
        }

        var improved = true
        while improved && best.runs < budget {
            improved = false
            // Pass 1: delete chunks (elements of lists, optional parts), longest first, from the end.
            for chunk in [8, 4, 2, 1] {
                var start = best.choices.count - chunk
                while start >= 0 {
                    var candidate = best.choices
                    candidate.removeSubrange(start..<min(start + chunk, candidate.count))
                    if attempt(candidate) { improved = true }
                    start = min(start - 1, best.choices.count - chunk)
                }
            }
            // Pass 2: zero chunks.
            for chunk in [8, 4, 2] {
                var start = 0
                while start + chunk <= best.choices.count {
                    var candidate = best.choices
                    for index in start..<(start + chunk) { candidate[index] = 0 }
                    if attempt(candidate) { improved = true }
                    start += 1
                }
            }
            // Pass 2b: small values for large choices. A value is not always monotone in its choice
            // (a simulation seed): one of the first few may fail more simply.
            for index in best.choices.indices where best.choices[index] > 16 {
                for value in UInt64(1)...15 where index < best.choices.count {
                    var candidate = best.choices
                    candidate[index] = value
                    if attempt(candidate) { improved = true; break }
                }
            }
            // Pass 2c: lower equal pairs together (duplicates in a list stay duplicates).
            for first in best.choices.indices {
                for second in best.choices.indices where second > first && best.runs < budget {
                    guard second < best.choices.count, best.choices[first] == best.choices[second] else { continue }
                    let value = best.choices[first]
                    for target in [0, value / 2, value &- 1] where target < value {
                        var candidate = best.choices
                        candidate[first] = target
                        candidate[second] = target
                        if attempt(candidate) { improved = true; break }
                    }
                }
            }
            // Pass 3: lower each choice: to 0, then by binary search toward 0.
            var index = 0
            while index < best.choices.count {
                let current = best.choices[index]
                if current > 0 {
                    var candidate = best.choices
                    candidate[index] = 0
                    if attempt(candidate) {
                        improved = true
                    } else {
                        var low: UInt64 = 0   // known to pass (or not smaller)
                        var high = current   // known to fail
                        while low + 1 < high && best.runs < budget {
                            let middle = low + (high - low) / 2
                            var candidate = best.choices
                            guard index < candidate.count else { break }
                            candidate[index] = middle
                            if attempt(candidate) { high = middle; improved = true } else { low = middle }
                        }
                    }
                    // Pass 3b: a lowered choice followed by a deleted one (e.g. a list length and an element).
                    if index + 1 < best.choices.count, best.choices[index] > 0 {
                        var candidate = best.choices
                        candidate[index] -= 1
                        candidate.remove(at: index + 1)
                        if attempt(candidate) { improved = true }
                    }
                }
                index += 1
            }
        }
        return best
    }

    /// Shortlex order: shorter first, then lexicographically smaller.
    static func isSmaller(_ lhs: [UInt64], than rhs: [UInt64]) -> Bool {
        if lhs.count != rhs.count { return lhs.count < rhs.count }
        for (a, b) in zip(lhs, rhs) where a != b { return a < b }
        return false
    }
}
