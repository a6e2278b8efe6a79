import Foundation
import Testing
@testable import StackLabCommands

@Suite("stacklab diagram")
struct DiagramCommandTests {
    private func write(_ bytes: [UInt8], named name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-diagram-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aBuiltInScenarioDrawsAsALadderAndMermaid() {
        let ladder = invoke(["diagram", "handshake", "--format", "ascii"])
        #expect(ladder.status == 0)
        #expect(ladder.stdout.contains("SYN,ACK seq=0 ack=1"))
        let mermaid = invoke(["diagram", "syn-lost", "--format", "mermaid"])
        #expect(mermaid.stdout.hasPrefix("sequenceDiagram"))
        #expect(mermaid.stdout.contains("-x"))
    }

    /// `run --pcapng` and `diagram --format pcapng` write the same file; `diagram` reads it back
    /// like a pcap (Wireshark's default save format is pcapng).
    @Test func pcapngIsWrittenAndDrawn() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("diagram-\(getpid()).pcapng").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(invoke(["run", "teardown-client-first", "--pcapng", path]).status == 0)
        let written = try Data(contentsOf: URL(fileURLWithPath: path))
        let second = path + ".2"
        defer { try? FileManager.default.removeItem(atPath: second) }
        #expect(invoke(["diagram", "teardown-client-first", "--format", "pcapng", "-o", second]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: second)) == written)
        let drawn = invoke(["diagram", path, "--format", "ascii"])
        #expect(drawn.status == 0)
        #expect(drawn.stdout.contains("FIN"))
        #expect(invoke(["check", "--trace", path]).status == 0)
    }

    @Test func aTraceFileDrawsLikeItsScenario() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("diagram-\(getpid()).jsonl").path
        #expect(invoke(["run", "teardown-client-first", "--trace", path]).status == 0)
        let fromFile = invoke(["diagram", path, "--format", "ascii"])
        let fromScenario = invoke(["diagram", "teardown-client-first", "--format", "ascii"])
        #expect(fromFile.status == 0)
        #expect(fromFile.stdout == fromScenario.stdout)
    }

    @Test func aMalformedTraceLineNamesFileLineAndField() throws {
        let header = #"{"format":"stacklab-trace","format_version":1}"#
        let path = try write(Array((header + "\n").utf8), named: "bad.jsonl")
        let result = invoke(["diagram", path, "--format", "ascii"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("bad.jsonl"))
        #expect(result.stderr.contains("1"))
    }

    @Test func badCapturesExitTwoWithTheOffset() throws {
        let wrongMagic = try write([0xde, 0xad, 0xbe, 0xef] + [UInt8](repeating: 0, count: 20), named: "magic.pcap")
        let magic = invoke(["diagram", wrongMagic, "--format", "ascii"])
        #expect(magic.status == 2)
        #expect(magic.stderr.contains("byte 0"))
        let truncated = try write([0xd4, 0xc3, 0xb2, 0xa1, 2, 0], named: "short.pcap")
        let short = invoke(["diagram", truncated, "--format", "ascii"])
        #expect(short.status == 2)
        #expect(short.stderr.contains("short.pcap"))
    }
}
