import Apps
import Foundation
import Runs
import Testing
import Tracing

/// Each built-in scenario's trace, regenerated and compared byte for byte with `Traces/NAME.jsonl`.
///
/// When a change to the stack is intended, re-record them:
/// `STACKLAB_UPDATE_GOLDEN=1 swift test --filter GoldenTraceTests`, then review `git diff Traces/`.
@Suite("Golden traces")
struct GoldenTraceTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Traces")

    static var updating: Bool { ProcessInfo.processInfo.environment["STACKLAB_UPDATE_GOLDEN"] == "1" }

    @Test(arguments: BuiltInScenarios.names)
    func goldenTraceMatches(_ name: String) throws {
        let trace = SimulatedRuntime().run(GoldenScenarios.scenario(name)).trace
        let actual = TraceFile.write(trace)
        let url = Self.directory.appendingPathComponent("\(name).jsonl")
        if Self.updating {
            try Data(actual.utf8).write(to: url)
            return
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            Issue.record("missing \(url.path); record it with STACKLAB_UPDATE_GOLDEN=1 swift test --filter GoldenTraceTests")
            return
        }
        let expected = String(decoding: data, as: UTF8.self)
        #expect(data.count < 2_000_000, "golden traces stay under 2 MB")
        if let difference = Self.firstDifference(expected, actual) {
            Issue.record("""
                Traces/\(name).jsonl differs at line \(difference.line):
                  golden: \(difference.expected)
                  now:    \(difference.actual)
                If the change is intended: STACKLAB_UPDATE_GOLDEN=1 swift test --filter GoldenTraceTests
                """)
        }
        // The golden file also reads back into the same trace.
        #expect(try TraceFile.read(bytes: [UInt8](data), file: "\(name).jsonl") == trace)
    }

    static func firstDifference(_ expected: String, _ actual: String) -> (line: Int, expected: String, actual: String)? {
        func lines(_ text: String) -> [Substring] {
            let all = text.split(separator: "\n", omittingEmptySubsequences: false)
            return all.last == "" ? Array(all.dropLast()) : all
        }
        let a = lines(expected)
        let b = lines(actual)
        for i in 0..<max(a.count, b.count) {
            let left = i < a.count ? String(a[i]) : "(end of file)"
            let right = i < b.count ? String(b[i]) : "(end of file)"
            if left != right { return (i + 1, left, right) }
        }
        return nil
    }

    @Test func firstDifferenceFindsTheLine() {
        #expect(Self.firstDifference("a\nb\nc\n", "a\nb\nc\n") == nil)
        #expect(Self.firstDifference("a\nb\nc\n", "a\nX\nc\n")?.line == 2)
        #expect(Self.firstDifference("a\n", "a\nb\n")?.expected == "(end of file)")
    }
}
