#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Rendering
import Tutor

/// `stacklab learn`: finds the lesson, runs its scenario, then either prints it (plain) or
/// hands the screen to the interactive stepper.
enum LearnHandler {
    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        let library = try LessonLibrary.load(environment: context.environment)
        let lesson = try library.require(arguments.string("lesson") ?? "", command: "learn")
        let language = LessonLanguage(rawValue: arguments.string("lang") ?? "en") ?? .en
        let options = Options(language: language, quiz: arguments.flag("quiz"),
                              auto: arguments.double("auto").map { max(0.05, $0) },
                              sequence: arguments.string("isn").flatMap(SequenceDisplay.init(rawValue:)),
                              liveKernel: !arguments.flag("stored"))
        let interactive = !arguments.flag("plain") && context.stdout.isTerminal && Terminal.isInteractive
        return try start(lesson, options: options, interactive: interactive, context: context)
    }

    struct Options {
        var language: LessonLanguage
        var quiz: Bool
        var auto: Double?
        /// How sequence numbers are written; nil: as the lesson says.
        var sequence: SequenceDisplay?
        /// Whether a lesson on the kernel may run live (else its stored capture).
        var liveKernel = true
    }

    static func start(_ lesson: Lesson, options: Options, interactive: Bool, context: CommandContext) throws -> Int32 {
        let runs: [LessonRun]
        do {
            runs = try LessonRun.parts(lesson, kernel: options.liveKernel ? .live(ReplayHandler.loopbackRuntime(context)) : .stored)
        } catch {
            throw CommandFailure(error.errors.map(\.description).joined(separator: "\n"))
        }
        if interactive {
            return Interactive(runs: runs, options: options, color: context.stdout.allowsColor).play()
        }
        return plain(runs, options: options, context: context)
    }

    /// Linear text. Quiz questions print with their answers unless stdin is a terminal, in which
    /// case the learner types an answer first.
    static func plain(_ runs: [LessonRun], options: Options, context: CommandContext) -> Int32 {
        let askOnStdin = options.quiz && isatty(STDIN_FILENO) == 1 && context.stdout.isTerminal
        for line in PlainLesson.header(runs, language: options.language) { context.stdout.print(line) }
        var stepper = Stepper(runs: runs)
        repeat {
            if askOnStdin {
                if let question = stepper.quiz(options.language) {
                    context.stdout.print(question.prompt)
                    for (i, choice) in question.choices.enumerated() { context.stdout.print("  \(i + 1)) \(choice)") }
                    context.stdout.write("> ")
                    let answer = readLine().flatMap { Int($0.trimmingSpaces()) }.map { $0 - 1 }
                    let q = question
                    context.stdout.print(answer == q.answer ? "✓ " + rightText(options.language)
                                         : "✗ " + (options.language == .zh ? "答案是 " : "The answer is ") + q.choices[q.answer])
                    context.stdout.print()
                }
            }
            let lines = PlainLesson.step(stepper, language: options.language,
                                         quiz: options.quiz && !askOnStdin, sequence: options.sequence)
            for line in lines { context.stdout.print(line) }
            if let auto = options.auto, !stepper.isAtEnd { usleep(UInt32(min(auto, 3600) * 1_000_000)) }
        } while stepper.forward()
        return ExitStatus.success
    }

    static func rightText(_ language: LessonLanguage) -> String { language == .zh ? "答对了！" : "Right!" }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }
}
