import Apps
import Checking
import Loopback
import Runs
import TestSupport
import Testing
import Tracing
import Wire

/// The WebSocket scenarios on the kernel (`LoopbackRuntime`, addresses 127.0.13.x): the same
/// applications, written once, give the same conversation as on the simulated stack: the same
/// handshake (same seeded key, same accept value), the same frames and messages, a clean close.
@Suite("WebSocket scenarios on the loopback runtime", .serialized, .loopbackLock)
struct LoopbackChatScenarioTests {
    static let options = LoopbackOptions(firstAddress: IPv4Address(127, 0, 13, 1), signalHandling: .ignore)

    /// The application events that do not depend on clocks: handshakes, frames, messages, closes.
    static func conversation(_ trace: Trace) -> [String] {
        trace.events.compactMap { event -> String? in
            guard case .application(_, .webSocket(let webSocket)) = event.kind else { return nil }
            return "\(event.node) \(ApplicationEvent.webSocket(webSocket))"
        }.sorted()
    }

    @Test(arguments: ["websocket", "websocket-chat"])
    func theKernelCarriesTheSameConversation(_ name: String) throws {
        let scenario = try #require(BuiltInScenarios.scenario(named: name, overrides: ScenarioOverrides(messages: 2)))
        let kernel = try LoopbackRuntime(options: Self.options).run(scenario)
        let simulated = SimulatedRuntime().run(scenario)
        #expect(kernel.failures.isEmpty, "\(kernel.failures)")
        let onKernel = ExchangeCost(kernel.trace), onSimulator = ExchangeCost(simulated.trace)
        #expect(onKernel.deliveries.count == 2 && onSimulator.deliveries.count == 2)
        #expect(onKernel.requestsMade == 1)
        // Frames, handshakes and closes match one for one; the chat messages carry the time they
        // were posted, whose digits may differ, so sizes are compared for the echo only.
        let kernelEvents = Self.conversation(kernel.trace), simulatedEvents = Self.conversation(simulated.trace)
        if name == "websocket" {
            #expect(kernelEvents == simulatedEvents)
        } else {
            #expect(kernelEvents.map { $0.split(separator: " ").prefix(4) } == simulatedEvents.map { $0.split(separator: " ").prefix(4) })
        }
        #expect(kernelEvents.filter { $0.contains("websocket-close code 1000 clean") }.count == 2, "\(kernelEvents)")
    }
}
