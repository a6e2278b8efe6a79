/// Turns the words after `stacklab COMMAND` into `ParsedArguments`, or a `UsageError`.
///
/// Rules, after swift-argument-parser:
/// - `--name value` and `--name=value`; `-x value` for options with a short name.
/// - `-h` or `--help` anywhere before `--` asks for help, whatever else is wrong.
/// - `--` ends the options: every later word is positional.
/// - A word that starts with '-' is an option, unless it is `-` alone or a negative number.
/// - An option given twice keeps the last value.
struct ArgumentParser {
    enum Outcome {
        case help
        case arguments(ParsedArguments)
    }

    let command: Command

    func parse(_ words: [String]) -> Result<Outcome, UsageError> {
        do throws(UsageError) {
            return .success(try parseOrThrow(words))
        } catch {
            var located = error
            located.command = command.name
            return .failure(located)
        }
    }

    private func parseOrThrow(_ words: [String]) throws(UsageError) -> Outcome {
        let optionWords = words.prefix { $0 != "--" }
        if optionWords.contains(where: { $0 == "-h" || $0 == "--help" }) {
            return .help
        }

        var given: [String: [ArgumentValue]] = [:]
        var positionals: [String] = []
        var index = 0
        var optionsEnded = false
        while index < words.count {
            let word = words[index]
            index += 1
            if optionsEnded || !Self.looksLikeOption(word) {
                positionals.append(word)
                continue
            }
            if word == "--" {
                optionsEnded = true
                continue
            }
            let (option, spelling, inlineValue) = try resolveOption(word)
            guard option.takesValue else {
                if let inlineValue { throw UsageError(.unexpectedValue(option: spelling, value: inlineValue)) }
                given[option.name, default: []].append(.flag)
                continue
            }
            let text: String
            if let inlineValue {
                text = inlineValue
            } else if index < words.count, !Self.looksLikeOption(words[index]) || takesAsValue(words[index], option) {
                text = words[index]
                index += 1
            } else {
                throw UsageError(.missingValue(option: spelling))
            }
            given[option.name, default: []].append(try Self.parseValue(text, kind: option.kind, name: "--\(option.name)"))
        }

        try assignPositionals(positionals, into: &given)
        for option in command.options where option.isRequired && given[option.name] == nil {
            throw UsageError(.missingOption(option: option.usageText))
        }
        let parsed = ParsedArguments(command: command, given: given)
        if let problem = command.validate?(parsed) { throw problem }
        return .arguments(parsed)
    }

    /// Whether a word that looks like an option is the value of a numeric option instead
    /// (`--rtt -inf`): it names none of this command's options, so it is checked as a number and
    /// refused as one, rather than reported as a missing value.
    private func takesAsValue(_ word: String, _ option: Command.Option) -> Bool {
        switch option.kind {
        case .integer, .unsigned, .number:
            return word != "--" && word != "-h" && word != "--help" && (try? resolveOption(word)) == nil
        case .flag, .string, .choice:
            return false
        }
    }

    /// The option a word names, how the user spelled it, and its `=value` if any.
    private func resolveOption(_ word: String) throws(UsageError) -> (Command.Option, String, String?) {
        if word.hasPrefix("--") {
            let body = word.dropFirst(2)
            let name: String
            let inlineValue: String?
            if let equals = body.firstIndex(of: "=") {
                name = String(body[..<equals])
                inlineValue = String(body[body.index(after: equals)...])
            } else {
                name = String(body)
                inlineValue = nil
            }
            guard let option = command.option(named: name) else {
                let candidates = command.options.map { "--\($0.name)" } + ["--help"]
                let suggestion = Suggestion.nearest(to: "--\(name)", among: candidates)
                throw UsageError(.unknownOption("--\(name)", suggestion: suggestion))
            }
            return (option, "--\(name)", inlineValue)
        }
        // A single dash: `-o` (and `-o=FILE`), or a long name typed with one dash.
        let body = word.dropFirst()
        let head = body.prefix { $0 != "=" }
        let inlineValue = head.count < body.count ? String(body.dropFirst(head.count + 1)) : nil
        if head.count == 1, let short = head.first, let option = command.option(short: short) {
            return (option, "-\(short)", inlineValue)
        }
        let spelling = "-\(head)"
        let longNames = command.options.map { "--\($0.name)" } + ["--help"]
        let suggestion = longNames.first { $0 == "-\(spelling)" }
            ?? Suggestion.nearest(to: spelling, among: command.options.compactMap { $0.short.map { "-\($0)" } } + ["-h"])
        throw UsageError(.unknownOption(spelling, suggestion: suggestion))
    }

    private func assignPositionals(_ words: [String], into given: inout [String: [ArgumentValue]]) throws(UsageError) {
        var index = 0
        for argument in command.arguments {
            if argument.isRepeated {
                let rest = words[index...]
                if rest.isEmpty && !argument.isOptional {
                    throw UsageError(.missingArgument(valueName: argument.valueName))
                }
                for word in rest {
                    given[argument.key, default: []].append(try Self.parseValue(word, kind: argument.kind, name: argument.valueName))
                }
                index = words.count
            } else if index < words.count {
                given[argument.key] = [try Self.parseValue(words[index], kind: argument.kind, name: argument.valueName)]
                index += 1
            } else if !argument.isOptional {
                throw UsageError(.missingArgument(valueName: argument.valueName))
            }
        }
        if index < words.count {
            throw UsageError(.unexpectedArgument(words[index]))
        }
    }

    static func looksLikeOption(_ word: String) -> Bool {
        guard word.hasPrefix("-"), word.count > 1 else { return false }
        let second = word[word.index(after: word.startIndex)]
        return !(second.isASCII && (second.isNumber || second == "."))
    }

    /// Parses and validates one value; `name` is how errors refer to it (`--loss`, `SCENARIO`).
    static func parseValue(_ text: String, kind: ValueKind, name: String) throws(UsageError) -> ArgumentValue {
        switch kind {
        case .flag:
            return .flag
        case .string:
            return .string(text)
        case let .integer(range):
            guard let number = Int(text) else {
                throw UsageError(.invalidValue(name: name, value: text, reason: .notAnInteger))
            }
            guard range.contains(number) else {
                throw UsageError(.invalidValue(name: name, value: text, reason: .outOfRange(
                    lower: range.lowerBound == .min ? nil : String(range.lowerBound),
                    upper: range.upperBound == .max ? nil : String(range.upperBound))))
            }
            return .integer(number)
        case .unsigned:
            guard let number = UInt64(text) else {
                let negative = text.hasPrefix("-") && Int(text) != nil
                throw UsageError(.invalidValue(name: name, value: text, reason: negative
                    ? .outOfRange(lower: "0", upper: String(UInt64.max)) : .notAnInteger))
            }
            return .unsigned(number)
        case let .number(range):
            // Decimal spellings only: Double(_:) would also accept "nan", "inf" and hex floats.
            let allowed = text.allSatisfy { $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }
            guard allowed, let number = Double(text), number.isFinite else {
                throw UsageError(.invalidValue(name: name, value: text, reason: .notANumber))
            }
            guard range.contains(number) else {
                let unbounded = Double.greatestFiniteMagnitude
                throw UsageError(.invalidValue(name: name, value: text, reason: .outOfRange(
                    lower: range.lowerBound <= -unbounded ? nil : formatNumber(range.lowerBound),
                    upper: range.upperBound >= unbounded ? nil : formatNumber(range.upperBound))))
            }
            return .number(number)
        case let .choice(choices):
            guard choices.contains(text) else {
                let suggestion = Suggestion.nearest(to: text, among: choices)
                throw UsageError(.invalidValue(name: name, value: text, reason: .notAChoice(choices, suggestion: suggestion)))
            }
            return .string(text)
        }
    }

    /// `1` rather than `1.0` for whole numbers; Swift's shortest round-trip form otherwise.
    static func formatNumber(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e15 {
            return String(Int(number))
        }
        return number.description
    }
}
