import Rendering
import Tracing

/// The whole lesson as linear text (`stacklab learn LESSON --plain`, or stdout not a terminal):
/// per step, the events since the previous step, the narration, both endpoints' variables and
/// the packet decoded with its hex bytes. At most `width` columns per line.
public enum PlainLesson {
    /// Lines for the lesson header (for a lesson in parts, each part's scenario comes with its first step).
    public static func header(_ runs: [LessonRun], language: LessonLanguage, width: Int = 80) -> [String] {
        let lesson = runs[0].lesson
        let title = "\(UIText.lesson(lesson.number, language)): \(lesson.title(language))"
        let scenario = lesson.part == nil ? TextWidth.wrap(UIText.scenarioLine(runs[0], language), width: width) : []
        return [title, String(repeating: "=", count: min(width, TextWidth.columns(title)))] + scenario + [""]
    }

    public static func header(_ run: LessonRun, language: LessonLanguage, width: Int = 80) -> [String] {
        header([run], language: language, width: width)
    }

    /// Lines for step `index` (0-based) of a lesson in one piece.
    public static func step(_ run: LessonRun, index: Int, language: LessonLanguage, width: Int = 80, quiz: Bool = false,
                            sequence: SequenceDisplay? = nil) -> [String] {
        var stepper = Stepper(run: run)
        stepper.go(to: index + 1)
        return step(stepper, language: language, width: width, quiz: quiz, sequence: sequence)
    }

    /// Lines for the stepper's step; the first step of a part opens with the part's title and
    /// scenario. With `quiz`, the step's question and its answer come first.
    public static func step(_ stepper: Stepper, language: LessonLanguage, width: Int = 80, quiz: Bool = false,
                            sequence: SequenceDisplay? = nil) -> [String] {
        let run = stepper.run
        let index = stepper.indexInPart
        let sequence = sequence ?? run.lesson.header.sequence ?? .relative
        let step = stepper.step
        let eventIndex = stepper.eventIndex
        var lines: [String] = []
        if let part = run.lesson.part, index == 0 {
            let title = UIText.part(part, language)
            lines += TextWidth.wrap(title, width: width) + [String(repeating: "-", count: min(width, TextWidth.columns(title)))]
            lines += TextWidth.wrap(UIText.scenarioLine(run, language), width: width) + [""]
        }
        let label = "── \(UIText.step(stepper.index + 1, of: stepper.count, language)) · "
            + "\(UIText.heading(StepHeading.text(step, language), in: run.lesson, language)) "
        let time = " \(LocalizedTerms.duration(run.events[eventIndex].time, language)) ──"
        let fill = max(2, width - TextWidth.columns(label) - TextWidth.columns(time))
        lines += TextWidth.wrap(label + String(repeating: "─", count: fill) + time, width: width)
        if quiz, let question = stepper.quiz(language) {
            lines.append(question.prompt)
            lines += TextWidth.wrap("  " + question.choices.enumerated().map { "\($0.offset + 1)) \($0.element)" }
                .joined(separator: "  "), width: width, indent: "  ")
            lines.append(UIText.answer(question.choices[question.answer], language))
            lines.append("")
        }
        // The events since the previous step (the last twelve), runs of look-alikes shortened.
        let texts = EventText(run: run, language: language, sequence: sequence)
        let first = min(eventIndex, index == 0 ? 0 : run.eventIndices[index - 1] + 1)
        let shown = (first...max(first, eventIndex)).filter { $0 == eventIndex || EventText.isListed(run.events[$0].kind) }
        var entries = EventRuns.shorten(shown.map { (index: $0, line: texts.line($0)) }, keeping: eventIndex)
        if entries.count > 12 {
            let hidden = entries.count - 12
            entries = Array(entries.suffix(12))
            lines.append(language == .zh ? "  …（省略 \(hidden) 个较早的事件）" : "  … (\(hidden) earlier events)")
        }
        for entry in entries {
            switch entry {
            case .event(let i, let line):
                lines += eventLine(time: run.events[i].time, tag: line.tag, text: line.text, current: i == eventIndex, width: width)
            case .skipped(let count):
                lines.append(language == .zh ? "  ⋮ 还有 \(count) 个类似的事件" : "  ⋮ \(count) more like these")
            }
        }
        lines.append("")
        lines += Narration.lines(step.paragraphs(language), width: width, style: ScreenStyle(color: false), indent: "  ")
        lines.append("")
        let panels = EndpointPanel.values(run: run, eventIndex: eventIndex, language: language, sequence: sequence)
        // The title column is as wide as the longest title (at least 24), so no title is cut; a
        // title too long for the line puts the state on a line of its own.
        let column = max(24, panels.map { TextWidth.columns($0.title) }.max() ?? 0)
        for panel in panels {
            if 2 + column + 1 + TextWidth.columns(panel.state) <= width {
                lines.append(TextWidth.trimTrailing("  " + TextWidth.fit(panel.title, column) + " " + panel.state))
            } else {
                lines += TextWidth.wrap("  " + panel.title, width: width, indent: "    ")
                lines.append("    " + panel.state)
            }
            lines += EndpointPanel.flow(panel.fields, width: width - 6).map { "      " + $0 }
        }
        if let bytes = LessonRun.packetBytes(run.events[eventIndex]),
           let layers = run.layers(at: eventIndex, sequence: sequence).map({ PacketDissector.localized($0, language) }) {
            if !panels.isEmpty { lines.append("") }
            let focus = stepper.focusField
            for layer in layers {
                lines += TextWidth.wrap("  " + layer.title, width: width, indent: "    ")
                if let field = layer.fields.first(where: { $0.name == focus }) {
                    lines += TextWidth.wrap("    ▶ \(field.label): \(field.value)  [\(UIText.bytes(field.range, language))]",
                                            width: width, indent: "      ")
                }
            }
            let headerEnd = min(bytes.count, 64)
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

    /// The whole lesson, every part.
    public static func render(_ runs: [LessonRun], language: LessonLanguage, width: Int = 80, quiz: Bool = false,
                              sequence: SequenceDisplay? = nil) -> [String] {
        var lines = header(runs, language: language, width: width)
        var stepper = Stepper(runs: runs)
        repeat {
            lines += step(stepper, language: language, width: width, quiz: quiz, sequence: sequence)
        } while stepper.forward()
        return lines
    }

    public static func render(_ run: LessonRun, language: LessonLanguage, width: Int = 80, quiz: Bool = false,
                              sequence: SequenceDisplay? = nil) -> [String] {
        render([run], language: language, width: width, quiz: quiz, sequence: sequence)
    }

    /// An event laid out compactly and wrapped to `width` with a hanging indent; the current
    /// event is marked `▶`.
    static func eventLine(time: Int64, tag: String, text: String, current: Bool, width: Int) -> [String] {
        let seconds = TraceTextFormatter.seconds(time, decimals: 3)
        let prefix = (current ? "▶ " : "  ") + TextWidth.fit(seconds, 7) + " " + TextWidth.fit(tag, 5) + " "
        // Continuation lines are indented two more columns, within the same width.
        let body = TextWidth.wrap(text, width: width - TextWidth.columns(prefix), indent: "  ")
        return body.enumerated().map { i, line in
            (i == 0 ? prefix : String(repeating: " ", count: TextWidth.columns(prefix))) + line
        }
    }
}
