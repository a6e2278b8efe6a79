import Tutor

extension Command {
    /// `stacklab lessons [--validate]`
    static let lessons = Command(
        name: "lessons",
        summary: "List the lessons.",
        discussion: "Lessons are read from $STACKLAB_LESSONS, else ./Lessons, else the Lessons folder next to the "
            + "executable or above it. With --validate, every lesson is parsed, its scenario run and every step's "
            + "binding checked against the trace; problems are printed as FILE:LINE: PROBLEM and the exit status is 2.",
        options: [
            .flag("validate", help: "Check every lesson: format, scenario, and that every step's event happens."),
            .choice("lang", ["en", "zh"], help: "The language of the titles.", default: "en"),
        ],
        handler: LessonsHandler.run)
}

enum LessonsHandler {
    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        let library = try LessonLibrary.load(environment: context.environment)
        if arguments.flag("validate") {
            var problems = library.errors
            for lesson in library.lessons {
                do { _ = try LessonRun.parts(lesson) } catch { problems += error.errors }
            }
            for problem in problems { context.stderr.print(problem.description) }
            let files = library.lessons.count + Set(library.errors.map(\.file)).count
            if problems.isEmpty {
                context.stdout.print("\(library.lessons.count) lessons in \(library.directory): all valid")
                return ExitStatus.success
            }
            context.stderr.print("\(problems.count) problem\(problems.count == 1 ? "" : "s") in \(files) lesson files")
            return ExitStatus.usage
        }
        let language = LessonLanguage(rawValue: arguments.string("lang") ?? "en") ?? .en
        for line in listing(library.lessons, language: language) { context.stdout.print(line) }
        for problem in library.errors { context.stderr.print("warning: \(problem.description)") }
        context.stdout.print()
        context.stdout.print("Start one with 'stacklab learn NAME' (or its number); add --lang zh for Chinese.")
        return ExitStatus.success
    }

    /// `  3  handshake            The three-way handshake`, aligned, at most 80 columns.
    static func listing(_ lessons: [Lesson], language: LessonLanguage) -> [String] {
        let nameWidth = min(24, lessons.map { $0.name.count }.max() ?? 4)
        return lessons.map { lesson in
            let number = lesson.number < 10 ? " \(lesson.number)" : "\(lesson.number)"
            let line = "  " + number + "  " + TextWidth.fit(lesson.name, nameWidth) + "  " + lesson.title(language)
            return TextWidth.trimTrailing(TextWidth.truncate(line, 80))
        }
    }
}
