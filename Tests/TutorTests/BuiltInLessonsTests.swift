import Foundation
import Testing
import Tutor

/// `Sources/Tutor/Generated/BuiltInLessons.swift` holds the lesson files so the binary carries
/// them; like the golden traces it is regenerated with `STACKLAB_UPDATE_GOLDEN=1` and must match
/// `Lessons/` byte for byte.
@Suite struct BuiltInLessonsTests {
    static let source = packageRoot.appendingPathComponent("Sources/Tutor/Generated/BuiltInLessons.swift")

    /// The generated file's text for `files`.
    static func generate(_ files: [(name: String, text: String)]) -> String {
        var lines = [
            "// Generated from Lessons/*.md and Lessons/captures/*.jsonl by BuiltInLessonsTests; do not edit by hand. After changing a lesson, run",
            "// `STACKLAB_UPDATE_GOLDEN=1 swift test --filter BuiltInLessonsTests` and commit both.",
            "",
            "/// The lesson files of `Lessons/`, compiled into the binary so that a copied or installed `stacklab`",
            "/// has its lessons; a test keeps them byte for byte equal to the folder.",
            "public enum BuiltInLessons {",
            "    public static let files: [(name: String, text: String)] = [",
        ]
        for file in files {
            // A raw string delimiter the text cannot end or interpolate.
            var hashes = "#"
            while file.text.contains("\"\"\"" + hashes) || file.text.contains("\\" + hashes) { hashes += "#" }
            lines += ["        (", "            name: \"\(file.name)\",", "            text: \(hashes)\"\"\"",
                      file.text + "\n" + "\"\"\"" + hashes, "        ),"]
        }
        lines += ["    ]", "}"]
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func theBinaryCarriesTheLessonsFolderByteForByte() throws {
        let files = try lessonFiles() + lessonCaptureFiles()
        let expected = Self.generate(files)
        if ProcessInfo.processInfo.environment["STACKLAB_UPDATE_GOLDEN"] == "1" {
            try expected.write(to: Self.source, atomically: true, encoding: .utf8)
        }
        let onDisk = try String(contentsOf: Self.source, encoding: .utf8)
        #expect(onDisk == expected, "Sources/Tutor/Generated/BuiltInLessons.swift is out of date: run STACKLAB_UPDATE_GOLDEN=1 swift test --filter BuiltInLessonsTests")
        #expect(BuiltInLessons.files.map(\.name) == files.map(\.name))
        for (built, file) in zip(BuiltInLessons.files, files) {
            #expect(Array(built.text.utf8) == Array(file.text.utf8), "\(file.name) differs from the compiled copy")
        }
    }
}
