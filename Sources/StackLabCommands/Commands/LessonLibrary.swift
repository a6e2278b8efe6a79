import Foundation
import Tracing
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

    /// The largest lesson file read, bytes.
    static let maximumLessonSize = InputLimits.lessonFileSize
    /// The largest capture file read, bytes.
    static let maximumCaptureSize = 16 << 20

    /// The file's text, or nil with a problem noted: unreadable, too large or not UTF-8.
    static func readText(_ path: String, limit: Int, errors: inout [LessonError]) -> String? {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        if size > limit {
            errors.append(LessonError(file: path, line: 1, message: "the file is \(InputLimits.grouped(size)) bytes, more than "
                                      + "the \(InputLimits.grouped(limit)) of the limit \"lesson file size\""))
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            errors.append(LessonError(file: path, line: 1, message: "cannot read the file"))
            return nil
        }
        switch TextDecoding.text([UInt8](data)) {
        case .success(let text):
            return text
        case .failure(let invalid):
            errors.append(LessonError(file: path, line: invalid.line, message: "not UTF-8 text: byte 0x"
                                      + String(invalid.byte, radix: 16) + " at offset \(invalid.offset) "
                                      + "(column \(invalid.column))"))
            return nil
        }
    }

    /// Reads every `NN-name.md` in the lesson folder, or the built-in lessons when there is none.
    static func load(environment: [String: String]) throws -> LessonLibrary {
        guard let directory = locate(environment: environment) else {
            return parse(BuiltInLessons.files.map { (path: "\(builtIn)/\($0.name)", name: $0.name, text: $0.text) },
                         directory: builtIn)
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).filter(LessonFolder.isLesson).sorted()
        } catch {
            throw CommandFailure("cannot read the lesson folder '\(directory)': \(error.localizedDescription)")
        }
        let capturesFolder = (directory as NSString).appendingPathComponent(LessonFolder.capturesFolder)
        let captures = ((try? FileManager.default.contentsOfDirectory(atPath: capturesFolder)) ?? [])
            .filter { $0.hasSuffix(".jsonl") }.sorted().map { "\(LessonFolder.capturesFolder)/\($0)" }
        var files: [(path: String, name: String, text: String)] = []
        var errors: [LessonError] = []
        for name in names + captures {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let text = readText(path, limit: name.hasSuffix(".md") ? maximumLessonSize : maximumCaptureSize,
                                      errors: &errors) else { continue }
            files.append((path, name, text))
        }
        let library = parse(files, directory: directory)
        return LessonLibrary(directory: directory, lessons: library.lessons, errors: errors + library.errors)
    }

    static func parse(_ files: [(path: String, name: String, text: String)], directory: String) -> LessonLibrary {
        let folder = LessonFolder.parse(files)
        return LessonLibrary(directory: directory, lessons: folder.lessons, errors: folder.errors)
    }

    /// The lesson named `word`: its name, its number (`3` or `03`), or its file name.
    func lesson(_ word: String) -> Lesson? {
        if let number = Int(word) { return lessons.first { $0.number == number } }
        let stem = word.hasSuffix(".md") ? String(word.dropLast(3)) : word
        return lessons.first { $0.name == stem || "\(pad($0.number))-\($0.name)" == stem }
    }

    /// Whether `word` names the lesson file at `path` (by name, number or file name).
    static func names(_ word: String, file path: String) -> Bool {
        let fileName = String(path.split(separator: "/").last ?? "")
        guard let (number, name) = LessonParser.numberAndName(fileName: fileName) else { return false }
        return Int(word) == number || word == name || word == fileName || word + ".md" == fileName
    }

    func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// The lesson named `word`, or an error that lists its file's problems or suggests the
    /// nearest name (`command` is named in the usage error).
    func require(_ word: String, command: String) throws -> Lesson {
        if let lesson = lesson(word) { return lesson }
        if let problem = errors.first(where: { Self.names(word, file: $0.file) }) {
            throw CommandFailure("lesson '\(word)' has problems:\n" + errors.filter { $0.file == problem.file }
                .map(\.description).joined(separator: "\n"))
        }
        let suggestion = Suggestion.nearest(to: word, among: lessons.map(\.name))
        throw UsageError(.other("unknown lesson '\(word)'." + (suggestion.map { " Did you mean '\($0)'?" } ?? "")
                                + " See 'stacklab lessons'."), command: command)
    }
}
