import StackLabCommands

StackLabCommands.exitWithStatus(of: CommandLine.arguments)
