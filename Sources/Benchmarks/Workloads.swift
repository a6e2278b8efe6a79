import Tracing

/// The workloads of issue 17, measured side by side with ns-3 3.37 (NewReno, same link): written
/// in the scenario language, so `stacklab run` runs them as they are benchmarked.
public enum Workloads {
    static let millisecond: Int64 = 1_000_000
    static let second: Int64 = 1_000_000_000

    /// Workload A, ns-3's BulkSend over one point-to-point link: one flow of endless data from
    /// client to server over 10 Mbit/s, RTT 20 ms, a 100-packet drop-tail queue and 1% random loss on
    /// the data direction only, for `seconds` of simulated time (60 by default).
    public static func bulkA(seconds: Int64 = 60, seed: UInt64 = 1) -> Scenario {
        var link = LinkSpec(rtt: 20 * millisecond, bandwidth: 10_000_000)
        link.queuePackets = 100
        link.senderLoss = [SenderLoss(host: "client", lossPPM: 10_000)]
        return Scenario(
            name: "bulk-a", summary: "workload A: one bulk flow, 10 Mbit/s, RTT 20 ms, 1% loss on the data direction",
            seed: seed, hosts: ["client", "server"], link: link,
            steps: [
                ScenarioStep(.at(0), "server", .listen(port: 80, backlog: 128, echo: false)),
                ScenarioStep(.at(0), "client", .connect(host: "server", port: 80, localPort: 0)),
                ScenarioStep(.on(.connected, delay: 0), "client", .sendForever),
            ],
            timeLimit: seconds * second)
    }

    /// Workload C: `flows` bulk flows from client to server sharing one 1 Gbit/s link, RTT 20 ms,
    /// a 100-packet drop-tail queue, no random loss, for `seconds` of simulated time (10 by
    /// default). The flows open 10 µs apart.
    public static func flows(_ flows: Int, seconds: Int64 = 10, seed: UInt64 = 1) -> Scenario {
        var link = LinkSpec(rtt: 20 * millisecond, bandwidth: 1_000_000_000)
        link.queuePackets = 100
        var steps = [ScenarioStep(.at(0), "server", .listen(port: 80, backlog: max(1, flows), echo: false))]
        for index in 0..<flows {
            steps.append(ScenarioStep(.at(Int64(index) * 10_000), "client", .connect(host: "server", port: 80, localPort: 0)))
        }
        steps.append(ScenarioStep(.on(.connected, delay: 0), "client", .sendForever))
        return Scenario(
            name: "flows-\(flows)", summary: "workload C: \(flows) bulk flows sharing 1 Gbit/s, RTT 20 ms",
            seed: seed, hosts: ["client", "server"], link: link, steps: steps, timeLimit: seconds * second)
    }
}
