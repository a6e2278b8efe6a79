import Foundation
import Testing
import Tracing
import Wire
@testable import StackLabCommands

/// The data a page carries: the JSON in its `<script type="application/json" id="…">`, read back.
func pageData(_ html: String, id: String) throws -> JSONValue {
    let open = "<script type=\"application/json\" id=\"\(id)\">"
    let start = try #require(html.range(of: open))
    let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
    return try JSONParser().parse(String(html[start.upperBound..<end.lowerBound]))
}

/// A fresh directory for one test's files.
func exportDirectory(_ name: String) throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-export-\(getpid())-\(name)")
    try? FileManager.default.removeItem(at: directory)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}

@Suite("stacklab export and diagram --format html")
struct ExportCommandTests {
    @Test func aLessonExportsAsOnePageAndAPcapng() throws {
        let directory = try exportDirectory("both")
        defer { try? FileManager.default.removeItem(at: directory) }
        let html = directory.appendingPathComponent("teardown.html")
        let pcapng = directory.appendingPathComponent("teardown.pcapng")
        let result = invoke(["export", "teardown", "-o", html.path, "--pcapng", pcapng.path])
        #expect(result.status == 0, "\(result.stderr)")
        let page = try String(contentsOf: html, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        let data = try pageData(page, id: "lesson-data")
        #expect(data["languages"] == ["en", "zh"])
        #expect(data["steps"]?.arrayValue?.count == 8)
        // The pcapng holds the run's packets; StackLab reads it back.
        let trace = try PcapTraceReader.trace(fromPcap: [UInt8](try Data(contentsOf: pcapng)), name: "teardown.pcapng")
        #expect(trace.events.count == 7)
        let drawn = invoke(["diagram", pcapng.path, "--format", "ascii"])
        #expect(drawn.status == 0)
        #expect(drawn.stdout.contains("FIN"))
    }

    @Test func oneLanguageHasNoSwitch() throws {
        let result = invoke(["export", "handshake", "--lang", "zh"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-Hans\">"))
        #expect(try pageData(result.stdout, id: "lesson-data")["languages"] == ["zh"])
        #expect(!result.stdout.contains("data-language="))
        #expect(result.stdout.contains("第 3 课"))
    }

    @Test func thePageIsTheSameEveryTime() {
        let first = invoke(["export", "reliability", "--quiz"])
        let second = invoke(["export", "reliability", "--quiz"])
        #expect(first.status == 0)
        #expect(first.stdout == second.stdout)
        #expect(first.stdout.contains("\"quiz\":true"))
    }

    @Test func onlyAPcapngWhenOnlyAPcapngIsAsked() throws {
        let directory = try exportDirectory("pcapng-only")
        defer { try? FileManager.default.removeItem(at: directory) }
        let pcapng = directory.appendingPathComponent("syn-lost.pcapng")
        let result = invoke(["export", "syn-lost", "--pcapng", pcapng.path])
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        #expect(FileManager.default.fileExists(atPath: pcapng.path))
    }

    @Test func anUnknownLessonIsAUsageError() {
        let result = invoke(["export", "teardwon", "-o", "/dev/null"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown lesson 'teardwon'. Did you mean 'teardown'?"))
    }

    @Test func exportIsListedInTheHelp() {
        #expect(invoke(["--help"]).stdout.contains("export"))
        let help = invoke(["export", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--pcapng"))
    }

    /// A scenario, a trace file and a capture all draw as an interactive page.
    @Test func anyTraceDrawsAsAnInteractiveLadder() throws {
        let directory = try exportDirectory("ladders")
        defer { try? FileManager.default.removeItem(at: directory) }
        let trace = directory.appendingPathComponent("half-close.jsonl")
        let capture = directory.appendingPathComponent("half-close.pcapng")
        #expect(invoke(["run", "half-close", "--trace", trace.path, "--pcapng", capture.path]).status == 0)
        for input in ["half-close", trace.path, capture.path] {
            let result = invoke(["diagram", input, "--format", "html"])
            #expect(result.status == 0, "\(input): \(result.stderr)")
            let data = try pageData(result.stdout, id: "ladder-data")
            #expect(data["format"] == "stacklab-ladder")
            #expect(data["flights"]?.arrayValue?.count == data["packets"]?.arrayValue?.count)
            #expect((data["flights"]?.arrayValue?.count ?? 0) > 8)
        }
        let fromScenario = invoke(["diagram", "half-close", "--format", "html"]).stdout
        #expect(invoke(["diagram", trace.path, "--format", "html"]).stdout == fromScenario)
    }
}
