import Tracing

/// What runs a scenario and records what happened: StackLab's simulated stack, or (in `Loopback`)
/// real sockets on the Linux kernel. Everything downstream (summaries, invariants, diagrams, the
/// stepper, replay) reads the `Run`'s trace and nothing else, so it works with any runtime.
public protocol Runtime {
    /// What ran the scenario, for reports: `simulated` or `kernel`.
    var name: String { get }
    /// Builds the hosts, plays the scenario's steps through the socket API until nothing is left to
    /// do (or the scenario's time limit), and returns the trace.
    func run(_ scenario: Scenario) throws(RuntimeError) -> Run
}

/// Why a runtime could not run a scenario at all (not a protocol failure, which the trace shows).
public struct RuntimeError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
