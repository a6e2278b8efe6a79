import Testing
@testable import StackLabCommands

private func lines(_ text: String) -> [Substring] {
    text.split(separator: "\n", omittingEmptySubsequences: false)
}

@Suite struct HelpText {
    @Test(arguments: [["--help"], ["-h"], ["help"]])
    func topLevelHelp(_ words: [String]) {
        let result = invoke(words)
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.contains("USAGE: stacklab [COMMAND] [OPTIONS]"))
        for line in lines(result.stdout) {
            #expect(TextLayout.displayWidth(String(line)) <= 80, "too wide: \(line)")
        }
        for command in Command.all {
            // The summary must fit on its line of the command list, unwrapped.
            #expect(result.stdout.contains(" \(command.summary)\n"), "\(command.name)'s summary wraps or is missing")
        }
    }

    @Test(arguments: Command.all.map(\.name))
    func commandHelp(_ name: String) throws {
        let command = try #require(Command.all.first { $0.name == name })
        let result = invoke([name, "--help"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.hasPrefix("OVERVIEW: \(command.summary)"))
        #expect(result.stdout.contains("USAGE: stacklab \(name)"))
        for option in command.options {
            #expect(result.stdout.contains("--\(option.name)"), "--\(option.name) is not in the help")
        }
        for argument in command.arguments {
            #expect(result.stdout.contains(argument.valueName))
        }
        #expect(result.stdout.contains("-h, --help"))
        for line in lines(result.stdout) {
            #expect(TextLayout.displayWidth(String(line)) <= 80, "too wide: \(line)")
            #expect(!line.hasSuffix(" "), "trailing space: \(line)")
        }
        #expect(invoke([name, "-h"]).stdout == result.stdout)
        #expect(invoke(["help", name]).stdout == result.stdout)
    }

    @Test func runUsageWrapsUnderTheFirstArgument() {
        let help = invoke(["run", "--help"]).stdout
        #expect(help.contains("USAGE: stacklab run SCENARIO|FILE [--seed N] [--rtt MS] [--loss P] [--loopback]\n"
            + "                    [--profile textbook|linux|small-buffer]"))
    }

    @Test func optionHelpIsAlignedAndShowsDefaults() {
        let help = invoke(["run", "--help"]).stdout
        #expect(help.contains("\n  --seed N             Seed of the random generator"))
        #expect(help.contains("\n  --json               Print a JSON summary"))
        // An option too long for the column puts its help on the next line, at the column.
        #expect(help.contains("\n  --profile textbook|linux|small-buffer\n                       Stack behaviour"))
        #expect(invoke(["learn", "--help"]).stdout.contains("(default: en)"))
    }

    @Test func helpForAnUnknownCommand() {
        let result = invoke(["help", "rnu"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: unknown command 'rnu'. Did you mean 'run'?\n"))
    }
}
