import Benchmarks
import Tracing

extension Command {
    /// `stacklab bench [NAME] [--json]`
    static let bench = Command(
        name: "bench",
        summary: "Measure how fast the codecs and the simulated stack run.",
        discussion: "Run it in a release build: swift build -c release && .build/release/stacklab bench",
        arguments: [
            .optional("name", "NAME", help: "Run only this benchmark (\(BenchHandler.names.joined(separator: ", "))); all of them without it."),
        ],
        options: [
            .integer("flows", in: 1...16_000, help: "How many flows the flows benchmark runs (workload C).",
                     default: 1_000),
            .flag("json", help: "Print the measurements as JSON."),
        ],
        handler: BenchHandler.run)
}

enum BenchHandler {
    static let suites: [(name: String, benchmarks: @Sendable (_ flows: Int) -> [Benchmark])] = [
        ("engine", { _ in EngineBenchmark.all }),
        ("bulk", { _ in [StackBenchmark.bulkSegments(keepsTrace: false), StackBenchmark.bulkSegments(keepsTrace: true)] }),
        ("bulk-a", { _ in [StackBenchmark.bulkA()] }),
        ("flows", { flows in [StackBenchmark.flows(flows)] }),
        ("connections", { _ in [StackBenchmark.concurrentConnections()] }),
        ("render", { _ in RenderBenchmark.all() }),
        ("check", { _ in [CheckingBenchmark.cases()] }),
    ]

    static var names: [String] { suites.map(\.name) }

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        var chosen = suites
        if let name = arguments.string("name") {
            guard let suite = suites.first(where: { $0.name == name }) else {
                let suggestion = Suggestion.nearest(to: name, among: names)
                throw UsageError(.other("unknown benchmark '\(name)'." + (suggestion.map { " Did you mean '\($0)'?" } ?? "")
                                        + " Benchmarks: \(names.joined(separator: ", "))."), command: "bench")
            }
            chosen = [suite]
        }
        var results: [BenchmarkResult] = []
        for suite in chosen {
            for benchmark in suite.benchmarks(arguments.int("flows") ?? 1_000) {
                let result = measure(benchmark, with: context.stopwatch)
                results.append(result)
                if !arguments.flag("json") { context.stdout.print(line(for: result)) }
            }
        }
        if arguments.flag("json") {
            context.stdout.print(JSONValue.array(results.map(json)).prettyText)
        }
        return ExitStatus.success
    }

    /// Runs the benchmark's setup, then times its body with the executable's stopwatch.
    static func measure(_ benchmark: Benchmark, with stopwatch: Stopwatch) -> BenchmarkResult {
        let body = benchmark.prepare()
        var work = BenchmarkWork(operations: 0)
        let elapsed = stopwatch.measure { work = body() }.components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
        return BenchmarkResult(name: benchmark.name, unit: benchmark.unit,
                               value: seconds > 0 ? Double(work.operations) / seconds : 0,
                               iterations: work.operations, seconds: seconds, goodputBitsPerSecond: work.goodputBitsPerSecond,
                               peakResidentBytes: ResourceUsage.peakResidentBytes())
    }

    private static func line(for result: BenchmarkResult) -> String {
        let value = formatted(result.value)
        let name = result.name + String(repeating: " ", count: max(0, 24 - result.name.count))
        var text = "\(name) \(String(repeating: " ", count: max(0, 14 - value.count)))\(value) \(result.unit)"
            + "  (\(result.iterations) in \(formatted(result.seconds, decimals: 3)) s"
        if let goodput = result.goodputBitsPerSecond { text += ", goodput \(formatted(goodput / 1e6, decimals: 2)) Mbit/s" }
        if let peak = result.peakResidentBytes { text += ", peak RSS \(formatted(Double(peak) / 1_048_576, decimals: 1)) MiB" }
        return text + ")"
    }

    private static func json(_ result: BenchmarkResult) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("name", .string(result.name)),
            ("unit", .string(result.unit)),
            ("value", .double(result.value)),
            ("iterations", .int(Int64(result.iterations))),
            ("seconds", .double(result.seconds)),
        ]
        if let goodput = result.goodputBitsPerSecond { fields.append(("goodput_bps", .double(goodput))) }
        if let peak = result.peakResidentBytes { fields.append(("peak_rss_bytes", .int(Int64(peak)))) }
        return .object(fields)
    }

    /// A number with thousands separators and `decimals` decimals.
    static func formatted(_ value: Double, decimals: Int = 0) -> String {
        let scale = (0..<decimals).reduce(1.0) { acc, _ in acc * 10 }
        let scaled = Int64((value * scale).rounded())
        let whole = String(scaled / Int64(scale))
        var grouped = ""
        for (index, character) in whole.reversed().enumerated() {
            if index > 0 && index % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        var text = String(grouped.reversed())
        if decimals > 0 {
            let fraction = String(scaled % Int64(scale))
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return text
    }
}
