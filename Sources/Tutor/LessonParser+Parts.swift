extension LessonParser {
    /// A `## part` heading and the `key: value` lines under it, before the part's first step.
    struct PartBlock {
        var line: Int
        /// The index (in the whole lesson) of the part's first step.
        var firstStep: Int
        var keys: [(key: String, value: String, line: Int)]
    }

    /// Whether a `## ` heading opens a part rather than a step.
    static func isPartHeading(_ heading: String) -> Bool {
        let lowered = heading.lowercased()
        return lowered == "part" || lowered.hasPrefix("part ") || lowered.hasPrefix("part:")
    }

    /// Reads the part's lines up to the next `## ` heading: comments, blank lines and `key: value`.
    static func partBlock(_ lines: [String], from index: inout Int, heading: Int, firstStep: Int, inComment: inout Bool,
                          fail: (Int, String) -> Void) -> PartBlock {
        var block = PartBlock(line: heading, firstStep: firstStep, keys: [])
        if lines[heading - 1].dropFirst(3).trimmed().lowercased() != "part" {
            fail(heading, "a part's heading is '## part' alone; its name goes on the lines 'title:' and 'title.zh:' below it")
        }
        while index < lines.count, !lines[index].hasPrefix("## ") {
            let trimmed = lines[index].trimmed()
            let lineNumber = index + 1
            index += 1
            if inComment { if trimmed.hasSuffix("-->") { inComment = false }; continue }
            if trimmed.hasPrefix("<!--") { if !trimmed.hasSuffix("-->") { inComment = true }; continue }
            if trimmed.isEmpty { continue }
            guard let colon = trimmed.firstIndex(of: ":"), !trimmed.hasPrefix("[") else {
                fail(lineNumber, "a part holds only 'key: value' lines (title, title.zh and header keys such as profile, "
                     + "runtime, capture); its steps follow under their own '## at ...' headings")
                continue
            }
            block.keys.append((trimmed[..<colon].trimmed().lowercased(), trimmed[trimmed.index(after: colon)...].trimmed(),
                               lineNumber))
        }
        return block
    }

    /// The lesson's parts: each a copy of the lesson with the header's keys changed by the part's,
    /// its own title and its own steps, checked as a whole header is.
    static func dividing(_ lesson: Lesson, into blocks: [PartBlock], headerRuntimeIsInvalid: Bool,
                         fail: (Int, String) -> Void) -> [Lesson] {
        if let first = blocks.first, first.firstStep > 0 {
            let step = lesson.steps[0]
            fail(step.line, "step '\(step.heading)' comes before the first '## part'; in a lesson in parts every step is in a part")
        }
        var parts: [Lesson] = []
        for (number, block) in blocks.enumerated() {
            let end = number + 1 < blocks.count ? blocks[number + 1].firstStep : lesson.steps.count
            var part = lesson
            part.steps = Array(lesson.steps[block.firstStep..<end])
            part.parts = []
            var info = LessonPart(number: number + 1, count: blocks.count, titles: [:], line: block.line,
                                  firstStep: block.firstStep, lessonSteps: lesson.steps.count)
            var keyLines: [String: Int] = [:]
            var runtimeIsInvalid = block.keys.contains { $0.key == "runtime" } ? false : headerRuntimeIsInvalid
            for (key, value, line) in block.keys {
                switch key {
                case "title", "title.en", "title.zh":
                    if let first = keyLines[key] { fail(line, "duplicate key '\(key)' in this part (first given on line \(first))") }
                    keyLines[key] = line
                    info.titles[key == "title.zh" ? .zh : .en] = value
                default:
                    apply(key: key, value: value, line: line, to: &part, keyLines: &keyLines,
                          runtimeIsInvalid: &runtimeIsInvalid, fail: fail)
                }
            }
            if info.titles[.en] == nil { fail(block.line, "the part has no 'title:'") }
            if info.titles[.zh] == nil { fail(block.line, "the part has no 'title.zh:'") }
            if part.steps.isEmpty { fail(block.line, "the part has no steps ('## at ...' headings after it)") }
            part.part = info
            checkRunKeys(part, runtimeIsInvalid: runtimeIsInvalid, at: block.line, fail: fail)
            parts.append(part)
        }
        return parts
    }
}
