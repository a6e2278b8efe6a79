/// One subcommand of `stacklab`: what it accepts, how it describes itself, and what it does.
///
/// A command is a value; the table of commands is `Command.all` (Commands/CommandTable.swift).
public struct Command: Sendable {
    /// Runs the command once its arguments have been parsed and validated. Returns the exit
    /// status (0 success, 1 a check or comparison failed, 2 bad usage or bad input). Throwing a
    /// `UsageError` prints it with the command's help hint and exits 2; throwing a
    /// `CommandFailure` prints its message and exits with its status.
    public typealias Handler = @Sendable (ParsedArguments, CommandContext) throws -> Int32

    /// A check across several arguments that the per-value parsing cannot express, such as
    /// "give a trace or --all, not both". Returns nil when the arguments are acceptable.
    public typealias Validator = @Sendable (ParsedArguments) -> UsageError?

    public var name: String
    /// One line, shown in the command list; starts with a capital and ends with a period.
    public var summary: String
    /// Paragraphs shown after OVERVIEW in the command's help, wrapped to 80 columns.
    public var discussion: String?
    public var arguments: [Argument]
    public var options: [Option]
    /// Usage lines without the leading `stacklab NAME`; nil derives one from the arguments and
    /// options.
    public var usage: [String]?
    public var validate: Validator?
    public var handler: Handler

    public init(
        name: String,
        summary: String,
        discussion: String? = nil,
        arguments: [Argument] = [],
        options: [Option] = [],
        usage: [String]? = nil,
        validate: Validator? = nil,
        handler: @escaping Handler
    ) {
        self.name = name
        self.summary = summary
        self.discussion = discussion
        self.arguments = arguments
        self.options = options
        self.usage = usage
        self.validate = validate
        self.handler = handler
    }
}

extension Command {
    func option(named name: String) -> Option? {
        options.first { $0.name == name }
    }

    func option(short: Character) -> Option? {
        options.first { $0.short == short }
    }
}

/// The exit statuses of DESIGN.md, "Command line".
public enum ExitStatus {
    public static let success: Int32 = 0
    /// A check or a comparison failed.
    public static let failure: Int32 = 1
    /// Bad usage or bad input.
    public static let usage: Int32 = 2
}

/// A failure a handler reports after parsing succeeded (a file that does not exist, a check
/// that failed): the message is printed as `error: MESSAGE` on stderr.
public struct CommandFailure: Error, Equatable, Sendable {
    public var message: String
    public var status: Int32

    public init(_ message: String, status: Int32 = ExitStatus.usage) {
        self.message = message
        self.status = status
    }
}
