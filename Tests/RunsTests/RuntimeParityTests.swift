import Apps
import Checking
import Foundation
import Loopback
import Runs
import TestSupport
import Testing
import Tracing

/// One test body for every runtime, as turmoil runs one body against its simulated and its real
/// backend: each built-in scenario goes through the `Runtime` protocol and must come out whole,
/// with every invariant its trace supports holding. A new runtime is checked the day it lands.
@Suite("Every built-in scenario through the Runtime protocol")
struct RuntimeParityTests {
    /// What every runtime must give for a scenario: no failed step, every stream and datagram
    /// intact, and each applicable invariant of the catalogue holding on the trace.
    static func expectHealthy(_ run: Run, runtime: String) {
        let name = "\(run.scenario.name) on \(runtime)"
        #expect(run.runtime == runtime)
        #expect(run.failures.isEmpty, "\(name): \(run.failures)")
        #expect(run.summary.intact, "\(name)")
        let analysis = TraceAnalysis(run.trace)
        let context = InvariantContext(source: run.trace.header.source)
        for invariant in Invariant.catalogue where invariant.applies(to: analysis, in: context) {
            #expect(invariant.check(analysis, context) == nil, "\(name): \(invariant.name)")
        }
    }

    @Test(arguments: BuiltInScenarios.names)
    func simulated(_ name: String) throws {
        let scenario = try #require(BuiltInScenarios.scenario(named: name))
        let run = SimulatedRuntime().run(scenario)
        Self.expectHealthy(run, runtime: "simulated")
        #expect(run.trace.header.source == .simulation(scenario.profile))
    }

    /// Scenarios without faults the kernel cannot be asked for (loss, partitions, ...) and whose
    /// timing loopback can reproduce (a simultaneous open needs SYNs to cross in flight).
    static let kernelScenarios = ["handshake", "teardown-client-first", "teardown-server-first", "half-close",
                                  "connect-refused", "many-clients", "udp-echo", "bulk-transfer"]

    @Test(.loopbackLock, arguments: kernelScenarios)
    func kernel(_ name: String) throws {
        let scenario = try #require(BuiltInScenarios.scenario(named: name))
        let runtime = LoopbackRuntime(options: LoopbackOptions(signalHandling: .ignore))
        let run = try runtime.run(scenario)
        Self.expectHealthy(run, runtime: "kernel")
        #expect(run.trace.header.source == .kernel)
        // The applications saw what they see on the simulator: the same bytes, the same streams.
        let simulated = SimulatedRuntime().run(scenario)
        #expect(run.summary.bytesDelivered == simulated.summary.bytesDelivered, "\(name)")
        #expect(run.summary.datagramsDelivered == simulated.summary.datagramsDelivered, "\(name)")
        let kernelStreams = SocketActivity(run.events).streams.map { ($0.host, $0.bytesReceived, $0.peerFinished) }
        let simulatedStreams = SocketActivity(simulated.events).streams.map { ($0.host, $0.bytesReceived, $0.peerFinished) }
        #expect(kernelStreams.map(\.0).sorted() == simulatedStreams.map(\.0).sorted(), "\(name)")
        #expect(kernelStreams.map(\.1).sorted() == simulatedStreams.map(\.1).sorted(), "\(name)")
    }
}
