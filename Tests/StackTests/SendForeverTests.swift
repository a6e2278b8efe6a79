import Runs
import Testing
import Tracing

@Suite("send forever on the simulated stack")
struct SendForeverTests {
    static let text = """
        scenario endless "a bulk sender"
        hosts client server
        link bandwidth 10mbit queue 20
        time-limit 2s
        at 0 server listen 80
        at 0 client connect server:80
        on connected client send forever
        """

    @Test func theStatementRoundTrips() throws {
        let scenario = try ScenarioLanguage.parse(Self.text, file: "endless.scn")
        #expect(scenario.steps.last?.operation == .sendForever)
        #expect(ScenarioLanguage.format(scenario).hasSuffix("on connected client send forever\n"))
        #expect(try ScenarioLanguage.parse(ScenarioLanguage.format(scenario), file: "again.scn") == scenario)
        #expect(throws: ScenarioSyntaxError.self) {
            try ScenarioLanguage.parse(String(Self.text.dropLast("forever".count)) + "always", file: "e.scn")
        }
    }

    @Test func theFlowRunsUntilTheTimeLimitAndArrivesIntact() throws {
        let run = SimulatedRuntime().run(try ScenarioLanguage.parse(Self.text, file: "endless.scn"))
        let summary = run.summary
        #expect(summary.intact)
        // 10 Mbit/s for about 2 s, less the handshake and slow start.
        #expect(summary.bytesDelivered > 1_500_000 && summary.bytesDelivered < 2_500_000)
        #expect(run.events.contains { $0.kind == .socketCall(socket: "client:49152>server:80", call: .sendForever) })
        #expect(summary.endpoints.allSatisfy { $0.finalState == .established })
    }

    @Test func theCallReadsBackFromATraceFile() throws {
        #expect(SocketCall(name: "send", argument: "forever") == .sendForever)
        #expect(SocketCall.sendForever.description == "send forever")
    }
}
