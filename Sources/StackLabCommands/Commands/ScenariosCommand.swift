import Apps
import Tracing

extension Command {
    /// `stacklab scenarios [--show NAME]`
    static let scenarios = Command(
        name: "scenarios",
        summary: "List the built-in scenarios, or print one in the scenario language.",
        options: [
            .string("show", valueName: "NAME",
                    help: "Print this built-in scenario as a scenario file that 'stacklab run FILE.scn' accepts."),
        ],
        handler: { arguments, context in
            if let name = arguments.string("show") {
                guard let scenario = BuiltInScenarios.scenario(named: name) else {
                    let suggestion = Suggestion.nearest(to: name, among: BuiltInScenarios.names)
                    throw UsageError(.other("unknown scenario '\(name)'." + (suggestion.map { " Did you mean '\($0)'?" } ?? "")),
                                     command: "scenarios")
                }
                context.stdout.write(ScenarioLanguage.format(scenario))
                return ExitStatus.success
            }
            let table = Table(columns: [Table.Column("SCENARIO"), Table.Column("WHAT IT SHOWS")],
                              rows: BuiltInScenarios.catalogue.map { [$0.name, $0.summary] })
            context.stdout.print(table)
            context.stdout.print()
            context.stdout.print("Run one with 'stacklab run NAME'; 'stacklab run --help' lists the knobs.")
            context.stdout.print("Print one as a scenario file with 'stacklab scenarios --show NAME'.")
            return ExitStatus.success
        })
}
