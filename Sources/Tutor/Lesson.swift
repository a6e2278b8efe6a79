import Apps
import Rendering
import Stack
import Tracing

/// A language lessons are written in.
public enum LessonLanguage: String, CaseIterable, Sendable {
    case en, zh
}

/// One lesson as written in `Lessons/NN-name.md` (the format is described in `Lessons/README.md`).
///
/// A lesson names a scenario and a list of steps; each step is bound to one trace event and
/// carries narration in every language.
public struct Lesson: Sendable {
    /// The file the lesson came from, as given to the parser (for error messages).
    public var file: String
    /// From the file name `NN-name.md`.
    public var number: Int
    public var name: String
    public var titles: [LessonLanguage: String]
    /// A built-in scenario name, or nil when the scenario is written inline.
    public var scenarioName: String?
    /// The scenario text of an inline scenario (scenario language), and the line it starts on.
    public var inlineScenario: (text: String, line: Int)?
    public var header: LessonHeader
    public var steps: [LessonStep]
    /// The text of the capture file the header's `capture:` names, read by whoever found the
    /// lesson (the library reads it next to the lesson file, or from the built-in copy).
    public var captureText: String?
    /// A lesson in parts (`## part` headings): the parts, each a lesson of its own that runs on its
    /// own (the header's keys changed by the part's, the part's steps). Empty for a lesson in one piece.
    public var parts: [Lesson] = []
    /// For a part: which one it is and its title.
    public var part: LessonPart?

    /// What runs: the parts of a lesson in parts, else the lesson itself.
    public var runnableParts: [Lesson] { parts.isEmpty ? [self] : parts }

    public func title(_ language: LessonLanguage) -> String {
        titles[language] ?? titles[.en] ?? name
    }
}

/// Where a part stands in its lesson, and what it is called.
public struct LessonPart: Sendable, Hashable {
    /// 1-based, of `count`.
    public var number: Int
    public var count: Int
    public var titles: [LessonLanguage: String]
    /// The line of its `## part` heading.
    public var line: Int
    /// The index of its first step in the whole lesson, and how many steps the lesson has.
    public var firstStep: Int
    public var lessonSteps: Int

    public func title(_ language: LessonLanguage) -> String {
        titles[language] ?? titles[.en] ?? ""
    }
}

/// The knobs a lesson header may turn, each with the line it was written on.
public struct LessonHeader: Sendable {
    public var overrides = ScenarioOverrides()
    /// A protocol rule the lesson's run switches off.
    public var ablation: Ablation?
    /// How the lesson writes sequence numbers (`isn: relative|absolute|symbolic`); relative when not given.
    public var sequence: SequenceDisplay?
    /// What runs the lesson's scenario (`runtime: simulated|kernel`).
    public var runtime: LessonRuntime = .simulated
    /// For `runtime: kernel`: the kernel trace stored with the lesson, a path relative to the
    /// lesson folder (`captures/NN-name.jsonl`, as `stacklab replay --trace` writes it).
    public var capture: String?
    public var lines: [String: Int] = [:]
}

/// What a lesson's scenario runs on.
public enum LessonRuntime: String, Sendable, CaseIterable {
    /// StackLab's simulated stack: deterministic, the same run every time.
    case simulated
    /// The Linux kernel on loopback, as `stacklab replay` runs it: live where packets can be
    /// captured (root or CAP_NET_RAW), else the capture stored with the lesson.
    case kernel
}

/// What a learner is asked before a step.
public enum QuizKind: String, Sendable {
    /// The flags of the step's segment.
    case flags
    /// The state the step's connection enters.
    case state
}

/// One step: the event it is bound to, and what to say there.
public struct LessonStep: Sendable {
    /// The heading's text after `## `, e.g. `at first SYN from client`.
    public var heading: String
    public var binding: EventSelector
    /// The line of the heading (1-based).
    public var line: Int
    /// Packet field to highlight, e.g. `tcp.flags`.
    public var focus: String?
    public var focusLine: Int?
    public var quiz: QuizKind?
    public var quizLine: Int?
    /// Narration paragraphs per language.
    public var narration: [LessonLanguage: [String]]

    public func paragraphs(_ language: LessonLanguage) -> [String] {
        narration[language] ?? narration[.en] ?? []
    }
}

/// A problem in a lesson file: where it is and what is wrong.
public struct LessonError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message`, the form compilers use.
    public var description: String { "\(file):\(line): \(message)" }
}
