import Apps
import Runs
import Tracing

/// Workloads over the whole simulated stack.
public enum StackBenchmark {
    /// One bulk TCP flow at 1% loss: simulated segments (data and ACKs, both ways). With
    /// `keepsTrace` false the run only counts trace events instead of storing them.
    public static func bulkSegments(bytes: Int = 64 * 1_048_576, seed: UInt64 = 1, keepsTrace: Bool) -> Benchmark {
        Benchmark(name: keepsTrace ? "bulk_segments_traced" : "bulk_segments", unit: "segments/s") {
            let overrides = ScenarioOverrides(seed: seed, lossPPM: 10_000, bytes: bytes)
            guard let scenario = BuiltInScenarios.scenario(named: "bulk-transfer", overrides: overrides) else {
                preconditionFailure("bulk-transfer is a built-in scenario")
            }
            return {
                let runtime = SimulatedRuntime()
                if keepsTrace {
                    let summary = runtime.run(scenario).summary
                    precondition(summary.bytesDelivered == bytes && summary.intact, "the bulk flow arrives whole")
                    return summary.segmentsSent
                }
                let counts = runtime.count(scenario)
                let received = counts.streams.reduce(0) { $0 + $1.bytesReceived }
                precondition(received == bytes && counts.streams.allSatisfy(\.intact), "the bulk flow arrives whole")
                return counts.segmentsSent
            }
        }
    }

    /// Workload A (`Workloads.bulkA`): packets sent by both hosts per wall second, trace counted
    /// not kept, with the goodput the flow got.
    public static func bulkA(seconds: Int64 = 60, seed: UInt64 = 1) -> Benchmark {
        let scenario = Workloads.bulkA(seconds: seconds, seed: seed)
        return Benchmark(name: "bulk_a_packets", unit: "packets/s") { { simulate(scenario) } }
    }

    /// Workload C (`Workloads.flows`) with `flows` flows: packets per wall second and goodput.
    public static func flows(_ flows: Int, seconds: Int64 = 10, seed: UInt64 = 1) -> Benchmark {
        Benchmark(name: "flows_packets", unit: "packets/s") {
            let scenario = Workloads.flows(flows, seconds: seconds, seed: seed)
            return { simulate(scenario) }
        }
    }

    /// Runs `scenario` keeping no trace; its packets (TCP segments, both ways), the bytes the
    /// server's applications received intact, and the simulated time.
    public static func simulate(_ scenario: Scenario) -> BenchmarkWork {
        let counts = SimulatedRuntime().count(scenario)
        let received = counts.streams.filter { $0.host == "server" }
        precondition(received.allSatisfy(\.intact), "every stream arrives intact")
        return BenchmarkWork(operations: counts.segmentsSent, bytesDelivered: received.reduce(0) { $0 + $1.bytesReceived },
                             simulatedNanoseconds: counts.endTime)
    }

    /// `count` concurrent connections from one client to an echo server: handshake, 1 KB each
    /// way, teardown. Counts connections served.
    public static func concurrentConnections(count: Int = 10_000, seed: UInt64 = 1) -> Benchmark {
        Benchmark(name: "concurrent_connections", unit: "connections/s") {
            let scenario = connectionsScenario(count: count, seed: seed)
            return {
                let counts = SimulatedRuntime().count(scenario)
                let served = counts.streams.filter { $0.host == "client" && $0.bytesReceived == 1024 && $0.intact }.count
                precondition(served == count, "every connection is served: \(served) of \(count)")
                return served
            }
        }
    }

    private static func connectionsScenario(count: Int, seed: UInt64) -> Scenario {
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
        return Scenario(name: "concurrent-connections", summary: "\(count) connections", seed: seed,
                        hosts: ["client", "server"], steps: steps)
    }
}
