import Rendering
import Tracing

/// Renders the stepper's full screen as lines: title, ladder, endpoint panels, packet pane,
/// narration, key help. Pure: the same stepper, size and options always give the same lines.
public struct LessonScreen {
    /// What is drawn over the lesson.
    public enum Overlay: Sendable {
        case none
        case help
        /// A question with numbered choices (shown before the step it asks about).
        case quiz(QuizQuestion)
        /// The verdict after an answer: chosen index; the step itself is shown below it.
        case verdict(QuizQuestion, chosen: Int)
        /// A one-line prompt at the bottom, e.g. "Go to step: 4".
        case prompt(String)
    }

    public var language: LessonLanguage
    public var width: Int
    public var height: Int
    public var style: ScreenStyle
    public var ladder: LadderRenderer

    public init(run: LessonRun, language: LessonLanguage, width: Int, height: Int, color: Bool) {
        self.language = language
        self.width = max(40, width)
        self.height = max(12, height)
        style = ScreenStyle(color: color)
        ladder = LadderRenderer(trace: run.trace, options: DiagramOptions(colors: color, width: min(self.width, 80)))
    }

    public func render(_ stepper: Stepper, overlay: Overlay = .none) -> [String] {
        let run = stepper.run
        let w = min(width, 100)
        if case .help = overlay {
            return UIText.help(language).map { TextWidth.truncate($0, w) }
        }
        let lesson = run.lesson
        let event = run.events[stepper.eventIndex]
        var top: [String] = []
        let left = "\(UIText.lesson(lesson.number, language)) · \(lesson.title(language))"
        let right = "\(UIText.step(stepper.index + 1, of: stepper.count, language)) · \(EndpointPanel.seconds(event.time))"
        let gap = max(1, w - TextWidth.columns(left) - TextWidth.columns(right))
        top.append(style.bold(TextWidth.truncate(left, w - TextWidth.columns(right) - 1)) + String(repeating: " ", count: gap) + right)
        top.append(style.dim(TextWidth.truncate("── " + stepper.step.heading + " " + String(repeating: "─", count: w), w)))

        // Quiz: the screen stops before the step: the ladder up to the previous event only.
        var asking: QuizQuestion?
        if case .quiz(let question) = overlay { asking = question }
        let shownEvent = asking != nil ? max(0, stepper.eventIndex - 1) : stepper.eventIndex

        let panels = EndpointPanel.boxes(EndpointPanel.values(run: run, eventIndex: shownEvent, language: language),
                                         width: min(w, 80), style: style, language: language)
        var packet: [String] = []
        if asking == nil, stepper.showsDetails, let bytes = LessonRun.packetBytes(event), let layers = run.layers(at: stepper.eventIndex) {
            packet = PacketPane.lines(layers: layers, bytes: bytes, focus: stepper.focusField, width: min(w, 80),
                                      maxLines: 14, style: style)
        } else if asking == nil, stepper.showsDetails {
            packet = [style.dim(" " + UIText.noPacket(language))]
        }
        var bottom: [String] = []
        switch overlay {
        case .quiz(let question):
            bottom.append(style.accent(question.prompt))
            for (i, choice) in question.choices.enumerated() { bottom.append("  \(i + 1)) \(choice)") }
            bottom.append(style.dim(UIText.choose(question.choices.count, language)))
        case .verdict(let question, let chosen):
            bottom.append(chosen == question.answer ? style.good(UIText.right(language))
                            : style.bad(UIText.wrong(question.choices[question.answer], language)))
            bottom += narration(stepper, width: w)
        default:
            bottom += narration(stepper, width: w)
        }
        if stepper.isAtEnd, asking == nil { bottom.append(style.dim(UIText.end(language))) }
        let footer: String
        if case .prompt(let text) = overlay { footer = style.accent(text) } else { footer = style.dim(TextWidth.truncate(UIText.keys(language), w)) }

        // Space: the ladder takes what is left, at least three rows; the packet pane gives way first.
        let fixed = top.count + panels.count + bottom.count + 2
        var packetRoom = max(0, height - fixed - 4)
        packetRoom = min(packetRoom, packet.count)
        let ladderRoom = max(3, height - fixed - packetRoom - 1)
        var ladderLines = ladder.render(upTo: shownEvent, highlight: asking == nil ? stepper.eventIndex : nil)
        if ladderLines.count > ladderRoom {
            let head = ladderLines[0]
            ladderLines = [head] + ladderLines.suffix(ladderRoom - 1)
        }
        var lines = top + ladderLines.map { TextWidth.truncate($0, w) } + panels
        if packetRoom > 0 { lines += packet.prefix(packetRoom) }
        lines += [""] + bottom
        if lines.count > height - 1 { lines = Array(lines.prefix(height - 1)) }
        while lines.count < height - 1 { lines.append("") }
        lines.append(footer)
        return lines
    }

    func narration(_ stepper: Stepper, width: Int) -> [String] {
        var lines: [String] = []
        for paragraph in stepper.step.paragraphs(language) {
            let bullet = paragraph.hasPrefix("- ") || paragraph.hasPrefix("* ")
            lines += TextWidth.wrap(paragraph, width: min(width, 80) - 1, indent: bullet ? "  " : "")
        }
        return lines
    }
}
