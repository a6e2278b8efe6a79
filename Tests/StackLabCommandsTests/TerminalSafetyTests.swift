import Foundation
import Testing
import Tracing
@testable import StackLabCommands

/// Strings from input files never reach a terminal or a text format raw: a host name holding
/// `ESC ] 0 ; owned BEL` (a window-title escape) shows as `\x1b]0;owned\x07` in every output.
@Suite("Terminal safety: control characters from input files are shown escaped")
struct TerminalSafetyTests {
    static let hostile = "\u{1B}]0;owned\u{07}"

    /// The handshake's trace with the client renamed to the hostile name (and its scenario too).
    static func hostileTrace() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-terminal-\(getpid())")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let clean = folder.appendingPathComponent("clean.jsonl").path
        #expect(invoke(["run", "teardown-client-first", "--trace", clean]).status == 0)
        let text = try String(contentsOfFile: clean, encoding: .utf8)
            .replacingOccurrences(of: "\"client", with: "\"\\u001b]0;owned\\u0007")
            .replacingOccurrences(of: "\"scenario\":\"teardown-client-first\"", with: "\"scenario\":\"\\u001b[2J\\u009b\"")
        let path = folder.appendingPathComponent("hostile.jsonl").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// No unsafe character but line feeds, once the colour escapes StackLab itself writes on a
    /// terminal (SGR: `ESC [ ... m`) are taken out.
    static func isClean(_ text: String) -> Bool {
        let uncoloured = text.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
        return !uncoloured.unicodeScalars.contains { SafeText.isUnsafe($0) && $0 != "\n" }
    }

    @Test func aHostileHostNamePrintsNoRawControlCharacterInAnyTextOutput() throws {
        let path = try Self.hostileTrace()
        var outputs: [(String, Invocation)] = []
        for format in ["ascii", "mermaid", "svg", "html", "states", "timeseq"] {
            outputs.append((format, invoke(["diagram", path, "--format", format])))
            outputs.append((format + " --ascii", invoke(["diagram", path, "--format", format, "--ascii"])))
            outputs.append((format + " terminal", invoke(["diagram", path, "--format", format], isTerminal: true)))
        }
        outputs.append(("check", invoke(["check", "--trace", path])))
        outputs.append(("check --json", invoke(["check", "--trace", path, "--json"])))
        outputs.append(("replay", invoke(["replay", path, "--json"], environment: ["STACKLAB_REPLAY_NO_CAPTURE": "1"])))
        var sawTheName = false
        for (name, output) in outputs {
            #expect(Self.isClean(output.stdout), "\(name) printed a raw control character on stdout")
            #expect(Self.isClean(output.stderr), "\(name) printed a raw control character on stderr")
            if output.stdout.contains("\\x1b]0;owned\\x07") { sawTheName = true }
        }
        #expect(sawTheName, "the host name is shown, escaped")
        // The text trace and the terminal's own coloured output (which does write ESC) stay apart:
        // the ladder on a terminal writes colour escapes only where StackLab put them.
        let ladder = invoke(["diagram", path, "--format", "ascii", "--ascii"])
        #expect(ladder.stdout.contains("\\x1b]0;owned\\x07"))
    }

    @Test func aTraceReadEscapesControlCharactersInEveryString() throws {
        let trace = try TraceFile.read(bytes: Array(try String(contentsOfFile: Self.hostileTrace(), encoding: .utf8).utf8),
                                       file: "hostile.jsonl")
        #expect(trace.header.hosts.contains { $0.name == "\\x1b]0;owned\\x07" })
        #expect(trace.header.scenario == "\\x1b[2J\\x9b")
        #expect(TextTrace.write(trace).unicodeScalars.allSatisfy { !SafeText.isUnsafe($0) || $0 == "\n" })
        // Escaping is idempotent: the trace written and read again is the same trace.
        #expect(try TraceFile.read(bytes: TraceFile.bytes(of: trace), file: "again.jsonl") == trace)
    }

    @Test func aControlCharacterInAScenarioFileIsALocatedError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-terminal-scn-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("evil.scn")
        try Data("scenario evil \"a \(Self.hostile)\"\nhosts client server\n".utf8).write(to: file)
        let result = invoke(["run", file.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("evil.scn:1:18: control character U+001B is not allowed in a scenario file"))
        #expect(Self.isClean(result.stderr))
    }

    @Test func aControlCharacterInALessonIsALocatedError() throws {
        let folder = try HostileInputTests.lessonFolder("lesson-escape", [
            "01-evil.md": Array(("title: \(Self.hostile)\n" + HostileInputTests.minimalLesson).utf8),
        ])
        let result = invoke(["lessons", "--validate"], environment: ["STACKLAB_LESSONS": folder.path])
        let all = result.stdout + result.stderr
        #expect(all.contains("01-evil.md:1: control character U+001B at column 8 is not allowed in a lesson"))
        #expect(Self.isClean(all))
    }
}
