import Foundation
import Testing
import Wire
import Tracing
@testable import StackLabCommands

@Suite("stacklab run, scenarios")
struct RunCommandTests {
    @Test func runPrintsOneLinePerEventWithTheHandshake() {
        let result = invoke(["run", "handshake"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("client:49152 > server:80 S 0:0(0) win 65535 <mss 1460>"))
        #expect(result.stdout.contains("server:80 > client:49152 S. 0:0(0) ack 1 win 65535 <mss 1460>"))
        #expect(result.stdout.contains("SYN-SENT -> ESTABLISHED"))
        #expect(!result.stdout.contains("\u{1B}["))
    }

    @Test func loopbackTimesTheLinkAsLo() {
        // Two closes at one instant: on lo the first FIN is in before the second close (one
        // TIME-WAIT, no CLOSING); on the scenario's 20 ms link the FINs cross.
        let loopback = invoke(["run", "simultaneous-close", "--loopback"])
        #expect(loopback.status == 0)
        #expect(loopback.stdout.contains("seed 1, profile textbook, loopback link, loss 0%"))
        #expect(!loopback.stdout.contains("-> CLOSING"))
        #expect(loopback.stdout.contains("CLOSE-WAIT -> LAST-ACK"))
        let crossing = invoke(["run", "simultaneous-close"])
        #expect(crossing.stdout.contains("RTT 20 ms"))
        #expect(crossing.stdout.contains("FIN-WAIT-1 -> CLOSING"))
    }

    @Test func jsonSummaryHasTheDocumentedFields() throws {
        let result = invoke(["run", "bulk-transfer", "--bytes", "100000", "--loss", "0.05", "--seed", "4", "--json"])
        #expect(result.status == 0)
        let json = try JSONValue(parsing: result.stdout)
        #expect(json["bytes_delivered"]?.intValue == 100_000)
        #expect(json["intact"] == .bool(true))
        #expect(json["seed"]?.intValue == 4)
        #expect((json["retransmissions"]?.intValue ?? 0) > 0)
        #expect(json["endpoints"]?[0]?["final_state"]?.stringValue == "CLOSED")
        #expect(json.objectValue?.map(\.0) == [
            "scenario", "seed", "profile", "bytes_delivered", "intact", "segments_sent", "retransmissions",
            "datagrams_sent", "datagrams_delivered", "end_time_ns", "endpoints", "failures",
        ])
    }

    @Test func unknownScenarioSuggestsTheNearest() {
        let result = invoke(["run", "handshak"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown scenario 'handshak'. Did you mean 'handshake'?"))
    }

    @Test func lossOutsideTheUnitIntervalIsRejected() {
        for bad in ["1.5", "-0.1"] {
            let result = invoke(["run", "handshake", "--loss", bad])
            #expect(result.status == 2)
            #expect(result.stderr.contains("--loss"))
        }
    }

    @Test func negativeRTTIsRejected() {
        let result = invoke(["run", "handshake", "--rtt", "-5"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--rtt"))
    }

    @Test func scenariosListsEveryBuiltIn() {
        let result = invoke(["scenarios"])
        #expect(result.status == 0)
        for name in ["handshake", "syn-lost", "bulk-transfer", "many-clients", "tcp-vs-udp"] {
            #expect(result.stdout.contains(name))
        }
        #expect(result.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 })
    }

    @Test func unknownBenchmarkIsRejected() {
        let result = invoke(["bench", "engin"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("Did you mean 'engine'?"))
    }
}

@Suite("stacklab run with files")
struct RunFileTests {
    private func temporaryPath(_ name: String) -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent(name).path
    }

    @Test func aShownBuiltInRunsAsAFileWithTheSameTrace() throws {
        let shown = invoke(["scenarios", "--show", "half-close"])
        #expect(shown.status == 0)
        let path = temporaryPath("half-close.scn")
        try shown.stdout.write(toFile: path, atomically: true, encoding: .utf8)
        let fromFile = invoke(["run", path])
        let builtIn = invoke(["run", "half-close"])
        #expect(fromFile.status == 0)
        #expect(fromFile.stdout.split(separator: "\n").dropFirst(3) == builtIn.stdout.split(separator: "\n").dropFirst(3))
    }

    /// A seed above 2^63 − 1 is valid in a scenario file; `--json` writes it as a decimal string,
    /// the one JSON encoding of seeds (the trace file's header uses the same).
    @Test func theLargestSeedIsReportedNotTrapped() throws {
        let path = temporaryPath("big-seed.scn")
        try "scenario big\nseed 18446744073709551615\nhosts a b\nat 0 b listen 80\nat 0 a connect b:80\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let result = invoke(["run", path, "--json"])
        #expect(result.status == 0)
        #expect(result.stdout.contains(#""seed": "18446744073709551615""#))
        let trace = temporaryPath("big-seed.jsonl")
        #expect(invoke(["run", path, "--trace", trace]).status == 0)
        #expect(try String(contentsOfFile: trace, encoding: .utf8).contains(#""seed":"18446744073709551615""#))
    }

    @Test func aScenarioSyntaxErrorNamesFileLineAndColumn() throws {
        let path = temporaryPath("broken.scn")
        try "scenario broken \"x\"\nhosts a b\nat 10xs a listen 80\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = invoke(["run", path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(path):3:4:"))
    }

    @Test func traceAndPcapFilesAreWrittenAndReadBack() throws {
        let tracePath = temporaryPath("handshake.jsonl")
        let pcapPath = temporaryPath("handshake.pcap")
        let result = invoke(["run", "handshake", "--trace", tracePath, "--pcap", pcapPath])
        #expect(result.status == 0)
        let trace = try TraceFile.read(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: tracePath))), file: tracePath)
        #expect(trace.header.scenario == "handshake")
        var reader = try PcapReader(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: pcapPath))))
        var flags: [TCPFlags] = []
        while let record = try reader.next() {
            if case .tcp(let segment) = try IPv4Packet.parse(record.packet).payload { flags.append(segment.header.flags) }
        }
        #expect(flags == [.syn, [.syn, .ack], .ack])
    }

    @Test func aMissingScenarioFileIsABadInput() {
        let result = invoke(["run", "/nonexistent/dir/x.scn"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/nonexistent/dir/x.scn"))
    }
}

@Suite("stacklab run --ablate")
struct RunAblationTests {
    @Test func noTimeWaitSkipsTimeWait() {
        let normal = invoke(["run", "teardown-client-first"])
        let ablated = invoke(["run", "teardown-client-first", "--ablate", "no-time-wait"])
        #expect(normal.stdout.contains("FIN-WAIT-2 -> TIME-WAIT"))
        #expect(ablated.status == 0)
        #expect(!ablated.stdout.contains("TIME-WAIT ->"))
        #expect(ablated.stderr.contains("ablation no-time-wait"))
    }

    @Test func zeroISNStartsAtZero() throws {
        let result = invoke(["run", "handshake", "--ablate", "zero-isn", "--json"])
        #expect(result.status == 0)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("zero-isn-\(getpid()).jsonl").path
        _ = invoke(["run", "handshake", "--ablate", "zero-isn", "--trace", path])
        let trace = try TraceFile.read(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))), file: path)
        let syn = trace.events.compactMap { event -> TCPSegment? in
            guard case .packetSent(let bytes, _) = event.kind, case .tcp(let segment)? = try? IPv4Packet.parse(bytes).payload
            else { return nil }
            return segment
        }.first
        #expect(syn?.header.sequenceNumber == SequenceNumber(0))
    }

    @Test func unknownAblationSuggestsTheNearest() {
        let result = invoke(["run", "handshake", "--ablate", "zero-isx"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("Did you mean 'zero-isn'?"))
    }
}
