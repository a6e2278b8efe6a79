/// The commands of `stacklab`, in the order `stacklab --help` lists them (DESIGN.md, "Command
/// line"). Each is defined in its own file, `Commands/NAMECommand.swift`, with its handler; to
/// add a command, write that file and add it here once it works (a command is listed only then).
extension Command {
    public static let all: [Command] = [
        .lessons,
        .learn,
        .export,
        .scenarios,
        .run,
        .diagram,
        .replay,
        .check,
        .compare,
        .serve,
        .bench,
    ]

    /// What plain `stacklab` does. It will be the lesson menu; for now it prints the help.
    static let menu = Command(
        name: "menu",
        summary: "The lesson menu.",
        handler: { _, context in
            context.stdout.write(Help.topLevel(commands: Command.all))
            return ExitStatus.success
        })
}
