import Checking
import Rendering
import Stack
import Tracing

/// The report of `stacklab check` over seeds, as text or JSON, and the JSON read back (for
/// `stacklab check --merge`, which combines the reports of shards into the report of one run).
enum CheckReport {
    /// Prints the report of `result`: each counterexample with its ladder, then the summary
    /// table (text), or one JSON object. Times come from the result (zero when nobody measured).
    static func print(_ result: CampaignResult, counterexamples: [Counterexample], json: Bool,
                      _ context: CommandContext) {
        if json {
            context.stdout.print(self.json(result, counterexamples: counterexamples).prettyText)
            return
        }
        for counterexample in counterexamples {
            for line in counterexample.reportLines() { context.stdout.print(line) }
            context.stdout.print()
            for line in CheckHandler.ladder(of: counterexample, colors: context.stdout.allowsColor) {
                context.stdout.print(line)
            }
            context.stdout.print()
        }
        var table = Table(columns: [Table.Column("invariant"), Table.Column("cases"), Table.Column("passed"),
                                    Table.Column("failed"), Table.Column("time")])
        for tally in result.tallies {
            table.append([tally.name, "\(tally.cases)", "\(tally.passed)",
                          tally.failed > 0 ? context.stdout.red("\(tally.failed)") : "0", milliseconds(tally.nanoseconds)])
        }
        table.append(["(simulation and decoding)", "\(result.seedCount)", "", "", milliseconds(result.simulationNanoseconds)])
        context.stdout.print(table)
        let failed = result.tallies.filter { $0.failed > 0 }.count
        let heading = result.ablation.map { "ablation \($0): " } ?? ""
        context.stdout.print(failed == 0
            ? context.stdout.green("\(heading)all \(result.tallies.count) invariants held over \(result.seedCount) seeds")
            : context.stdout.red("\(heading)\(failed) of \(result.tallies.count) invariants failed"))
    }

    static func json(_ result: CampaignResult, counterexamples: [Counterexample]) -> JSONValue {
        .object([
            ("seeds", .unsigned(result.seedCount)),
            ("first_seed", .unsigned(result.seeds?.lowerBound ?? 1)),
            ("last_seed", .unsigned(result.seeds?.upperBound ?? 0)),
            ("ablation", result.ablation.map { .string($0) } ?? .null),
            ("passed", .bool(result.passed)),
            ("invariants", .array(result.tallies.map { tally in
                .object([("name", .string(tally.name)), ("cases", .int(Int64(tally.cases))),
                         ("passed", .int(Int64(tally.passed))), ("failed", .int(Int64(tally.failed))),
                         ("seconds", .double(seconds(tally.nanoseconds))),
                         ("failing_seeds", .array(tally.failingSeeds.map { .unsigned($0) }))])
            })),
            ("simulation_seconds", .double(seconds(result.simulationNanoseconds))),
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

    /// Reads back what `json` wrote (the counterexamples are not read: a merge shrinks again from
    /// the failing seeds, as one run would). Errors name the file and the field.
    static func read(_ bytes: [UInt8], file: String) throws -> CampaignResult {
        func failure(_ field: String, _ message: String) -> CommandFailure {
            CommandFailure("\(file): field \"\(field)\": \(message)")
        }
        let value: JSONValue
        do {
            value = try JSONParser().parse(bytes: bytes)
        } catch {
            throw CommandFailure("\(file): not a stacklab check --json report (\(error))")
        }
        func unsigned(_ field: String, in object: JSONValue = value) throws -> UInt64 {
            guard let number = object[field]?.unsignedValue else { throw failure(field, "expected an integer of at least 0") }
            return number
        }
        let first = try unsigned("first_seed")
        let last = try unsigned("last_seed")
        guard first <= last, try unsigned("seeds") == last - first + 1 else {
            throw failure("seeds", "does not match first_seed and last_seed")
        }
        let ablation: String?
        switch value["ablation"] {
        case .some(.null): ablation = nil
        case .some(.string(let name)) where Ablation(rawValue: name) != nil: ablation = name
        default: throw failure("ablation", "expected null or an ablation's name")
        }
        guard let invariants = value["invariants"]?.arrayValue else { throw failure("invariants", "expected an array") }
        var tallies: [InvariantTally] = []
        for (index, entry) in invariants.enumerated() {
            let path = "invariants[\(index)]"
            guard let name = entry["name"]?.stringValue, Invariant.named(name) != nil else {
                throw failure(path + ".name", "expected the name of an invariant")
            }
            func count(_ field: String) throws -> Int {
                guard let number = entry[field]?.intValue, number >= 0 else {
                    throw failure("\(path).\(field)", "expected an integer of at least 0")
                }
                return Int(number)
            }
            guard let seconds = entry["seconds"]?.doubleValue, seconds >= 0 else {
                throw failure(path + ".seconds", "expected a number of at least 0")
            }
            guard let failing = entry["failing_seeds"]?.arrayValue?.map(\.unsignedValue),
                  failing.allSatisfy({ $0.map { (first...last).contains($0) } ?? false }) else {
                throw failure(path + ".failing_seeds", "expected an array of seeds from \(first) to \(last)")
            }
            tallies.append(InvariantTally(name: name, cases: try count("cases"), passed: try count("passed"),
                                          failed: try count("failed"), nanoseconds: nanoseconds(seconds),
                                          failingSeeds: failing.compactMap { $0 }.sorted()))
        }
        guard let simulation = value["simulation_seconds"]?.doubleValue, simulation >= 0 else {
            throw failure("simulation_seconds", "expected a number of at least 0")
        }
        var result = CampaignResult(invariants: [], ablation: ablation, seeds: first...last)
        result.tallies = tallies
        result.simulationNanoseconds = nanoseconds(simulation)
        return result
    }

    static func milliseconds(_ nanoseconds: Int64) -> String {
        let micro = nanoseconds / 1_000
        return "\(micro / 1_000).\(String(micro % 1_000 / 100)) ms"
    }

    static func seconds(_ nanoseconds: Int64) -> Double { Double(nanoseconds) / 1e9 }

    static func nanoseconds(_ seconds: Double) -> Int64 { Int64((seconds * 1e9).rounded()) }
}
