import Foundation
import Tutor

/// Finds and reads the lesson files: `$STACKLAB_LESSONS`, else `./Lessons`, else a `Lessons`
/// folder in the executable's directory or one of its parents (so `swift run` from anywhere in
/// the checkout finds a teacher's edits), else the lessons built into the binary (so a copied or
/// installed `stacklab` works anywhere).
struct LessonLibrary {
    /// The folder read, or `built-in`.
    let directory: String
    /// Lessons that parsed, by number then name.
    let lessons: [Lesson]
    /// Problems per file, in file-name order.
    let errors: [LessonError]

    static let builtIn = "built-in"

    static func locate(environment: [String: String]) -> String? {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        if let path = environment["STACKLAB_LESSONS"], !path.isEmpty { return path }
        if files.fileExists(atPath: "Lessons", isDirectory: &isDirectory), isDirectory.boolValue,
           hasLessons("Lessons") { return "Lessons" }
        var directory = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        if let executable = Bundle.main.executablePath {
            directory = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        }
        for _ in 0..<8 {
            let candidate = directory.appendingPathComponent("Lessons").path
            if files.fileExists(atPath: candidate, isDirectory: &isDirectory), isDirectory.boolValue, hasLessons(candidate) {
                return candidate
            }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path { break }
            directory = parent
        }
        return nil
    }

    static func hasLessons(_ path: String) -> Bool {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).contains { LessonParser.numberAndName(fileName: $0) != nil }
    }

    /// Reads every `NN-name.md` in the lesson folder, or the built-in lessons when there is none.
    static func load(environment: [String: String]) throws -> LessonLibrary {
        guard let directory = locate(environment: environment) else {
            return parse(BuiltInLessons.files.map { (path: "\(builtIn)/\($0.name)", name: $0.name, text: $0.text) },
                         directory: builtIn)
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".md") && $0 != "README.md" }.sorted()
        } catch {
            throw CommandFailure("cannot read the lesson folder '\(directory)': \(error.localizedDescription)")
        }
        var files: [(path: String, name: String, text: String)] = []
        var errors: [LessonError] = []
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                errors.append(LessonError(file: path, line: 1, message: "cannot read the file as UTF-8 text"))
                continue
            }
            files.append((path, name, text))
        }
        let library = parse(files, directory: directory)
        return LessonLibrary(directory: directory, lessons: library.lessons, errors: errors + library.errors)
    }

    static func parse(_ files: [(path: String, name: String, text: String)], directory: String) -> LessonLibrary {
        var lessons: [Lesson] = []
        var errors: [LessonError] = []
        for file in files {
            switch LessonParser.parse(file.text, file: file.path, fileName: file.name) {
            case .success(let lesson): lessons.append(lesson)
            case .failure(let problems): errors += problems.errors
            }
        }
        lessons.sort { ($0.number, $0.name) < ($1.number, $1.name) }
        return LessonLibrary(directory: directory, lessons: lessons, errors: errors)
    }

    /// The lesson named `word`: its name, its number (`3` or `03`), or its file name.
    func lesson(_ word: String) -> Lesson? {
        if let number = Int(word) { return lessons.first { $0.number == number } }
        let stem = word.hasSuffix(".md") ? String(word.dropLast(3)) : word
        return lessons.first { $0.name == stem || "\(pad($0.number))-\($0.name)" == stem }
    }

    func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// The lesson named `word`, or an error that lists its file's problems or suggests the
    /// nearest name (`command` is named in the usage error).
    func require(_ word: String, command: String) throws -> Lesson {
        if let lesson = lesson(word) { return lesson }
        if let problem = errors.first(where: { $0.file.hasSuffix("-\(word).md") }) {
            throw CommandFailure("lesson '\(word)' has problems:\n" + errors.filter { $0.file == problem.file }
                .map(\.description).joined(separator: "\n"))
        }
        let suggestion = Suggestion.nearest(to: word, among: lessons.map(\.name))
        throw UsageError(.other("unknown lesson '\(word)'." + (suggestion.map { " Did you mean '\($0)'?" } ?? "")
                                + " See 'stacklab lessons'."), command: command)
    }
}
