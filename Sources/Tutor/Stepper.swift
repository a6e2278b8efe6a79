import Rendering
import Runs
import Tracing

/// The stepper's state: which step is showing, whether packet details are open, which packet
/// field is selected. A value; every move is exact because the runs behind it are fixed. A lesson
/// in parts has one run per part; the steps are numbered through the whole lesson.
public struct Stepper {
    /// One run per part (one for a lesson in one piece).
    public let runs: [LessonRun]
    /// 0-based index of the current step in the whole lesson.
    public private(set) var index = 0
    public var showsDetails = true
    /// A field chosen with ↑/↓; nil shows the step's `focus:` (or a sensible default).
    public private(set) var selectedField: String?
    /// The index of each part's first step.
    private let firstSteps: [Int]

    public init(runs: [LessonRun]) {
        precondition(!runs.isEmpty, "a stepper needs a run")
        self.runs = runs
        var first = 0
        firstSteps = runs.map { run in
            defer { first += run.lesson.steps.count }
            return first
        }
    }

    public init(run: LessonRun) {
        self.init(runs: [run])
    }

    /// The index of the current step's part in `runs`.
    public var partIndex: Int { firstSteps.lastIndex { $0 <= index } ?? 0 }
    /// The run of the current step's part.
    public var run: LessonRun { runs[partIndex] }
    /// The index of the current step within its part.
    public var indexInPart: Int { index - firstSteps[partIndex] }
    public var count: Int { runs.reduce(0) { $0 + $1.lesson.steps.count } }
    public var step: LessonStep { run.lesson.steps[indexInPart] }
    /// The trace event of the current step (in its part's run).
    public var eventIndex: Int { run.eventIndices[indexInPart] }
    public var isAtEnd: Bool { index == count - 1 }

    /// Moves to the next step; false at the end.
    @discardableResult
    public mutating func forward() -> Bool {
        guard index + 1 < count else { return false }
        index += 1
        selectedField = nil
        return true
    }

    /// Moves to the previous step; false at the start.
    @discardableResult
    public mutating func back() -> Bool {
        guard index > 0 else { return false }
        index -= 1
        selectedField = nil
        return true
    }

    /// Goes to step `number` (1-based); false when out of range.
    @discardableResult
    public mutating func go(to number: Int) -> Bool {
        guard number >= 1 && number <= count else { return false }
        index = number - 1
        selectedField = nil
        return true
    }

    /// The field highlighted in the packet pane.
    public var focusField: String? {
        if let selectedField { return selectedField }
        if let focus = step.focus { return focus }
        guard let layers = run.layers(at: eventIndex) else { return nil }
        let names = layers.flatMap(\.fields).map(\.name)
        return ["tcp.flags", "udp.length", "icmp.type"].first { names.contains($0) } ?? names.first
    }

    /// Selects the next (`by: 1`) or previous (`by: -1`) field of the current packet.
    public mutating func moveSelection(by delta: Int) {
        guard let layers = run.layers(at: eventIndex) else { return }
        let names = layers.flatMap(\.fields).map(\.name)
        guard !names.isEmpty else { return }
        let current = focusField.flatMap { names.firstIndex(of: $0) } ?? 0
        selectedField = names[(current + delta + names.count) % names.count]
    }

    /// The quiz to ask before showing the current step, if the lesson marks one.
    public func quiz(_ language: LessonLanguage) -> QuizQuestion? {
        guard let kind = step.quiz else { return nil }
        return QuizQuestion(kind: kind, event: run.events[eventIndex], language: language)
    }
}

/// A quiz question: the prompt, the choices and which one is right (derived from the trace).
public struct QuizQuestion: Hashable, Sendable {
    public var prompt: String
    public var choices: [String]
    public var answer: Int

    public static let flagChoices = ["SYN", "SYN+ACK", "ACK", "PSH+ACK", "FIN+ACK", "RST+ACK"]
    public static let stateChoices: [TCPState] = [.synSent, .synReceived, .established, .finWait1, .finWait2, .closeWait,
                                                  .closing, .lastAck, .timeWait, .closed]

    init?(kind: QuizKind, event: TraceEvent, language: LessonLanguage) {
        switch (kind, event.kind) {
        case (.flags, .packetSent(let bytes, _)), (.flags, .packetReceived(let bytes)), (.flags, .packetDropped(let bytes, _)):
            let h = Int(bytes[0] & 0x0F) * 4
            guard bytes.count >= h + 20 else { return nil }
            let right = PacketDissector.flagNames(.init(rawValue: bytes[h + 13]))
            var choices = Self.flagChoices
            if !choices.contains(right) { choices.append(right) }
            let host = event.node
            prompt = UIText.quizFlags(host, language)
            self.choices = choices
            answer = choices.firstIndex(of: right)!
        case (.state, .stateChanged(let connection, let from, let to, _)):
            // Four choices in a fixed order: the right one, where it came from, and neighbours.
            let all = Self.stateChoices
            let position = all.firstIndex(of: to) ?? 0
            var picked = [to]
            if from != to, all.contains(from) { picked.append(from) }
            for offset in [1, -1, 2, -2, 3] where picked.count < 4 {
                let i = position + offset
                if i >= 0 && i < all.count && !picked.contains(all[i]) { picked.append(all[i]) }
            }
            let choices = all.filter { picked.contains($0) }
            prompt = UIText.quizState(EventSelector.host(ofConnection: connection), language)
            self.choices = choices.map(\.rawValue)
            answer = choices.firstIndex(of: to)!
        default:
            return nil
        }
    }
}
