#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Everything a handler may touch of the outside world: the output streams and the
/// environment. Tests build one over `StringSink`s; the executable uses `CommandContext.process()`.
public final class CommandContext {
    public let stdout: Console
    public let stderr: Console
    public let environment: [String: String]
    /// The wall clock, for timings shown to the user.
    public let stopwatch: Stopwatch
    /// Whether a command may take over SIGINT and SIGTERM (to close its sockets, then end as the
    /// signal would): true for the real process; false in tests, whose process every suite shares.
    public let ownsSignals: Bool

    public init(stdout: Console, stderr: Console, environment: [String: String], stopwatch: Stopwatch = .frozen,
                ownsSignals: Bool = false) {
        self.stdout = stdout
        self.stderr = stderr
        self.environment = environment
        self.stopwatch = stopwatch
        self.ownsSignals = ownsSignals
    }

    /// The real process: file descriptors 1 and 2, `isatty`, the process environment, and the
    /// executable's wall clock.
    public static func process(stopwatch: Stopwatch) -> CommandContext {
        let environment = ProcessInfo.processInfo.environment
        func console(_ fileDescriptor: Int32) -> Console {
            let sink = FileDescriptorSink(fileDescriptor: fileDescriptor)
            let isTerminal = sink.isTerminal
            return Console(sink: sink, isTerminal: isTerminal,
                           allowsColor: ColorPolicy.allowsColor(isTerminal: isTerminal, environment: environment))
        }
        return CommandContext(stdout: console(STDOUT_FILENO), stderr: console(STDERR_FILENO), environment: environment,
                              stopwatch: stopwatch, ownsSignals: true)
    }

    /// A context that records output, as if both streams were terminals when `isTerminal` is
    /// true (so colour follows `environment`).
    public static func capturing(
        isTerminal: Bool = false, environment: [String: String] = [:]
    ) -> (context: CommandContext, stdout: StringSink, stderr: StringSink) {
        let out = StringSink()
        let err = StringSink()
        let allowsColor = ColorPolicy.allowsColor(isTerminal: isTerminal, environment: environment)
        let context = CommandContext(
            stdout: Console(sink: out, isTerminal: isTerminal, allowsColor: allowsColor),
            stderr: Console(sink: err, isTerminal: isTerminal, allowsColor: allowsColor),
            environment: environment)
        return (context, out, err)
    }
}
