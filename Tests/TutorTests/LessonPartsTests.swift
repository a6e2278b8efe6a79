import Testing
import Tracing
@testable import Tutor

/// Lessons in parts (`## part`): the header's keys changed part by part, each part run on its own,
/// the steps numbered through the lesson; and every bad part named with its line.
@Suite struct LessonPartsTests {
    static let header = """
        title: Parts
        title.zh: 部分
        scenario: teardown-server-first

        """

    static func step(_ heading: String) -> String {
        "## \(heading)\n[en]\nText.\n[zh]\n文字。\n\n"
    }

    static func parse(_ text: String) -> Result<Lesson, LessonErrors> {
        LessonParser.parse(text, file: "L/01-parts.md", fileName: "01-parts.md")
    }

    static func problems(_ text: String) -> [String] {
        guard case .failure(let errors) = parse(text) else { return [] }
        return errors.errors.map(\.description)
    }

    @Test func eachPartChangesOnlyTheKeysItNames() throws {
        let text = Self.header + "seed: 7\n\n## part\ntitle: One\ntitle.zh: 一\nprofile: textbook\n\n"
            + Self.step("at first FIN from server") + "## part\ntitle: Two\ntitle.zh: 二\nprofile: linux\nscenario: request-response\n\n"
            + Self.step("at first data from client") + Self.step("at last ACK from server")
        let lesson = try Self.parse(text).get()
        #expect(lesson.parts.count == 2)
        #expect(lesson.steps.count == 3)
        #expect(lesson.parts.map(\.steps.count) == [1, 2])
        #expect(lesson.parts.map { $0.header.overrides.profile } == [.textbook, .linux])
        #expect(lesson.parts.map(\.scenarioName) == ["teardown-server-first", "request-response"])
        #expect(lesson.parts.map { $0.header.overrides.seed } == [7, 7])
        #expect(lesson.parts[1].part == LessonPart(number: 2, count: 2, titles: [.en: "Two", .zh: "二"], line: 17,
                                                   firstStep: 1, lessonSteps: 3))
        #expect(throws: LessonErrors.self) { try LessonRun(lesson) }
        let runs = try LessonRun.parts(lesson)
        #expect(runs.map(\.scenario.profile) == [.textbook, .linux])
        var stepper = Stepper(runs: runs)
        #expect(stepper.count == 3)
        stepper.go(to: 2)
        #expect(stepper.partIndex == 1 && stepper.indexInPart == 0)
        let screen = LessonScreen(run: stepper.run, language: .en, width: 80, height: 24, color: false).render(stepper)
        #expect(screen[0].contains("Step 2 of 3"))
        #expect(screen[1].contains("Two · at first data from client"))
    }

    @Test func badPartsAreNamedWithTheirLines() {
        let unknownProfile = Self.header + "## part\ntitle: A\ntitle.zh: 甲\nprofile: bsd\n\n" + Self.step("at first FIN from server")
        #expect(Self.problems(unknownProfile).count == 1)
        #expect(Self.problems(unknownProfile).first?.hasPrefix("L/01-parts.md:7: profile is one of textbook, linux") == true)

        let noCapture = Self.header + "## part\ntitle: A\ntitle.zh: 甲\nruntime: kernel\n\n" + Self.step("at first FIN from server")
        #expect(Self.problems(noCapture).first?.hasPrefix("L/01-parts.md:7: 'runtime: kernel' needs 'capture:") == true)

        let untitled = Self.header + "## part\nprofile: linux\n\n" + Self.step("at first FIN from server")
        #expect(Self.problems(untitled) == ["L/01-parts.md:4: the part has no 'title:'", "L/01-parts.md:4: the part has no 'title.zh:'"])

        let stepFirst = Self.header + Self.step("at first FIN from server") + "## part\ntitle: A\ntitle.zh: 甲\n\n"
            + Self.step("at last ACK from server")
        #expect(Self.problems(stepFirst) == ["L/01-parts.md:4: step 'at first FIN from server' comes before the first "
                                             + "'## part'; in a lesson in parts every step is in a part"])

        let empty = Self.header + "## part\ntitle: A\ntitle.zh: 甲\n\n## part\ntitle: B\ntitle.zh: 乙\n\n"
            + Self.step("at first FIN from server")
        #expect(Self.problems(empty) == ["L/01-parts.md:4: the part has no steps ('## at ...' headings after it)"])

        let named = Self.header + "## part two\ntitle: A\ntitle.zh: 甲\nnarration here\n\n" + Self.step("at first FIN from server")
        #expect(Self.problems(named) == [
            "L/01-parts.md:4: a part's heading is '## part' alone; its name goes on the lines 'title:' and 'title.zh:' below it",
            "L/01-parts.md:7: a part holds only 'key: value' lines (title, title.zh and header keys such as profile, "
                + "runtime, capture); its steps follow under their own '## at ...' headings",
        ])
    }

    @Test func aPartsMissingCaptureIsNamedWithItsLine() throws {
        let text = Self.header + "## part\ntitle: A\ntitle.zh: 甲\nruntime: kernel\ncapture: captures/x.jsonl\n\n"
            + Self.step("at first FIN from server")
        let folder = LessonFolder.parse([(path: "L/01-parts.md", name: "01-parts.md", text: text)])
        #expect(folder.lessons.isEmpty)
        #expect(folder.errors.map(\.description).first?.hasPrefix("L/01-parts.md:8: the capture 'captures/x.jsonl' is not in the lesson folder") == true)
    }
}
