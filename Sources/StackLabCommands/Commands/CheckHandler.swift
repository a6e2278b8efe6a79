import Checking
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
        let ablation = try ScenarioOptions.ablation(arguments, command: "check")
        let seeds = arguments.int("seeds") ?? 100
        guard seeds >= 1 else {
            throw UsageError(.other("--seeds must be at least 1 (got \(seeds))."), command: "check")
        }

        var tallies = invariants.map { Tally(name: $0.name) }
        var failingSeeds: [Int: [UInt64]] = [:]   // invariant index → the first few failing seeds
        var simulation = Duration.zero
        let clock = context.stopwatch
        let progress = ProgressBar(console: context.stderr, total: seeds)
        for seed in 1...UInt64(seeds) {
            var run: CheckRun!
            simulation += clock.measure {
                run = Checker.run(seed: seed, ablation: ablation)   // runs the case and decodes its trace once
            }
            for (index, invariant) in invariants.enumerated() {
                var message: String?
                tallies[index].time += clock.measure { message = run.check(invariant) }
                tallies[index].cases += 1
                if message == nil {
                    tallies[index].passed += 1
                } else {
                    tallies[index].failed += 1
                    if failingSeeds[index, default: []].count < 20 { failingSeeds[index, default: []].append(seed) }
                }
            }
            progress.update(Int(seed))
        }
        progress.finish()

        var counterexamples: [Counterexample] = []
        for index in invariants.indices {
            guard let seeds = failingSeeds[index] else { continue }
            if let counterexample = Checker.smallestCounterexample(seeds: seeds, invariant: invariants[index],
                                                                   ablation: ablation) {
                counterexamples.append(counterexample)
            }
        }
        if arguments.flag("json") {
            context.stdout.print(json(tallies: tallies, counterexamples: counterexamples, seeds: seeds,
                                      ablation: ablation, simulation: simulation).prettyText)
        } else {
            for counterexample in counterexamples {
                for line in counterexample.reportLines() { context.stdout.print(line) }
                context.stdout.print()
                for line in ladder(of: counterexample, colors: context.stdout.allowsColor) { context.stdout.print(line) }
                context.stdout.print()
            }
            var table = Table(columns: [Table.Column("invariant"), Table.Column("cases"), Table.Column("passed"),
                                        Table.Column("failed"), Table.Column("time")])
            for tally in tallies {
                table.append([tally.name, "\(tally.cases)", "\(tally.passed)",
                              tally.failed > 0 ? context.stdout.red("\(tally.failed)") : "0", milliseconds(tally.time)])
            }
            table.append(["(simulation and decoding)", "\(seeds)", "", "", milliseconds(simulation)])
            context.stdout.print(table)
            let failed = tallies.filter { $0.failed > 0 }.count
            let heading = ablation.map { "ablation \($0.name): " } ?? ""
            context.stdout.print(failed == 0
                ? context.stdout.green("\(heading)all \(tallies.count) invariants held over \(seeds) seeds")
                : context.stdout.red("\(heading)\(failed) of \(tallies.count) invariants failed"))
        }
        return tallies.contains { $0.failed > 0 } ? ExitStatus.failure : ExitStatus.success
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

    struct Tally {
        var name: String
        var cases = 0
        var passed = 0
        var failed = 0
        var time = Duration.zero
    }

    static func unknown(_ kind: String, _ name: String, among names: [String]) -> UsageError {
        let suggestion = Suggestion.nearest(to: name, among: names)
        return UsageError(.other("unknown \(kind) '\(name)'." + (suggestion.map { " Did you mean '\($0)'?" } ?? "")
                                 + " See stacklab check --list."), command: "check")
    }

    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let micro = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        return "\(micro / 1_000).\(String(micro % 1_000 / 100)) ms"
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

    static func json(tallies: [Tally], counterexamples: [Counterexample], seeds: Int, ablation: Ablation?,
                     simulation: Duration) -> JSONValue {
        .object([
            ("seeds", .int(Int64(seeds))),
            ("ablation", ablation.map { .string($0.name) } ?? .null),
            ("passed", .bool(!tallies.contains { $0.failed > 0 })),
            ("invariants", .array(tallies.map { tally in
                .object([("name", .string(tally.name)), ("cases", .int(Int64(tally.cases))),
                         ("passed", .int(Int64(tally.passed))), ("failed", .int(Int64(tally.failed))),
                         ("seconds", .double(seconds(tally.time)))])
            })),
            ("simulation_seconds", .double(seconds(simulation))),
            ("failures", .array(counterexamples.map { counterexample in
                let size = counterexample.size
                return .object([
                    ("invariant", .string(counterexample.invariant)), ("seed", .unsigned(counterexample.seed)),
                    ("message", .string(counterexample.message)),
                    ("scenario", .string(ScenarioLanguage.format(counterexample.run.scenario))),
                    ("case", .array(counterexample.shrunk.outline.map { .string($0) })),
                    ("steps", .int(Int64(size.steps))), ("events", .int(Int64(size.events))),
                    ("trace", .array(counterexample.run.run.textLines().map { .string($0) })),
                ])
            })),
        ])
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

/// A one-line progress bar on stderr, drawn only when stderr is a terminal.
final class ProgressBar {
    let console: Console
    let total: Int
    private var drawn = -1

    init(console: Console, total: Int) {
        self.console = console
        self.total = total
    }

    func update(_ done: Int) {
        guard console.isTerminal else { return }
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
