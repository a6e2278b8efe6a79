/// What a campaign (`CheckCampaign`) keeps: per invariant, how many cases passed and failed and
/// the smallest failing seeds; the seed range; the time spent. Its size does not grow with the
/// number of seeds.
public struct CampaignResult: Sendable, Equatable {
    /// The seeds covered, first and last (`first > last` for none).
    public var seeds: ClosedRange<UInt64>?
    /// The ablation's name, if the stack was broken on purpose.
    public var ablation: String?
    /// One per invariant, in the campaign's order.
    public var tallies: [InvariantTally]
    /// Time spent running and decoding the cases (not checking them), nanoseconds.
    public var simulationNanoseconds: Int64 = 0

    public init(invariants: [String], ablation: String?, seeds: ClosedRange<UInt64>? = nil) {
        tallies = invariants.map { InvariantTally(name: $0) }
        self.ablation = ablation
        self.seeds = seeds
    }

    /// The number of seeds covered.
    public var seedCount: UInt64 { seeds.map { $0.upperBound - $0.lowerBound + 1 } ?? 0 }

    /// Whether every invariant held on every case.
    public var passed: Bool { tallies.allSatisfy { $0.failed == 0 } }

    /// The timing used when nobody measures.
    public static let untimed: CampaignTiming = { body in
        body()
        return 0
    }

    mutating func add(_ outcome: CaseOutcome) {
        simulationNanoseconds += outcome.simulation
        for (index, verdict) in outcome.verdicts.enumerated() {
            tallies[index].record(seed: outcome.seed, failed: verdict.failed, nanoseconds: verdict.duration)
        }
    }

    /// Adds the counts of another part of the same campaign (same invariants and ablation),
    /// keeping the smallest failing seeds of both. The seed range is left to the caller.
    mutating func absorb(_ other: CampaignResult) {
        simulationNanoseconds += other.simulationNanoseconds
        for index in tallies.indices { tallies[index].absorb(other.tallies[index]) }
    }

    /// Why two results cannot be merged.
    public enum MergeError: Error, Equatable, CustomStringConvertible {
        case differentInvariants
        case differentAblations
        /// The seed ranges overlap, or leave a gap between them.
        case seedsNotContiguous(ClosedRange<UInt64>, ClosedRange<UInt64>)

        public var description: String {
            switch self {
            case .differentInvariants: "the reports check different invariants"
            case .differentAblations: "the reports were made with different ablations"
            case .seedsNotContiguous(let a, let b):
                "seeds \(a.lowerBound)...\(a.upperBound) and \(b.lowerBound)...\(b.upperBound) "
                    + "do not follow each other (every seed must be covered exactly once)"
            }
        }
    }

    /// The results of disjoint seed ranges that together cover one range without gaps, as one
    /// result: what a single campaign over the whole range gives (its times are the sums).
    public static func merge(_ parts: [CampaignResult]) throws(MergeError) -> CampaignResult? {
        let ordered = parts.sorted { ($0.seeds?.lowerBound ?? 0) < ($1.seeds?.lowerBound ?? 0) }
        guard var merged = ordered.first else { return nil }
        for part in ordered.dropFirst() {
            guard part.tallies.map(\.name) == merged.tallies.map(\.name) else { throw .differentInvariants }
            guard part.ablation == merged.ablation else { throw .differentAblations }
            guard let a = merged.seeds, let b = part.seeds, a.upperBound < UInt64.max, b.lowerBound == a.upperBound + 1
            else {
                throw .seedsNotContiguous(merged.seeds ?? 1...0, part.seeds ?? 1...0)
            }
            merged.absorb(part)
            merged.seeds = a.lowerBound...b.upperBound
        }
        return merged
    }
}

/// One invariant's counts over a campaign.
public struct InvariantTally: Sendable, Equatable {
    public var name: String
    public var cases = 0
    public var passed = 0
    public var failed = 0
    /// Time spent checking it, nanoseconds.
    public var nanoseconds: Int64 = 0
    /// The smallest failing seeds, ascending, at most `CheckCampaign.keptFailingSeeds`.
    public var failingSeeds: [UInt64] = []

    public init(name: String, cases: Int = 0, passed: Int = 0, failed: Int = 0, nanoseconds: Int64 = 0,
                failingSeeds: [UInt64] = []) {
        self.name = name
        self.cases = cases
        self.passed = passed
        self.failed = failed
        self.nanoseconds = nanoseconds
        self.failingSeeds = failingSeeds
    }

    mutating func record(seed: UInt64, failed didFail: Bool, nanoseconds duration: Int64) {
        cases += 1
        nanoseconds += duration
        if didFail {
            failed += 1
            keep([seed])
        } else {
            passed += 1
        }
    }

    mutating func absorb(_ other: InvariantTally) {
        cases += other.cases
        passed += other.passed
        failed += other.failed
        nanoseconds += other.nanoseconds
        keep(other.failingSeeds)
    }

    private mutating func keep(_ seeds: [UInt64]) {
        failingSeeds = Array((failingSeeds + seeds).sorted().prefix(CheckCampaign.keptFailingSeeds))
    }
}
