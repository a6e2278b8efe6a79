@testable import StackLabCommands

/// The outcome of one in-process `stacklab` invocation.
struct Invocation {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `stacklab` in process with captured output.
func invoke(
    _ arguments: [String], commands: [Command]? = nil, isTerminal: Bool = false,
    environment: [String: String] = [:]
) -> Invocation {
    let (context, out, err) = CommandContext.capturing(isTerminal: isTerminal, environment: environment)
    let status = StackLabCommands.run(arguments, context: context, commands: commands ?? Command.all)
    return Invocation(status: status, stdout: out.text, stderr: err.text)
}
