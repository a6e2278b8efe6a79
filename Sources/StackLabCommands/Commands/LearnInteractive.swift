import Rendering
import Tutor

/// The keyboard-driven stepper on a terminal: draws `LessonScreen` and reacts to keys. `q`
/// leaves the lesson (back to the menu when the menu started it).
struct Interactive {
    /// One run per part of the lesson (one for a lesson in one piece).
    let runs: [LessonRun]
    let options: LearnHandler.Options
    let color: Bool

    /// The status after Ctrl-C (128 + SIGINT, as shells report it): the menu does not come back.
    static let interrupted: Int32 = 130

    func play() -> Int32 {
        guard Terminal.enter() else { return ExitStatus.usage }
        defer { Terminal.leave() }
        var stepper = Stepper(runs: runs)
        var overlay = entryOverlay(stepper)
        var sequence = options.sequence ?? runs[0].lesson.header.sequence ?? .relative
        var pendingNumber: String?
        let autoMilliseconds = options.auto.map { Int32(min($0, 3600) * 1000) }
        while true {
            let size = Terminal.size()
            let screen = LessonScreen(run: stepper.run, language: options.language, width: size.width, height: size.height, color: color,
                                      sequence: sequence)
            var shown = overlay
            if let pendingNumber { shown = .prompt(goToPrompt(stepper) + pendingNumber + "▏") }
            Terminal.draw(screen.render(stepper, overlay: shown))
            let waitsForAnswer: Bool
            if case .quiz = overlay { waitsForAnswer = true } else { waitsForAnswer = false }
            let key = Terminal.readKey(timeout: (pendingNumber == nil && !waitsForAnswer) ? autoMilliseconds : nil)
            if key == .interrupt || key == .endOfInput { return Self.interrupted }
            if key == .character("q") && pendingNumber == nil { return ExitStatus.success }
            if var digits = pendingNumber {
                switch key {
                case .character(let c) where c.isASCII && c.isNumber:
                    digits.append(c)
                    pendingNumber = digits
                case .backspace:
                    pendingNumber = digits.isEmpty ? nil : String(digits.dropLast())
                case .enter:
                    if let number = Int(digits), stepper.go(to: number) { overlay = entryOverlay(stepper) }
                    pendingNumber = nil
                default:
                    pendingNumber = nil
                }
                continue
            }
            switch overlay {
            case .quiz(let question):
                if case .character(let c) = key, let n = Int(String(c)), n >= 1, n <= question.choices.count {
                    overlay = .verdict(question, chosen: n - 1)
                } else if key == .back || key == .backspace {
                    if stepper.back() { overlay = .none }
                }
                continue
            case .help:
                overlay = .none
                continue
            case .states:
                if key == .character("s") { overlay = .none; continue }
            case .none, .verdict, .prompt:
                break
            }
            switch key {
            case .next, .enter, .timeout:
                let stays: LessonScreen.Overlay = if case .states = overlay { .states } else { .none }
                if stepper.forward() {
                    overlay = entryOverlay(stepper)
                    if case .none = overlay { overlay = stays }
                } else if key == .timeout {
                    return ExitStatus.success
                }
            case .back, .backspace:
                let stays: LessonScreen.Overlay = if case .states = overlay { .states } else { .none }
                if stepper.back() { overlay = stays }
            case .character("s"): overlay = .states
            case .character("i"):
                let all = SequenceDisplay.allCases
                sequence = all[((all.firstIndex(of: sequence) ?? 0) + 1) % all.count]
            case .up: stepper.moveSelection(by: -1)
            case .down: stepper.moveSelection(by: 1)
            case .character("g"): pendingNumber = ""
            case .character("d"): stepper.showsDetails.toggle()
            case .character("?"), .character("h"): overlay = .help
            default: break
            }
        }
    }

    /// What to show on arriving at a step: its quiz first, in quiz mode.
    func entryOverlay(_ stepper: Stepper) -> LessonScreen.Overlay {
        if options.quiz, let question = stepper.quiz(options.language) { return .quiz(question) }
        return .none
    }

    func goToPrompt(_ stepper: Stepper) -> String {
        options.language == .zh ? "跳到第几步（1–\(stepper.count)）：" : "Go to step (1–\(stepper.count)): "
    }
}
