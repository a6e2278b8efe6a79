import Foundation
import Testing
import Tracing
@testable import StackLabCommands

/// The reproducers of issue 15 ("Hostile input"), one test each, named after the defect: each
/// now exits 2 with a message that says where and why, or succeeds where the input is legitimate.
@Suite("Hostile input: the reproducers of issue 15")
struct HostileInputTests {
    /// A fresh directory for one test's files.
    static func directory(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-hostile-\(getpid())-\(name)")
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func write(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url)
    }

    // MARK: Huge sends

    @Test func hugeSendOnTheCommandLineIsRefusedNamingTheLimit() {
        let result = invoke(["run", "bulk-transfer", "--bytes", "1000000000000"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--bytes: 1000000000000 is over the limit \"bytes per send\" (1,073,741,824 bytes)"))
    }

    @Test func hugeSendInAScenarioFileIsALocatedError() throws {
        let file = try Self.directory("huge-send").appendingPathComponent("huge.scn")
        try Self.write("scenario huge \"x\"\nhosts client server\nat 0 server listen 80\nat 0 client connect server:80\n"
                       + "on connected client send 1000000000000\n", to: file)
        let result = invoke(["run", file.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("huge.scn:5:26: 1000000000000 is out of range (0 to 1073741824) (limit \"bytes per send\")"))
    }

    @Test func aSendJustUnderTheLimitIsLazyAndRuns() throws {
        // `send N` makes its bytes as the connection takes them: a big send costs no big buffer.
        let result = invoke(["run", "bulk-transfer", "--bytes", "4000000", "--json"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("\"bytes_delivered\": 4000000"))
    }

    // MARK: Lessons

    /// A copy of the lesson folder with `files` added, for `STACKLAB_LESSONS`.
    static func lessonFolder(_ name: String, _ files: [String: [UInt8]]) throws -> URL {
        let folder = try directory(name)
        for (file, bytes) in files { try Data(bytes).write(to: folder.appendingPathComponent(file)) }
        return folder
    }

    static let minimalLesson = "title: t\ntitle.zh: t\nscenario: handshake\n\n## when server enters LISTEN\n[en]\nx\n[zh]\nx\n"

    @Test func hugeBytesInALessonHeaderIsALocatedError() throws {
        let folder = try Self.lessonFolder("lesson-bytes", ["01-big.md": Array(("bytes: 1000000000000\n" + Self.minimalLesson).utf8)])
        let result = invoke(["lessons", "--validate"], environment: ["STACKLAB_LESSONS": folder.path])
        #expect(result.status != 0)
        #expect(result.stdout.contains("01-big.md:1: bytes: 1000000000000 is over the limit \"bytes per send\"")
                || result.stderr.contains("01-big.md:1: bytes: 1000000000000 is over the limit \"bytes per send\""))
        let learn = invoke(["learn", "1", "--plain"], environment: ["STACKLAB_LESSONS": folder.path])
        #expect(learn.status == 2)
        #expect(learn.stderr.contains("01-big.md:1: bytes: 1000000000000 is over the limit"))
    }

    @Test func duplicateBytesInALessonHeaderIsAnError() throws {
        let folder = try Self.lessonFolder("lesson-dup", ["01-dup.md": Array(("bytes: 10\nbytes: 20\n" + Self.minimalLesson).utf8)])
        let result = invoke(["lessons", "--validate"], environment: ["STACKLAB_LESSONS": folder.path])
        #expect((result.stdout + result.stderr).contains("01-dup.md:2: duplicate header key 'bytes' (first given on line 1)"))
    }

    @Test func learnOfALessonThatFailsToParseShowsTheParseError() throws {
        let folder = try Self.lessonFolder("lesson-parse", [
            "01-ok.md": Array(Self.minimalLesson.utf8),
            "02-bad.md": Array(("seed: banana\n" + Self.minimalLesson).utf8),
            "03-binary.md": Array("title: t\n".utf8) + [0xFF, 0x0A],
        ])
        let bad = invoke(["learn", "2", "--plain"], environment: ["STACKLAB_LESSONS": folder.path])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("02-bad.md:1: seed must be a whole number, not 'banana'"))
        #expect(!bad.stderr.contains("unknown lesson"))
        let binary = invoke(["learn", "3", "--plain"], environment: ["STACKLAB_LESSONS": folder.path])
        #expect(binary.status == 2)
        #expect(binary.stderr.contains("03-binary.md:2: not UTF-8 text: byte 0xff at offset 9"))
    }

    @Test func aLessonOverTheFileSizeLimitIsRefusedNamingTheLimit() throws {
        let big = Array(Self.minimalLesson.utf8) + [UInt8](repeating: 0x61, count: InputLimits.lessonFileSize)
        let folder = try Self.lessonFolder("lesson-size", ["01-big.md": big])
        let result = invoke(["lessons", "--validate"], environment: ["STACKLAB_LESSONS": folder.path])
        #expect((result.stdout + result.stderr).contains("01-big.md:1: the file is 1,048,661 bytes, more than the "
                                                         + "1,048,576 of the limit \"lesson file size\""))
    }

    @Test func aScenarioOverTheFileSizeLimitIsRefusedNamingTheLimit() throws {
        let file = try Self.directory("scenario-size").appendingPathComponent("big.scn")
        try Data(repeating: 0x23, count: InputLimits.scenarioFileSize + 1).write(to: file)
        let result = invoke(["run", file.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("big.scn: larger than 1,048,576 bytes, the limit \"scenario file size\""))
    }

    // MARK: The time-sequence graph

    @Test func timeseqOfACaptureWithBackwardsTimestampsDraws() throws {
        let folder = try Self.directory("timeseq")
        let path = folder.appendingPathComponent("back.pcap").path
        #expect(invoke(["run", "handshake", "--pcap", path]).status == 0)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[24] = 0x01   // the first record's seconds: now later than every other record
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let text = invoke(["diagram", path, "--format", "timeseq", "--ascii"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("back.pcap"))
        let svg = invoke(["diagram", path, "--format", "timeseq"])
        #expect(svg.status == 0)
        #expect(svg.stdout.hasPrefix("<?xml"))
    }

    // MARK: Hosts

    static func manyHosts(_ count: Int) -> String {
        let clients = (0..<count).map { "h\($0)" }
        return "scenario many \"many clients\"\nhosts server \(clients.joined(separator: " "))\nat 0 server listen 80\n"
            + clients.map { "at 0 \($0) connect server:80\n" }.joined()
    }

    @Test func moreThan255HostsGetDistinctAddressesAndConnect() throws {
        let file = try Self.directory("hosts").appendingPathComponent("many.scn")
        try Self.write(Self.manyHosts(299), to: file)
        let trace = file.deletingLastPathComponent().appendingPathComponent("many.jsonl").path
        let result = invoke(["run", file.path, "--trace", trace, "--json"])
        #expect(result.status == 0)
        let read = try TraceFile.read(bytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: trace))), file: trace)
        #expect(Set(read.header.hosts.map(\.address)).count == 300)
        #expect(read.header.hosts.last?.address.description == "10.1.0.46")
        // Every client reached ESTABLISHED with the server, the 255th and later too.
        #expect(result.stdout.components(separatedBy: "\"final_state\": \"ESTABLISHED\"").count - 1 == 598)
    }

    @Test func moreHostsThanTheLimitIsALocatedError() throws {
        let file = try Self.directory("hosts-limit").appendingPathComponent("limit.scn")
        try Self.write(Self.manyHosts(InputLimits.hostsPerScenario), to: file)
        let result = invoke(["run", file.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("limit.scn:2:"))
        #expect(result.stderr.contains("(limit \"hosts per scenario\")"))
    }

    // MARK: Ladders of big captures

    @Test func aCaptureWithManyConnectionsIsDrawnCutWithANote() throws {
        let folder = try Self.directory("ladder-limit")
        let scenario = folder.appendingPathComponent("many.scn")
        try Self.write(Self.manyHosts(120), to: scenario)
        let pcap = folder.appendingPathComponent("many.pcap").path
        #expect(invoke(["run", scenario.path, "--pcap", pcap]).status == 0)
        let cut = invoke(["diagram", pcap, "--format", "ascii"])
        #expect(cut.status == 0)
        #expect(cut.stderr.contains("drew the first 100 of 120 TCP connections (20 left out, limit \"connections drawn\"); "
                                    + "--limit N draws more"))
        let all = invoke(["diagram", pcap, "--format", "ascii", "--limit", "200"])
        #expect(all.status == 0 && all.stderr.isEmpty)
        #expect(all.stdout.count > cut.stdout.count)
        // Conversions keep every connection.
        #expect(invoke(["diagram", pcap, "--format", "pcap", "-o", pcap + ".2"]).stderr.isEmpty)
    }

    // MARK: Unbounded runs

    @Test func aReconnectLoopStopsAtTheEventBudget() throws {
        let file = try Self.directory("loop").appendingPathComponent("loop.scn")
        try Self.write("scenario loop \"x\"\nhosts client server\nat 0 client connect server:80\n"
                       + "on closed client connect server:80\n", to: file)
        let result = invoke(["run", file.path, "--max-events", "20000"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("loop.scn: the run stopped at "))
        #expect(result.stderr.contains("it reached the limit \"events per run\" (20,000 events); raise it with --max-events N"))
        let diagram = invoke(["diagram", file.path, "--max-events", "20000"])
        #expect(diagram.status == 2)
        #expect(diagram.stderr.contains("\"events per run\""))
    }

    @Test func aReconnectLoopStopsAtTheConnectionBudgetByDefault() throws {
        let file = try Self.directory("loop-default").appendingPathComponent("loop.scn")
        try Self.write("scenario loop \"x\"\nhosts client server\nat 0 client connect server:80\n"
                       + "on closed client connect server:80\n", to: file)
        let result = invoke(["run", file.path, "--json"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("it reached the limit \"connections per run\" (10,000 connections)"))
    }

    // MARK: Errors with locations

    @Test func invalidUTF8InAScenarioNamesTheLineAndByte() throws {
        let file = try Self.directory("utf8").appendingPathComponent("bad.scn")
        try Data(Array("scenario bad \"x\"\nhosts a b\n".utf8) + [0x61, 0x74, 0x20, 0xC3, 0x28]).write(to: file)
        let result = invoke(["run", file.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("bad.scn:3:4: not UTF-8 text: byte 0xc3 at offset 30"))
    }

    @Test func diagramOfAMissingFileSaysNoSuchFile() {
        for name in ["nonexist.jsonl", "nonexist.pcap", "nonexist.scn", "some/dir/trace"] {
            let result = invoke(["diagram", name])
            #expect(result.status == 2)
            #expect(result.stderr == "error: \(name): no such file\n")
        }
        #expect(invoke(["run", "nonexist.scn"]).stderr == "error: nonexist.scn: no such file\n")
    }

    @Test func theLargestSeedIsAccepted() {
        let result = invoke(["run", "handshake", "--seed", "18446744073709551615", "--json"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("18446744073709551615"))
        let over = invoke(["run", "handshake", "--seed", "18446744073709551616"])
        #expect(over.status == 2)
        #expect(over.stderr.contains("--seed: '18446744073709551616' is not an integer"))
        let negative = invoke(["run", "handshake", "--seed", "-1"])
        #expect(negative.status == 2)
        #expect(negative.stderr.contains("--seed: -1 is outside [0, 18446744073709551615]"))
    }

    @Test func rttMinusInfinityIsNotANumber() {
        for value in ["-inf", "-nan", "-x"] {
            let result = invoke(["run", "handshake", "--rtt", value])
            #expect(result.status == 2)
            #expect(result.stderr.hasPrefix("error: --rtt: '\(value)' is not a number"))
        }
        // A real option after a numeric one is still a missing value.
        #expect(invoke(["run", "handshake", "--rtt", "--json"]).stderr.hasPrefix("error: --rtt: missing value"))
    }

    @Test func versionWithAnArgumentExitsTwo() {
        let result = invoke(["--version", "extra"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: unexpected argument 'extra'"))
        #expect(invoke(["--version"]).status == 0)
    }
}
