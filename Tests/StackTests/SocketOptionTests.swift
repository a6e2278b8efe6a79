import Runs
import Sockets
import Testing
import Tracing
import Wire

/// `nodelay` (TCP_NODELAY) and `quickack` (TCP_QUICKACK) in the scenario language and on the
/// simulated stack.
@Suite("Socket options")
struct SocketOptionTests {
    static func run(_ options: String, profile: String = "linux") throws -> Run {
        SimulatedRuntime().run(try ScenarioLanguage.parse("""
            scenario options
            profile \(profile)
            hosts client server
            link rtt 10ms
            at 0 server listen 80
            at 0 client connect server:80
            \(options)
            at 50ms client send 100
            at 51ms client send 100
            """, file: "options.scn"))
    }

    /// When the client's two 100-byte writes left, in milliseconds.
    static func dataTimes(_ run: Run) -> [Int64] {
        run.segmentsSent(by: "client").filter { !$0.segment.payload.isEmpty }.map { $0.time / millisecond }
    }

    @Test func nodelaySendsTheSecondSmallWriteAtOnce() throws {
        // Nagle (RFC 896): the second small write waits for the ACK of the first (10 ms RTT).
        #expect(Self.dataTimes(try Self.run("")) == [50, 60])
        #expect(Self.dataTimes(try Self.run("on connected client nodelay")) == [50, 51])
        #expect(Self.dataTimes(try Self.run("on connected client nodelay on")) == [50, 51])
        #expect(Self.dataTimes(try Self.run("on connected client nodelay\nat 40ms client nodelay off")) == [50, 60])
    }

    @Test func quickackOffMakesTheServerWaitForDataToCarryItsACK() throws {
        func serverACKTime(_ options: String) throws -> Int64? {
            let run = try Self.run(options)
            let ack = run.segmentsSent(by: "server").dropFirst().first { $0.segment.payload.isEmpty }
            return ack.map { $0.time / millisecond }
        }
        // Quick-ACK mode: the first data is acknowledged on arrival (55 ms).
        #expect(try serverACKTime("") == 55)
        // TCP_QUICKACK 0: interactive, so the ACK waits for the delayed-ACK timer (40 ms).
        #expect(try serverACKTime("on accepted server quickack off") == 95)
    }

    @Test func optionsRoundTripAndAreTraced() throws {
        let text = """
            scenario options
            hosts client server
            on connected client nodelay
            on connected client quickack off
            """
        let scenario = try ScenarioLanguage.parse(text, file: "options.scn")
        #expect(scenario.steps.map(\.operation) == [.socketOption(.noDelay(true)), .socketOption(.quickACK(false))])
        let printed = ScenarioLanguage.format(scenario)
        #expect(printed.contains("on connected client nodelay\n"))
        #expect(printed.contains("on connected client quickack off"))
        #expect(try ScenarioLanguage.parse(printed, file: "again.scn") == scenario)
        #expect(SocketCall(name: "nodelay", argument: "on") == .setOption(.noDelay(true)))
        #expect(SocketCall(name: "quickack", argument: "off") == .setOption(.quickACK(false)))
        #expect(SocketCall(name: "quickack", argument: "maybe") == nil)
        let run = try Self.run("on connected client nodelay")
        #expect(run.events.contains { event in
            if case .socketCall(_, .setOption(.noDelay(true))) = event.kind { true } else { false }
        })
    }
}
