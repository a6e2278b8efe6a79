import Runs
import Tracing

/// The budget a command's simulated runs get (`--max-events` raises the events), and the error
/// a run that reached it becomes: exit status 2, naming the limit, where, and how to raise it.
enum RunBudgets {
    /// `--max-events N`, shared by the commands that run one scenario.
    static let option = Command.Option.integer(
        "max-events", in: 1...Int.max,
        help: "Stop a run after this many trace events (default \(InputLimits.grouped(InputLimits.eventsPerRun))).")

    /// The standard budget, with `--max-events` if the command has it and it was given.
    static func budget(_ arguments: ParsedArguments?) -> RunBudget {
        var budget = RunBudget.standard
        if let arguments, let events = arguments.int("max-events") { budget.events = events }
        return budget
    }

    /// Throws when `run` stopped at its budget. `name` is the scenario as the user gave it.
    static func require(_ run: Run, name: String, raisable: Bool) throws {
        guard let stop = run.budgetStop else { return }
        var message = "\(name): \(stop)"
        switch stop.limit {
        case .events where raisable:
            message += "; raise it with --max-events N"
        case .events, .traceBytes, .connections:
            message += "; the scenario keeps going longer than StackLab records (see the README's Limits)"
        }
        throw CommandFailure(message)
    }
}
