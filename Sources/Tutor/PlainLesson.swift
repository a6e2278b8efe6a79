import Tracing

/// The whole lesson as linear text (`stacklab learn LESSON --plain`, or stdout not a terminal):
/// per step, the events since the previous step, the narration, both endpoints' variables and
/// the packet decoded with its hex bytes. At most `width` columns per line.
public enum PlainLesson {
    /// Lines for the lesson header.
    public static func header(_ run: LessonRun, language: LessonLanguage, width: Int = 80) -> [String] {
        let lesson = run.lesson
        let title = "\(UIText.lesson(lesson.number, language)): \(lesson.title(language))"
        return [title, String(repeating: "=", count: min(width, TextWidth.columns(title))),
                UIText.scenarioLine(run.scenario.name, seed: run.scenario.seed, profile: run.scenario.profile,
                                    ablation: lesson.header.ablation, language), ""]
    }

    /// Lines for step `index` (0-based). With `quiz`, the step's question and its answer come first.
    public static func step(_ run: LessonRun, index: Int, language: LessonLanguage, width: Int = 80, quiz: Bool = false) -> [String] {
        var stepper = Stepper(run: run)
        stepper.go(to: index + 1)
        let step = stepper.step
        let eventIndex = stepper.eventIndex
        var lines: [String] = []
        let label = "── \(UIText.step(index + 1, of: stepper.count, language)) · \(step.heading) "
        let time = " \(EndpointPanel.seconds(run.events[eventIndex].time)) ──"
        let fill = max(2, width - TextWidth.columns(label) - TextWidth.columns(time))
        lines.append(label + String(repeating: "─", count: fill) + time)
        if quiz, let question = stepper.quiz(language) {
            lines.append(question.prompt)
            lines.append("  " + question.choices.enumerated().map { "\($0.offset + 1)) \($0.element)" }.joined(separator: "  "))
            lines.append(UIText.answer(question.choices[question.answer], language))
            lines.append("")
        }
        // The events since the previous step (the last twelve).
        let first = min(eventIndex, index == 0 ? 0 : run.eventIndices[index - 1] + 1)
        var texts = run.run.eventLines()
        if eventIndex < texts.count, texts[eventIndex] == nil {
            // The step's own event is listed even when it is of a kind the listing leaves out.
            texts[eventIndex] = run.run.eventLines(verbose: true)[eventIndex]
        }
        let shown = (first...max(first, eventIndex)).filter { $0 < texts.count && texts[$0] != nil }
        if shown.count > 12 {
            lines.append(language == .zh ? "  …（省略 \(shown.count - 12) 个较早的事件）" : "  … (\(shown.count - 12) earlier events)")
        }
        for i in shown.suffix(12) {
            lines += eventLine(texts[i]!, current: i == eventIndex, width: width)
        }
        lines.append("")
        for paragraph in step.paragraphs(language) {
            let bullet = paragraph.hasPrefix("- ") || paragraph.hasPrefix("* ")
            lines += TextWidth.wrap(paragraph, width: width - 2, indent: bullet ? "  " : "").map { "  " + $0 }
            lines.append("")
        }
        let panels = EndpointPanel.values(run: run, eventIndex: eventIndex, language: language)
        for panel in panels {
            lines.append(TextWidth.trimTrailing("  " + TextWidth.fit(panel.title, 24) + " " + panel.state))
            for row in panel.rows.prefix(4) { lines.append("      " + row) }
        }
        if let bytes = LessonRun.packetBytes(run.events[eventIndex]), let layers = run.layers(at: eventIndex) {
            if !panels.isEmpty { lines.append("") }
            let focus = stepper.focusField
            for layer in layers {
                lines.append("  " + TextWidth.truncate(layer.title, width - 2))
                if let field = layer.fields.first(where: { $0.name == focus }) {
                    lines.append(TextWidth.truncate("    ▶ \(field.label): \(field.value)  [bytes \(field.range.lowerBound)–\(field.range.upperBound - 1)]", width))
                }
            }
            let headerEnd = layers.dropLast().last.map { _ in min(bytes.count, 64) } ?? min(bytes.count, 64)
            let selected = layers.flatMap(\.fields).first { $0.name == focus }?.range
            for entry in PacketDissector.hexLines(Array(bytes.prefix(headerEnd)), bytesPerLine: 16, highlight: selected) {
                lines.append("    " + PacketPane.mark(entry.text, entry.marks, style: ScreenStyle(color: false)))
            }
            if bytes.count > headerEnd {
                lines.append(language == .zh ? "    …（共 \(bytes.count) 字节）" : "    … (\(bytes.count) bytes in all)")
            }
        }
        lines.append("")
        return lines
    }

    /// The whole lesson.
    public static func render(_ run: LessonRun, language: LessonLanguage, width: Int = 80, quiz: Bool = false) -> [String] {
        var lines = header(run, language: language, width: width)
        for index in run.lesson.steps.indices {
            lines += step(run, index: index, language: language, width: width, quiz: quiz)
        }
        return lines
    }

    /// A trace line (`0.010000 server   recv    client:49152 > ...`) laid out compactly and
    /// wrapped to `width` with a hanging indent; the current event is marked `▶`.
    static func eventLine(_ text: String, current: Bool, width: Int) -> [String] {
        // `TIME TAG WHAT` (see TraceTextFormatter).
        let parts = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true).map(String.init)
        guard parts.count == 3 else { return [TextWidth.truncate(text, width)] }
        var time = parts[0]
        if let dot = time.firstIndex(of: "."), time.distance(from: dot, to: time.endIndex) > 4 {
            time = String(time[..<time.index(dot, offsetBy: 4)])
        }
        let rest = parts[2].trimmed()
        let prefix = (current ? "▶ " : "  ") + TextWidth.fit(time, 7) + " " + TextWidth.fit(parts[1], 5) + " "
        let body = TextWidth.wrap(rest, width: width - TextWidth.columns(prefix), indent: "")
        return body.enumerated().map { i, line in
            (i == 0 ? prefix : String(repeating: " ", count: TextWidth.columns(prefix) + 2)) + line
        }
    }
}
