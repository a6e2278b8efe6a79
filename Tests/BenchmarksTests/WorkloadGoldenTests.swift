import Benchmarks
import Foundation
import Runs
import Testing
import Tracing

/// Workload A's trace (textbook profile) must not change while the engine is made faster: its
/// JSON Lines bytes are compared with a digest recorded before the optimisations of issue 17.
///
/// The full 60 s trace is 300 MB, so the test runs the first `seconds` of it and keeps its length,
/// event count and FNV-1a digest in `Traces/bulk-a.digest`. Re-record after an intended change
/// with `STACKLAB_UPDATE_GOLDEN=1 swift test --filter WorkloadGoldenTests`.
@Suite("Workload golden traces")
struct WorkloadGoldenTests {
    static let seconds: Int64 = 10
    static let file = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Traces/bulk-a.digest")

    /// Workload A as it was first written, before `send forever`: one send of twice what the link
    /// carries in the time (what the digest was recorded with).
    static func workloadA(seconds: Int64) -> Scenario {
        var scenario = Workloads.bulkA(seconds: seconds)
        scenario.steps[scenario.steps.count - 1].operation = .send(count: Int(2 * 10_000_000 / 8 * seconds))
        return scenario
    }

    @Test func workloadAsTraceIsUnchanged() throws {
        let trace = SimulatedRuntime().run(Self.workloadA(seconds: Self.seconds)).trace
        let bytes = TraceFile.bytes(of: trace)
        let actual = Self.digestText(events: trace.events.count, bytes: bytes)
        if ProcessInfo.processInfo.environment["STACKLAB_UPDATE_GOLDEN"] == "1" {
            try Data(actual.utf8).write(to: Self.file)
            return
        }
        let expected = try String(contentsOf: Self.file, encoding: .utf8)
        #expect(actual == expected)
    }

    static func digestText(events: Int, bytes: [UInt8]) -> String {
        """
        # Workload A (Workloads.bulkA), textbook profile, the first \(seconds) s of simulated time:
        # the JSON Lines trace's event count, length and FNV-1a 64-bit digest (WorkloadGoldenTests).
        events \(events)
        bytes \(bytes.count)
        fnv1a64 \(String(fnv1a64(bytes), radix: 16))

        """
    }

    /// FNV-1a, 64 bits (Fowler, Noll, Vo): enough to notice any change, not a cryptographic hash.
    static func fnv1a64(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// `send forever` sends what a large enough `send N` sends: the two traces differ in that call alone.
    @Test func sendingForeverIsSendingEnough() {
        let endless = SimulatedRuntime().run(Workloads.bulkA(seconds: 3)).trace.events
        let finite = SimulatedRuntime().run(Self.workloadA(seconds: 3)).trace.events
        #expect(endless.count == finite.count)
        let differing = zip(endless, finite).filter { $0 != $1 }
        #expect(differing.count == 1)
        #expect(differing.first.map { $0.0.kind } == .socketCall(socket: "client:49152>server:80", call: .sendForever))
    }
}
