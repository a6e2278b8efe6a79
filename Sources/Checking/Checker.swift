import Runs
import Stack
import Tracing

/// Runs the catalogue: cases from seeds, invariants over their runs, and shrinking of failures.
///
/// Case `seed` is `CaseGenerators.checkCase` drawn from `seed` at size `Checker.size(forSeed:)`, so a
/// seed alone reproduces a case. No clocks here: callers that want timings measure around
/// `run(seed:ablation:)` and `Invariant.check`.
public enum Checker {
    /// Sizes grow from 11 to 100 over the first 90 seeds, so the first cases are small.
    public static func size(forSeed seed: UInt64) -> Int { Int(min(100, 10 + seed)) }

    /// The case of `seed` and its choice sequence.
    public static func generate(seed: UInt64) -> (value: CheckCase, choices: [UInt64]) {
        CaseGenerators.checkCase.generate(seed: seed, size: size(forSeed: seed))
    }

    /// Generates and runs the case of `seed`.
    public static func run(seed: UInt64, ablation: Ablation? = nil) -> CheckRun {
        CheckRun(generate(seed: seed).value, ablation: ablation)
    }

    /// The names of the invariants `run` breaks, in catalogue order, with their messages.
    public static func violations(of invariants: [Invariant], in run: CheckRun) -> [(invariant: String, message: String)] {
        invariants.compactMap { invariant in run.check(invariant).map { (invariant.name, $0) } }
    }

    /// Shrinks the failing `seeds` whose unshrunk counterexamples are smallest (at most `tries` of
    /// them) and keeps the smallest result (fewest steps plus events): greedy shrinking from one
    /// start can get stuck, e.g. on a loss that the simulation's random stream puts late.
    public static func smallestCounterexample(
        seeds: [UInt64], invariant: Invariant, ablation: Ablation? = nil, tries: Int = 3, budget: Int = 1_500
    ) -> Counterexample? {
        var ranked: [(seed: UInt64, size: Int)] = []
        for seed in seeds {
            let original = generate(seed: seed).value
            guard let message = CheckRun(original, ablation: ablation).check(invariant) else { continue }
            let unshrunk = Counterexample(seed: seed, invariant: invariant.name, ablation: ablation,
                                          original: original, shrunk: original, message: message,
                                          shrinkSteps: 0, shrinkRuns: 0).size
            ranked.append((seed, unshrunk.steps + unshrunk.events))
        }
        ranked.sort { ($0.size, $0.seed) < ($1.size, $1.seed) }
        var best: (counterexample: Counterexample, size: Int)?
        for candidate in ranked.prefix(tries) {
            guard let found = counterexample(seed: candidate.seed, invariant: invariant, ablation: ablation,
                                             budget: budget) else { continue }
            let size = found.size.steps + found.size.events
            if best.map({ size < $0.size }) ?? true { best = (found, size) }
        }
        return best?.counterexample
    }

    /// Shrinks the case of `seed`, which breaks `invariant`, to a small case that still breaks it.
    public static func counterexample(
        seed: UInt64, invariant: Invariant, ablation: Ablation? = nil, budget: Int = 1_500
    ) -> Counterexample? {
        let (original, choices) = generate(seed: seed)
        guard let message = CheckRun(original, ablation: ablation).check(invariant) else { return nil }
        let shrinker = Shrinker(generator: CaseGenerators.checkCase,
                                violation: { CheckRun($0, ablation: ablation).check(invariant) }, budget: budget)
        let shrunk = shrinker.shrink(choices: choices, value: original, message: message)
        return Counterexample(seed: seed, invariant: invariant.name, ablation: ablation,
                              original: original, shrunk: shrunk.value, message: shrunk.message,
                              shrinkSteps: shrunk.steps, shrinkRuns: shrunk.runs)
    }
}

/// A shrunk failing case and everything a report shows about it.
public struct Counterexample: Sendable {
    public var seed: UInt64
    public var invariant: String
    public var ablation: Ablation?
    public var original: CheckCase
    public var shrunk: CheckCase
    /// What the invariant said about the shrunk case.
    public var message: String
    public var shrinkSteps: Int
    public var shrinkRuns: Int

    /// The shrunk case run again, trace kept.
    public var run: CheckRun { CheckRun(shrunk, ablation: ablation) }

    /// When the violation happened: the time its message starts with ("0.002500s ..."), if any.
    public var violationTime: Int64? { Invariant.violationTime(of: message) }

    /// The size of a counterexample: its scenario steps, and the events a ladder diagram draws
    /// (packets sent, dropped or duplicated, and state changes) up to and including the instant of
    /// the violation (the whole run when the violation has no time, e.g. a lost byte at the end).
    /// Receptions, timer bookkeeping, congestion updates and socket events are left out: each
    /// restates a drawn event; what follows the violation is its consequence, not its cause.
    public var size: (steps: Int, events: Int) {
        let run = self.run
        let limit = violationTime ?? .max
        let events = run.run.events.filter { event in
            guard event.time <= limit else { return false }
            switch event.kind {
            case .packetSent, .packetDropped, .packetDuplicated, .stateChanged: return true
            case .packetReceived, .timer, .socketCall, .socketEvent, .application, .congestion, .variables, .note:
                return false
            }
        }.count
        return (run.scenario.steps.count, events)
    }

    /// The report: seed, invariant, message, the shrunk case in the scenario language, and its trace.
    public func reportLines() -> [String] {
        let run = self.run
        var lines = ["invariant \(invariant) failed" + (ablation.map { " (ablation \($0))" } ?? "")
                     + " at seed \(seed); shrunk in \(shrinkSteps) steps (\(shrinkRuns) runs)",
                     "  \(message)", "", "scenario (stacklab run FILE.scn reproduces it):"]
        lines += ScenarioLanguage.format(run.scenario).split(separator: "\n", omittingEmptySubsequences: false)
            .map { "  " + $0 }
        lines += ["case:"] + shrunk.outline.map { "  " + $0 }
        // Up to the violation and a few events after it (an ablation's consequences can run for long).
        let total = run.run.events.count
        let upTo = violationTime.map { time in run.run.events.prefix { $0.time <= time }.count } ?? total
        let count = Swift.min(total, upTo + 10, 2_000)
        let shown = Self.textLines(of: run.run, events: count) + (count < total ? ["... \(total - count) more events"] : [])
        lines += ["", "trace:"] + shown.map { "  " + $0 }
        let size = self.size
        lines.append("(\(size.steps) steps, \(size.events) ladder events)")
        return lines
    }
}

extension Counterexample {
    /// The first `count` events of `run` as text (what `Run.textLines()` gives for all).
    static func textLines(of run: Run, events count: Int) -> [String] {
        var formatter = TraceTextFormatter(summarizer: PacketSummarizer(hostNames: run.hostNames))
        return run.events.prefix(count).compactMap { formatter.line(for: $0) }
    }
}

extension CheckCase {
    /// The case in a few lines, for reports (the scenario language has the full form).
    public var outline: [String] {
        func ms(_ nanoseconds: Int64) -> String { "\(nanoseconds / 1_000_000)ms" }
        var link = "link rtt \(ms(self.link.rtt))"
        if self.link.jitter > 0 { link += " jitter \(ms(self.link.jitter))" }
        if self.link.bandwidth > 0 { link += " bandwidth \(self.link.bandwidth)bps" }
        if self.link.lossPPM > 0 { link += " loss \(self.link.lossPPM)ppm" }
        if self.link.duplicatePPM > 0 { link += " duplicate \(self.link.duplicatePPM)ppm" }
        if self.link.reorderPPM > 0 { link += " reorder \(self.link.reorderPPM)ppm" }
        if self.link.corruptPPM > 0 { link += " corrupt \(self.link.corruptPPM)ppm" }
        for partition in self.link.partitions { link += " partition \(ms(partition.from))-\(ms(partition.to))" }
        if !self.link.drops.isEmpty { link += " drop " + self.link.drops.map(String.init).joined(separator: " ") }
        var lines = ["seed \(seed) profile \(profile)", link,
                     "connect at " + connects.map(ms).joined(separator: ", ")]
        func describe(_ step: ScriptStep) -> String {
            switch step.action {
            case .send(let count): "+\(ms(step.delay)) send \(count)"
            case .shutdownWrite: "+\(ms(step.delay)) shutdown"
            case .close: "+\(ms(step.delay)) close"
            case .abort: "+\(ms(step.delay)) abort"
            case .pauseReading(let paused): "+\(ms(step.delay)) \(paused ? "pause" : "resume") reading"
            }
        }
        if !clientScript.isEmpty { lines.append("client on connected: " + clientScript.map(describe).joined(separator: "; ")) }
        if !serverScript.isEmpty { lines.append("server on accepted: " + serverScript.map(describe).joined(separator: "; ")) }
        if clientClosesOnPeerFinish { lines.append("client closes when the server finishes") }
        if serverClosesOnPeerFinish { lines.append("server closes when the client finishes") }
        if let datagrams {
            lines.append("udp: \(datagrams.count) × \(datagrams.size) bytes every \(ms(datagrams.interval)) from "
                         + "\(ms(datagrams.start))" + (datagrams.echo ? ", echoed" : ""))
        }
        return lines
    }
}

/// The workload `stacklab bench check` times: full cases (handshake, data both ways under random
/// faults, teardown), each checked against the whole catalogue. The caller measures the time.
public enum CheckBenchmark {
    /// Runs and checks `count` cases from `firstSeed` on; returns the number of cases and of violations.
    public static func runCases(count: Int, firstSeed: UInt64 = 1,
                                invariants: [Invariant] = Invariant.catalogue) -> (cases: Int, violations: Int) {
        var violations = 0
        for offset in 0..<count {
            let run = Checker.run(seed: firstSeed + UInt64(offset))
            violations += Checker.violations(of: invariants, in: run).count
        }
        return (count, violations)
    }
}
