import Testing
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
