import Runs
import Testing
import Tracing
import Wire

/// `on received N HOST OPERATION`: a step that runs once a connection of HOST has received N bytes.
@Suite("The on-received trigger")
struct ReceivedTriggerTests {
    static let text = """
        scenario exchange
        profile linux
        hosts client server
        link rtt 10ms
        at 0 server listen 80
        at 0 client connect server:80
        on connected client send 100
        on received 100 server send 1000
        on received 1000+5ms client close
        on peer-finished server close
        """

    @Test func theAnswerLeavesWhenTheRequestHasArrived() throws {
        let run = SimulatedRuntime().run(try ScenarioLanguage.parse(Self.text, file: "exchange.scn"))
        let request = try #require(run.segmentsSent(by: "client").first { $0.segment.payload.count == 100 })
        let response = try #require(run.segmentsSent(by: "server").first { $0.segment.payload.count == 1000 })
        // One-way delay 5 ms: the response leaves as the request arrives, and carries its ACK.
        #expect(response.time == request.time + 5 * millisecond)
        #expect(response.segment.header.acknowledgmentNumber == request.segment.header.sequenceNumber + 100)
        let fin = try #require(run.segmentsSent(by: "client").first { $0.segment.header.flags.contains(.fin) })
        #expect(fin.time == response.time + 5 * millisecond + 5 * millisecond)
        #expect(run.sockets.streams.allSatisfy { $0.intact })
    }

    @Test func itRoundTripsThroughTheScenarioLanguage() throws {
        let scenario = try ScenarioLanguage.parse(Self.text, file: "exchange.scn")
        #expect(scenario.steps.contains { $0.trigger == .received(bytes: 1000, delay: 5 * millisecond) })
        let text = ScenarioLanguage.format(scenario)
        #expect(text.contains("on received 100 server send 1000"))
        #expect(text.contains("on received 1000+5ms client close"))
        #expect(try ScenarioLanguage.parse(text, file: "again.scn") == scenario)
    }

    @Test(arguments: [("on received 0 server close", "expected a byte count"),
                      ("on received many server close", "expected a byte count"),
                      ("on received 10+soon server close", "expected a duration")])
    func badCountsAreErrorsWithTheirColumn(_ line: String, _ message: String) {
        let text = "scenario bad\nhosts client server\n" + line + "\n"
        #expect {
            try ScenarioLanguage.parse(text, file: "bad.scn")
        } throws: { error in
            guard let error = error as? ScenarioSyntaxError else { return false }
            return error.line == 3 && error.column > 1 && error.message.hasPrefix(message)
        }
    }
}
