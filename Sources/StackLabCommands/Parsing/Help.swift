/// Renders help text: aligned, wrapped to 80 columns, in the layout of swift-argument-parser.
enum Help {
    static let width = 80

    static let helpOptionRow = ("-h, --help", "Show help information.")

    /// `stacklab --help`.
    static func topLevel(commands: [Command]) -> String {
        var lines: [String] = []
        lines += section("OVERVIEW:", text: "StackLab shows, packet by packet, what IP, TCP, UDP and the protocols on top of them do, on a virtual clock, from a seed.")
        lines.append("")
        lines += usageLines(prefix: "USAGE: ", command: "stacklab", words: ["[COMMAND]", "[OPTIONS]"])
        lines.append("")
        lines += TextLayout.wrap("With no command, stacklab opens the lesson menu.", width: width - 2).map { "  " + $0 }
        lines.append("")
        lines.append("COMMANDS:")
        var rows = commands.map { ($0.name, $0.summary) }
        rows.append(("help", "Show help for a command."))
        lines += TextLayout.twoColumns(rows, width: width)
        lines.append("")
        lines.append("OPTIONS:")
        lines += TextLayout.twoColumns([("--version", "Show the version."), helpOptionRow], width: width)
        lines.append("")
        lines.append("See 'stacklab help COMMAND' for help on a command.")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `stacklab COMMAND --help`.
    static func command(_ command: Command) -> String {
        var lines: [String] = []
        lines += section("OVERVIEW:", text: command.summary)
        if let discussion = command.discussion {
            lines.append("")
            lines += TextLayout.wrap(discussion, width: width - 2).map { $0.isEmpty ? "" : "  " + $0 }
        }
        lines.append("")
        for (i, usage) in usageWords(command).enumerated() {
            lines += usageLines(prefix: i == 0 ? "USAGE: " : "       ", command: "stacklab \(command.name)", words: usage)
        }
        let argumentRows = command.arguments.map { ($0.valueName, $0.help) }
        let optionRows = command.options.map { option in (option.helpLabel, optionHelp(option)) } + [helpOptionRow]
        if !argumentRows.isEmpty {
            lines.append("")
            lines.append("ARGUMENTS:")
            lines += TextLayout.twoColumns(argumentRows, alignWith: argumentRows + optionRows, width: width)
        }
        lines.append("")
        lines.append("OPTIONS:")
        lines += TextLayout.twoColumns(optionRows, alignWith: argumentRows + optionRows, width: width)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The usage lines of a command, as words after `stacklab NAME`.
    static func usageWords(_ command: Command) -> [[String]] {
        if let usage = command.usage {
            return usage.map { $0.split(separator: " ").map(String.init) }
        }
        var words = command.arguments.map(\.usageText)
        for option in command.options {
            words.append(option.isRequired ? option.usageText : "[\(option.usageText)]")
        }
        return [words]
    }

    private static func optionHelp(_ option: Command.Option) -> String {
        guard let value = option.defaultValue else { return option.help }
        let shown: String
        switch value {
        case .flag: return option.help
        case let .string(text): shown = text
        case let .integer(number): shown = String(number)
        case let .unsigned(number): shown = String(number)
        case let .number(number): shown = ArgumentParser.formatNumber(number)
        }
        return option.help + " (default: \(shown))"
    }

    private static func section(_ title: String, text: String) -> [String] {
        let indent = title.count + 1
        let wrapped = TextLayout.wrap(text, width: width - indent)
        return [title + " " + wrapped[0]] + wrapped.dropFirst().map { String(repeating: " ", count: indent) + $0 }
    }

    /// `USAGE: stacklab run SCENARIO [--seed N] ...`, continued under the first argument; a
    /// bracketed group is never split across lines.
    private static func usageLines(prefix: String, command: String, words: [String]) -> [String] {
        let head = prefix + command
        var indent = TextLayout.displayWidth(head) + 1
        if width - indent < 30 { indent = 8 }
        var lines: [String] = []
        var line = head
        for word in words {
            if TextLayout.displayWidth(line) + 1 + TextLayout.displayWidth(word) > width, line.count > indent {
                lines.append(line)
                line = String(repeating: " ", count: indent - 1)
            }
            line += " " + word
        }
        lines.append(line)
        return lines
    }
}
