import StackLabCommands

// The executable owns the wall clock (DESIGN.md): commands see it only through this stopwatch.
StackLabCommands.exitWithStatus(of: CommandLine.arguments, stopwatch: Stopwatch { body in
    ContinuousClock().measure(body)
})
