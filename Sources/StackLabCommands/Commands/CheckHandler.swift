import Checking
import Foundation
import Synchronization
import Rendering
import Stack
import Tracing

/// `stacklab check`: runs the invariant catalogue over seeds, prints a summary table and, for each
/// failing invariant, its shrunk counterexample. The "time" column comes from the executable's
/// stopwatch, never from `Checking`.
enum CheckHandler {
    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        if arguments.flag("list") {
            list(json: arguments.flag("json"), context)
            return ExitStatus.success
        }
        var invariants = Invariant.catalogue
        if let name = arguments.string("invariant") {
            guard let invariant = Invariant.named(name) else {
                throw unknown("invariant", name, among: Invariant.names)
            }
            invariants = [invariant]
        }
        if let path = arguments.string("trace") {
            return try TraceCheck.run(path: path, invariants: invariants, json: arguments.flag("json"), context)
        }
        let jobs = arguments.int("jobs") ?? ProcessInfo.processInfo.activeProcessorCount
        if arguments.flag("merge") {
            return try merge(arguments.strings("reports"), jobs: jobs, json: arguments.flag("json"), context)
        }
        let ablation = try ScenarioOptions.ablation(arguments, command: "check")
        let seeds = arguments.int("seeds") ?? 100
        guard seeds >= 1 else {
            throw UsageError(.other("--seeds must be at least 1 (got \(seeds))."), command: "check")
        }
        let range = try seedRange(seeds: UInt64(seeds), shard: arguments.string("shard"))
        let campaign = CheckCampaign(seeds: range, invariants: invariants, ablation: ablation, jobs: jobs)
        // The jobs report progress from their threads, one at a time under the lock; this thread
        // waits for them meanwhile, so the console is never written from two threads at once.
        nonisolated(unsafe) let progress = ProgressBar(console: context.stderr, total: Int(range.count))
        let lock = Mutex(())
        let result = campaign.run(timing: timing(context.stopwatch)) { done in
            lock.withLock { _ in progress.update(done) }
        }
        progress.finish()
        CheckReport.print(result, counterexamples: campaign.counterexamples(for: result), json: arguments.flag("json"),
                          context)
        return result.passed ? ExitStatus.success : ExitStatus.failure
    }

    /// The seeds of `--seeds N`, or of its `K`th of `M` parts for `--shard K/M` (contiguous ranges
    /// of equal size, give or take one, that together cover 1...N once).
    static func seedRange(seeds: UInt64, shard: String?) throws -> ClosedRange<UInt64> {
        guard let shard else { return 1...seeds }
        let parts = shard.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = UInt64(parts[0]), let count = UInt64(parts[1]), count >= 1,
              (1...count).contains(index) else {
            throw UsageError(.other("--shard expects K/N with 1 ≤ K ≤ N, like 2/8 (got '\(shard)')."), command: "check")
        }
        guard count <= seeds else {
            throw UsageError(.other("--shard \(shard) splits \(seeds) seeds into more shards than seeds."), command: "check")
        }
        return ((index - 1) * seeds / count + 1)...(index * seeds / count)
    }

    /// `stacklab check --merge A.json B.json ...`: the reports of disjoint seed ranges as the report of
    /// their union, counterexamples shrunk again from the failing seeds (so they are one run's).
    static func merge(_ paths: [String], jobs: Int, json: Bool, _ context: CommandContext) throws -> Int32 {
        var parts: [CampaignResult] = []
        for path in paths {
            parts.append(try CheckReport.read(try ScenarioFiles.read(path, limit: 64 << 20, limitName: "check report size"), file: path))
        }
        let merged: CampaignResult?
        do {
            merged = try CampaignResult.merge(parts)
        } catch {
            throw CommandFailure("cannot merge \(paths.joined(separator: ", ")): \(error)")
        }
        guard let merged, let seeds = merged.seeds else { throw CommandFailure("no reports to merge") }
        let campaign = CheckCampaign(seeds: seeds, invariants: merged.tallies.compactMap { Invariant.named($0.name) },
                                     ablation: merged.ablation.flatMap(Ablation.init(rawValue:)), jobs: jobs)
        CheckReport.print(merged, counterexamples: campaign.counterexamples(for: merged), json: json, context)
        return merged.passed ? ExitStatus.success : ExitStatus.failure
    }

    /// The stopwatch as the campaign's timing, in nanoseconds.
    static func timing(_ stopwatch: Stopwatch) -> CampaignTiming {
        { body in
            let (seconds, attoseconds) = stopwatch.measure(body).components
            return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        }
    }

    /// The counterexample's ladder up to the violation, its last event highlighted.
    static func ladder(of counterexample: Counterexample, colors: Bool) -> [String] {
        let trace = counterexample.run.run.trace
        let renderer = LadderRenderer(trace: trace, options: DiagramOptions(colors: colors))
        let shown = counterexample.violationTime.map { time in trace.events.prefix { $0.time <= time }.count }
            ?? trace.events.count
        let last = shown > 0 ? shown - 1 : nil
        return ["ladder (up to the violation):"] + renderer.render(upTo: last, highlight: last)
    }

    static func unknown(_ kind: String, _ name: String, among names: [String]) -> UsageError {
        let suggestion = Suggestion.nearest(to: name, among: names)
        return UsageError(.other("unknown \(kind) '\(name)'." + (suggestion.map { " Did you mean '\($0)'?" } ?? "")
                                 + " See stacklab check --list."), command: "check")
    }

    static func list(json: Bool, _ context: CommandContext) {
        if json {
            let value = JSONValue.object([
                ("invariants", .array(Invariant.catalogue.map { invariant in
                    .object([("name", .string(invariant.name)), ("statement", .string(invariant.statement)),
                             ("reference", .string(invariant.reference))])
                })),
                ("ablations", .array(Ablation.allCases.map { ablation in
                    .object([("name", .string(ablation.name)), ("summary", .string(ablation.summary)),
                             ("caught_by", .string(ablation.caughtBy.name))])
                })),
            ])
            context.stdout.print(value.prettyText)
            return
        }
        context.stdout.print(context.stdout.bold("Invariants"))
        for invariant in Invariant.catalogue {
            context.stdout.print("  " + context.stdout.cyan(invariant.name))
            for line in TextLayout.wrap(invariant.statement, width: 74) { context.stdout.print("    " + line) }
            context.stdout.print("    " + context.stdout.dim(invariant.reference))
        }
        context.stdout.print()
        context.stdout.print(context.stdout.bold("Ablations") + " (stacklab check --ablate NAME)")
        for ablation in Ablation.allCases {
            context.stdout.print("  " + context.stdout.cyan(ablation.name))
            context.stdout.print("    " + ablation.summary)
            context.stdout.print("    " + context.stdout.dim("caught by \(ablation.caughtBy.name)"))
        }
    }

}

/// A one-line progress bar on stderr, drawn only when stderr is a terminal.
final class ProgressBar {
    let console: Console
    let total: Int
    private var drawn = -1
    private var done = 0

    init(console: Console, total: Int) {
        self.console = console
        self.total = total
    }

    func update(_ done: Int) {
        guard console.isTerminal, done > self.done else { return }   // jobs may report out of order
        self.done = done
        let width = 40
        let filled = total == 0 ? width : done * width / total
        let percent = total == 0 ? 100 : done * 100 / total
        guard percent != drawn else { return }
        drawn = percent
        console.write("\r[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
                      + "] \(done)/\(total)")
    }

    func finish() {
        guard console.isTerminal else { return }
        console.write("\r" + String(repeating: " ", count: 60) + "\r")
    }
}
