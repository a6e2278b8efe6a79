import Apps
import Runs
import Testing
import TestSupport
@testable import Tracing

/// The trace readers and the scenario language fed 10,000 seeded mutations each of real inputs of
/// their kind (the golden traces, text traces of the built-in scenarios, the built-in scenarios
/// and the lessons' inline scenarios printed in the scenario language), plus what fuzzing once
/// crashed them with: no trap, a value or an error naming the line (and the field or column),
/// and a bounded run.
@Suite("Trace readers and the scenario language under seeded mutation")
struct MutationTests {
    /// A trace error is located when its line is one of the input's lines (or the one after).
    static func located(_ error: TraceFileError, in bytes: [UInt8]) -> ParseOutcome {
        let lines = bytes.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
        guard error.line >= 1, error.line <= lines + 1, error.file == "m" else { return .unlocated(error.description) }
        return .located
    }

    static let jsonVocabulary = ["\"t_ns\":", "\"event\":\"packet_sent\"", "\"bytes\":\"", "\"node\":", "{", "}", "[", "]",
                                 "\"", ",", ":", "\\u0000", "\\ud800", "\"format_version\":2", "\"hosts\":[]",
                                 "\"state_changed\"", "\"from\":\"LISTEN\"", "\"at_ns\":", "null", "true", "-", "1e5"]

    @Test func jsonLinesTracesUnderMutation() {
        let seeds = Repository.files(in: "Traces", suffix: ".jsonl").map { Repository.head(Repository.bytes($0), lines: 12) }
        let tally = MutationTesting.run("trace-jsonl", seeds: seeds, seed: 2, kind: .text, vocabulary: Self.jsonVocabulary,
                                        regressions: Repository.fuzzRegressions("trace-jsonl")) { bytes in
            do throws(TraceFileError) {
                let trace = try TraceFile.read(bytes: bytes, file: "m")
                // Bounded work: one event per line at most.
                let lines = bytes.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
                guard trace.events.count <= lines else { return .overBudget("\(trace.events.count) events from \(lines) lines") }
                // What reads writes back canonically and reads the same.
                guard (try? TraceFile.read(bytes: TraceFile.bytes(of: trace), file: "m")) == trace else {
                    return .unlocated("a trace that reads does not survive writing")
                }
                return .value
            } catch {
                return Self.located(error, in: bytes)
            }
        }
        #expect(tally.values > 300 && tally.located > 3_000, "\(tally)")
    }

    @Test func textTracesUnderMutation() {
        let seeds = ["handshake", "syn-lost", "udp-lossy", "teardown-client-first", "simultaneous-open"].map { name in
            var trace = SimulatedRuntime().run(BuiltInScenarios.scenario(named: name)!).trace
            trace.events = Array(trace.events.prefix(24))
            return Array(TextTrace.write(trace).utf8)
        }
        let vocabulary = ["send", "recv", "drop", "dup", "state", ">", "S", ".", "win", "ack", "<mss 1460>", "id",
                          "UDP", "0:0(0)", "4294967295:4294967295(0)", "<sack 1:2 3:4>", "opt-30", "# host", "  [", "]"]
        let tally = MutationTesting.run("text-trace", seeds: seeds, seed: 3, kind: .text, vocabulary: vocabulary,
                                        regressions: Repository.fuzzRegressions("text-trace")) { bytes in
            do throws(TraceFileError) {
                let read = try TextTrace.read(String(decoding: bytes, as: UTF8.self), file: "m")
                let lines = bytes.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
                guard read.count <= lines else { return .overBudget("\(read.count) trace lines from \(lines) lines") }
                for line in read { _ = line.packet?.emit() }
                return .value
            } catch {
                return Self.located(error, in: bytes)
            }
        }
        #expect(tally.values > 300 && tally.located > 3_000, "\(tally)")
    }

    static let scenarioVocabulary = ["at", "on", "every", "from", "until", "send", "connect", "listen", "close", "hosts",
                                     "link", "rtt", "loss", "partition", "drop", "seed", "time-limit", "udp", "bind",
                                     "count", "size", "interval", "keepalive", "serve", "http", "long-socket", "message",
                                     "\"", "\\", "#", "..", "1000000000000", "100%", "0.5ns", "server:80", "connected+5ms"]

    @Test func scenarioFilesUnderMutation() {
        var seeds = BuiltInScenarios.names.map { Array(ScenarioLanguage.format(BuiltInScenarios.scenario(named: $0)!).utf8) }
        for url in Repository.files(in: "Lessons", suffix: ".md") {
            let lines = String(decoding: Repository.bytes(url), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            if let open = lines.firstIndex(where: { $0.hasPrefix("```") }),
               let close = lines[(open + 1)...].firstIndex(where: { $0.hasPrefix("```") }) {
                seeds.append(Array(lines[(open + 1)..<close].joined(separator: "\n").utf8))
            }
        }
        let tally = MutationTesting.run("scenario", seeds: seeds, seed: 15, kind: .text, vocabulary: Self.scenarioVocabulary,
                                        regressions: Repository.fuzzRegressions("scenario")) { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            do throws(ScenarioSyntaxError) {
                let scenario = try ScenarioLanguage.parse(text, file: "m")
                // Bounded work: a statement is at most a line, and a line at most a few steps.
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
                guard scenario.steps.count <= 4 * lines, scenario.hosts.count <= text.utf8.count else {
                    return .overBudget("\(scenario.steps.count) steps and \(scenario.hosts.count) hosts from \(lines) lines")
                }
                // What parses prints back as text that parses to the same scenario.
                guard (try? ScenarioLanguage.parse(ScenarioLanguage.format(scenario), file: "m")) == scenario else {
                    return .unlocated("a scenario that parses does not survive printing")
                }
                return .value
            } catch {
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
                guard error.line >= 1, error.line <= lines, error.column >= 1 else { return .unlocated(error.description) }
                return .located
            }
        }
        #expect(tally.values > 300 && tally.located > 3_000, "\(tally)")
    }
}
