#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Entry point of the `stacklab` executable: finds the command, parses its arguments, runs its
/// handler, and turns every outcome into an exit status.
public enum StackLabCommands {
    public static let version = "0.1.0"

    /// Runs `stacklab` with the process's arguments (the first is the program name), output and
    /// environment, and exits with the command's status.
    public static func exitWithStatus(of arguments: [String], stopwatch: Stopwatch) -> Never {
        let status = run(Array(arguments.dropFirst()), context: .process(stopwatch: stopwatch))
        exit(status)
    }

    /// Runs `stacklab` with `arguments` (without the program name) and returns the exit status.
    public static func run(_ arguments: [String], context: CommandContext) -> Int32 {
        run(arguments, context: context, commands: Command.all)
    }

    static func run(_ arguments: [String], context: CommandContext, commands: [Command]) -> Int32 {
        guard let first = arguments.first else {
            return LessonMenu.run(context: context)
        }
        switch first {
        case "-h", "--help":
            context.stdout.write(Help.topLevel(commands: commands))
            return ExitStatus.success
        case "--version":
            if arguments.count > 1 { return report(UsageError(.unexpectedArgument(arguments[1])), context: context) }
            context.stdout.print("stacklab \(version)")
            return ExitStatus.success
        case "help":
            return help(Array(arguments.dropFirst()), context: context, commands: commands)
        default:
            break
        }
        if ArgumentParser.looksLikeOption(first) {
            let suggestion = Suggestion.nearest(to: first, among: ["--help", "--version"])
            return report(UsageError(.unknownOption(first, suggestion: suggestion)), context: context)
        }
        guard let command = commands.first(where: { $0.name == first }) else {
            return report(unknownCommand(first, commands: commands), context: context)
        }
        switch ArgumentParser(command: command).parse(Array(arguments.dropFirst())) {
        case .success(.help):
            context.stdout.write(Help.command(command))
            return ExitStatus.success
        case let .success(.arguments(parsed)):
            return runHandler(command.handler, arguments: parsed, command: command.name, context: context)
        case let .failure(error):
            return report(error, context: context)
        }
    }

    /// `stacklab help [COMMAND]`.
    private static func help(_ arguments: [String], context: CommandContext, commands: [Command]) -> Int32 {
        guard let name = arguments.first else {
            context.stdout.write(Help.topLevel(commands: commands))
            return ExitStatus.success
        }
        if arguments.count > 1 {
            return report(UsageError(.unexpectedArgument(arguments[1])), context: context)
        }
        guard let command = commands.first(where: { $0.name == name }) else {
            return report(unknownCommand(name, commands: commands), context: context)
        }
        context.stdout.write(Help.command(command))
        return ExitStatus.success
    }

    private static func unknownCommand(_ name: String, commands: [Command]) -> UsageError {
        let suggestion = Suggestion.nearest(to: name, among: commands.map(\.name) + ["help"])
        return UsageError(.unknownCommand(name, suggestion: suggestion))
    }

    private static func runHandler(
        _ handler: Command.Handler, arguments: ParsedArguments, command: String?, context: CommandContext
    ) -> Int32 {
        do {
            return try handler(arguments, context)
        } catch var error as UsageError {
            if error.command == nil { error.command = command }
            return report(error, context: context)
        } catch let failure as CommandFailure {
            printError(failure.message, context: context)
            return failure.status
        } catch {
            printError(String(describing: error), context: context)
            return ExitStatus.usage
        }
    }

    /// Prints a usage error on stderr: `error: MESSAGE`, then where to find help. Returns 2.
    static func report(_ error: UsageError, context: CommandContext) -> Int32 {
        printError(error.message, context: context)
        context.stderr.print(context.stderr.dim(error.hint))
        return ExitStatus.usage
    }

    private static func printError(_ message: String, context: CommandContext) {
        context.stderr.print(context.stderr.style("error:", .bold, .red) + " " + message)
    }
}
