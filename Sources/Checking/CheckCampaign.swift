import Dispatch
import Stack
import Synchronization

/// A property-testing campaign: the catalogue's invariants over a range of seeds, on several
/// threads, in constant memory.
///
/// Each case is run, checked and dropped: only counters and the first failing seeds of each
/// invariant are kept (`CampaignResult`), so a million seeds run in the memory of a few cases.
/// Cases are independent and each is a pure function of its seed, so the result is the same
/// whatever the number of jobs and however the seeds fall to them; and results of disjoint seed
/// ranges merge into the result of their union (`CampaignResult.merge`), which is how shards
/// of a campaign on many machines combine.
///
/// No clock is read here: `timing` measures what the report's time columns show (the caller's
/// wall clock, or none).
public struct CheckCampaign: Sendable {
    public var seeds: ClosedRange<UInt64>
    public var invariants: [Invariant]
    public var ablation: Ablation?
    /// Threads running cases at once (at least 1).
    public var jobs: Int

    /// Failing seeds kept per invariant: the smallest ones, which shrinking starts from.
    public static let keptFailingSeeds = 20
    /// Seeds a job takes at a time: small enough to balance the jobs, large enough that taking
    /// them is rare.
    static let batch: UInt64 = 16

    public init(seeds: ClosedRange<UInt64>, invariants: [Invariant] = Invariant.catalogue, ablation: Ablation? = nil,
                jobs: Int = 1) {
        self.seeds = seeds
        self.invariants = invariants
        self.ablation = ablation
        self.jobs = max(1, jobs)
    }

    /// Runs every seed and returns the counts. `progress` is called (from any job) with the number
    /// of seeds done so far; `timing` runs its body and says how long it took.
    public func run(timing: @escaping CampaignTiming = CampaignResult.untimed,
                    progress: @escaping @Sendable (Int) -> Void = { _ in }) -> CampaignResult {
        let next = Atomic<UInt64>(seeds.lowerBound)
        let done = Atomic<Int>(0)
        let partials = Mutex<[CampaignResult]>([])
        let census = NetworkCensus.current   // the jobs' threads count in the caller's census
        let work = { @Sendable (_: Int) in
            NetworkCensus.$current.withValue(census) { runJob(next: next, done: done, partials: partials,
                                                             timing: timing, progress: progress) }
        }
        if jobs == 1 {
            work(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: jobs, execute: work)
        }
        var result = CampaignResult(invariants: invariants.map(\.name), ablation: ablation?.name)
        for partial in partials.withLock({ $0 }) { result.absorb(partial) }
        result.seeds = seeds
        return result
    }

    /// One job: takes batches of seeds until none is left, then hands in its counts.
    private func runJob(next: borrowing Atomic<UInt64>, done: borrowing Atomic<Int>,
                        partials: borrowing Mutex<[CampaignResult]>, timing: CampaignTiming,
                        progress: @Sendable (Int) -> Void) {
        var partial = CampaignResult(invariants: invariants.map(\.name), ablation: ablation?.name)
        while true {
            let first = next.add(Self.batch, ordering: .relaxed).oldValue
            guard first <= seeds.upperBound else { break }
            let last = min(seeds.upperBound, first &+ (Self.batch - 1))
            for seed in first...last { partial.add(runCase(seed: seed, timing: timing)) }
            progress(done.add(Int(last - first + 1), ordering: .relaxed).newValue)
        }
        partials.withLock { $0.append(partial) }
    }

    /// One case: run, check every invariant, keep only what each said.
    func runCase(seed: UInt64, timing: CampaignTiming) -> CaseOutcome {
        var run: CheckRun?
        var outcome = CaseOutcome(seed: seed)
        outcome.simulation = timing { run = Checker.run(seed: seed, ablation: ablation) }
        guard let run else { return outcome }
        for invariant in invariants {
            var message: String?
            let duration = timing { message = run.check(invariant) }
            outcome.verdicts.append((failed: message != nil, duration: duration))
        }
        return outcome
    }

    /// The shrunk counterexample of each failing invariant, in catalogue order, shrunk on up to
    /// `jobs` threads. Shrinking starts from the result's failing seeds only, so it gives the same
    /// counterexamples for a merged result as for one run over the same seeds.
    public func counterexamples(for result: CampaignResult) -> [Counterexample] {
        let failing = invariants.indices.filter { !result.tallies[$0].failingSeeds.isEmpty }
        let found = Mutex<[Int: Counterexample]>([:])
        let shrink = { @Sendable (position: Int) in
            let index = failing[position]
            let counterexample = Checker.smallestCounterexample(
                seeds: result.tallies[index].failingSeeds, invariant: invariants[index], ablation: ablation)
            if let counterexample { found.withLock { $0[index] = counterexample } }
        }
        if jobs == 1 || failing.count < 2 {
            for position in failing.indices { shrink(position) }
        } else {
            DispatchQueue.concurrentPerform(iterations: failing.count, execute: shrink)
        }
        let byIndex = found.withLock { $0 }
        return failing.compactMap { byIndex[$0] }
    }
}

/// Runs its body and says how long it took, in nanoseconds (0 when nobody measures).
public typealias CampaignTiming = @Sendable (() -> Void) -> Int64

/// What one case contributed: whether each invariant failed, and the time spent.
struct CaseOutcome {
    var seed: UInt64
    var simulation: Int64 = 0
    /// In the campaign's invariant order.
    var verdicts: [(failed: Bool, duration: Int64)] = []
}
