import Rendering
import Runs
import Tracing

/// The text form of a replay: the two-column ladder, then the verdict and what it rests on
/// (equivalences and where, the first difference with both sides, the socket-level comparison,
/// TIME-WAIT on each runtime, capture, ports, timings, notes).
enum ReplayReportText {
    static func print(_ report: ReplayReport, source: String, wall: Duration, ascii: Bool, to console: Console) {
        let width = console.width
        console.print(console.bold("replay \(report.original.name)") + console.dim((ascii ? " - " : " · ") + source))
        let ladder = ReplayLadderRenderer(
            comparison: report.comparison, simulatedTitle: "simulated (\(report.replayed.profile))",
            kernelTitle: "kernel (Linux, lo)", options: DiagramOptions(ascii: ascii, colors: console.allowsColor))
        for line in ladder.lines() { console.print(line) }
        console.print()

        let verdict = report.verdict.text
        console.print(console.bold("verdict: ") + (report.verdict.isMismatch ? console.red(verdict) : console.green(verdict)))
        if case .notReproducible(let reason) = report.verdict {
            printWrapped(reason, indent: 2, width: width, console)
        }
        let comparison = report.comparison
        if !comparison.equivalences.isEmpty {
            console.print(console.bold("equivalences"))
            for name in comparison.equivalenceNames {
                console.print("  " + console.yellow(name.name))
                printWrapped(name.summary + " (" + name.reference + ")", indent: 4, width: width, console, dim: true)
                for applied in comparison.equivalences where applied.equivalence == name {
                    printWrapped("at " + applied.whereText, indent: 4, width: width, console)
                }
            }
        }
        if let difference = comparison.firstDifference {
            console.print(console.bold("first difference") + (difference.connection.map { " in \($0)" } ?? ""))
            printWrapped(difference.reason, indent: 2, width: width, console)
            if difference.simulated != nil || difference.kernel != nil {
                console.print("  simulated: " + segmentText(difference.simulated))
                console.print("  kernel:    " + segmentText(difference.kernel))
            }
        }
        if comparison.socketDifferences.isEmpty {
            console.print(console.bold("sockets: ") + "the same calls, bytes, end-of-file and errors, and final states")
        } else {
            console.print(console.bold("sockets: ") + "\(comparison.socketDifferences.count) difference(s)")
            for difference in comparison.socketDifferences { printWrapped(difference.reason, indent: 2, width: width, console) }
        }
        let findings = comparison.connections.filter { ($0.simulatedTimeWait?.applies ?? false) || ($0.kernelTimeWait?.applies ?? false) }
        if !findings.isEmpty {
            console.print(console.bold("\(TCPState.timeWait)") + " (the end that closed first must hold it)")
            for connection in findings {
                let check = { (finding: TimeWaitFinding?) in
                    (finding?.text ?? "-") + ((finding?.passes ?? true) ? "" : " ✗")
                }
                printWrapped("\(connection.key): simulated: \(check(connection.simulatedTimeWait)); kernel: "
                             + check(connection.kernelTimeWait), indent: 2, width: width, console)
            }
        }
        console.print(console.bold("capture: ") + captureText(report))
        let ports = report.kernelReport.ports.map { "\($0.transport.rawValue) \($0.host):\($0.scenarioPort) → \($0.realPort)" }
        if !ports.isEmpty { printWrapped("ports (scenario → kernel): " + ports.joined(separator: ", "), indent: 0, width: width, console) }
        printWrapped("timings: " + timingsText(report, wall: wall), indent: 0, width: width, console)
        for note in report.notes { printWrapped("note: " + note, indent: 0, width: width, console, dim: true) }
    }

    static func captureText(_ report: ReplayReport) -> String {
        switch report.kernelReport.capture {
        case .available:
            let end = report.kernelReport.scenarioEndTime
            let packets = report.kernel.trace.events.filter { event in
                guard event.time <= end, case .packetSent = event.kind else { return false }
                return true
            }.count
            return "\(packets) packets captured on lo during the scenario, each as sent and as received"
        case .unavailable(let reason):
            return "packets were not captured (\(reason)); socket-level comparison only"
        }
    }

    static func timingsText(_ report: ReplayReport, wall: Duration) -> String {
        let simulated = lastPacketTime(report.simulated.trace)
        let kernel = lastPacketTime(report.kernel.trace, until: report.kernelReport.scenarioEndTime)
        var parts = ["last packet at \(micros(simulated)) (simulated, virtual)"
                        + (report.packetsCaptured ? " and \(micros(kernel)) (kernel)" : ""),
                     "kernel run \(micros(report.kernelReport.scenarioEndTime))"]
        if wall > .zero { parts.append("wall \(micros(ReplayJSON.nanoseconds(wall)))") }
        return parts.joined(separator: ", ")
    }

    /// When the last packet was sent, nanoseconds (0 without packets).
    static func lastPacketTime(_ trace: Trace, until end: Int64 = .max) -> Int64 {
        trace.events.last { event in
            guard event.time <= end, case .packetSent = event.kind else { return false }
            return true
        }?.time ?? 0
    }

    /// `75 µs`, `1.204 ms`, `60.100 s`.
    static func micros(_ nanoseconds: Int64) -> String {
        if nanoseconds < 1_000_000 { return "\(nanoseconds / 1000) µs" }
        if nanoseconds < 1_000_000_000 { return TraceTextFormatter.seconds(nanoseconds * 1000, decimals: 6).dropLast(3) + " ms" }
        return TraceTextFormatter.seconds(nanoseconds, decimals: 3) + " s"
    }

    private static func segmentText(_ segment: ReplaySegment?) -> String {
        guard let segment else { return "(nothing)" }
        return segment.label + " (segment #\(segment.index) of its direction)"
    }

    private static func printWrapped(_ text: String, indent: Int, width: Int, _ console: Console, dim: Bool = false) {
        let margin = String(repeating: " ", count: indent)
        for line in TextLayout.wrap(text, width: width - indent) {
            console.print(margin + (dim ? console.dim(line) : line))
        }
    }
}
