import Apps
import Tracing

/// The scenario a trace file records, re-created so it can be replayed.
///
/// A trace's header carries the scenario's name, seed, profile and link, not its steps, so only a
/// built-in scenario can be re-created: by its name, with the header's seed, profile and link. The
/// amount a built-in sends (`--bytes`) is not in the header either; it is read back from the
/// trace's socket calls: the candidate (the default, or a byte count some `send` call made) whose
/// fresh simulated run makes the same socket calls is the one the trace recorded.
public struct RecordedScenario: Sendable {
    public var scenario: Scenario
    /// How it was re-created, for the report: "built-in scenario bulk-transfer (seed 1, --bytes 131072), ...".
    public var note: String

    /// - Throws: `unknownScenario` when the trace's scenario is not a built-in one.
    public init(trace: Trace) throws(ReplayError) {
        let header = trace.header
        let name = header.scenario
        guard BuiltInScenarios.names.contains(name) else { throw .unknownScenario(name) }
        let profile = StackProfile(rawValue: header.profile)
        let recorded = Self.calls(trace)
        var candidates: [Int?] = [nil]
        for event in trace.events {
            if case .socketCall(_, .send(let bytes)) = event.kind, !candidates.contains(bytes) { candidates.append(bytes) }
        }
        func scenario(bytes: Int?) -> Scenario {
            var scenario = BuiltInScenarios.scenario(named: name, overrides: ScenarioOverrides(
                seed: header.seed, profile: profile, bytes: bytes))!
            scenario.link = header.link
            return scenario
        }
        let source = header.source == .kernel ? "a kernel trace" : "a \(header.profile) trace"
        for bytes in candidates {
            let candidate = scenario(bytes: bytes)
            let run = SimulatedRuntime().run(candidate)
            guard Self.calls(run.trace) == recorded else { continue }
            self.scenario = candidate
            let exact = run.trace == trace ? ", which reproduces this trace exactly" : ""
            note = "\(source) of built-in scenario \(name) (seed \(header.seed)" + (bytes.map { ", --bytes \($0)" } ?? "")
                + "): re-running the built-in\(exact)"
            return
        }
        self.scenario = scenario(bytes: nil)
        note = "\(source) of built-in scenario \(name) (seed \(header.seed)), whose socket calls differ from a fresh "
            + "run (edited, or recorded by another version): re-running the built-in as it stands"
    }

    /// The socket calls a trace's applications made, without the socket names (ports differ), sorted.
    private static func calls(_ trace: Trace) -> [String] {
        trace.events.compactMap { event -> String? in
            guard case .socketCall(_, let call) = event.kind else { return nil }
            switch call {
            case .accept, .bindUDP: return "\(event.node) \(call.name)"
            case .sendTo(_, let bytes): return "\(event.node) sendto \(bytes)"
            case .listen, .connect, .send, .sendForever, .shutdownWrite, .close, .abort, .pauseReading, .resumeReading,
                 .setKeepalive:
                return "\(event.node) \(call)"
            }
        }.sorted()
    }
}
