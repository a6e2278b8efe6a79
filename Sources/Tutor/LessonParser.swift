import Apps
import Rendering
import Stack
import Tracing

/// Reads the lesson format (`Lessons/README.md`): a header of `key: value` lines, then steps
/// headed `## at ...` / `## when ...`, each with optional `focus:` and `quiz:` lines and a
/// narration block per language opened by a line `[en]` or `[zh]`.
public enum LessonParser {
    /// Header keys a lesson may use (a part may use them too, the titles naming the part).
    public static let headerKeys = ["title", "title.en", "title.zh", "scenario", "seed", "profile", "rtt", "loss", "bytes",
                                    "corrupt", "reorder", "duplicate", "jitter", "ablation", "isn", "runtime", "capture"]

    /// Why `path` cannot name a capture file, or nil: it is relative, inside the lesson folder, and
    /// a JSON Lines trace.
    static func captureProblem(_ path: String) -> String? {
        if path.hasPrefix("/") { return "capture is a path relative to the lesson folder, not '\(path)'" }
        if path.split(separator: "/").contains("..") { return "capture stays inside the lesson folder: no '..' in '\(path)'" }
        if !path.hasSuffix(".jsonl") { return "capture is a trace file ending in .jsonl (as 'stacklab replay --trace' writes), not '\(path)'" }
        return nil
    }

    /// `NN-name.md` → (NN, name), or nil.
    public static func numberAndName(fileName: String) -> (number: Int, name: String)? {
        guard fileName.hasSuffix(".md") else { return nil }
        let stem = fileName.dropLast(3)
        guard let dash = stem.firstIndex(of: "-"), let number = Int(stem[..<dash]) else { return nil }
        let name = String(stem[stem.index(after: dash)...])
        guard !name.isEmpty else { return nil }
        return (number, name)
    }

    /// Parses one lesson file. `file` is the path used in error messages, `fileName` its last
    /// component (`03-handshake.md`). Collects every problem it can rather than stopping at the first.
    public static func parse(_ text: String, file: String, fileName: String) -> Result<Lesson, LessonErrors> {
        var errors: [LessonError] = []
        func fail(_ line: Int, _ message: String) { errors.append(LessonError(file: file, line: line, message: message)) }

        let numbered = numberAndName(fileName: fileName)
        if numbered == nil { fail(1, "a lesson file is named NN-name.md (e.g. 03-handshake.md), not '\(fileName)'") }
        var lesson = Lesson(file: file, number: numbered?.number ?? 0, name: numbered?.name ?? fileName,
                            titles: [:], scenarioName: nil, inlineScenario: nil, header: LessonHeader(), steps: [],
                            captureText: nil)

        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var line = String(line)
            if line.hasSuffix("\r") { line.removeLast() }
            return line
        }
        // Lesson text reaches terminals: no control characters (tabs are fine).
        for (offset, line) in lines.enumerated() {
            if let unsafe = SafeText.firstControl(line[...]) {
                fail(offset + 1, "control character \(SafeText.name(unsafe.scalar)) at column \(unsafe.column) "
                     + "is not allowed in a lesson")
            }
        }
        var index = 0
        var runtimeIsInvalid = false
        var headerKeyLines: [String: Int] = [:]
        var inComment = false
        // Header: everything before the first `## `.
        while index < lines.count, !lines[index].hasPrefix("## ") {
            let line = lines[index]
            let lineNumber = index + 1
            index += 1
            let trimmed = line.trimmed()
            if inComment { if trimmed.hasSuffix("-->") { inComment = false }; continue }
            if trimmed.hasPrefix("<!--") { if !trimmed.hasSuffix("-->") { inComment = true }; continue }
            if trimmed.isEmpty || trimmed.hasPrefix("# ") { continue }
            if trimmed.hasPrefix("```") {
                // Inline scenario block: ```scenario ... ```
                var body: [String] = []
                let start = lineNumber
                var closed = false
                while index < lines.count {
                    let inner = lines[index]
                    index += 1
                    if inner.trimmed().hasPrefix("```") { closed = true; break }
                    body.append(inner)
                }
                if !closed { fail(start, "the scenario block opened here is not closed with ```") }
                lesson.inlineScenario = (body.joined(separator: "\n"), start + 1)
                continue
            }
            guard let colon = trimmed.firstIndex(of: ":") else {
                fail(lineNumber, "expected 'key: value' in the header (keys: \(headerKeys.joined(separator: ", ")))")
                continue
            }
            let key = trimmed[..<colon].trimmed().lowercased()
            let value = trimmed[trimmed.index(after: colon)...].trimmed()
            apply(key: key, value: value, line: lineNumber, to: &lesson, keyLines: &headerKeyLines,
                  runtimeIsInvalid: &runtimeIsInvalid, fail: fail)
        }
        if lesson.titles[.en] == nil { fail(1, "the header has no 'title:'") }
        if lesson.titles[.zh] == nil { fail(1, "the header has no 'title.zh:'") }

        // Steps, and the `## part` headings that divide them.
        var parts: [PartBlock] = []
        while index < lines.count {
            let heading = String(lines[index].dropFirst(3)).trimmed()
            let headingLine = index + 1
            index += 1
            if isPartHeading(heading) {
                parts.append(partBlock(lines, from: &index, heading: headingLine, firstStep: lesson.steps.count,
                                       inComment: &inComment, fail: fail))
                continue
            }
            var step = LessonStep(heading: heading, binding: EventSelector(ordinal: .nth(1), target: .start), line: headingLine,
                                  focus: nil, focusLine: nil, quiz: nil, quizLine: nil, narration: [:])
            switch EventSelector.parse(heading) {
            case .success(let selector): step.binding = selector
            case .failure(let error): fail(headingLine, error.message)
            }
            var language: LessonLanguage?
            var paragraphs: [LessonLanguage: [String]] = [:]
            var current: [String] = []
            func endParagraph() {
                if let language, !current.isEmpty { paragraphs[language, default: []].append(current.joined(separator: " ")) }
                current = []
            }
            while index < lines.count, !lines[index].hasPrefix("## ") {
                let line = lines[index]
                let lineNumber = index + 1
                index += 1
                let trimmed = line.trimmed()
                if inComment { if trimmed.hasSuffix("-->") { inComment = false }; continue }
                if trimmed.hasPrefix("<!--") { if !trimmed.hasSuffix("-->") { inComment = true }; continue }
                if trimmed.hasPrefix("[") && trimmed.hasSuffix("]") && trimmed.count <= 6 {
                    endParagraph()
                    let code = String(trimmed.dropFirst().dropLast())
                    guard let parsed = LessonLanguage(rawValue: code) else {
                        fail(lineNumber, "unknown language '[\(code)]'; languages: [en], [zh]")
                        language = nil
                        continue
                    }
                    if paragraphs[parsed] != nil { fail(lineNumber, "this step already has a [\(code)] block") }
                    language = parsed
                    paragraphs[parsed, default: []] = paragraphs[parsed] ?? []
                    continue
                }
                if language == nil {
                    if trimmed.isEmpty { continue }
                    if trimmed.lowercased().hasPrefix("focus:") {
                        step.focus = String(trimmed.dropFirst(6)).trimmed()
                        step.focusLine = lineNumber
                        if !PacketDissector.fieldNames.contains(step.focus!) {
                            fail(lineNumber, "unknown field '\(step.focus!)'; fields: \(PacketDissector.fieldNames.joined(separator: ", "))")
                        }
                    } else if trimmed.lowercased().hasPrefix("quiz:") {
                        let value = String(trimmed.dropFirst(5)).trimmed()
                        step.quizLine = lineNumber
                        if let kind = QuizKind(rawValue: value) { step.quiz = kind } else {
                            fail(lineNumber, "quiz is 'flags' (the step's segment) or 'state' (the state the step enters), not '\(value)'")
                        }
                    } else {
                        fail(lineNumber, "narration goes after a language line [en] or [zh]; before it only 'focus:' and 'quiz:' may appear")
                    }
                    continue
                }
                if trimmed.isEmpty { endParagraph(); continue }
                if trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") { endParagraph() }
                current.append(trimmed)
            }
            endParagraph()
            for language in LessonLanguage.allCases where (paragraphs[language] ?? []).isEmpty {
                fail(headingLine, "step '\(heading)' has no [\(language.rawValue)] narration")
            }
            step.narration = paragraphs
            lesson.steps.append(step)
        }
        if lesson.steps.isEmpty { fail(max(lines.count, 1), "the lesson has no steps ('## at ...' headings)") }
        if parts.isEmpty {
            checkRunKeys(lesson, runtimeIsInvalid: runtimeIsInvalid, at: 1, fail: fail)
        } else {
            lesson.parts = dividing(lesson, into: parts, headerRuntimeIsInvalid: runtimeIsInvalid, fail: fail)
        }
        // A header problem every part inherits is said once.
        var seen = Set<LessonError>()
        errors = errors.filter { seen.insert($0).inserted }
        return errors.isEmpty ? .success(lesson) : .failure(LessonErrors(errors: errors))
    }

    static func probabilityPPM(_ value: String) -> Int? {
        if value.hasSuffix("%") {
            guard let percent = Double(value.dropLast().trimmed()), percent >= 0, percent <= 100 else { return nil }
            return Int((percent * 10_000).rounded())
        }
        guard let p = Double(value), p >= 0, p <= 1 else { return nil }
        return Int((p * 1_000_000).rounded())
    }

    /// The candidate within two edits of `word`, for "did you mean".
    static func nearest(_ word: String, _ candidates: [String]) -> String? {
        var best: (String, Int)?
        // The distance is at least the difference in length: a long word (a hostile file's long
        // line) is compared with nothing, so a suggestion costs little whatever the input.
        let wordLength = word.count
        for candidate in candidates where abs(candidate.count - wordLength) <= 2 {
            let d = distance(Array(word.lowercased()), Array(candidate.lowercased()))
            if d <= 2, d < (best?.1 ?? .max) { best = (candidate, d) }
        }
        return best?.0
    }

    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// Every problem found in one lesson file.
public struct LessonErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [LessonError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

extension StringProtocol {
    func trimmed() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }

    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : String(self)
    }
}
