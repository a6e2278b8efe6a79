import Apps
import Foundation
import Loopback
import Runs
import Testing
import Tracing
import Wire
@testable import StackLabCommands

/// `stacklab check --trace FILE`: the invariant catalogue over one golden trace, a hand-edited
/// trace and a real capture.
@Suite("stacklab check --trace")
struct CheckTraceCommandTests {
    /// `Traces/NAME` at the top of the package.
    static func golden(_ name: String, filePath: String = #filePath) -> String {
        URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Traces").appendingPathComponent(name).path
    }

    /// Writes `bytes` to a fresh temporary directory as `name`; the directory is removed by `cleanUp`.
    static func write(_ bytes: [UInt8], named name: String) throws -> (path: String, cleanUp: () -> Void) {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("stacklab-check-trace-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return (path, { try? FileManager.default.removeItem(at: directory) })
    }

    /// The `--json` report's invariants: name → (result, missing, message).
    static func results(_ report: JSONValue) -> [String: (result: String, missing: [String], message: String?)] {
        var results: [String: (result: String, missing: [String], message: String?)] = [:]
        for entry in report["invariants"]?.arrayValue ?? [] {
            guard let name = entry["name"]?.stringValue else { continue }
            results[name] = (entry["result"]?.stringValue ?? "",
                             entry["missing"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                             entry["message"]?.stringValue)
        }
        return results
    }

    @Test("a golden trace passes every invariant but determinism, skipped for want of a scenario to run again")
    func goldenTracePasses() throws {
        let path = Self.golden("handshake.jsonl")
        #expect(FileManager.default.fileExists(atPath: path), "\(path)")
        let text = invoke(["check", "--trace", path])
        #expect(text.status == 0, "\(text.stdout)\(text.stderr)")
        #expect(text.stdout.contains("(simulated, profile textbook, "))
        #expect(text.stdout.contains("determinism"))
        #expect(text.stdout.contains("skipped: needs a scenario to run again"))
        #expect(text.stdout.contains("16 invariants held; 1 skipped"))

        let json = invoke(["check", "--trace", path, "--json"])
        #expect(json.status == 0)
        let report = try JSONParser().parse(json.stdout)
        #expect(report["trace"]?.stringValue == path)
        #expect(report["source"]?.stringValue == "simulated, profile textbook")
        #expect(report["passed"]?.boolValue == true)
        let results = Self.results(report)
        #expect(results.count == 17)
        for (name, result) in results where name != "determinism" {
            #expect(result.result == "passed", "\(name): \(result)")
        }
        #expect(results["determinism"]?.result == "skipped")
        #expect(results["determinism"]?.missing == ["a scenario to run again"])
    }

    @Test("a hand-edited trace that breaks one invariant exits 1 and names it with its message")
    func handEditedTraceFails() throws {
        let original = try String(contentsOfFile: Self.golden("handshake.jsonl"), encoding: .utf8)
        // The server's connection, on the ACK of its SYN, goes to CLOSE-WAIT instead of ESTABLISHED.
        let line = #""from":"SYN-RECEIVED","to":"ESTABLISHED","cause":"rcv ACK of SYN""#
        #expect(original.components(separatedBy: line).count == 2)
        let edited = original.replacingOccurrences(
            of: line, with: #""from":"SYN-RECEIVED","to":"CLOSE-WAIT","cause":"rcv ACK of SYN""#)
        let file = try Self.write(Array(edited.utf8), named: "handshake-edited.jsonl")
        defer { file.cleanUp() }

        let text = invoke(["check", "--trace", file.path])
        #expect(text.status == 1, "\(text.stdout)\(text.stderr)")
        let violation = "0.030000s server:80>client:49152 SYN-RECEIVED -> CLOSE-WAIT (rcv ACK of SYN) is not an "
            + "RFC 9293 transition"
        #expect(text.stdout.contains("state-machine: " + violation), "\(text.stdout)")
        let rows = text.stdout.split(separator: "\n")
        #expect(rows.contains { $0.hasPrefix("state-machine ") && $0.hasSuffix("failed") })
        #expect(text.stdout.contains("1 of 16 invariants failed"))

        let json = invoke(["check", "--trace", file.path, "--json"])
        #expect(json.status == 1)
        let report = try JSONParser().parse(json.stdout)
        #expect(report["passed"]?.boolValue == false)
        let results = Self.results(report)
        #expect(results.filter { $0.value.result == "failed" }.map(\.key) == ["state-machine"])
        #expect(results["state-machine"]?.message == violation)
    }

    /// Whether this process may capture on lo (root, or CAP_NET_RAW).
    static let canCapture = getuid() == 0

    /// A real capture on lo: the kernel's packets of a half-closed exchange, as tcpdump would save
    /// them (the sent copies, LINKTYPE_RAW). (CheckingTests captures with tcpdump itself.)
    static func kernelCapture() throws -> [UInt8] {
        let scenario = try #require(BuiltInScenarios.scenario(named: "half-close"))
        let runtime = LoopbackRuntime(options: LoopbackOptions(firstAddress: IPv4Address(127, 0, 60, 1),
                                                               signalHandling: .ignore))
        let (_, report) = try runtime.runWithReport(scenario)
        #expect(report.capture == CaptureStatus.available)
        return report.pcap
    }

    @Test("a real capture on lo: the capture's three invariants pass, the rest are skipped with what they need",
          .enabled(if: canCapture, "needs root or CAP_NET_RAW to capture on lo"))
    func realCapture() throws {
        let file = try Self.write(try Self.kernelCapture(), named: "lo.pcap")
        defer { file.cleanUp() }

        let text = invoke(["check", "--trace", file.path])
        #expect(text.status == 0, "\(text.stdout)\(text.stderr)")
        #expect(text.stdout.contains("(capture, "))
        let lines = text.stdout.split(separator: "\n").map(String.init)
        func row(_ name: String) -> String? { lines.first { $0.hasPrefix(name + " ") } }
        for name in ["ack-numbers", "no-data-after-fin", "isn-distinct"] {
            #expect(row(name)?.hasSuffix("passed") == true, "\(name)")
        }
        #expect(row("state-machine")?.hasSuffix("skipped: needs state changes") == true)
        #expect(row("handshake")?.hasSuffix("skipped: needs received packets, state changes") == true)
        #expect(row("determinism")?.hasSuffix("skipped: needs a scenario to run again") == true)
        #expect(text.stdout.contains("3 invariants held; 14 skipped"))

        let json = invoke(["check", "--trace", file.path, "--json"])
        #expect(json.status == 0)
        let report = try JSONParser().parse(json.stdout)
        #expect(report["trace"]?.stringValue == file.path)
        #expect(report["source"]?.stringValue == "capture")
        #expect(report["passed"]?.boolValue == true)
        let results = Self.results(report)
        #expect(results.count == 17)
        #expect(Set(results.filter { $0.value.result == "passed" }.map(\.key))
            == ["ack-numbers", "no-data-after-fin", "isn-distinct"])
        #expect(results.filter { $0.value.result == "skipped" }.count == 14)
        #expect(results.values.allSatisfy { $0.result != "skipped" || !$0.missing.isEmpty })
        #expect(results["udp-delivery"]?.missing == ["received packets", "socket calls and events", "link faults"])
        #expect(results["checksum-drop"]?.missing == ["received packets", "checksums"])
        #expect(results["ack-numbers"]?.missing == [])
    }
}
