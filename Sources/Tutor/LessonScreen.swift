import Rendering
import Tracing

/// Renders the stepper's full screen as lines: title, step heading, ladder, endpoint panels,
/// packet pane, narration, key help. Pure: the same stepper, size and options always give the
/// same lines.
///
/// The screen adapts to its size. The ladder takes the full width (its lifelines spaced to fit,
/// or scrolled sideways to the lifelines the step involves) and always ends at the current
/// step; panels flow their values onto more lines instead of cutting them. Below 30 rows the
/// compact layout drops the panel borders and shows the packet as its one selected
/// field, so ladder, state and narration stay readable at 80×24.
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
        /// The RFC 9293 state diagram with each endpoint's state and last transition.
        case states
    }

    public var language: LessonLanguage
    public var width: Int
    public var height: Int
    public var style: ScreenStyle
    public var sequence: SequenceDisplay
    public var ladder: LadderRenderer

    /// Rows below which the compact layout is used.
    public static let compactHeight = 30

    public init(run: LessonRun, language: LessonLanguage, width: Int, height: Int, color: Bool,
                sequence: SequenceDisplay? = nil) {
        self.language = language
        self.width = max(40, width)
        self.height = max(12, height)
        style = ScreenStyle(color: color)
        self.sequence = sequence ?? run.lesson.header.sequence ?? .relative
        // Every lifeline on screen when they fit 8 columns apart (names and states then shorten);
        // past that the ladder scrolls to the step's lifelines.
        var options = DiagramOptions(colors: color, width: self.width, sequence: self.sequence)
        options.minimumSpacing = 8
        ladder = LadderRenderer(trace: run.trace, options: options)
    }

    public var isCompact: Bool { height < Self.compactHeight }

    /// Width of text blocks (narration, packet pane): the screen, but not wider than reads well.
    var textWidth: Int { min(width, 100) }

    public func render(_ stepper: Stepper, overlay: Overlay = .none) -> [String] {
        let run = stepper.run
        if case .help = overlay {
            return fill(UIText.help(language).map { TextWidth.truncate($0, width) }, footer: "")
        }
        var asking: QuizQuestion?
        if case .quiz(let question) = overlay { asking = question }
        let top = titleLines(stepper, masked: asking != nil)
        if case .states = overlay {
            return fill(top + stateDiagram(stepper), footer: style.dim(TextWidth.truncate(UIText.statesKeys(language), width)))
        }
        // A quiz stops the screen just before the step: nothing of its event shows yet.
        let shownEvent = asking != nil ? max(0, stepper.eventIndex - 1) : stepper.eventIndex
        let panelValues = EndpointPanel.values(run: run, eventIndex: shownEvent, language: language, sequence: sequence)
        let panels = isCompact
            ? EndpointPanel.compact(panelValues, width: width - 1, style: style, language: language)
            : EndpointPanel.boxes(panelValues, width: min(width, 120), style: style, language: language)
        var packet: [String] = []
        if asking == nil, stepper.showsDetails {
            packet = packetLines(stepper)
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
            bottom += narration(stepper)
        case .none, .help, .prompt, .states:
            bottom += narration(stepper)
        }
        if stepper.isAtEnd, asking == nil { bottom.append(style.dim(UIText.end(language))) }
        let footer: String
        if case .prompt(let text) = overlay { footer = style.accent(text) } else {
            footer = style.dim(TextWidth.truncate(UIText.keys(language), width))
        }

        // Space: the ladder keeps a minimum, the narration comes next, the packet pane gives way
        // first, and whatever is left goes to the ladder.
        let available = height - top.count - 1
        let ladderAll = ladderLines(stepper, upTo: shownEvent, highlight: asking == nil ? stepper.eventIndex : nil)
        let ladderMinimum = min(ladderAll.count, isCompact ? 6 : 10)
        let bottomRoom = max(3, available - ladderMinimum - panels.count - 1 - (isCompact ? packet.count : 0))
        if bottom.count > bottomRoom {
            bottom = Array(bottom.prefix(bottomRoom - 1)) + [style.dim(UIText.more(language))]
        }
        var rest = available - ladderMinimum - panels.count - 1 - bottom.count
        var packetRoom = 0
        if isCompact {
            packetRoom = min(packet.count, max(0, rest))
        } else if !packet.isEmpty, rest >= 4 {
            packet = PacketPane.lines(layers: run.layers(at: stepper.eventIndex) ?? [],
                                      bytes: LessonRun.packetBytes(run.events[stepper.eventIndex]) ?? [],
                                      focus: stepper.focusField, width: min(textWidth, 100), maxLines: min(14, rest),
                                      style: style, language: language)
            packetRoom = packet.count
        } else if !packet.isEmpty {
            packet = []
        }
        rest -= packetRoom
        let ladderRoom = ladderMinimum + max(0, rest)
        let ladderShown = window(ladderAll, rows: ladderRoom, keeping: highlightLine(stepper, asking: asking != nil))
        let lines = top + ladderShown + panels + packet.prefix(packetRoom) + [""] + bottom
        return fill(lines, footer: footer)
    }

    /// Pads (or cuts) to the screen's height, the footer on the last line.
    func fill(_ lines: [String], footer: String) -> [String] {
        var lines = Array(lines.prefix(height - 1))
        while lines.count < height - 1 { lines.append("") }
        lines.append(footer)
        return lines
    }

    /// The title bar and the step's heading (its answer left out while a quiz asks).
    func titleLines(_ stepper: Stepper, masked: Bool) -> [String] {
        let run = stepper.run
        let lesson = run.lesson
        let event = run.events[stepper.eventIndex]
        let left = "\(UIText.lesson(lesson.number, language)) · \(lesson.title(language))"
        let right = "\(UIText.step(stepper.index + 1, of: stepper.count, language)) · "
            + LocalizedTerms.duration(event.time, language)
        let gap = max(1, width - TextWidth.columns(left) - TextWidth.columns(right))
        let title = style.bold(TextWidth.truncate(left, width - TextWidth.columns(right) - 1))
            + String(repeating: " ", count: gap) + right
        let heading = "── " + UIText.heading(StepHeading.text(stepper.step, language, masked: masked), in: lesson, language) + " "
        let rule = String(repeating: "─", count: max(2, width - TextWidth.columns(heading)))
        return [title, style.dim(TextWidth.truncate(heading + rule, width))]
    }

    /// The ladder's lifeline names and its rows up to `upTo`, scrolled sideways to the
    /// lifelines the step involves.
    func ladderLines(_ stepper: Stepper, upTo: Int, highlight: Int?) -> [String] {
        let involved = involvedLifelines(stepper)
        let scroll = ladder.scroll(showing: involved, columns: width)
        let columns = ladder.width > width ? width : nil
        return Array(ladder.render(upTo: upTo, highlight: highlight, scroll: scroll, columns: columns).dropFirst())
    }

    /// The lifelines of the step's event, or those of its connection when the event is not on
    /// the ladder (a socket call).
    public func involvedLifelines(_ stepper: Stepper) -> [Int] {
        let ofEvent = ladder.lifelines(ofEvent: stepper.eventIndex)
        if !ofEvent.isEmpty { return ofEvent }
        let lifelines = ladder.model.lifelines
        return stepper.run.focusConnections(at: stepper.eventIndex).compactMap { connection in
            let local = String(connection.prefix { $0 != ">" })
            let host = EventSelector.host(ofConnection: connection)
            return lifelines.firstIndex { $0.name == local } ?? lifelines.firstIndex { $0.name == host }
        }.sorted()
    }

    /// The line of `ladderLines` the current step is on, so the window keeps it.
    func highlightLine(_ stepper: Stepper, asking: Bool) -> Int? {
        guard !asking, let line = ladder.line(ofEvent: stepper.eventIndex) else { return nil }
        return line - 1
    }

    /// The names line and the last `rows - 1` rows, moved up if needed to keep `keeping`.
    func window(_ lines: [String], rows: Int, keeping: Int?) -> [String] {
        guard lines.count > rows, rows >= 2, let names = lines.first else { return Array(lines.prefix(max(rows, 0))) }
        var start = lines.count - (rows - 1)
        if let keeping, keeping >= 1, keeping < start { start = keeping }
        return [names] + lines[start..<min(lines.count, start + rows - 1)]
    }

    /// The packet pane (full layout) or its one selected field (compact layout).
    func packetLines(_ stepper: Stepper) -> [String] {
        let run = stepper.run
        guard let bytes = LessonRun.packetBytes(run.events[stepper.eventIndex]), let layers = run.layers(at: stepper.eventIndex) else {
            return [style.dim(" " + UIText.noPacket(language))]
        }
        let localized = PacketDissector.localized(layers, language)
        if isCompact {
            guard let field = localized.flatMap(\.fields).first(where: { $0.name == stepper.focusField }) else { return [] }
            let text = "▶ \(field.label): \(field.value)  [\(UIText.bytes(field.range, language))]"
            return TextWidth.wrap(text, width: width - 2).map { " " + $0 }
        }
        return PacketPane.lines(layers: layers, bytes: bytes, focus: stepper.focusField, width: min(textWidth, 100),
                                maxLines: 14, style: style, language: language)
    }

    func narration(_ stepper: Stepper) -> [String] {
        Narration.lines(stepper.step.paragraphs(language), width: textWidth - 1, style: style)
    }

    /// The state diagram view: the machine with each endpoint's state and last transition.
    func stateDiagram(_ stepper: Stepper) -> [String] {
        let marks = StateDiagram.marks(stepper.run.events, upTo: stepper.run.settledIndex(after: stepper.eventIndex),
                                       connections: stepper.run.focusConnections(at: stepper.eventIndex))
        let diagram = StateDiagramText(marks: marks, options: DiagramOptions(colors: style.color))
        return diagram.lines() + [""] + diagram.legend().map { TextWidth.truncate($0, width) }
    }
}
