import Apps
import Foundation
import Runs
import Tracing

/// `stacklab replay --all`: every golden trace in `Traces/`, in scenario-name order. A trace whose
/// scenario relies on link faults is listed as not replayable, with the reason; the others are
/// replayed one after the other. Exit status 1 when any replay is a mismatch.
enum ReplayAll {
    static func run(replayer: Replayer, arguments: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        guard let directory = GoldenTraces.locate(environment: context.environment) else {
            throw CommandFailure("no golden traces found: set STACKLAB_TRACES to the Traces folder, or run from the "
                                 + "StackLab checkout")
        }
        // By scenario name: `websocket` before `websocket-chat`, although `-` sorts before `.`.
        let files = try GoldenTraces.files(in: directory).sorted { $0.dropLast(".jsonl".count) < $1.dropLast(".jsonl".count) }
        let json = arguments.flag("json")
        var values: [JSONValue] = []
        var mismatches = 0, replayed = 0, skipped = 0
        for file in files {
            let path = (directory as NSString).appendingPathComponent(file)
            let name = String(file.dropLast(".jsonl".count))
            let source: ReplaySource
            do {
                source = try ReplaySource.fromTrace(at: path, overrides: ScenarioOverrides())
            } catch let failure as CommandFailure {
                skipped += 1
                values.append(ReplayJSON.notReplayed(input: path, scenario: name, verdict: "not_replayable",
                                                     reason: failure.message))
                line(name, "not replayable", failure.message, context, json: json)
                continue
            }
            let (outcome, wall) = ReplayHandler.replay(source.scenario, with: replayer, context)
            switch outcome {
            case .failure(let error):
                skipped += 1
                values.append(ReplayJSON.notReplayed(input: path, scenario: name, verdict: "not_replayable",
                                                     reason: error.description))
                line(name, "not replayable", reason(error), context, json: json)
            case .success(let report):
                replayed += 1
                if report.verdict.isMismatch { mismatches += 1 }
                values.append(ReplayJSON.value(of: report, input: path, source: source.description,
                                               strict: replayer.strict, wall: wall))
                var detail = report.comparison.equivalenceNames.map(\.name).joined(separator: ", ")
                if case .notReproducible(let why) = report.verdict { detail = why }
                if let difference = report.comparison.firstDifference, report.verdict.isMismatch {
                    detail = difference.reason
                }
                line(name, report.verdict.text, detail, context, json: json, failed: report.verdict.isMismatch)
            }
        }
        if json {
            context.stdout.print(JSONValue.array(values).prettyText)
        } else {
            context.stdout.print()
            context.stdout.print("\(replayed) replayed (\(mismatches) mismatch\(mismatches == 1 ? "" : "es")), "
                                 + "\(skipped) not replayable")
        }
        return mismatches > 0 ? ExitStatus.failure : ExitStatus.success
    }

    private static func reason(_ error: ReplayError) -> String {
        switch error {
        case .notReplayable(_, let reasons): "relies on " + reasons.joined(separator: ", ")
        case .unknownScenario, .runtime: error.description
        }
    }

    /// `handshake                 match with equivalences`, then the detail indented below.
    private static func line(_ name: String, _ verdict: String, _ detail: String, _ context: CommandContext,
                             json: Bool, failed: Bool = false) {
        guard !json else { return }
        let out = context.stdout
        let padded = name.padding(toLength: max(name.count, 24), withPad: " ", startingAt: 0)
        out.print(out.bold(padded) + "  " + (failed ? out.red(verdict) : verdict))
        if !detail.isEmpty {
            for text in TextLayout.wrap(detail, width: out.width - 4) { out.print("    " + out.dim(text)) }
        }
    }
}
