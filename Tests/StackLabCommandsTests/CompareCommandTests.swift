import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import Tracing
@testable import StackLabCommands

@Suite("stacklab compare")
struct CompareCommandTests {
    static let s: Int64 = 1_000_000_000

    /// The example: its totals against the analytic ones at RTT 100 ms and loss 0:
    /// 100 short requests cost 100 × 2 RTT; a persistent or long connection 1 RTT + 100 RTT.
    @Test func totalsMatchTheAnalyticValues() throws {
        let result = invoke(["compare", "http-short", "http-keepalive", "long-socket", "--requests", "100", "--rtt", "100",
                             "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONValue(parsing: result.stdout)
        #expect(json["requests"]?.intValue == 100)
        let scenarios = try #require(json["scenarios"]?.arrayValue)
        #expect(scenarios.map { $0["scenario"]?.stringValue } == ["http-short", "http-keepalive", "long-socket"])
        let rtt: Int64 = 100_000_000
        let expected: [(total: Int64, handshakes: Int64, timeWait: Int64?, mean: Int64)] = [
            (100 * 2 * rtt, 100, 100, 2 * rtt),
            (rtt + 100 * rtt, 1, 1, (2 * rtt + 99 * rtt) / 100),
            (rtt + 100 * rtt, 1, nil, (2 * rtt + 99 * rtt) / 100),
        ]
        for (scenario, want) in zip(scenarios, expected) {
            let run = try #require(scenario["runs"]?[0])
            #expect(run["total_time_ns"]?.intValue == want.total)
            #expect(run["handshakes"]?.intValue == want.handshakes)
            #expect(run["requests"]?.intValue == 100)
            #expect(scenario["mean_latency_ns"]?.intValue == want.mean)
            #expect(run["time_wait"]?[0]?["count"]?.intValue == want.timeWait)
            if want.timeWait != nil { #expect(run["time_wait"]?[0]?["host"]?.stringValue == "server") }
            let parts = ["ip_tcp_header_bytes", "application_header_bytes", "payload_bytes", "resent_bytes"]
                .compactMap { run[$0]?.intValue }
            #expect(parts.count == 4 && parts.reduce(0, +) == run["wire_bytes"]?.intValue)
        }
        #expect(scenarios[0]["runs"]?[0]?.objectValue?.map(\.0) == [
            "seed", "handshakes", "segments", "retransmissions", "wire_bytes", "ip_tcp_header_bytes",
            "application_header_bytes", "payload_bytes", "resent_bytes", "requests", "failed_requests",
            "mean_latency_ns", "p99_latency_ns", "total_time_ns", "requests_made", "empty_responses", "messages_posted",
            "messages_delivered", "mean_delivery_ns", "p99_delivery_ns", "time_wait", "failures",
        ])
    }

    @Test func theTableFitsEightyColumns() {
        let result = invoke(["compare", "http-short", "http-keepalive", "http-pipelined", "long-socket", "heartbeat",
                             "--requests", "10", "--loss", "0.02", "--seeds", "3"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(lines.map(\.count).max() ?? 0)")
        #expect(result.stdout.contains("3 seeds, means"))
        #expect(result.stdout.contains("TCP handshakes") && result.stdout.contains("TIME-WAIT left"))
        #expect(result.stdout.contains("heartbeat"), "a fifth column goes to a second table")
        let table = result.stdout.components(separatedBy: "\n\n")
        #expect(table.count == 3, "the heading, then two tables")
    }

    @Test func theChartIsWellFormedSVG() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("compare-\(getpid()).svg").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = invoke(["compare", "http-short", "http-keepalive", "--requests", "3", "--svg", path])
        #expect(result.status == 0)
        let data = try #require(FileManager.default.contents(atPath: path))
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasPrefix("<?xml") && text.contains("<svg") && text.hasSuffix("</svg>\n"))
        for needle in ["Bytes on the wire", "http-short", "http-keepalive", "IP+TCP headers", "3 server", "1 server"] {
            #expect(text.contains(needle), "\(needle)")
        }
        #expect(XMLParser(data: data).parse(), "the SVG parses as XML")
        // The same command, the same bytes: no clock, no randomness, no hash order.
        let again = invoke(["compare", "http-short", "http-keepalive", "--requests", "3", "--svg", path])
        #expect(again.status == 0 && FileManager.default.contents(atPath: path) == data)
    }

    @Test func badInputExitsTwoWithALocatedMessage() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("compare-bad-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let broken = directory.appendingPathComponent("broken.scn").path
        try Data("scenario b\nhosts c s\nat 0 c http s:80 get /x count many\n".utf8).write(to: URL(fileURLWithPath: broken))
        let cases: [([String], String)] = [
            (["compare"], "missing argument SCENARIO"),
            (["compare", "http-shrt"], "unknown scenario 'http-shrt'. Did you mean 'http-short'?"),
            (["compare", "http-short", "--requests", "0"], "--requests: 0 is outside [1, 100000]"),
            (["compare", "http-short", "--seeds", "x"], "--seeds: 'x' is not an integer"),
            (["compare", "http-short", "--rtt", "-5"], "--rtt: -5 is outside"),
            (["compare", broken], "\(broken):3:31: expected a request count (1 to 1000000), found \"many\""),
            (["compare", "http-short", "--svg", directory.appendingPathComponent("no/such/dir.svg").path], "cannot write"),
        ]
        for (arguments, message) in cases {
            let result = invoke(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }
}
