import Apps
import Runs
import Testing
import Tracing

/// A simulated run stops at its budget (`RunBudget`) and says which limit it reached; within the
/// budget, looking at it in between changes nothing about the run.
@Suite("Run budgets")
struct RunBudgetTests {
    static let loop = """
        scenario loop "a client that reconnects whenever its connection closes"
        hosts client server
        at 0 client connect server:80
        on closed client connect server:80
        """

    @Test func aReconnectLoopStopsAtTheEventBudget() throws {
        let scenario = try ScenarioLanguage.parse(Self.loop, file: "loop.scn")
        let budget = RunBudget(events: 10_000, traceBytes: .max, connections: .max)
        let run = SimulatedRuntime(budget: budget).run(scenario)
        let stop = try #require(run.budgetStop)
        #expect(stop.limit == .events)
        // Checked every 4,096 scheduler events, each of which records a few trace events: the
        // overshoot is bounded by a small multiple of that.
        #expect(run.events.count >= 10_000 && run.events.count < 10_000 + 8 * 4_096, "\(run.events.count) events")
        #expect(stop.description.contains("it reached the limit \"events per run\" (10,000 events)"))
    }

    @Test func aReconnectLoopStopsAtTheConnectionAndByteBudgets() throws {
        let scenario = try ScenarioLanguage.parse(Self.loop, file: "loop.scn")
        let connections = SimulatedRuntime(budget: RunBudget(events: .max, traceBytes: .max, connections: 500)).run(scenario)
        #expect(connections.budgetStop?.limit == .connections)
        let bytes = SimulatedRuntime(budget: RunBudget(events: .max, traceBytes: 50_000, connections: .max)).run(scenario)
        #expect(bytes.budgetStop?.limit == .traceBytes)
    }

    @Test func theStandardBudgetLeavesEveryBuiltInScenarioWhole() {
        for name in BuiltInScenarios.names {
            let scenario = BuiltInScenarios.scenario(named: name)!
            let budgeted = SimulatedRuntime().run(scenario)
            #expect(budgeted.budgetStop == nil, "\(name)")
            #expect(budgeted.trace == SimulatedRuntime(budget: .unlimited).run(scenario).trace, "\(name)")
        }
    }
}
