import Loopback
import Runs
import Tracing

/// The `--json` form of a replay; field names are documented in the README ("stacklab replay --json").
enum ReplayJSON {
    static func value(of report: ReplayReport, input: String, source: String, strict: Bool, wall: Duration) -> JSONValue {
        let comparison = report.comparison
        var reason: JSONValue = .null
        if case .notReproducible(let text) = report.verdict { reason = .string(text) }
        return .object([
            ("input", .string(input)),
            ("scenario", .string(report.original.name)),
            ("source", .string(source)),
            ("profile", .string(report.replayed.profile.rawValue)),
            ("strict", .bool(strict)),
            ("verdict", .string(report.verdict.name)),
            ("reason", reason),
            ("equivalences", .array(comparison.equivalences.map(equivalence))),
            ("first_difference", comparison.firstDifference.map(difference) ?? .null),
            ("socket_differences", .array(comparison.socketDifferences.map { .string($0.reason) })),
            ("time_wait", .array(comparison.connections.compactMap(timeWait))),
            ("packets_captured", .bool(report.packetsCaptured)),
            ("capture", .string(captureText(report.kernelReport.capture))),
            ("ports", .array(report.kernelReport.ports.map { port in
                .object([
                    ("host", .string(port.host)),
                    ("transport", .string(port.transport.rawValue)),
                    ("scenario_port", .int(Int64(port.scenarioPort))),
                    ("kernel_port", .int(Int64(port.realPort))),
                ])
            })),
            ("timings", .object([
                ("simulated_last_packet_ns", .int(ReplayReportText.lastPacketTime(report.simulated.trace))),
                ("kernel_last_packet_ns", .int(ReplayReportText.lastPacketTime(
                    report.kernel.trace, until: report.kernelReport.scenarioEndTime))),
                ("kernel_run_ns", .int(report.kernelReport.scenarioEndTime)),
                ("wall_ns", .int(nanoseconds(wall))),
            ])),
            ("notes", .array(report.notes.map { .string($0) })),
        ])
    }

    /// A golden trace `--all` did not replay, and why.
    static func notReplayed(input: String, scenario: String, verdict: String, reason: String) -> JSONValue {
        .object([
            ("input", .string(input)),
            ("scenario", .string(scenario)),
            ("verdict", .string(verdict)),
            ("reason", .string(reason)),
        ])
    }

    private static func equivalence(_ applied: AppliedEquivalence) -> JSONValue {
        .object([
            ("name", .string(applied.equivalence.name)),
            ("connection", .string(applied.connection.description)),
            ("direction", applied.direction.map { .string($0.text(of: applied.connection)) } ?? .null),
            ("socket", applied.socket.map { .string($0.description) } ?? .null),
            ("simulated_segment", applied.simulatedSegment.map { .int(Int64($0)) } ?? .null),
            ("kernel_segment", applied.kernelSegment.map { .int(Int64($0)) } ?? .null),
            ("count", .int(Int64(applied.count))),
        ])
    }

    private static func difference(_ difference: ReplayDifference) -> JSONValue {
        .object([
            ("connection", difference.connection.map { .string($0.description) } ?? .null),
            ("direction", difference.direction.flatMap { direction in
                difference.connection.map { .string(direction.text(of: $0)) } } ?? .null),
            ("socket", difference.socket.map { .string($0.description) } ?? .null),
            ("simulated_segment", difference.simulated.map { .int(Int64($0.index)) } ?? .null),
            ("kernel_segment", difference.kernel.map { .int(Int64($0.index)) } ?? .null),
            ("simulated", difference.simulated.map { .string($0.label) } ?? .null),
            ("kernel", difference.kernel.map { .string($0.label) } ?? .null),
            ("reason", .string(difference.reason)),
        ])
    }

    private static func timeWait(_ connection: ConnectionComparison) -> JSONValue? {
        guard let simulated = connection.simulatedTimeWait, let kernel = connection.kernelTimeWait,
              simulated.applies || kernel.applies else { return nil }
        return .object([
            ("connection", .string(connection.key.description)),
            ("simulated", .array(simulated.holders.map { .string($0.description) })),
            ("kernel", .array(kernel.holders.map { .string($0.description) })),
            ("simulated_first_closer", simulated.firstCloser.map { .string($0.description) } ?? .null),
            ("kernel_first_closer", kernel.firstCloser.map { .string($0.description) } ?? .null),
            ("passed", .bool(simulated.passes && kernel.passes)),
        ])
    }

    static func captureText(_ status: CaptureStatus) -> String {
        switch status {
        case .available: "available"
        case .unavailable(let reason): reason.description
        }
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }
}
