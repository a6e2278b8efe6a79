/// A command line that cannot be run, and where it went wrong. Detecting the problem (the
/// parser) is separate from rendering it (`message`).
public struct UsageError: Error, Equatable, Sendable {
    public enum Problem: Equatable, Sendable {
        case unknownCommand(String, suggestion: String?)
        /// `option` as typed, e.g. `--sed`; the suggestion is spelled the same way, `--seed`.
        case unknownOption(String, suggestion: String?)
        case missingValue(option: String)
        /// A flag given a value: `--json=yes`.
        case unexpectedValue(option: String, value: String)
        case invalidValue(name: String, value: String, reason: InvalidValue)
        case missingArgument(valueName: String)
        case missingOption(option: String)
        case unexpectedArgument(String)
        /// Any other problem, already phrased.
        case other(String)
    }

    /// Why a value was rejected.
    public enum InvalidValue: Equatable, Sendable {
        case notAnInteger
        case notANumber
        /// The bounds as they should be shown; nil when unbounded on that side.
        case outOfRange(lower: String?, upper: String?)
        case notAChoice([String], suggestion: String?)
    }

    public var problem: Problem
    /// The subcommand being parsed, if any; used to point at its help.
    public var command: String?

    public init(_ problem: Problem, command: String? = nil) {
        self.problem = problem
        self.command = command
    }

    /// The one-line description, without the `error: ` prefix.
    public var message: String {
        switch problem {
        case let .unknownCommand(name, suggestion):
            return "unknown command '\(name)'." + Self.didYouMean(suggestion)
        case let .unknownOption(option, suggestion):
            return "unknown option '\(option)'." + Self.didYouMean(suggestion)
        case let .missingValue(option):
            return "\(option): missing value"
        case let .unexpectedValue(option, value):
            return "\(option) takes no value (got '\(value)')"
        case let .invalidValue(name, value, reason):
            switch reason {
            case .notAnInteger:
                return "\(name): '\(value)' is not an integer"
            case .notANumber:
                return "\(name): '\(value)' is not a number"
            case let .outOfRange(lower?, upper?):
                return "\(name): \(value) is outside [\(lower), \(upper)]"
            case let .outOfRange(lower?, nil):
                return "\(name): \(value) is less than \(lower)"
            case let .outOfRange(nil, upper?):
                return "\(name): \(value) is greater than \(upper)"
            case .outOfRange(nil, nil):
                return "\(name): \(value) is out of range"
            case let .notAChoice(choices, suggestion):
                return "\(name): '\(value)' is not one of \(choices.joined(separator: ", "))." + Self.didYouMean(suggestion)
            }
        case let .missingArgument(valueName):
            return "missing argument \(valueName)"
        case let .missingOption(option):
            return "missing option \(option)"
        case let .unexpectedArgument(word):
            return "unexpected argument '\(word)'"
        case let .other(text):
            return text
        }
    }

    /// The line after the message that says where to read more.
    public var hint: String {
        if let command { return "See 'stacklab \(command) --help'." }
        return "See 'stacklab --help'."
    }

    private static func didYouMean(_ suggestion: String?) -> String {
        suggestion.map { " Did you mean '\($0)'?" } ?? ""
    }
}
