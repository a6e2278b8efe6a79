import Benchmarks
import Testing
import Tracing

@Suite("Benchmark workloads")
struct WorkloadTests {
    @Test func workloadAIsWrittenInTheScenarioLanguage() throws {
        let scenario = Workloads.bulkA()
        let text = ScenarioLanguage.format(scenario)
        #expect(text.contains("link bandwidth 10mbit queue 100\nlink loss 1% from client\n"))
        #expect(text.contains("time-limit 60s"))
        #expect(try ScenarioLanguage.parse(text, file: "bulk-a.scn") == scenario)
    }

    @Test func workloadAFillsMostOfItsLink() {
        let work = StackBenchmark.simulate(Workloads.bulkA(seconds: 5))
        let goodput = work.goodputBitsPerSecond ?? 0
        #expect(goodput > 2_000_000 && goodput < 10_000_000, "goodput \(goodput) bit/s over 10 Mbit/s at 1% loss")
        #expect(work.simulatedNanoseconds == 5_000_000_000)
        #expect(work.operations > 1_000)
    }

    @Test func flowsShareTheLink() {
        let work = StackBenchmark.simulate(Workloads.flows(50, seconds: 2))
        let goodput = work.goodputBitsPerSecond ?? 0
        #expect(goodput > 300_000_000 && goodput < 1_000_000_000, "goodput \(goodput) bit/s over 1 Gbit/s")
    }
}
