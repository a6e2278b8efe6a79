/// The kind of value an option or a positional argument takes, and how it is validated.
public enum ValueKind: Sendable, Equatable {
    /// No value: the option is a flag.
    case flag
    case string
    case integer(ClosedRange<Int>)
    /// A whole number from 0 to 2⁶⁴ − 1, such as a seed (scenario files accept the same range).
    case unsigned
    /// A finite number.
    case number(ClosedRange<Double>)
    /// One of a fixed list of words.
    case choice([String])
}

/// A parsed value.
public enum ArgumentValue: Sendable, Equatable {
    case flag
    case string(String)
    case integer(Int)
    case unsigned(UInt64)
    case number(Double)
}

extension Command {
    /// A positional argument, such as `SCENARIO` in `stacklab run SCENARIO`.
    public struct Argument: Sendable {
        /// The name handlers use to read the value, e.g. "scenario".
        public var key: String
        /// The placeholder shown in usage and help, e.g. "SCENARIO|FILE".
        public var valueName: String
        public var help: String
        public var kind: ValueKind
        public var isOptional: Bool
        /// Takes every remaining positional word (at least one unless optional); must be last.
        public var isRepeated: Bool

        public init(
            key: String, valueName: String, help: String, kind: ValueKind = .string,
            isOptional: Bool = false, isRepeated: Bool = false
        ) {
            self.key = key
            self.valueName = valueName
            self.help = help
            self.kind = kind
            self.isOptional = isOptional
            self.isRepeated = isRepeated
        }

        public static func required(_ key: String, _ valueName: String, help: String, kind: ValueKind = .string) -> Argument {
            Argument(key: key, valueName: valueName, help: help, kind: kind)
        }

        public static func optional(_ key: String, _ valueName: String, help: String, kind: ValueKind = .string) -> Argument {
            Argument(key: key, valueName: valueName, help: help, kind: kind, isOptional: true)
        }

        /// One or more words, e.g. `SCENARIO...`.
        public static func repeated(_ key: String, _ valueName: String, help: String, kind: ValueKind = .string) -> Argument {
            Argument(key: key, valueName: valueName, help: help, kind: kind, isRepeated: true)
        }

        var usageText: String {
            let base = isRepeated ? "\(valueName)..." : valueName
            return isOptional ? "[\(base)]" : base
        }
    }

    /// A named option: a flag (`--json`) or an option with a value (`--seed N`, `--seed=N`).
    public struct Option: Sendable {
        /// The long name without dashes, e.g. "seed"; handlers read the value by this name.
        public var name: String
        public var short: Character?
        /// The placeholder shown in usage and help, e.g. "N"; choices show their words.
        public var valueName: String
        public var help: String
        public var kind: ValueKind
        public var defaultValue: ArgumentValue?
        public var isRequired: Bool

        public init(
            name: String, short: Character? = nil, valueName: String = "", help: String,
            kind: ValueKind, defaultValue: ArgumentValue? = nil, isRequired: Bool = false
        ) {
            self.name = name
            self.short = short
            self.valueName = valueName
            self.help = help
            self.kind = kind
            self.defaultValue = defaultValue
            self.isRequired = isRequired
        }

        public static func flag(_ name: String, short: Character? = nil, help: String) -> Option {
            Option(name: name, short: short, help: help, kind: .flag)
        }

        public static func string(
            _ name: String, short: Character? = nil, valueName: String, help: String,
            default value: String? = nil, required: Bool = false
        ) -> Option {
            Option(name: name, short: short, valueName: valueName, help: help, kind: .string,
                   defaultValue: value.map(ArgumentValue.string), isRequired: required)
        }

        public static func integer(
            _ name: String, valueName: String = "N", in range: ClosedRange<Int> = Int.min...Int.max,
            help: String, default value: Int? = nil
        ) -> Option {
            Option(name: name, valueName: valueName, help: help, kind: .integer(range),
                   defaultValue: value.map(ArgumentValue.integer))
        }

        /// A 64-bit unsigned value, such as `--seed`.
        public static func unsigned(_ name: String, valueName: String = "N", help: String) -> Option {
            Option(name: name, valueName: valueName, help: help, kind: .unsigned)
        }

        public static func number(
            _ name: String, valueName: String, in range: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude,
            help: String, default value: Double? = nil
        ) -> Option {
            Option(name: name, valueName: valueName, help: help, kind: .number(range),
                   defaultValue: value.map(ArgumentValue.number))
        }

        /// `valueName` (the choices joined by `|` when nil) names the value in usage and help; a
        /// long list of choices goes by a name, and the help text lists them.
        public static func choice(
            _ name: String, _ choices: [String], short: Character? = nil, valueName: String? = nil, help: String,
            default value: String? = nil, required: Bool = false
        ) -> Option {
            Option(name: name, short: short, valueName: valueName ?? choices.joined(separator: "|"), help: help,
                   kind: .choice(choices), defaultValue: value.map(ArgumentValue.string), isRequired: required)
        }

        public var takesValue: Bool { kind != .flag }

        /// `--seed N`, `--json`, `-o FILE` (the short form when there is one).
        var usageText: String {
            let spelling = short.map { "-\($0)" } ?? "--\(name)"
            return takesValue ? "\(spelling) \(valueName)" : spelling
        }

        /// `--seed N`, `-o, --output FILE`.
        var helpLabel: String {
            let long = takesValue ? "--\(name) \(valueName)" : "--\(name)"
            if let short { return "-\(short), \(long)" }
            return long
        }
    }
}
