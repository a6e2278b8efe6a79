import Testing
import TestSupport
@testable import Tutor

/// The lesson parser fed 10,000 seeded mutations of the lessons in `Lessons/` (and what fuzzing
/// once crashed it with): no trap, a lesson or errors that each name a line of the file.
@Suite("Lesson parser under seeded mutation")
struct MutationTests {
    @Test func lessonFilesUnderMutation() {
        // The header and the first steps of each lesson: enough of every construct, and small.
        let seeds = Repository.files(in: "Lessons", suffix: ".md").filter { $0.lastPathComponent != "README.md" }
            .map { Repository.head(Repository.bytes($0), lines: 40) }
        let vocabulary = ["## at ", "## when ", "[en]", "[zh]", "title:", "title.zh:", "scenario:", "bytes:", "seed:",
                          "rtt:", "loss:", "focus:", "quiz:", "<!--", "-->", "```", "first", "last", "SYN", "from",
                          "client", "enters", "ESTABLISHED", "calls", "app", "timer fires", "cwnd change", "#99", "ablation:"]
        let tally = MutationTesting.run("lesson", seeds: seeds, seed: 12, kind: .text, vocabulary: vocabulary,
                                        regressions: Repository.fuzzRegressions("lesson")) { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            switch LessonParser.parse(text, file: "m", fileName: "03-m.md") {
            case .success: return .value
            case .failure(let problems):
                let lines = max(1, text.split(separator: "\n", omittingEmptySubsequences: false).count)
                if problems.errors.isEmpty { return .unlocated("a failure without errors") }
                for error in problems.errors where error.line < 1 || error.line > lines || error.file != "m" {
                    return .unlocated(error.description)
                }
                return .located
            }
        }
        #expect(tally.values > 200 && tally.located > 3_000, "\(tally)")
    }
}
