import Checking
import Stack
import Testing

@Suite("Each ablation is caught, and shrunk to a short counterexample")
struct AblationTests {
    @Test("caught within 1,000 seeds by its invariant; shrunk to at most 30 ladder events (40 for sack-ignored)", arguments: Ablation.allCases)
    func caughtAndShrunk(_ ablation: Ablation) throws {
        let invariant = ablation.caughtBy
        var failing: [UInt64] = []
        for seed: UInt64 in 1...1_000 where failing.count < 12 {
            if Checker.run(seed: seed, ablation: ablation).check(invariant) != nil { failing.append(seed) }
        }
        try #require(!failing.isEmpty, "\(ablation.name) not caught by \(invariant.name) in 1,000 seeds")
        let counterexample = try #require(Checker.smallestCounterexample(
            seeds: failing, invariant: invariant, ablation: ablation, tries: 2, budget: 800))
        // The shrunk case still fails, and without the ablation it passes.
        #expect(counterexample.run.check(invariant) != nil)
        #expect(CheckRun(counterexample.shrunk).check(invariant) == nil)
        let size = counterexample.size
        let report = counterexample.reportLines().joined(separator: "\n")
        #expect(report.contains("seed \(counterexample.seed)"))
        // Ignored SACK blocks show only in a window of ten segments (the linux profile's initial window):
        // a hole with DupThresh segments SACKed above it and new data after them (RFC 6675 §4).
        let limit = ablation == .sackIgnored ? 40 : 30
        #expect(size.events <= limit, "\(size)\n\(report)")
    }
}
