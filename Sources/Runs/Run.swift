import Tracing
import Wire

/// One scenario run on some runtime: its trace, and what can be computed from it.
public struct Run: Sendable {
    public let scenario: Scenario
    /// The runtime's `name`.
    public let runtime: String
    /// The one record of what happened.
    public let trace: Trace
    /// Steps that could not run, e.g. "step 3: client has no connection".
    public let failures: [String]
    /// The run was cut short after its runtime's event limit.
    public let reachedEventLimit: Bool
    /// The run was stopped at its budget (`RunBudget`): the trace ends there.
    public let budgetStop: RunBudget.Stop?

    public init(scenario: Scenario, runtime: String, trace: Trace, failures: [String], reachedEventLimit: Bool,
                budgetStop: RunBudget.Stop? = nil) {
        self.budgetStop = budgetStop
        self.scenario = scenario
        self.runtime = runtime
        self.trace = trace
        self.failures = failures
        self.reachedEventLimit = reachedEventLimit
    }

    /// What `stacklab run --json` reports, computed from the trace (each time it is asked for).
    public var summary: RunSummary { RunSummary(trace, failures: failures) }

    public var events: [TraceEvent] { trace.events }

    /// Host names by address, for printing packets.
    public var hostNames: [IPv4Address: String] { trace.hostNames }

    /// Time of the last event, nanoseconds.
    public var endTime: Int64 { trace.events.last?.time ?? 0 }

    /// The trace as text, one line per event the formatter shows.
    public func textLines(verbose: Bool = false, absolute: Bool = false) -> [String] {
        eventLines(verbose: verbose, absolute: absolute).compactMap { $0 }
    }

    /// One entry per event: its line, or nil for an event the formatter leaves out.
    public func eventLines(verbose: Bool = false, absolute: Bool = false) -> [String?] {
        var formatter = TraceTextFormatter(summarizer: PacketSummarizer(hostNames: hostNames, absolute: absolute),
                                           verbose: verbose, times: events.map(\.time))
        return events.map { formatter.line(for: $0) }
    }
}
