import Apps

extension Command {
    /// `stacklab scenarios`
    static let scenarios = Command(
        name: "scenarios",
        summary: "List the built-in scenarios.",
        handler: { _, context in
            let table = Table(columns: [Table.Column("SCENARIO"), Table.Column("WHAT IT SHOWS")],
                              rows: BuiltInScenarios.catalogue.map { [$0.name, $0.summary] })
            context.stdout.print(table)
            context.stdout.print()
            context.stdout.print("Run one with 'stacklab run NAME'; 'stacklab run --help' lists the knobs.")
            return ExitStatus.success
        })
}
