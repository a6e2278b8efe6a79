import Rendering
import Tracing

/// The stepper's model as the lesson page reads it (JSON embedded in the page): for every step,
/// what the terminal stepper shows, in every exported language, computed by the very code the
/// terminal uses (`EndpointPanel`, `PacketDissector`, `StepHeading`, `QuizQuestion`,
/// `StateDiagram`), so the terminal and the browser cannot disagree.
///
///     {"format":"stacklab-lesson","version":1,"lesson":{…},"languages":["en","zh"],"quiz":false,
///      "text":{"en":{"title","scenario","parts","ui","labels"},…},
///      "steps":[{"number","part","event","focus","ladder","packet","diagram","legend","before"?,
///                "text":{"en":{"counter","heading","narration","panels","layers","marked", quiz…},…}},…]}
///
/// A step's `ladder` says which ladder elements show (`event`: those with a `data-event` up to
/// it), where the current row is (`y`), and which packet and state are marked; `before` holds
/// what a quiz shows while it asks (the run just before the step's event, nothing marked).
struct LessonPageModel {
    /// One run per part (one for a lesson in one piece).
    let runs: [LessonRun]
    let languages: [LessonLanguage]
    let sequence: SequenceDisplay
    let quiz: Bool
    /// Per part, the ladder drawn on the page (annotated), and the y of each of its rows.
    let ladders: [SVGLadderRenderer]
    let rowYs: [[Double]]

    init(runs: [LessonRun], languages: [LessonLanguage], sequence: SequenceDisplay, quiz: Bool) {
        self.runs = runs
        self.languages = languages
        self.sequence = sequence
        self.quiz = quiz
        ladders = runs.map { run in
            var ladder = SVGLadderRenderer(trace: run.trace, options: DiagramOptions(sequence: sequence))
            ladder.annotated = true
            return ladder
        }
        rowYs = ladders.map { $0.rowPositions() }
    }

    func value() -> JSONValue {
        let run = runs[0]
        let lesson = run.lesson
        return .object([
            ("format", "stacklab-lesson"),
            ("version", 1),
            ("lesson", .object([
                ("number", .int(Int64(lesson.number))), ("name", .string(lesson.name)),
                ("scenario", .string(run.scenario.name)), ("seed", .unsigned(run.scenario.seed)),
                ("sequence", .string(sequence.rawValue)),
            ])),
            ("languages", .array(languages.map { .string($0.rawValue) })),
            ("quiz", .bool(quiz)),
            ("text", .object(languages.map { language in
                (language.rawValue, .object([
                    ("title", .string("\(UIText.lesson(lesson.number, language)) · \(lesson.title(language))")),
                    ("scenario", .string(UIText.scenarioLine(run, language))),
                    ("parts", .array(runs.compactMap { run in
                        run.lesson.part.map { .string(UIText.part($0, language) + " — " + UIText.scenarioLine(run, language)) }
                    })),
                    ("ui", PageText.words(language)),
                    ("labels", labels(language)),
                ]))
            })),
            ("steps", .array((0..<Stepper(runs: runs).count).map(step))),
        ])
    }

    /// Field labels for every packet of the lesson's steps.
    func labels(_ language: LessonLanguage) -> JSONValue {
        let layers = runs.flatMap { run in run.eventIndices.compactMap { run.layers(at: $0, sequence: sequence) } }
        return PacketJSON.labels(of: layers.map { PacketDissector.localized($0, language) })
    }

    func step(_ index: Int) -> JSONValue {
        var stepper = Stepper(runs: runs)
        stepper.go(to: index + 1)
        let run = stepper.run
        let part = stepper.partIndex
        let event = stepper.eventIndex
        let asks = stepper.step.quiz != nil
        let before = max(0, event - 1)
        var members: [(String, JSONValue)] = [
            ("number", .int(Int64(index + 1))),
            ("part", .int(Int64(part))),
            ("event", .int(Int64(event))),
            ("focus", stepper.focusField.map { .string($0) } ?? .null),
            ("ladder", ladderView(part: part, shown: event, marking: event)),
            ("packet", LessonRun.packetBytes(run.events[event]).map { .object(PacketJSON.bytes($0)) } ?? .null),
        ]
        members += diagram(run, after: event)
        if asks {
            let ladder = ladderView(part: part, shown: before, marking: nil)
            members.append(("before", .object([("ladder", ladder)] + diagram(run, after: before))))
        }
        members.append(("text", .object(languages.map { language in
            (language.rawValue, text(stepper, language: language, before: asks ? before : nil))
        })))
        return .object(members)
    }

    /// What part `part`'s ladder shows after event `shown`, and what it marks for the step at `marking`.
    func ladderView(part: Int, shown: Int, marking: Int?) -> JSONValue {
        let run = runs[part]
        let model = ladders[part].model
        let rowY = rowYs[part]
        let row = model.row(atOrBefore: shown)
        let flight = marking.flatMap { model.flight(relatedTo: $0) }
        var state: JSONValue = .null
        if let marking, case .stateChanged = run.events[marking].kind, model.rowOfEvent[marking] != nil {
            state = .int(Int64(marking))
        }
        return .object([
            ("event", .int(Int64(run.settledIndex(after: shown)))),
            ("y", .double(tenths(row.map { rowY[$0] } ?? rowY.first ?? 0))),
            ("flight", flight.map { .int(Int64(model.flights[$0].sendIndex)) } ?? .null),
            ("state", state),
            ("marked", flight.map { f in
                let flight = model.flights[f]
                return .object([
                    ("from", .string(model.lifelines[flight.from].name)),
                    ("to", .string(model.lifelines[flight.to].name)),
                    ("label", .string(flight.label)),
                ])
            } ?? .null),
        ])
    }

    /// The state diagram after event `index`: the bands to draw and the legend, one line per endpoint.
    func diagram(_ run: LessonRun, after index: Int) -> [(String, JSONValue)] {
        let marks = StateDiagram.marks(run.events, upTo: run.settledIndex(after: index),
                                       connections: run.focusConnections(at: index))
        let bands = StateDiagramSVG(marks: marks, title: "").bands().map { band -> JSONValue in
            .array([.double(tenths(band.x)), .double(tenths(band.y)), .double(tenths(band.width)),
                    .double(tenths(band.height)), .string(band.fill), .string(band.stroke)])
        }
        let legend = marks.enumerated().map { i, mark -> JSONValue in
            var text = "\(mark.endpoint): "
            if let from = mark.from {
                text += "\(from) → \(mark.state)" + (mark.cause.map { " (\($0))" } ?? "")
            } else {
                text += "\(mark.state)"
            }
            return .array([.string(text), .string(StateDiagramSVG.fills[i % StateDiagramSVG.fills.count])])
        }
        return [("diagram", .array(bands)), ("legend", .array(legend)),
                ("undrawn", .bool(marks.contains(where: StateDiagram.tookUndrawnTransition)))]
    }

    /// The step's words in `language`; with `before`, also what a quiz shows while it asks.
    func text(_ stepper: Stepper, language: LessonLanguage, before: Int?) -> JSONValue {
        let run = stepper.run
        let event = stepper.eventIndex
        let time = LocalizedTerms.duration(run.events[event].time, language)
        var members: [(String, JSONValue)] = [
            ("counter", .string("\(UIText.step(stepper.index + 1, of: stepper.count, language)) · \(time)")),
            ("heading", .string(UIText.heading(StepHeading.text(stepper.step, language), in: run.lesson, language))),
            ("narration", narration(stepper.step.paragraphs(language))),
            ("panels", panels(run, after: event, language: language)),
            ("layers", run.layers(at: event, sequence: sequence).map {
                PacketJSON.layers(PacketDissector.localized($0, language))
            } ?? .null),
        ]
        if let before, let question = stepper.quiz(language) {
            members += [
                ("heading_masked", .string(UIText.heading(StepHeading.text(stepper.step, language, masked: true),
                                                          in: run.lesson, language))),
                ("panels_before", panels(run, after: before, language: language)),
                ("quiz", .object([
                    ("prompt", .string(question.prompt)),
                    ("choices", .array(question.choices.map { .string($0) })),
                    ("answer", .int(Int64(question.answer))),
                    ("wrong", .string(UIText.wrong(question.choices[question.answer], language))),
                ])),
            ]
        }
        return .object(members)
    }

    /// Both endpoints' panels after event `index`, as `EndpointPanel` computes them.
    func panels(_ run: LessonRun, after index: Int, language: LessonLanguage) -> JSONValue {
        .array(EndpointPanel.values(run: run, eventIndex: index, language: language, sequence: sequence).map { panel in
            .object([
                ("title", .string(panel.title)),
                ("state", .string(panel.state)),
                ("fields", .array(panel.fields.map { .array([.string($0.label), .string($0.value)]) })),
            ])
        })
    }

    /// Paragraphs as runs of text, `code`, *emphasis* and **strong**; list items marked.
    func narration(_ paragraphs: [String]) -> JSONValue {
        .array(paragraphs.map { paragraph in
            let item = paragraph.hasPrefix("- ") || paragraph.hasPrefix("* ")
            let spans = Narration.spans(item ? String(paragraph.dropFirst(2)) : paragraph).map { span -> JSONValue in
                let kind = switch span.kind {
                case .text: "text"
                case .code: "code"
                case .emphasis: "em"
                case .strong: "strong"
                }
                return .array([.string(kind), .string(span.text)])
            }
            return .object([("item", .bool(item)), ("spans", .array(spans))])
        })
    }

    /// Rounded to a tenth of a pixel, as the SVG writes coordinates.
    func tenths(_ value: Double) -> Double {
        (value * 10).rounded() / 10
    }
}
