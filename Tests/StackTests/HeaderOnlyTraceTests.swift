import Apps
import Runs
import Stack
import Testing
import Tracing

@Suite("Traces that keep packet headers only")
struct HeaderOnlyTraceTests {
    @Test("the summary is the same as from the whole trace", arguments: BuiltInScenarios.names)
    func summariesAgree(_ name: String) {
        let scenario = BuiltInScenarios.scenario(named: name)!
        let whole = SimulatedRuntime().run(scenario)
        let headers = SimulatedRuntime().run(scenario, packetBytes: .headers)
        #expect(headers.summary == whole.summary)
        #expect(headers.events.count == whole.events.count)
    }

    @Test func packetsKeepTheirHeadersOnly() {
        let scenario = BuiltInScenarios.scenario(named: "bulk-transfer", overrides: ScenarioOverrides(bytes: 1_000_000))!
        let run = SimulatedRuntime().run(scenario, packetBytes: .headers)
        var kept = 0, packets = 0
        for event in run.events {
            switch event.kind {
            case .packetSent(let bytes, _), .packetReceived(let bytes), .packetDropped(let bytes, _),
                 .packetDuplicated(let bytes):
                kept += bytes.count
                packets += 1
                #expect(bytes.count <= 60 + 20)
            case .stateChanged, .timer, .socketCall, .socketEvent, .congestion, .variables, .note, .application:
                break
            }
        }
        #expect(packets > 1_000)
        #expect(kept <= packets * 40 + 100)   // 20 + 20 bytes; options only on the SYNs (MSS)
        #expect(run.summary.bytesDelivered == 1_000_000 && run.summary.intact)
    }
}
