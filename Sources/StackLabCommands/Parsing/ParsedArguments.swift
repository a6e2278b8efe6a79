/// The validated arguments of one invocation, read by name: an option's long name (`"seed"`)
/// or a positional argument's key (`"scenario"`).
///
/// Reading a name the command does not declare is a programming error and traps in debug
/// builds, so a typo in a handler fails its first test instead of silently reading nil.
public struct ParsedArguments: Sendable {
    public let commandName: String
    private let given: [String: [ArgumentValue]]
    private let defaults: [String: ArgumentValue]
    private let declared: Set<String>

    init(command: Command, given: [String: [ArgumentValue]]) {
        self.commandName = command.name
        self.given = given
        var defaults: [String: ArgumentValue] = [:]
        for option in command.options {
            if let value = option.defaultValue { defaults[option.name] = value }
        }
        self.defaults = defaults
        self.declared = Set(command.options.map(\.name) + command.arguments.map(\.key))
    }

    /// Whether the name was given on the command line (defaults do not count).
    public func isSet(_ name: String) -> Bool {
        !values(name).isEmpty
    }

    public func flag(_ name: String) -> Bool {
        isSet(name)
    }

    /// The last value given, or the default. Choices read as strings.
    public func string(_ name: String) -> String? {
        if case let .string(text)? = value(name) { return text }
        return nil
    }

    public func int(_ name: String) -> Int? {
        if case let .integer(number)? = value(name) { return number }
        return nil
    }

    /// A `.unsigned` option's value (an integer option's too, when it is not negative).
    public func unsigned(_ name: String) -> UInt64? {
        switch value(name) {
        case let .unsigned(number)?: return number
        case let .integer(number)?: return UInt64(exactly: number)
        case .flag?, .string?, .number?, nil: return nil
        }
    }

    public func double(_ name: String) -> Double? {
        switch value(name) {
        case let .number(number)?: return number
        case let .integer(number)?: return Double(number)
        case let .unsigned(number)?: return Double(number)
        case .flag?, .string?, nil: return nil
        }
    }

    /// Every value given, in order: the words of a repeated positional argument.
    public func strings(_ name: String) -> [String] {
        values(name).compactMap { value in
            if case let .string(text) = value { return text }
            return nil
        }
    }

    private func values(_ name: String) -> [ArgumentValue] {
        assert(declared.contains(name), "'\(commandName)' declares no argument or option named '\(name)'")
        return given[name] ?? []
    }

    private func value(_ name: String) -> ArgumentValue? {
        values(name).last ?? defaults[name]
    }
}
