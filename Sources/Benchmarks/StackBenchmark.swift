import Apps
import Runs
import Tracing

/// Workloads over the whole simulated stack.
public enum StackBenchmark {
    /// One bulk TCP flow at 1% loss: simulated segments (data and ACKs, both ways) per wall-clock
    /// second. With `keepsTrace` false the run only counts trace events instead of storing them.
    public static func bulkSegmentsPerSecond(bytes: Int = 64 * 1_048_576, seed: UInt64 = 1, keepsTrace: Bool) -> BenchmarkResult {
        let overrides = ScenarioOverrides(seed: seed, lossPPM: 10_000, bytes: bytes)
        guard let scenario = BuiltInScenarios.scenario(named: "bulk-transfer", overrides: overrides) else {
            preconditionFailure("bulk-transfer is a built-in scenario")
        }
        let clock = ContinuousClock()
        let start = clock.now
        let run = SimulatedRun(scenario, keepsTrace: keepsTrace)
        let seconds = EngineBenchmark.seconds(clock.now - start)
        precondition(run.summary.bytesDelivered == bytes && run.summary.intact, "the bulk flow arrives whole")
        return BenchmarkResult(name: keepsTrace ? "bulk_segments_traced" : "bulk_segments", unit: "segments/s", value: Double(run.summary.segmentsSent) / seconds,
                               iterations: run.summary.segmentsSent, seconds: seconds)
    }

    /// `count` concurrent connections from one client to an echo server: handshake, 1 KB each
    /// way, teardown. Reports connections completed per wall-clock second.
    public static func concurrentConnections(count: Int = 10_000, seed: UInt64 = 1) -> BenchmarkResult {
        let microsecond: Int64 = 1_000
        var steps = [ScenarioStep(.at(0), "server", .listen(port: 80, backlog: count, echo: true))]
        for index in 0..<count {
            steps.append(ScenarioStep(.at(Int64(index) * 10 * microsecond), "client", .connect(host: "server", port: 80, localPort: 0)))
        }
        steps += [
            ScenarioStep(.on(.connected, delay: 0), "client", .send(count: 1024)),
            ScenarioStep(.on(.connected, delay: 0), "client", .shutdownWrite),
            ScenarioStep(.on(.peerFinished, delay: 0), "client", .close),
        ]
        let scenario = Scenario(name: "concurrent-connections", summary: "\(count) connections", seed: seed,
                                hosts: ["client", "server"], steps: steps)
        let clock = ContinuousClock()
        let start = clock.now
        let run = SimulatedRun(scenario)
        let seconds = EngineBenchmark.seconds(clock.now - start)
        let served = run.report.streams.filter { $0.host == "client" && $0.bytesReceived == 1024 && $0.intact }.count
        precondition(served == count, "every connection is served: \(served) of \(count)")
        return BenchmarkResult(name: "concurrent_connections", unit: "connections/s", value: Double(count) / seconds,
                               iterations: count, seconds: seconds)
    }
}
