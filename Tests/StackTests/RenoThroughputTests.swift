import Apps
import Runs
import Testing
import Tracing

@Suite("Congestion control against an analytic model")
struct RenoThroughputTests {
    /// Mathis et al. (1997): a Reno flow under random loss p moves about MSS/RTT · √(3/2)/√p.
    @Test("throughput at p = 0.01, RTT 20 ms lies within ±40% of MSS/RTT·√(3/2)/√p")
    func mathisModel() throws {
        let bytes = 16 * 1_048_576
        var measured: [Double] = []
        for seed in UInt64(1)...3 {
            let overrides = ScenarioOverrides(seed: seed, rtt: 20 * millisecond, lossPPM: 10_000, profile: .textbook, bytes: bytes)
            let run = run("bulk-transfer", overrides)
            #expect(run.summary.bytesDelivered == bytes)
            let dataTimes = run.events.compactMap { event -> Int64? in
                guard event.node == "server", case .socketEvent(_, .message) = event.kind else { return nil }
                return event.time
            }
            let start = try #require(run.firstTime("client", enters: .established))
            let end = try #require(dataTimes.last)
            measured.append(Double(bytes) / (Double(end - start) / 1e9))
        }
        let model = 1460.0 / 0.020 * (1.5).squareRoot() / (0.01).squareRoot()
        let mean = measured.reduce(0, +) / Double(measured.count)
        print("Reno model: \(Int(model)) B/s; measured: \(measured.map { Int($0) }) B/s, mean \(Int(mean)) (\(Int(mean / model * 100))%)")
        #expect(mean > model * 0.6 && mean < model * 1.4)
    }
}
