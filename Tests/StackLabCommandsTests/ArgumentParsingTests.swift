import Testing
@testable import StackLabCommands

/// A command with one option of every kind; its handler prints what it parsed.
private let probe = Command(
    name: "probe",
    summary: "Print the parsed arguments.",
    arguments: [
        .required("first", "FIRST", help: "A word."),
        .repeated("rest", "REST", help: "More words."),
    ],
    options: [
        .integer("seed", in: 0...1000, help: "An integer.", default: 1),
        .number("loss", valueName: "P", in: 0...1, help: "A probability."),
        .choice("profile", ["textbook", "linux"], help: "A choice."),
        .string("output", short: "o", valueName: "FILE", help: "A string."),
        .flag("json", help: "A flag."),
    ],
    handler: { arguments, context in
        let loss = arguments.double("loss").map { String($0) } ?? "nil"
        context.stdout.print([
            "first=\(arguments.string("first") ?? "nil")",
            "rest=\(arguments.strings("rest").joined(separator: ","))",
            "seed=\(arguments.int("seed") ?? -1)",
            "seedSet=\(arguments.isSet("seed"))",
            "loss=\(loss)",
            "profile=\(arguments.string("profile") ?? "nil")",
            "output=\(arguments.string("output") ?? "nil")",
            "json=\(arguments.flag("json"))",
        ].joined(separator: " "))
        return 0
    })

private func probe(_ words: [String]) -> Invocation {
    invoke(["probe"] + words, commands: [probe])
}

/// The first line of stderr, which holds the error message.
private func errorLine(_ invocation: Invocation) -> String {
    String(invocation.stderr.split(separator: "\n").first ?? "")
}

@Suite struct OptionKinds {
    @Test func defaultsApplyWhenNothingIsGiven() {
        let result = probe(["a", "b"])
        #expect(result.status == 0)
        #expect(result.stdout == "first=a rest=b seed=1 seedSet=false loss=nil profile=nil output=nil json=false\n")
    }

    @Test func everyKindWithSpaceSeparatedValues() {
        let result = probe(["a", "b", "c", "--seed", "7", "--loss", "0.25", "--profile", "linux", "-o", "out.txt", "--json"])
        #expect(result.status == 0)
        #expect(result.stdout == "first=a rest=b,c seed=7 seedSet=true loss=0.25 profile=linux output=out.txt json=true\n")
    }

    @Test func equalsSignSpelling() {
        let result = probe(["--seed=9", "--loss=1", "--profile=textbook", "--output=x=y", "a", "b"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("seed=9 seedSet=true loss=1.0 profile=textbook output=x=y"))
    }

    @Test func optionsMayComeBetweenPositionals() {
        let result = probe(["a", "--json", "b", "--seed", "3", "c"])
        #expect(result.stdout.contains("first=a rest=b,c seed=3"))
    }

    @Test func theLastValueOfARepeatedOptionWins() {
        #expect(probe(["a", "b", "--seed", "3", "--seed", "4"]).stdout.contains("seed=4"))
    }

    @Test func doubleDashEndsOptions() {
        let result = probe(["a", "--", "--json", "-x"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("rest=--json,-x"))
        #expect(result.stdout.contains("json=false"))
    }

    @Test func aLoneDashAndNegativeNumbersAreValues() {
        #expect(probe(["-", "-5"]).stdout.contains("first=- rest=-5"))
        #expect(errorLine(probe(["a", "b", "--seed", "-5"])) == "error: --seed: -5 is outside [0, 1000]")
    }
}

@Suite struct UsageErrors {
    @Test func missingValueAtTheEnd() {
        let result = probe(["a", "b", "--seed"])
        #expect(result.status == 2)
        #expect(errorLine(result) == "error: --seed: missing value")
        #expect(result.stdout.isEmpty)
    }

    @Test func missingValueBeforeAnotherOption() {
        #expect(errorLine(probe(["a", "b", "--output", "--json"])) == "error: --output: missing value")
    }

    @Test func notAnInteger() {
        let result = probe(["a", "b", "--seed", "abc"])
        #expect(result.status == 2)
        #expect(errorLine(result) == "error: --seed: 'abc' is not an integer")
    }

    @Test func numberOutsideItsRange() {
        let result = invoke(["run", "x", "--loss", "1.5"])
        #expect(result.status == 2)
        #expect(errorLine(result) == "error: --loss: 1.5 is outside [0, 1]")
        #expect(result.stderr.contains("See 'stacklab run --help'."))
    }

    @Test func notANumberRejectsNanAndInfinity() {
        for word in ["nan", "inf", "0x1p3", "1.2.3", ""] {
            #expect(errorLine(probe(["a", "b", "--loss=\(word)"])) == "error: --loss: '\(word)' is not a number")
        }
    }

    @Test func badChoiceSuggestsTheNearest() {
        #expect(errorLine(probe(["a", "b", "--profile", "linx"]))
            == "error: --profile: 'linx' is not one of textbook, linux. Did you mean 'linux'?")
        #expect(errorLine(probe(["a", "b", "--profile", "bsd"])) == "error: --profile: 'bsd' is not one of textbook, linux.")
    }

    @Test func unknownOptionWithSuggestion() {
        let result = probe(["a", "b", "--sed", "3"])
        #expect(result.status == 2)
        #expect(errorLine(result) == "error: unknown option '--sed'. Did you mean '--seed'?")
    }

    @Test func longNameTypedWithOneDash() {
        #expect(errorLine(probe(["a", "b", "-json"])) == "error: unknown option '-json'. Did you mean '--json'?")
    }

    @Test func unknownOptionWithoutSuggestion() {
        #expect(errorLine(probe(["a", "b", "--zzzzzz"])) == "error: unknown option '--zzzzzz'.")
    }

    @Test func flagGivenAValue() {
        #expect(errorLine(probe(["a", "b", "--json=yes"])) == "error: --json takes no value (got 'yes')")
    }

    @Test func missingPositionals() {
        #expect(errorLine(probe([])) == "error: missing argument FIRST")
        #expect(errorLine(probe(["a"])) == "error: missing argument REST")
    }

    @Test func tooManyPositionals() {
        #expect(errorLine(invoke(["bench", "one", "two"])) == "error: unexpected argument 'two'")
    }

    @Test func requiredOption() {
        let command = Command(name: "needs", summary: "Needs --format.",
                              options: [.choice("format", ["ascii", "svg"], help: "What to draw.", required: true)],
                              handler: { _, _ in ExitStatus.success })
        let result = invoke(["needs"], commands: [command])
        #expect(result.status == 2)
        #expect(errorLine(result) == "error: missing option --format ascii|svg")
        #expect(invoke(["needs", "--format", "svg"], commands: [command]).status == 0)
    }

    @Test func commandLevelValidation() {
        #expect(errorLine(invoke(["check", "--trace", "t.jsonl", "--seeds", "5"]))
            == "error: --trace checks one file: it does not take --seeds")
        #expect(invoke(["check", "--trace", "t.jsonl", "--ablate", "zero-isn"]).status == 2)
    }

    @Test func helpWinsOverOtherErrors() {
        let result = probe(["--sed", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: stacklab probe"))
    }
}

@Suite struct Commands {
    @Test func unknownCommandSuggestsTheNearest() {
        let result = invoke(["lesons"])
        #expect(result.status == 2)
        #expect(errorLine(result) == "error: unknown command 'lesons'. Did you mean 'lessons'?")
        #expect(result.stdout.isEmpty)
    }

    @Test func transpositionCountsAsOneEdit() {
        #expect(errorLine(invoke(["chekc"])) == "error: unknown command 'chekc'. Did you mean 'check'?")
    }

    @Test func noSuggestionWhenNothingIsClose() {
        let result = invoke(["bogus"])
        #expect(result.status == 2)
        #expect(errorLine(result) == "error: unknown command 'bogus'.")
    }

    @Test func unknownTopLevelOption() {
        #expect(errorLine(invoke(["--verison"])) == "error: unknown option '--verison'. Did you mean '--version'?")
    }

    @Test func version() {
        let result = invoke(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout == "stacklab 0.1.0\n")
    }

    /// A command is listed only once it works (DESIGN.md): the design's other commands are absent.
    @Test func theTableHasTheCommandsThatWork() {
        #expect(Command.all.map(\.name) == ["lessons", "learn", "export", "scenarios", "run", "diagram", "replay", "check",
                                             "compare", "serve", "bench"])
        // Every command of the design works now; anything else is refused.
        #expect(invoke(["teleport"]).status == 2)
        let run = Command.all.first { $0.name == "run" }
        #expect(run?.options.map(\.name) == ["seed", "rtt", "loss", "loopback", "profile", "bytes", "requests", "messages",
                                              "interval", "max-events", "trace", "pcap", "pcapng", "json", "verbose", "ablate"])
    }

    @Test func handlerErrorsBecomeExitStatuses() {
        let failing = Command(name: "fail", summary: "Fail.", arguments: [.required("how", "HOW", help: "")]) { arguments, _ in
            switch arguments.string("how") {
            case "usage": throw UsageError(.other("bad input"))
            case "failure": throw CommandFailure("check failed", status: 1)
            default: return 0
            }
        }
        let usage = invoke(["fail", "usage"], commands: [failing])
        #expect(usage.status == 2)
        #expect(usage.stderr == "error: bad input\nSee 'stacklab fail --help'.\n")
        let failure = invoke(["fail", "failure"], commands: [failing])
        #expect(failure.status == 1)
        #expect(failure.stderr == "error: check failed\n")
    }
}

@Suite struct Suggestions {
    @Test func editDistance() {
        func distance(_ a: String, _ b: String) -> Int { Suggestion.editDistance(Array(a), Array(b)) }
        #expect(distance("", "abc") == 3)
        #expect(distance("kitten", "sitting") == 3)
        #expect(distance("lesons", "lessons") == 1)
        #expect(distance("ca", "ac") == 1)
        #expect(distance("same", "same") == 0)
    }

    @Test func onlyCloseCandidates() {
        #expect(Suggestion.nearest(to: "rn", among: ["run", "check"]) == "run")
        #expect(Suggestion.nearest(to: "x", among: ["run"]) == nil)
        #expect(Suggestion.nearest(to: "BENCH", among: ["bench"]) == "bench")
        #expect(Suggestion.nearest(to: "serv", among: ["serve", "seed"]) == "serve")
    }
}
