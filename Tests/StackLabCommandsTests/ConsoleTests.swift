import Testing
@testable import StackLabCommands

@Suite struct Colour {
    @Test func colourOnlyOnATerminal() {
        #expect(ColorPolicy.allowsColor(isTerminal: true, environment: [:]))
        #expect(!ColorPolicy.allowsColor(isTerminal: false, environment: [:]))
    }

    @Test func noColorSetToAnythingDisablesIt() {
        #expect(!ColorPolicy.allowsColor(isTerminal: true, environment: ["NO_COLOR": "1"]))
        #expect(!ColorPolicy.allowsColor(isTerminal: true, environment: ["NO_COLOR": "0"]))
        // no-color.org: an empty value does not count.
        #expect(ColorPolicy.allowsColor(isTerminal: true, environment: ["NO_COLOR": ""]))
    }

    @Test func dumbTerminalDisablesIt() {
        #expect(!ColorPolicy.allowsColor(isTerminal: true, environment: ["TERM": "dumb"]))
        #expect(ColorPolicy.allowsColor(isTerminal: true, environment: ["TERM": "xterm-256color"]))
    }

    @Test func errorsAreStyledOnATerminal() {
        let result = invoke(["bogus"], isTerminal: true)
        #expect(result.stderr.contains("\u{1B}["))
    }

    @Test func noColorLeavesNoEscapeBytes() {
        for environment in [["NO_COLOR": "1"], ["TERM": "dumb"]] {
            for words in [["bogus"], ["--help"], ["run", "--help"], ["run", "x", "--loss", "2"]] {
                let result = invoke(words, isTerminal: true, environment: environment)
                #expect(!result.stdout.utf8.contains(0x1B))
                #expect(!result.stderr.utf8.contains(0x1B))
            }
        }
    }

    @Test func stylesAreNoOpsWithoutColour() {
        let plain = Console(sink: StringSink(), isTerminal: false, allowsColor: false)
        #expect(plain.bold("x") == "x")
        #expect(plain.red("x") == "x")
        let coloured = Console(sink: StringSink(), isTerminal: true, allowsColor: true)
        #expect(coloured.red("x") == "\u{1B}[31mx\u{1B}[0m")
        #expect(coloured.style("x", .bold, .green) == "\u{1B}[1;32mx\u{1B}[0m")
    }
}

@Suite struct Tables {
    @Test func numbersAlignRightAndTextLeft() {
        let table = Table(
            columns: [Table.Column("scenario"), Table.Column("segments"), Table.Column("time")],
            rows: [["handshake", "3", "1.5 ms"], ["http-short", "120", "200 ms"]])
        #expect(table.render() == [
            "scenario    segments    time",
            "handshake          3  1.5 ms",
            "http-short       120  200 ms",
        ])
    }

    @Test func explicitAlignmentAndMissingCells() {
        let table = Table(columns: [Table.Column("a", alignment: .right), Table.Column("b")], rows: [["x"], ["yyy", "z"]])
        #expect(table.render() == ["  a  b", "  x", "yyy  z"])
    }

    @Test func wideTablesAreCutToFit() {
        let long = String(repeating: "word ", count: 30)
        let table = Table(columns: [Table.Column("name"), Table.Column("note"), Table.Column("n")],
                          rows: [["short", long, "12345"]])
        let lines = table.render(width: 80)
        for line in lines {
            #expect(TextLayout.displayWidth(line) <= 80)
        }
        #expect(lines[1].hasSuffix("…  12345"))
    }

    @Test func wideCharactersCountTwice() {
        #expect(TextLayout.displayWidth("握手") == 4)
        let table = Table(rows: [["握手", "1"], ["ab", "22"]])
        #expect(table.render() == ["握手   1", "ab    22"])
    }

    @Test func numericCells() {
        for cell in ["42", "-3.5", "1,024", "12.5 ms", "3%", "2.0x"] {
            #expect(Table.looksNumeric(cell), "\(cell)")
        }
        for cell in ["abc", "ms", "-", "v1"] {
            #expect(!Table.looksNumeric(cell), "\(cell)")
        }
    }
}

@Suite struct Wrapping {
    @Test func wrapsAtWordBoundaries() {
        #expect(TextLayout.wrap("aa bb cc", width: 5) == ["aa bb", "cc"])
        #expect(TextLayout.wrap("a\n\nb", width: 10) == ["a", "", "b"])
        #expect(TextLayout.wrap("toolongword x", width: 4) == ["toolongword", "x"])
    }
}
