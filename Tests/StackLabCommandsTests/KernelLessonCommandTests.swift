import Foundation
import Testing

/// `learn` on a lesson bound to a replay (`runtime: kernel`): live where packets can be captured,
/// the stored capture otherwise or with `--stored`, and a missing capture named with its line.
@Suite struct KernelLessonCommandTests {
    static let lesson = """
        title: The kernel's teardown
        title.zh: 内核的挥手
        scenario: teardown-client-first
        runtime: kernel
        capture: captures/teardown.jsonl

        ## when server enters CLOSE-WAIT
        [en]
        The server read end-of-file.
        [zh]
        服务器读到文件结束。

        ## when client enters TIME-WAIT
        [en]
        The client waits.
        [zh]
        客户端等待。

        """

    /// A lesson folder with the lesson and, unless `withCapture` is false, its capture.
    static func folder(withCapture: Bool = true) throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("stacklab-kernel-lesson-\(getpid())-\(withCapture)")
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("captures"), withIntermediateDirectories: true)
        try lesson.write(to: directory.appendingPathComponent("01-kernel.md"), atomically: true, encoding: .utf8)
        if withCapture {
            let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("TutorTests/Fixtures/kernel-teardown.jsonl")
            try FileManager.default.copyItem(at: fixture, to: directory.appendingPathComponent("captures/teardown.jsonl"))
        }
        return directory
    }

    @Test func storedOrRefusedCaptureTheHeaderSaysWhichRunTheLessonShows() throws {
        let directory = try Self.folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let stored = invoke(["learn", "1", "--plain", "--stored"], environment: ["STACKLAB_LESSONS": directory.path])
        #expect(stored.status == 0, "\(stored.stderr)")
        #expect(stored.stdout.contains("(the Linux kernel, the capture stored with the\nlesson, captures/teardown.jsonl)"))
        #expect(stored.stdout.contains("Step 2 of 2"))
        let refused = invoke(["learn", "1", "--plain"],
                             environment: ["STACKLAB_LESSONS": directory.path, "STACKLAB_REPLAY_NO_CAPTURE": "1"])
        #expect(refused.status == 0, "\(refused.stderr)")
        #expect(refused.stdout.replacingOccurrences(of: "\n", with: " ").contains("not run live: capture on lo needs CAP_NET_RAW"))
        #expect(invoke(["learn", "--help"]).stdout.contains("--stored"))
    }

    @Test func aMissingCaptureIsALessonProblemWithItsLine() throws {
        let directory = try Self.folder(withCapture: false)
        defer { try? FileManager.default.removeItem(at: directory) }
        let validated = invoke(["lessons", "--validate"], environment: ["STACKLAB_LESSONS": directory.path])
        #expect(validated.status == 2)
        #expect(validated.stderr.contains("01-kernel.md:5: the capture 'captures/teardown.jsonl' is not in the lesson folder"))
        let learned = invoke(["learn", "1", "--plain"], environment: ["STACKLAB_LESSONS": directory.path])
        #expect(learned.status == 2)
        #expect(learned.stderr.contains("01-kernel.md:5:"), "\(learned.stderr)")
    }
}
