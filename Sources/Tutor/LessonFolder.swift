/// A lesson folder as files: the lessons (`NN-name.md`) and the data they name (`captures/x.jsonl`,
/// the kernel traces of lessons with `runtime: kernel`). The command line reads it from disk, the
/// binary carries a copy (`BuiltInLessons`); both go through here.
public enum LessonFolder {
    /// Where captures live in a lesson folder.
    public static let capturesFolder = "captures"

    /// Whether `name` (relative to the folder) is a lesson file.
    public static func isLesson(_ name: String) -> Bool {
        !name.contains("/") && name.hasSuffix(".md") && name != "README.md"
    }

    /// Every lesson that parses, by number then name, each with its capture; and every problem,
    /// in file order.
    public static func parse(_ files: [(path: String, name: String, text: String)]) -> (lessons: [Lesson], errors: [LessonError]) {
        var data: [String: String] = [:]
        for file in files where !isLesson(file.name) { data[file.name] = file.text }
        var lessons: [Lesson] = []
        var errors: [LessonError] = []
        for file in files where isLesson(file.name) {
            switch LessonParser.parse(file.text, file: file.path, fileName: file.name) {
            case .success(let lesson):
                switch attachingCapture(to: lesson, from: data) {
                case .success(let lesson): lessons.append(lesson)
                case .failure(let problem): errors.append(problem)
                }
            case .failure(let problems): errors += problems.errors
            }
        }
        lessons.sort { ($0.number, $0.name) < ($1.number, $1.name) }
        return (lessons, errors)
    }

    /// `lesson` with the text of the capture its header names, looked up in `files` (by path
    /// relative to the lesson folder), and each part with its own; a lesson without `capture:` as it is.
    public static func attachingCapture(to lesson: Lesson, from files: [String: String]) -> Result<Lesson, LessonError> {
        if !lesson.parts.isEmpty {
            var lesson = lesson
            for index in lesson.parts.indices {
                switch attachingCapture(to: lesson.parts[index], from: files) {
                case .success(let part): lesson.parts[index] = part
                case .failure(let problem): return .failure(problem)
                }
            }
            return .success(lesson)
        }
        guard let capture = lesson.header.capture else { return .success(lesson) }
        guard let text = files[capture] else {
            return .failure(LessonError(file: lesson.file, line: lesson.header.lines["capture"] ?? 1,
                                        message: "the capture '\(capture)' is not in the lesson folder "
                                            + "(write it with 'stacklab replay SCENARIO --trace \(capture)')"))
        }
        var lesson = lesson
        lesson.captureText = text
        return .success(lesson)
    }
}
