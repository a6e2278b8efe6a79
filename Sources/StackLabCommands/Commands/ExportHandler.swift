import Rendering
import Tutor

/// `stacklab export`: finds the lesson, runs it, and writes its page and its pcapng.
enum ExportHandler {
    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        let library = try LessonLibrary.load(environment: context.environment)
        let lesson = try library.require(arguments.string("lesson") ?? "", command: "export")
        let chosen = arguments.string("lang").flatMap(LessonLanguage.init(rawValue:))
        let languages = chosen.map { [$0] } ?? LessonLanguage.allCases
        let lessonRuns: [LessonRun]
        do {
            lessonRuns = try LessonRun.parts(lesson)
        } catch {
            throw CommandFailure(error.errors.map(\.description).joined(separator: "\n"))
        }
        let page = arguments.isSet("output") || !arguments.isSet("pcapng")
        if page {
            let html = LessonPage.render(lessonRuns, languages: languages,
                                         sequence: arguments.string("isn").flatMap(SequenceDisplay.init(rawValue:)),
                                         quiz: arguments.flag("quiz"))
            if let path = arguments.string("output") {
                try ScenarioFiles.write(Array(html.utf8), to: path)
            } else {
                context.stdout.write(html)
            }
        }
        if let path = arguments.string("pcapng") {
            try ScenarioFiles.write(LessonPcapng.bytes(lessonRuns, languages: languages), to: path)
        }
        return ExitStatus.success
    }
}
