import Apps
import Rendering
import Runs
import Tracing

/// `stacklab compare`: runs each scenario (with each seed), measures its trace with
/// `ExchangeCost`, and prints a table (scenarios as columns, so it fits 80 columns), JSON, or
/// also a bar chart.
enum CompareHandler {
    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        let overrides = ScenarioOverrides(
            rtt: arguments.double("rtt").map { Int64(($0 * 1_000_000).rounded()) },
            lossPPM: arguments.double("loss").map { Int(($0 * 1_000_000).rounded()) },
            profile: arguments.string("profile").flatMap(StackProfile.init(rawValue:)),
            requests: arguments.int("requests"), messages: arguments.int("messages"),
            interval: arguments.double("interval").map { Int64(($0 * 1_000_000).rounded()) })
        let seeds = arguments.int("seeds") ?? 1
        var scenarios: [Scenario] = []
        for name in arguments.strings("scenarios") {
            scenarios.append(try ScenarioResolver.scenario(named: name, overrides: overrides))
        }
        var stopped: (String, Run)?
        let comparisons = scenarios.map { scenario in
            ScenarioComparison(name: scenario.name, runs: (0..<seeds).map { offset in
                var seeded = scenario
                seeded.seed = scenario.seed &+ UInt64(offset)
                let run = SimulatedRuntime().run(seeded)
                if run.budgetStop != nil { stopped = stopped ?? (scenario.name, run) }
                return .init(seed: seeded.seed, cost: ExchangeCost(run.trace), failures: run.failures)
            })
        }
        if let (name, run) = stopped { try RunBudgets.require(run, name: name, raisable: false) }
        if let path = arguments.string("svg") {
            let chart = Self.chart(comparisons, subtitle: subtitle(scenarios, seeds: seeds, arguments: arguments))
            try ScenarioFiles.write(Array(chart.render().utf8), to: path)
        }
        if arguments.flag("json") {
            context.stdout.print(json(comparisons, scenarios: scenarios, arguments: arguments).prettyText)
        } else {
            context.stdout.print(context.stdout.bold("compare"))
            context.stdout.print(context.stdout.dim(subtitle(scenarios, seeds: seeds, arguments: arguments)))
            for table in tables(comparisons, width: context.stdout.width) {
                context.stdout.print("")
                context.stdout.print(table)
            }
            for comparison in comparisons {
                for failure in comparison.failures { context.stderr.print("warning: \(comparison.name): \(failure)") }
            }
        }
        return comparisons.allSatisfy { $0.failures.isEmpty } ? ExitStatus.success : ExitStatus.failure
    }

    /// `100 requests, RTT 100 ms, loss 0%, profile textbook, 1 seed`.
    static func subtitle(_ scenarios: [Scenario], seeds: Int, arguments: ParsedArguments) -> String {
        var parts: [String] = []
        if let requests = arguments.int("requests") { parts.append("\(requests) requests") }
        if let messages = arguments.int("messages") { parts.append("\(messages) messages") }
        if let interval = arguments.double("interval") {
            parts.append("polls every \(ComparisonFormat.duration(Int64((interval * 1_000_000).rounded())))")
        }
        if let first = scenarios.first {
            parts.append("RTT \(ComparisonFormat.duration(first.link.rtt))")
            parts.append("loss \(Quantity.probabilityText(first.link.lossPPM))")
            parts.append("profile \(first.profile)")
        }
        parts.append(seeds == 1 ? "1 seed" : "\(seeds) seeds, means")
        return parts.joined(separator: ", ")
    }

    /// The rows of the table, one per measure: the label and each scenario's cell. The chat rows
    /// (messages, delivery latency, requests made, empty answers) show when a scenario delivered
    /// chat messages, the request rows when one answered requests.
    static func rows(_ comparisons: [ScenarioComparison]) -> [[String]] {
        func counts(_ label: String, _ value: @escaping (ExchangeCost) -> Int) -> [String] {
            [label] + comparisons.map { ComparisonFormat.count($0.mean(value)) }
        }
        let chat = comparisons.contains { !$0.deliveries.isEmpty }
        let requests = comparisons.contains { !$0.latencies.isEmpty && $0.deliveries.isEmpty }
        var rows = [
            counts("TCP handshakes", \.handshakes),
            counts("segments sent", \.segments),
            counts("bytes on the wire", \.wireBytes),
            counts("  IP+TCP headers", \.ipTCPHeaderBytes),
            counts("  app headers", \.applicationHeaderBytes),
            counts("  payload", \.payloadBytes),
            counts("  sent again", \.resentBytes),
        ]
        if chat {
            rows += [
                counts("messages delivered", { $0.deliveries.count }),
                ["delivery, mean"] + comparisons.map { ComparisonFormat.duration($0.meanDelivery) },
                ["delivery, p99"] + comparisons.map { ComparisonFormat.duration($0.p99Delivery) },
                counts("requests made", \.requestsMade),
                counts("empty answers", \.emptyResponses),
            ]
        }
        if requests || !chat {
            rows += [
                counts("requests answered", \.requests),
                ["latency, mean"] + comparisons.map { ComparisonFormat.duration($0.meanLatency) },
                ["latency, p99"] + comparisons.map { ComparisonFormat.duration($0.p99Latency) },
                ["total time"] + comparisons.map { ComparisonFormat.duration($0.totalTime) },
            ]
        }
        rows.append([TCPState.timeWait.rawValue + " left"] + comparisons.map { ComparisonFormat.timeWait($0.timeWait) })
        return rows
    }

    /// As many scenario columns per table as fit in `width`.
    static func tables(_ comparisons: [ScenarioComparison], width: Int) -> [Table] {
        let allRows = rows(comparisons)
        let labelWidth = allRows.map { $0[0].count }.max() ?? 0
        var groups: [[Int]] = []
        var current: [Int] = []
        var used = labelWidth
        for index in comparisons.indices {
            let column = ([comparisons[index].name] + allRows.map { $0[index + 1] }).map(\.count).max() ?? 0
            if !current.isEmpty && used + 2 + column > width {
                groups.append(current)
                current = []
                used = labelWidth
            }
            current.append(index)
            used += 2 + column
        }
        if !current.isEmpty { groups.append(current) }
        return groups.map { group in
            Table(columns: [Table.Column("", alignment: .left)]
                    + group.map { Table.Column(comparisons[$0].name, alignment: .right) },
                  rows: allRows.map { row in [row[0]] + group.map { row[$0 + 1] } })
        }
    }

    static func chart(_ comparisons: [ScenarioComparison], subtitle: String) -> BarChartSVG {
        func plain(_ title: String, _ value: @escaping (ExchangeCost) -> Int) -> BarChartSVG.Panel {
            BarChartSVG.Panel(title: title, values: comparisons.map { [$0.mean(value)] },
                              labels: comparisons.map { ComparisonFormat.count($0.mean(value)) })
        }
        func time(_ title: String, _ value: (ScenarioComparison) -> Int64?) -> BarChartSVG.Panel {
            BarChartSVG.Panel(title: title, values: comparisons.map { [Double(value($0) ?? 0)] },
                              labels: comparisons.map { ComparisonFormat.duration(value($0)) })
        }
        let layers: [(ExchangeCost) -> Int] = [\.ipTCPHeaderBytes, \.applicationHeaderBytes, \.payloadBytes, \.resentBytes]
        return BarChartSVG(
            title: "stacklab compare", subtitle: subtitle, categories: comparisons.map(\.name),
            panels: [
                plain("TCP handshakes", \.handshakes),
                plain("Segments sent", \.segments),
                BarChartSVG.Panel(title: "Bytes on the wire",
                                  parts: ["IP+TCP headers", "application headers", "payload", "sent again"],
                                  values: comparisons.map { comparison in layers.map { comparison.mean($0) } },
                                  labels: comparisons.map { ComparisonFormat.count($0.mean(\.wireBytes)) + " B" }),
                time("Delivery latency of chat messages, mean", \.meanDelivery),
                time("Request latency, mean", \.meanLatency),
                time("Request latency, 99th percentile", \.p99Latency),
                time("Total time, first request to last answer", \.totalTime),
                BarChartSVG.Panel(title: "Connections left in " + TCPState.timeWait.rawValue,
                                  values: comparisons.map { [$0.timeWait.reduce(0) { $0 + $1.count }] },
                                  labels: comparisons.map { ComparisonFormat.timeWait($0.timeWait) }),
            ])
    }

    /// The `--json` form; fields are documented in the README.
    static func json(_ comparisons: [ScenarioComparison], scenarios: [Scenario], arguments: ParsedArguments) -> JSONValue {
        func optional(_ value: Int64?) -> JSONValue { value.map(JSONValue.int) ?? .null }
        return .object([
            ("requests", arguments.int("requests").map { .int(Int64($0)) } ?? .null),
            ("messages", arguments.int("messages").map { .int(Int64($0)) } ?? .null),
            ("scenarios", .array(zip(comparisons, scenarios).map { comparison, scenario in
                .object([
                    ("scenario", .string(comparison.name)),
                    ("profile", .string(scenario.profile.rawValue)),
                    ("rtt_ns", .int(scenario.link.rtt)),
                    ("loss_ppm", .int(Int64(scenario.link.lossPPM))),
                    ("mean_latency_ns", optional(comparison.meanLatency)),
                    ("p99_latency_ns", optional(comparison.p99Latency)),
                    ("mean_delivery_ns", optional(comparison.meanDelivery)),
                    ("p99_delivery_ns", optional(comparison.p99Delivery)),
                    ("runs", .array(comparison.runs.map { run in
                        let cost = run.cost
                        return .object([
                            ("seed", .unsigned(run.seed)),
                            ("handshakes", .int(Int64(cost.handshakes))),
                            ("segments", .int(Int64(cost.segments))),
                            ("retransmissions", .int(Int64(cost.retransmissions))),
                            ("wire_bytes", .int(Int64(cost.wireBytes))),
                            ("ip_tcp_header_bytes", .int(Int64(cost.ipTCPHeaderBytes))),
                            ("application_header_bytes", .int(Int64(cost.applicationHeaderBytes))),
                            ("payload_bytes", .int(Int64(cost.payloadBytes))),
                            ("resent_bytes", .int(Int64(cost.resentBytes))),
                            ("requests", .int(Int64(cost.requests))),
                            ("failed_requests", .int(Int64(cost.failedRequests))),
                            ("mean_latency_ns", optional(cost.meanLatency)),
                            ("p99_latency_ns", optional(cost.p99Latency)),
                            ("total_time_ns", optional(cost.totalTime)),
                            ("requests_made", .int(Int64(cost.requestsMade))),
                            ("empty_responses", .int(Int64(cost.emptyResponses))),
                            ("messages_posted", .int(Int64(cost.messagesPosted))),
                            ("messages_delivered", .int(Int64(cost.deliveries.count))),
                            ("mean_delivery_ns", optional(cost.meanDelivery)),
                            ("p99_delivery_ns", optional(cost.p99Delivery)),
                            ("time_wait", .array(cost.timeWait.map { entry in
                                .object([("host", .string(entry.host)), ("count", .int(Int64(entry.count)))])
                            })),
                            ("failures", .array(run.failures.map { .string($0) })),
                        ])
                    })),
                ])
            })),
        ])
    }
}
