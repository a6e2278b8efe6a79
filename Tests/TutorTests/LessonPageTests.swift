import Foundation
import Rendering
import Testing
import Tracing
@testable import Tutor

/// The lesson page carries the terminal stepper's model: what `stacklab learn` shows at each
/// step (panels, heading, packet fields, quiz) is what the page's data says, in both languages.
@Suite struct LessonPageTests {
    static func data(_ html: String) throws -> JSONValue {
        let open = "<script type=\"application/json\" id=\"lesson-data\">"
        let start = try #require(html.range(of: open))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        return try JSONParser().parse(String(html[start.upperBound..<end.lowerBound]))
    }

    @Test(arguments: LessonLanguage.allCases)
    func thePageSaysWhatTheTerminalShows(language: LessonLanguage) throws {
        for file in try lessonFiles() {
            let runs = try loadRuns(String(file.name.dropFirst(3).dropLast(3)))
            let data = try Self.data(LessonPage.render(runs, languages: [language]))
            let steps = try #require(data["steps"]?.arrayValue)
            #expect(steps.count == Stepper(runs: runs).count)
            for (index, step) in steps.enumerated() {
                let words = try #require(step["text"]?[language.rawValue])
                // The plain lesson is the terminal stepper's text, step by step.
                var stepper = Stepper(runs: runs)
                stepper.go(to: index + 1)
                let plain = PlainLesson.step(stepper, language: language, width: 400).joined(separator: "\n")
                #expect(step["event"]?.intValue == Int64(stepper.eventIndex))
                #expect(step["part"]?.intValue == Int64(stepper.partIndex))
                let heading = try #require(words["heading"]?.stringValue)
                #expect(plain.contains(heading), "\(file.name) step \(index + 1): heading \(heading)")
                for panel in words["panels"]?.arrayValue ?? [] {
                    let title = panel["title"]?.stringValue ?? "", state = panel["state"]?.stringValue ?? ""
                    #expect(plain.contains(title) && plain.contains(state),
                            "\(file.name) step \(index + 1): \(title) \(state)")
                    for field in panel["fields"]?.arrayValue ?? [] {
                        let text = "\(field[0]?.stringValue ?? "") \(field[1]?.stringValue ?? "")"
                        #expect(plain.contains(text), "\(file.name) step \(index + 1): \(title) \(text)")
                    }
                }
                // The focused field, as the terminal marks it with ▶.
                if let focus = stepper.focusField, let layers = words["layers"]?.arrayValue {
                    let fields = layers.flatMap { $0["fields"]?.arrayValue ?? [] }
                    let field = try #require(fields.first { $0[0]?.stringValue == focus })
                    #expect(plain.contains(": \(field[1]?.stringValue ?? "")  ["),
                            "\(file.name) step \(index + 1): \(focus)")
                }
                // The quiz: the same question, choices and answer.
                if let question = stepper.quiz(language) {
                    let quiz = try #require(words["quiz"])
                    #expect(quiz["prompt"]?.stringValue == question.prompt)
                    #expect(quiz["choices"]?.arrayValue?.compactMap(\.stringValue) == question.choices)
                    #expect(quiz["answer"]?.intValue == Int64(question.answer))
                    #expect(step["before"] != nil)
                } else {
                    #expect(words["quiz"] == nil && step["before"] == nil)
                }
            }
        }
    }

    /// The ladder marks the packet a step is about: the client's FIN where the server enters
    /// CLOSE-WAIT, the segment itself where a step is bound to one.
    @Test func theMarkedPacketIsTheOneTheStepIsAbout() throws {
        let run = try loadRun("teardown")
        let steps = try #require(try Self.data(LessonPage.render(run))["steps"]?.arrayValue)
        let finFromClient = try #require(run.events.firstIndex { event in
            guard event.node == "client", let bytes = LessonRun.packetBytes(event), case .packetSent = event.kind else {
                return false
            }
            return bytes[33] & 0x01 != 0
        })
        let about = ["at first FIN from client", "when server enters CLOSE-WAIT"]
        for (index, step) in run.lesson.steps.enumerated() where about.contains(step.heading) {
            let ladder = try #require(steps[index]["ladder"])
            #expect(ladder["flight"]?.intValue == Int64(finFromClient), "\(step.heading)")
            #expect(ladder["marked"]?["from"] == "client")
            #expect(ladder["marked"]?["to"] == "server")
        }
    }

    /// Every lesson, in both languages, fits in 300 KB (the longest has 12 steps).
    @Test func everyPageIsSmall() throws {
        var sizes: [String] = []
        for file in try lessonFiles() {
            let runs = try loadRuns(String(file.name.dropFirst(3).dropLast(3)))
            let page = LessonPage.render(runs)
            #expect(page.utf8.count < 300_000, "\(file.name): \(page.utf8.count) bytes")
            #expect(page == LessonPage.render(runs), "\(file.name) is not the same twice")
            sizes.append("\(runs[0].lesson.name) \(Stepper(runs: runs).count) steps \(page.utf8.count / 1000) kB")
        }
        print("lesson pages (both languages): " + sizes.joined(separator: ", "))
    }

    /// Narration and titles are text, whatever they hold: escaped in the markup, intact in the data.
    @Test func narrationCannotBreakOutOfThePage() throws {
        let hostile = #"</script><img src=x onerror="alert(1)"> & <!-- 'quotes' \#u{2028}"#
        let text = "title: <b>Bold</b> & \"quoted\"\ntitle.zh: 标题 </script>\nscenario: handshake\n\n"
            + "## at first SYN from client\n[en]\n\(hostile)\n[zh]\n中文 \(hostile)\n"
        let lesson = try LessonParser.parse(text, file: "01-hostile.md", fileName: "01-hostile.md").get()
        let page = LessonPage.render(try LessonRun(lesson))
        #expect(page.components(separatedBy: "</script>").count == 3)
        #expect(!page.contains("<img") && !page.contains("<b>"))
        #expect(page.contains("<title>Lesson 1 · &lt;b&gt;Bold&lt;/b&gt; &amp; &quot;quoted&quot;</title>"))
        let narration = try #require(try Self.data(page)["steps"]?[0]?["text"]?["en"]?["narration"]?[0]?["spans"])
        #expect(narration.arrayValue?.compactMap { $0[1]?.stringValue }.joined() == hostile)
    }

    /// In the pcapng, each step's narration follows its event's own comment, and the steps read
    /// in order, in every lesson.
    @Test func theNarrationReadsInStepOrderInEveryCapture() throws {
        for file in try lessonFiles() {
            let runs = try loadRuns(String(file.name.dropFirst(3).dropLast(3)))
            let total = Stepper(runs: runs).count
            var first = 1
            for run in runs {
            defer { first += run.lesson.steps.count }
            let extra = LessonPcapng.comments(run, languages: [.en], firstStep: first, of: total)
            let comments = TracePcapng.comments(of: run.trace, extraComments: extra).flatMap(\.comments)
            let steps = comments.filter { $0.hasPrefix("Step ") }
            let count = run.lesson.steps.count
            let numbers = steps.map { String($0.prefix { $0 != "·" }) }
            #expect(numbers == (first..<first + count).map { "Step \($0) of \(total) " }, "\(file.name)")
            // After the event's own comment, when the event has one.
            let plain = TracePcapng.comments(of: run.trace).flatMap(\.comments)
            let owners = TracePcapng.packetOwners(in: run.trace)
            for (index, event) in run.eventIndices.enumerated() {
                guard case .stateChanged(let connection, let from, let to, let cause) = run.events[event].kind,
                      owners[event] != nil else { continue }
                let own = "\(connection): \(from) → \(to) (\(cause))"
                #expect(plain.contains(own))
                let ownAt = try #require(comments.firstIndex(of: own))
                let narrationAt = try #require(comments.firstIndex { $0.hasPrefix("Step \(first + index) of ") })
                #expect(ownAt < narrationAt, "\(file.name) step \(first + index)")
            }
            }
        }
    }
}
