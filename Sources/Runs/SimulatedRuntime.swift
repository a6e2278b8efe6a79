import Apps
import Stack
import Tracing
import Wire

/// The simulated runtime: StackLab's own IPv4/TCP/UDP stack on the deterministic engine. The same
/// scenario and seed always give the same trace, byte for byte.
public struct SimulatedRuntime: Runtime, Sendable {
    public let name = "simulated"
    /// The TCP configuration (the scenario's profile unless given) and an ablation.
    public var settings: StackSettings
    /// Stop after this many scheduler events (property checks guard against runaway runs).
    public var eventLimit: Int
    /// What a run that keeps its trace may use before it stops (`Run.budgetStop` says so).
    public var budget: RunBudget

    public init(settings: StackSettings = StackSettings(), eventLimit: Int = .max, budget: RunBudget = .standard) {
        self.settings = settings
        self.eventLimit = eventLimit
        self.budget = budget
    }

    /// Scheduler events run between two looks at the budget: small enough that a run overshoots
    /// its budget by little, large enough that looking costs nothing.
    static let budgetCheckInterval = 4_096

    public func run(_ scenario: Scenario) -> Run {
        run(scenario, packetBytes: .all)
    }

    /// Runs `scenario` keeping of each packet what `packetBytes` says: `.headers` keeps a trace
    /// that summaries read (`Run.summary`) in memory that does not grow with the data sent, but
    /// whose packets no longer parse as whole packets (not for pcap, diagrams or invariants).
    public func run(_ scenario: Scenario, packetBytes: PacketBytes) -> Run {
        let recorder = SimulationRecorder(keepsEvents: true, packetBytes: packetBytes)
        let network = SimulatedNetwork(scenario: scenario, settings: settings, recorder: recorder)
        let runner = ScenarioRunner(scenario: scenario, hosts: network.hosts, observer: network.recorder)
        runner.setLinkUp = { [unowned network] up in network.setLinksUp(up) }
        runner.start()
        var ran = 0
        var stop: RunBudget.Stop?
        // The same events in the same order as one call would run; only the budget is looked at
        // in between.
        while ran < eventLimit {
            let chunk = min(Self.budgetCheckInterval, eventLimit - ran)
            let count = network.run(until: scenario.timeLimit, maxEvents: chunk)
            ran += count
            if count < chunk { break }
            stop = budgetStop(network)
            if stop != nil { break }
        }
        let reachedLimit = ran >= eventLimit
        let trace = Trace(scenario: scenario, hosts: network.hosts.map { TraceHost(name: $0.name, address: $0.address) },
                          events: network.recorder.events)
        return Run(scenario: scenario, runtime: name, trace: trace, failures: runner.failures,
                   reachedEventLimit: reachedLimit, budgetStop: stop)
    }

    /// The budget `network` has reached, if any.
    private func budgetStop(_ network: SimulatedNetwork) -> RunBudget.Stop? {
        let recorder = network.recorder
        let time = network.world.now.nanoseconds
        if recorder.count >= budget.events {
            return RunBudget.Stop(limit: .events, value: budget.events, time: time, events: recorder.count)
        }
        if recorder.keptPacketBytes >= budget.traceBytes {
            return RunBudget.Stop(limit: .traceBytes, value: budget.traceBytes, time: time, events: recorder.count)
        }
        if budget.connections < .max {
            let connections = network.hosts.reduce(0) { $0 + $1.connectionHistory.count }
            if connections >= budget.connections {
                return RunBudget.Stop(limit: .connections, value: budget.connections, time: time, events: recorder.count)
            }
        }
        return nil
    }

    /// What a run that keeps no trace can tell (benchmarks): events, segments, and what the
    /// applications counted.
    public struct Counts: Sendable {
        public var events: Int
        public var segmentsSent: Int
        public var streams: [StreamTally]
        /// The virtual time the run ended at, nanoseconds (the time limit, if events were left).
        public var endTime: Int64
    }

    /// Runs `scenario` counting trace events instead of keeping them.
    public func count(_ scenario: Scenario) -> Counts {
        let network = SimulatedNetwork(scenario: scenario, settings: settings, recorder: SimulationRecorder(keepsEvents: false))
        let runner = ScenarioRunner(scenario: scenario, hosts: network.hosts, observer: network.recorder)
        runner.setLinkUp = { [unowned network] up in network.setLinksUp(up) }
        runner.start()
        network.run(until: scenario.timeLimit, maxEvents: eventLimit)
        let segments = network.hosts.reduce(0) { total, host in
            total + host.connectionHistory.reduce(0) { $0 + $1.segmentsSent }
        }
        return Counts(events: network.recorder.count, segmentsSent: segments, streams: runner.tally,
                      endTime: network.world.now.nanoseconds)
    }
}

extension Trace {
    /// The trace of a run of `scenario` on `hosts` (in declaration order, with their addresses).
    public init(scenario: Scenario, hosts: [TraceHost], events: [TraceEvent]) {
        self.init(header: TraceHeader(scenario: scenario.name, seed: scenario.seed, profile: scenario.profile.rawValue,
                                      hosts: hosts, link: scenario.link),
                  events: events)
    }
}
