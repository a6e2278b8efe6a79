import Checking
import Tracing

/// `stacklab check --trace FILE`: the invariant catalogue over one trace or capture. Each invariant
/// whose needs the trace meets is checked; the others are listed as skipped, with what is missing.
enum TraceCheck {
    enum Verdict {
        case passed
        case failed(String)
        case skipped(missing: [String])
    }

    static func run(path: String, invariants: [Invariant], json: Bool, _ context: CommandContext) throws -> Int32 {
        let trace = try TraceInput.load(path)
        let analysis = TraceAnalysis(trace)
        let invariantContext = InvariantContext(source: trace.header.source)
        let verdicts: [(Invariant, Verdict)] = invariants.map { invariant in
            guard invariant.applies(to: analysis, in: invariantContext) else {
                return (invariant, .skipped(missing: invariant.missing(from: analysis, in: invariantContext)))
            }
            return (invariant, invariant.check(analysis, invariantContext).map(Verdict.failed) ?? .passed)
        }
        let failed = verdicts.filter { if case .failed = $0.1 { return true } else { return false } }.count
        let checked = verdicts.filter { if case .skipped = $0.1 { return false } else { return true } }.count
        if json {
            context.stdout.print(JSONValue.object([
                ("trace", .string(path)),
                ("source", .string(sourceName(trace.header.source))),
                ("passed", .bool(failed == 0)),
                ("invariants", .array(verdicts.map { invariant, verdict in
                    switch verdict {
                    case .passed: .object([("name", .string(invariant.name)), ("result", "passed")])
                    case .failed(let message):
                        .object([("name", .string(invariant.name)), ("result", "failed"), ("message", .string(message))])
                    case .skipped(let missing):
                        .object([("name", .string(invariant.name)), ("result", "skipped"),
                                 ("missing", .array(missing.map { .string($0) }))])
                    }
                })),
            ]).prettyText)
        } else {
            context.stdout.print(context.stdout.bold(path) + context.stdout.dim(" (\(sourceName(trace.header.source)), "
                                                                                + "\(trace.events.count) events)"))
            var table = Table(columns: [Table.Column("invariant"), Table.Column("result")])
            for (invariant, verdict) in verdicts {
                switch verdict {
                case .passed: table.append([invariant.name, context.stdout.green("passed")])
                case .failed: table.append([invariant.name, context.stdout.red("failed")])
                case .skipped(let missing):
                    table.append([invariant.name, context.stdout.dim("skipped: needs " + missing.joined(separator: ", "))])
                }
            }
            context.stdout.print(table)
            for case let (invariant, .failed(message)) in verdicts {
                context.stdout.print(context.stdout.red("\(invariant.name): ") + message)
            }
            context.stdout.print(failed == 0
                ? context.stdout.green("\(checked) invariants held; \(invariants.count - checked) skipped")
                : context.stdout.red("\(failed) of \(checked) invariants failed"))
        }
        return failed == 0 ? ExitStatus.success : ExitStatus.failure
    }

    static func sourceName(_ source: TraceSource) -> String {
        switch source {
        case .simulation(let profile): "simulated, profile \(profile)"
        case .kernel: "kernel"
        case .capture: "capture"
        }
    }
}
