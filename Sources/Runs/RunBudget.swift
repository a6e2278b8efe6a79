import Tracing

/// What one simulated run may use before it is stopped: trace events, packet bytes kept in the
/// trace, TCP connections opened. The command line runs with `standard` (the README's "Limits"),
/// so no scenario can make StackLab record until the operating system kills it; benchmarks and
/// tests that mean to run big pass their own.
public struct RunBudget: Sendable, Equatable {
    /// Trace events recorded.
    public var events: Int
    /// Bytes of packets kept in the trace.
    public var traceBytes: Int
    /// TCP connections opened, over all hosts.
    public var connections: Int

    public init(events: Int, traceBytes: Int, connections: Int) {
        self.events = events
        self.traceBytes = traceBytes
        self.connections = connections
    }

    public static let standard = RunBudget(events: InputLimits.eventsPerRun, traceBytes: InputLimits.traceBytesPerRun,
                                           connections: InputLimits.connectionsPerRun)
    public static let unlimited = RunBudget(events: .max, traceBytes: .max, connections: .max)

    /// Why a run stopped early: the limit it reached, and when.
    public struct Stop: Sendable, Equatable, CustomStringConvertible {
        public enum Limit: String, Sendable {
            case events = "events per run"
            case traceBytes = "trace size"
            case connections = "connections per run"
        }

        public var limit: Limit
        /// The limit's value.
        public var value: Int
        /// Virtual time the run stopped at, nanoseconds.
        public var time: Int64
        /// Trace events recorded by then.
        public var events: Int

        public init(limit: Limit, value: Int, time: Int64, events: Int) {
            self.limit = limit
            self.value = value
            self.time = time
            self.events = events
        }

        /// "stopped at 12.345 s of virtual time after 2,000,000 trace events: the limit \"events
        /// per run\" (2,000,000)".
        public var description: String {
            let unit: String
            switch limit {
            case .events: unit = " events"
            case .traceBytes: unit = " bytes of packets"
            case .connections: unit = " connections"
            }
            let millis = time / 1_000_000
            let seconds = "\(millis / 1000).\(String(repeating: "0", count: 3 - String(millis % 1000).count))\(millis % 1000)"
            return "the run stopped at \(seconds) s of virtual time, after \(InputLimits.grouped(events)) trace events: "
                + "it reached the limit \"\(limit.rawValue)\" (\(InputLimits.grouped(value))\(unit))"
        }
    }
}
