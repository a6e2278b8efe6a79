import Apps
import Checking
import Loopback
import Runs
import Testing
import Tracing

/// The HTTP and long-socket scenarios on the kernel (`LoopbackRuntime`): the same applications,
/// written once, give the same exchange as on the simulated stack: every request answered, the
/// same handshakes, the same bytes of headers and payload, the streams intact.
@Suite("HTTP scenarios on the loopback runtime")
struct LoopbackHTTPScenarioTests {
    /// The scenario with the server's idle timeout shortened (the kernel runs in real time).
    static func scenario(_ name: String) throws -> Scenario {
        var scenario = try #require(BuiltInScenarios.scenario(named: name))
        for index in scenario.steps.indices {
            if case .application(.httpServer(let port, _)) = scenario.steps[index].operation {
                scenario.steps[index].operation = .application(.httpServer(port: port, idleTimeout: 300_000_000))
            }
        }
        return scenario
    }

    @Test(arguments: ["http-short", "http-keepalive", "http-pipelined", "long-socket"])
    func sameExchangeAsSimulated(_ name: String) throws {
        let scenario = try Self.scenario(name)
        let kernel = try LoopbackRuntime(options: LoopbackOptions(signalHandling: .ignore)).run(scenario)
        let simulated = SimulatedRuntime().run(scenario)
        #expect(kernel.failures.isEmpty, "\(kernel.failures)")
        #expect(kernel.summary.intact)
        #expect(kernel.summary.bytesDelivered == simulated.summary.bytesDelivered)
        let onKernel = ExchangeCost(kernel.trace)
        let onSimulator = ExchangeCost(simulated.trace)
        #expect(onKernel.requests == 5 && onKernel.failedRequests == 0)
        #expect(onKernel.applicationHeaderBytes == onSimulator.applicationHeaderBytes)
        #expect(onKernel.payloadBytes == onSimulator.payloadBytes)
        if kernel.trace.events.contains(where: { if case .packetSent = $0.kind { true } else { false } }) {
            #expect(onKernel.handshakes == onSimulator.handshakes, "captured on lo")
        }
        // Every invariant the kernel's trace supports holds.
        let analysis = TraceAnalysis(kernel.trace)
        let context = InvariantContext(source: kernel.trace.header.source)
        for invariant in Invariant.catalogue where invariant.applies(to: analysis, in: context) {
            #expect(invariant.check(analysis, context) == nil, "\(name): \(invariant.name)")
        }
    }
}
