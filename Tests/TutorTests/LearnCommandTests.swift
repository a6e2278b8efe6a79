import Foundation
import Testing
import Tutor

/// The built `stacklab` next to the test bundle, if there is one.
/// Whether the terminal tests can run: tmux installed and the built binary beside the tests.
let terminalTestsCanRun = stacklabBinary() != nil && sh("tmux -V").status == 0

func stacklabBinary() -> String? {
    let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for candidate in [here, here.deletingLastPathComponent()] {
        let path = candidate.appendingPathComponent("stacklab").path
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

@discardableResult
func shell(_ arguments: [String], environment: [String: String] = [:], detached: Bool = false) throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let out = Pipe(), err = Pipe()
    if detached {
        // A daemon (the tmux server) would inherit the pipes and keep them open forever.
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, "", "")
    }
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

@Suite(.serialized) struct LearnCommandTests {
    @Test func plainHandshakeInBothLanguages() throws {
        guard let binary = stacklabBinary() else {
            Issue.record("stacklab binary not built next to the tests; skipping")
            return
        }
        for lang in ["en", "zh"] {
            let result = try shell([binary, "learn", "handshake", "--plain", "--lang", lang, "--quiz"],
                                   environment: ["STACKLAB_LESSONS": lessonsDirectory.path])
            #expect(result.status == 0, "\(result.err)")
            #expect(result.out.contains(lang == "en" ? "Step 7 of 7" : "第 7/7 步"))
            #expect(result.out.contains(lang == "en" ? "Answer: SYN+ACK" : "答案：SYN+ACK"))
        }
    }

    @Test func unknownLessonSuggestsTheNearest() throws {
        guard let binary = stacklabBinary() else { return }
        let result = try shell([binary, "learn", "handshak", "--plain"], environment: ["STACKLAB_LESSONS": lessonsDirectory.path])
        #expect(result.status == 2)
        #expect(result.err.contains("unknown lesson 'handshak'. Did you mean 'handshake'?"))
    }

    @Test func brokenLessonFailsValidationWithFileAndLine() throws {
        guard let binary = stacklabBinary() else { return }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-lessons-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = "title: Broken\ntitle.zh: 坏\nscenario: handshake\n\n## at first SYN from client\n[en]\na\n[zh]\n甲\n\n"
            + "## when client enters TIME-WAIT\n[en]\nb\n[zh]\n乙\n"
        try text.write(to: directory.appendingPathComponent("01-broken.md"), atomically: true, encoding: .utf8)
        let result = try shell([binary, "lessons", "--validate"], environment: ["STACKLAB_LESSONS": directory.path])
        #expect(result.status == 2)
        #expect(result.err.contains("01-broken.md:11: step 'when client enters TIME-WAIT' is bound to an event that never happens"))
        let learn = try shell([binary, "learn", "broken", "--plain"], environment: ["STACKLAB_LESSONS": directory.path])
        #expect(learn.status == 2)
        #expect(learn.err.contains("01-broken.md:11:"))
        let all = try shell([binary, "lessons", "--validate"], environment: ["STACKLAB_LESSONS": lessonsDirectory.path])
        #expect(all.status == 0, "\(all.err)")
    }

    /// Drives the interactive stepper in tmux: forward, back, go-to, quit, and the terminal is
    /// restored afterwards (stty shows icanon and echo again; the alternate screen is left).
    @Test(.enabled(if: terminalTestsCanRun, "needs tmux and the built stacklab binary"))
    func interactiveStepperInTmux() throws {
        let binary = try #require(stacklabBinary())
        let sttyFile = FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-tutor-\(getpid()).stty").path
        try? FileManager.default.removeItem(atPath: sttyFile)
        let session = try #require(TmuxSession(name: "stacklab-tutor-\(getpid())",
                                               command: "\(binary) learn handshake; stty -a > \(sttyFile)"))
        defer { session.close() }
        let screen = session.screen, waitFor = session.waitFor, keys = session.keys
        #expect(waitFor("Step 1 of 7"))
        keys("Space")
        #expect(waitFor("Step 2 of 7"))
        keys("Right")
        #expect(waitFor("Step 3 of 7"))
        #expect(screen().contains("SYN-RECEIVED"))
        keys("Left")
        #expect(waitFor("Step 2 of 7"))
        keys("g")
        #expect(waitFor("Go to step"))
        keys("6 Enter")
        #expect(waitFor("Step 6 of 7"))
        keys("?")
        #expect(waitFor("Keys"))
        keys("x")
        #expect(waitFor("Step 6 of 7"))
        keys("q")
        #expect(waitFor("DONE"))
        let stty = (try? String(contentsOfFile: sttyFile, encoding: .utf8)) ?? ""
        #expect(stty.contains(" icanon") && !stty.contains("-icanon"), "\(stty)")
        #expect(stty.contains(" echo ") && !stty.contains("-echo "), "\(stty)")
        #expect(!screen().contains("Step 6 of 7"), "the alternate screen was not left")
    }
}

/// The quiz and the self-playing mode, driven in tmux like a person would.
@Suite("learn --quiz and --auto in a terminal")
struct LearnQuizAndAutoTests {
    @Test(.enabled(if: terminalTestsCanRun, "needs tmux and the built stacklab binary"))
    func quizAsksBeforeTheStepAndJudgesTheAnswer() throws {
        let binary = try #require(stacklabBinary())
        let session = try #require(TmuxSession(name: "stacklab-quiz-\(getpid())", command: "\(binary) learn handshake --quiz"))
        defer { session.close() }
        let screen = session.screen, waitFor = session.waitFor, keys = session.keys
        #expect(waitFor("Step 1 of 7"))
        keys("Space")
        // Step 2 carries `quiz: flags`: the question comes first, and other keys do not skip it.
        #expect(waitFor("Quiz: which flags will the next segment from client carry?"))
        keys("Space")
        usleep(200_000)
        #expect(screen().contains("Quiz: which flags"))
        keys("1")
        #expect(waitFor("Right!") || waitFor("Not quite"))
        keys("q")
        #expect(waitFor("DONE"))
    }

    @Test(.enabled(if: terminalTestsCanRun, "needs tmux and the built stacklab binary"))
    func autoPlaysTheLessonToItsEndAndExits() throws {
        let binary = try #require(stacklabBinary())
        let session = try #require(TmuxSession(name: "stacklab-auto-\(getpid())", command: "\(binary) learn syn-lost --auto 0.05"))
        defer { session.close() }
        #expect(session.waitFor("DONE"), "learn --auto did not play to its end and exit by itself")
    }
}

/// A 100×40 terminal in a private tmux server running `command` (then `echo DONE`), as a person
/// at a keyboard would: read the screen, wait for text, type keys.
struct TmuxSession {
    let name: String

    init?(name: String, command: String, width: Int = 100, height: Int = 40) {
        self.name = name
        let line = "STACKLAB_LESSONS=\(lessonsDirectory.path) \(command); echo DONE; sleep 30"
        guard sh("tmux -L \(name) new-session -d -x \(width) -y \(height) '\(line)'").status == 0 else { return nil }
    }

    func screen() -> String { sh("tmux -L \(name) capture-pane -p").output }

    /// Polls the screen for `text` for up to 5 seconds.
    func waitFor(_ text: String) -> Bool {
        for _ in 0..<100 {
            if screen().contains(text) { return true }
            usleep(50_000)
        }
        return false
    }

    func keys(_ keys: String) { sh("tmux -L \(name) send-keys \(keys)") }

    func close() { sh("tmux -L \(name) kill-server") }
}

/// Runs a shell command with `system(3)` (Foundation's Process can hang reaping a tmux client
/// whose server daemonised), capturing its output through a file.
@discardableResult
func sh(_ command: String) -> (status: Int32, output: String) {
    // A file of its own per call: tests run in parallel in one process.
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("tutor-sh-\(UUID().uuidString).out").path
    let status = system("\(command) > \(file) 2>&1 < /dev/null")
    let output = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
    try? FileManager.default.removeItem(atPath: file)
    return (status, output)
}
