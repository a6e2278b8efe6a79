import Apps
import Runs
import Sockets
import Testing
import Tracing

/// The unplugged cable of `dead-peer`: no FIN, no RST, nothing arrives. Heartbeats (T = 1 s,
/// k = 3) notice 3 to 4 s after the cable is pulled; TCP keepalive after its idle time plus its
/// probes × interval from the last sign of life; with neither, nobody ever knows, and the run
/// stops at its horizon and says so.
@Suite("Dead peers: heartbeats, keepalive, neither")
struct DeadPeerTests {
    static let s: Int64 = 1_000_000_000

    /// When `host` last received a packet before `before`.
    static func lastHeard(_ host: String, in trace: Trace, before: Int64) -> Int64? {
        trace.events.last { event in
            guard event.node == host, event.time < before, case .packetReceived = event.kind else { return false }
            return true
        }?.time
    }

    /// When the connection of `host` went to CLOSED, and why.
    static func closed(_ host: String, in trace: Trace) -> (time: Int64, cause: StateChangeCause)? {
        for event in trace.events {
            if case .stateChanged(let connection, _, .closed, let cause) = event.kind, connection.hasPrefix(host + ":") {
                return (event.time, cause)
            }
        }
        return nil
    }

    @Test func theBuiltInScenario() throws {
        let scenario = try #require(BuiltInScenarios.scenario(named: "dead-peer"))
        let run = SimulatedRuntime().run(scenario)
        #expect(run.failures.isEmpty)
        let trace = run.trace
        let pulled = 10 * Self.s

        // Heartbeats: dead at the first tick k·T after the last frame heard, 3 to 4 s after the pull.
        let dead = try #require(trace.events.first { event in
            if case .application(_, .peerDead) = event.kind { return event.node == "hb-client" }
            return false
        })
        #expect(dead.time - pulled >= 3 * Self.s && dead.time - pulled < 4 * Self.s, "\(dead.time)")
        let heard = try #require(Self.lastHeard("hb-client", in: trace, before: pulled + 1))
        if case .application(_, .peerDead(let silence)) = dead.kind { #expect(silence == dead.time - heard) }
        #expect(Self.closed("hb-client", in: trace)?.cause == .abort)

        // Keepalive with Linux's defaults: idle 7200 s, then 9 probes 75 s apart.
        let keepalive = SocketKeepalive.linuxDefaults
        let kaHeard = try #require(Self.lastHeard("ka-client", in: trace, before: pulled))
        let kaClosed = try #require(Self.closed("ka-client", in: trace))
        #expect(kaClosed.cause == .keepaliveTimeout)
        #expect(kaClosed.time == kaHeard + keepalive.idle + Int64(keepalive.probes) * keepalive.interval)
        #expect(kaClosed.time == kaHeard + keepalive.detectionTime)

        // Neither: never closed, still open at the 3 h horizon, which the trace says.
        #expect(Self.closed("plain-client", in: trace) == nil)
        #expect(run.summary.endpoints.first { $0.endpoint.hasPrefix("plain-client:") }?.finalState == .established)
        let horizon = try #require(trace.events.last)
        #expect(horizon.time == 3 * 3_600 * Self.s)
        guard case .note(let note) = horizon.kind else {
            Issue.record("the last event is not the horizon's note: \(horizon)")
            return
        }
        let text = note.description
        #expect(text.contains("time limit 10800s reached") && text.contains("plain-client:"))
        #expect(!text.contains("hb-client:") || text.contains("server:7000>hb-client"),
                "the heartbeat client's own connection is gone; only the server still holds its end")
    }

    /// The same cable, a keepalive short enough to watch and a heartbeat with other T and k.
    @Test(arguments: [(1, 3), (2, 2), (1, 5)])
    func detectionTimesFollowTheSettings(interval: Int64, misses: Int) throws {
        let text = """
            scenario dead "a short keepalive"
            hosts server beats probes
            time-limit 120s
            at 0 server serve long-socket
            at 0 beats long-socket server:7000 heartbeat every \(interval)s miss \(misses)
            at 0 probes long-socket server:7000 keepalive 20s 2s 4
            at 5s link down
            """
        let run = SimulatedRuntime().run(try ScenarioLanguage.parse(text, file: "dead.scn"))
        #expect(run.failures.isEmpty)
        let dead = try #require(run.trace.events.first { event in
            if case .application(_, .peerDead) = event.kind { return true }
            return false
        })
        let heard = try #require(Self.lastHeard("beats", in: run.trace, before: 5 * Self.s + 1))
        let window = interval * Self.s * Int64(misses)
        #expect(dead.time - heard >= window && dead.time - heard < window + interval * Self.s)
        let closed = try #require(Self.closed("probes", in: run.trace))
        let probesHeard = try #require(Self.lastHeard("probes", in: run.trace, before: 5 * Self.s))
        #expect(closed.cause == .keepaliveTimeout && closed.time == probesHeard + 20 * Self.s + 4 * 2 * Self.s)
    }

    /// Heartbeats notice the cable, the client reconnects with backoff once it is back, and the
    /// jitter comes from the seed: the same seed, the same delays; another seed, others.
    @Test func reconnectionIsSeeded() throws {
        func delays(seed: UInt64) throws -> [Int64] {
            let scenario = try #require(BuiltInScenarios.scenario(named: "heartbeat", overrides: ScenarioOverrides(seed: seed)))
            let run = SimulatedRuntime().run(scenario)
            #expect(run.failures.isEmpty)
            #expect(run.summary.intact)
            // Reconnected: a second connection opened after the cable came back at 20 s.
            let opens = run.events.filter { event in
                if case .socketEvent(_, .open) = event.kind { return event.node == "client" }
                return false
            }
            #expect(opens.count == 2 && opens[1].time >= 20 * Self.s)
            return run.events.compactMap { event in
                if case .application(_, .reconnect(_, let delay)) = event.kind { return delay }
                return nil
            }
        }
        let first = try delays(seed: 1)
        #expect(!first.isEmpty)
        #expect(first.allSatisfy { $0 >= 0 && $0 <= Self.s }, "full jitter under the first ceiling, 1 s")
        #expect(try delays(seed: 1) == first)
        #expect(try delays(seed: 2) != first)
    }
}
