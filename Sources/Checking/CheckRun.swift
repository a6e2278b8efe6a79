import Runs
import Stack
import Tracing

/// One generated case run on the simulated stack, with what the invariants need: the trace
/// decoded once, and the context (the stack's parameters, how the run ended, a way to run it again).
public final class CheckRun {
    public let checkCase: CheckCase
    public let scenario: Scenario
    public let ablation: Ablation?
    public let run: Run
    public let analysis: TraceAnalysis
    public let context: InvariantContext

    public init(_ checkCase: CheckCase, ablation: Ablation? = nil) {
        self.checkCase = checkCase
        self.ablation = ablation
        let scenario = checkCase.scenario
        self.scenario = scenario
        let runtime = SimulatedRuntime(settings: StackSettings(ablation: ablation),
                                       eventLimit: ablation == nil ? Self.eventLimit : Self.ablatedEventLimit)
        let run = runtime.run(scenario)
        self.run = run
        analysis = TraceAnalysis(run.trace)
        let configuration = runtime.settings.tcpConfiguration(for: scenario)
        // The run stopped because nothing was left to do (rather than at the time limit): nothing
        // happened in the last 200 s before the limit, longer than any timer interval.
        let quiesced = !run.reachedEventLimit && run.endTime < scenario.timeLimit - 200 * 1_000_000_000
        context = InvariantContext(configuration: configuration, quiesced: quiesced,
                                   rerun: { runtime.run(scenario).trace })
    }

    /// Scheduler events after which a run is cut short (an ACK war under `ack-off-by-one` never ends).
    public static let eventLimit = 30_000
    /// The same for ablated runs, lower: an ablation's consequences need not be run out.
    public static let ablatedEventLimit = 5_000

    /// What `invariant` says of this run.
    public func check(_ invariant: Invariant) -> String? {
        invariant.check(analysis, context)
    }
}
