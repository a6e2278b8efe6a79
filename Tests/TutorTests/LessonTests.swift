import Foundation
import Checking
import Stack
import Testing
import Tracing
import Tutor

/// The repository root, found from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let lessonsDirectory = packageRoot.appendingPathComponent("Lessons")

func lessonFiles() throws -> [(name: String, text: String)] {
    let names = try FileManager.default.contentsOfDirectory(atPath: lessonsDirectory.path)
        .filter { $0.hasSuffix(".md") && $0 != "README.md" }.sorted()
    return try names.map { ($0, try String(contentsOf: lessonsDirectory.appendingPathComponent($0), encoding: .utf8)) }
}

/// The kernel traces lessons bind to (`Lessons/captures/*.jsonl`), named as the lessons name them.
func lessonCaptureFiles() throws -> [(name: String, text: String)] {
    let directory = lessonsDirectory.appendingPathComponent("captures")
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".jsonl") }.sorted()
    return try names.map { ("captures/\($0)", try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8)) }
}

/// The lesson of `Lessons/` named `name`, with its capture if it has one.
func loadLesson(_ name: String) throws -> Lesson {
    let file = try #require(try lessonFiles().first { $0.name.hasSuffix("-\(name).md") })
    let lesson = try LessonParser.parse(file.text, file: file.name, fileName: file.name).get()
    return try LessonFolder.attachingCapture(to: lesson, from: Dictionary(uniqueKeysWithValues: try lessonCaptureFiles())).get()
}

func loadRun(_ name: String) throws -> LessonRun {
    try LessonRun(loadLesson(name))
}

/// The runs of a lesson of `Lessons/`: one per part (one for a lesson in one piece).
func loadRuns(_ name: String) throws -> [LessonRun] {
    try LessonRun.parts(loadLesson(name))
}

/// Every lesson of `Lessons/` as its runs, each part's run on its own: what tests that look at
/// one run at a time walk.
func allPartRuns() throws -> [LessonRun] {
    try lessonFiles().flatMap { try loadRuns(String($0.name.dropFirst(3).dropLast(3))) }
}

@Suite struct LessonTests {
    @Test func thereAreSixteenLessons() throws {
        let numbers = try lessonFiles().compactMap { LessonParser.numberAndName(fileName: $0.name)?.number }
        #expect(numbers == Array(1...16))
    }

    @Test(arguments: LessonLanguage.allCases)
    func everyLessonValidatesAndPlaysToItsEnd(language: LessonLanguage) throws {
        for file in try lessonFiles() {
            let lesson = try loadLesson(String(file.name.dropFirst(3).dropLast(3)))
            #expect((5...15).contains(lesson.steps.count), "\(file.name) has \(lesson.steps.count) steps")
            let runs = try LessonRun.parts(lesson)
            let lines = PlainLesson.render(runs, language: language, quiz: true)
            let count = lesson.steps.count
            let last = language == .zh ? "第 \(count)/\(count) 步" : "Step \(count) of \(count)"
            #expect(lines.contains { $0.contains(last) }, "\(file.name) does not reach its last step")
            for line in lines {
                #expect(TextWidth.columns(line) <= 80, "\(file.name): wider than 80 columns: \(line)")
            }
            // Every step's narration appears (its Markdown emphasis rendered, so without the stars).
            for step in lesson.steps {
                let words = String(step.paragraphs(language)[0].filter { $0 != "*" }.prefix(12))
                #expect(lines.joined(separator: " ").contains(words) || words.contains("`"), "\(file.name): narration missing")
            }
        }
    }

    @Test func bindingToAnEventThatNeverHappensNamesFileAndLine() throws {
        let text = """
        title: Broken
        title.zh: 坏的
        scenario: handshake

        ## at first SYN from client
        [en]
        ok
        [zh]
        好

        ## at first RST from server
        [en]
        never
        [zh]
        从不
        """
        let lesson = try LessonParser.parse(text, file: "Lessons/99-broken.md", fileName: "99-broken.md").get()
        #expect(throws: LessonErrors.self) { try LessonRun(lesson) }
        do {
            _ = try LessonRun(lesson)
        } catch {
            #expect(error.errors.count == 1)
            #expect(error.errors[0].description.hasPrefix("Lessons/99-broken.md:11: "))
            #expect(error.errors[0].message.contains("never happens"))
        }
    }

    @Test func formatErrorsNameTheLine() throws {
        let text = "title: T\ntitle.zh: T\nscenario: handshak\nsede: 3\n\n## at the moon\n[en]\nx\n"
        guard case .failure(let errors) = LessonParser.parse(text, file: "f.md", fileName: "01-f.md") else {
            Issue.record("expected errors")
            return
        }
        let text2 = errors.description
        #expect(text2.contains("f.md:3: unknown scenario 'handshak' (did you mean 'handshake'?)"))
        #expect(text2.contains("f.md:4: unknown header key 'sede' (did you mean 'seed'?)"))
        #expect(text2.contains("f.md:6: "))
        #expect(text2.contains("has no [zh] narration"))
    }

    @Test func selectorsParseAndResolve() throws {
        let run = try loadRun("handshake")
        func index(_ heading: String) throws -> Int? {
            try EventSelector.parse(heading).get().resolve(in: run.events, hostNames: run.hostNames)
        }
        func kind(_ heading: String) throws -> TraceEventKind? { try index(heading).map { run.events[$0].kind } }
        let syn = try #require(try index("at first SYN from client"))
        let synAck = try #require(try index("at SYN+ACK from server"))
        let established = try #require(try index("when client enters ESTABLISHED"))
        #expect(syn < synAck && synAck < established)
        guard case .packetSent(let bytes, _)? = try kind("at SYN+ACK from server") else { Issue.record("not a packet"); return }
        #expect(bytes[33] == 0x12)
        guard case .stateChanged(_, .synSent, .established, _)? = try kind("when client enters ESTABLISHED") else {
            Issue.record("not the client's state change")
            return
        }
        guard case .packetSent(let third, _)? = try kind("at packet 3") else { Issue.record("not a packet"); return }
        #expect(third[33] == 0x10)
        #expect(try index("when server calls accept") == run.events.count - 1)
        #expect(try index("at second SYN from client") == nil)
        #expect(throws: SelectorError.self) { try EventSelector.parse("at the moon").get() }
    }
}

@Suite struct StepperTests {
    @Test func forwardBackAndGoToAreExact() throws {
        let run = try loadRun("handshake")
        var stepper = Stepper(run: run)
        let screen = LessonScreen(run: run, language: .en, width: 80, height: 40, color: false)
        let first = screen.render(stepper)
        #expect(first[0].contains("Step 1 of 7"))
        do { let moved = stepper.forward(); #expect(moved) }
        do { let moved = stepper.forward(); #expect(moved) }
        let third = screen.render(stepper)
        #expect(third[0].contains("Step 3 of 7"))
        do { let moved = stepper.back(); #expect(moved) }
        do { let moved = stepper.back(); #expect(moved) }
        do { let moved = stepper.back(); #expect(!moved) }
        #expect(screen.render(stepper) == first)
        do { let moved = stepper.go(to: 3); #expect(moved) }
        #expect(screen.render(stepper) == third)
        do { let moved = stepper.go(to: 8); #expect(!moved) }
        do { let moved = stepper.go(to: 7); #expect(moved) }
        do { let moved = stepper.forward(); #expect(!moved) }
        for line in third { #expect(TextWidth.columns(line) <= 80) }
    }

    @Test func snapshotsFollowTheHandshake() throws {
        let run = try loadRun("handshake")
        // After the client's SYN: SND.NXT = ISS + 1, nothing acknowledged yet.
        let syn = run.eventIndices[1]
        let client = try #require(run.connection("client:49152>server:80", after: syn))
        #expect(client.state == .synSent)
        let sent = try #require(client.variables)
        #expect(sent.sndNXT &- sent.iss == 1)
        #expect(sent.sndUNA == sent.iss)
        #expect(client.timers.map(\.timer) == [.retransmission])
        // Once established, SND.UNA has caught up and the timer is gone.
        let established = run.eventIndices[3]
        let after = try #require(run.connection("client:49152>server:80", after: established))
        #expect(after.state == .established)
        let open = try #require(after.variables)
        #expect(open.sndUNA == open.sndNXT)
        #expect(open.rcvNXT &- open.irs == 1)
        #expect(after.timers.isEmpty)
    }

    @Test func packetPaneHighlightsTheFocusedFieldInBothPlaces() throws {
        let run = try loadRun("handshake")
        var stepper = Stepper(run: run)
        stepper.go(to: 3)  // SYN+ACK, focus tcp.ack
        #expect(stepper.focusField == "tcp.ack")
        let lines = LessonScreen(run: run, language: .en, width: 80, height: 50, color: false).render(stepper)
        #expect(lines.contains { $0.contains("▶ Acknowledgment number:") && $0.contains("(relative 1)") })
        #expect(lines.contains { $0.dropFirst(40).contains("[") && $0.dropFirst(40).contains("]") })
        let colored = LessonScreen(run: run, language: .en, width: 80, height: 50, color: true).render(stepper)
        #expect(colored.filter { $0.contains("\u{1B}[7m") }.count >= 2)
        stepper.moveSelection(by: 1)
        #expect(stepper.focusField == "tcp.offset")
    }

    @Test func quizAnswersComeFromTheTrace() throws {
        let run = try loadRun("handshake")
        var stepper = Stepper(run: run)
        stepper.go(to: 3)
        let flags = try #require(stepper.quiz(.en))
        #expect(flags.choices[flags.answer] == "SYN+ACK")
        stepper.go(to: 4)
        let state = try #require(stepper.quiz(.zh))
        #expect(state.choices[state.answer] == "ESTABLISHED")
        #expect(state.prompt.contains("client"))
    }

    @Test func wrappingCountsChineseAsTwoColumns() {
        #expect(TextWidth.columns("三次握手") == 8)
        let lines = TextWidth.wrap(String(repeating: "客户端发出报文段，", count: 12), width: 40)
        #expect(lines.count > 1)
        for line in lines { #expect(TextWidth.columns(line) <= 40) }
        #expect(!lines.dropFirst().contains { $0.hasPrefix("，") })
    }
}

@Suite("Lesson 9 and the checking catalogue")
struct BreakingTCPLessonTests {
    @Test("lesson 9 names every ablation with the invariant that really catches it, in both languages")
    func namesMatchTheCatalogue() throws {
        let text = try String(contentsOf: lessonsDirectory.appendingPathComponent("09-breaking-tcp.md"), encoding: .utf8)
        let catalogue = Set(Invariant.catalogue.map(\.name))
        for ablation in Ablation.allCases {
            #expect(catalogue.contains(ablation.caughtBy.name), "\(ablation.name)")
            let lines = text.split(separator: "\n").filter { $0.contains(ablation.name) }
            // The English line and the Chinese line (or the lesson's own header for its ablation).
            #expect(lines.filter { $0.contains("`\(ablation.caughtBy.name)`") }.count >= 2, "\(ablation.name) → \(ablation.caughtBy.name)")
        }
    }
}
