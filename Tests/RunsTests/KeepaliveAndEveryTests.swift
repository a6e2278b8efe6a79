import Apps
import Loopback
import Runs
import Sockets
import Testing
import Tracing
import Wire

/// The scenario language's `keepalive` socket option and `every` steps, on the runner's own
/// connections, on the simulated stack and (keepalive) on the kernel.
@Suite("keepalive and every")
struct KeepaliveAndEveryTests {
    static let s: Int64 = 1_000_000_000

    @Test func everyRepeatsUntilItsEnd() throws {
        let text = """
            scenario repeat
            hosts client server
            at 0 server listen 80
            at 0 client connect server:80
            every 100ms from 50ms until 500ms client send 10
            every 1s server close
            """
        let run = SimulatedRuntime().run(try ScenarioLanguage.parse(text, file: "every.scn"))
        let sends = run.events.filter { event in
            if case .socketCall(_, .send(10)) = event.kind { return true }
            return false
        }
        #expect(sends.map(\.time) == [50, 150, 250, 350, 450].map { Int64($0) * 1_000_000 })
        #expect(run.summary.bytesDelivered == 50)
    }

    @Test func keepaliveOnARunnerConnection() throws {
        let text = """
            scenario probes
            hosts client server
            at 0 server listen 80
            at 0 client connect server:80
            on connected client keepalive 2s 500ms 3
            at 1s link down
            """
        let run = SimulatedRuntime().run(try ScenarioLanguage.parse(text, file: "probes.scn"))
        let set = try #require(run.events.first { event in
            if case .socketCall(_, .setKeepalive) = event.kind { return true }
            return false
        })
        #expect(set.time == 20_000_000)
        let closed = try #require(run.events.first { event in
            if case .stateChanged(let connection, _, .closed, .keepaliveTimeout) = event.kind {
                return connection.hasPrefix("client:")
            }
            return false
        })
        // Set at 20 ms (nothing heard since): idle 2 s, then 3 probes 500 ms apart.
        #expect(closed.time == set.time + 2 * Self.s + 3 * Self.s / 2)
    }

    /// The option reaches the kernel: with `TCP_KEEPIDLE` 1 s the client's kernel probes the idle
    /// connection (an ACK one below SND.NXT, no data) after a second.
    @Test func keepaliveReachesTheKernel() throws {
        let text = """
            scenario kernel-probes
            hosts client server
            at 0 server listen 80
            at 0 client connect server:80
            on connected client keepalive 1s 1s 3
            at 2500ms client close
            """
        let runtime = LoopbackRuntime(options: LoopbackOptions(signalHandling: .ignore))
        let (run, report) = try runtime.runWithReport(try ScenarioLanguage.parse(text, file: "kernel.scn"))
        #expect(run.failures.isEmpty)
        #expect(run.events.contains { event in
            if case .socketCall(_, .setKeepalive(let keepalive?)) = event.kind { return keepalive.idle == Self.s }
            return false
        })
        guard report.capture == .available else { return }   // nothing to see without a capture
        let clientAddress = try #require(run.trace.header.hosts.first { $0.name == "client" }?.address)
        let probes = run.events.filter { event in
            guard case .packetSent(let bytes, _) = event.kind, event.time > 900_000_000, event.time < 2_400_000_000,
                  let packet = try? IPv4Packet.parse(bytes, verifyChecksums: false),
                  packet.header.source == clientAddress, case .tcp(let segment) = packet.payload else { return false }
            return segment.payload.isEmpty && segment.header.flags == .ack
        }
        #expect(!probes.isEmpty, "the kernel probed the idle connection")
    }
}
