import Testing
import Tracing
import Tutor

/// Lesson steps bound to application events (`HOST app EVENT [sent|received]`), and the packet
/// pane's application layer: HTTP messages and the long connection's frames.
@Suite struct ApplicationBindingTests {
    @Test func appBindingsParse() throws {
        let selector = try EventSelector.parse("when second client app http-request sent").get()
        #expect(selector.ordinal == .nth(2))
        #expect(selector.target == .application(host: "client", event: "http-request", direction: .sent))
        #expect(try EventSelector.parse("at last hb-client app peer-dead").get().target
                == .application(host: "hb-client", event: "peer-dead", direction: nil))
        guard case .failure(let unknown) = EventSelector.parse("when client app http-reqest") else {
            Issue.record("accepted an unknown event")
            return
        }
        #expect(unknown.message.hasPrefix("unknown application event 'http-reqest'; events: http-request, http-response"))
        guard case .failure(let direction) = EventSelector.parse("when client app ping lost") else {
            Issue.record("accepted a bad direction")
            return
        }
        #expect(direction.message == "expected 'sent' or 'received' after 'ping', not 'lost'")
    }

    @Test func theLessonsBindToTheRightEvents() throws {
        let run = try loadRun("http-connections")
        let response = try #require(EventSelector.parse("when last new app http-response received").get()
            .resolve(in: run.events, hostNames: run.hostNames))
        #expect(run.events[response].time == 1_080_000_000)
        guard case .application(_, .httpResponseReceived(let id, _, 200, 336, let latency)) = run.events[response].kind else {
            Issue.record("\(run.events[response])")
            return
        }
        #expect(id == 2 && latency == 20_000_000)
    }

    @Test func thePacketPaneDecodesHTTPAndFrames() throws {
        let run = try loadRun("inside-http")
        let request = try #require(EventSelector.parse("at first data from client").get()
            .resolve(in: run.events, hostNames: run.hostNames))
        let layers = try #require(run.layers(at: request))
        #expect(layers.map(\.title).last == "Hypertext Transfer Protocol, GET /hello.txt")
        let fields = layers.last!.fields
        #expect(fields.map(\.name) == ["http.headers", "http.start-line", "http.field", "http.field", "http.field"])
        #expect(fields[1].value == "GET /hello.txt HTTP/1.1" && fields[1].range == 40..<65)
        #expect(fields[2].label == "Host" && fields[2].value == "server")
        #expect(fields[0].range == 40..<120, "the header section is the whole request")

        let response = try #require(EventSelector.parse("at first data from server").get()
            .resolve(in: run.events, hostNames: run.hostNames))
        let body = try #require(run.layers(at: response)?.last?.fields.last)
        #expect(body.name == "http.body" && body.range.count == 14 && body.value.hasPrefix("14 bytes \"Hello, world!"))

        let beats = try loadRun("dead-peer")
        let ping = try #require(EventSelector.parse("at first data from hb-client").get()
            .resolve(in: beats.events, hostNames: beats.hostNames))
        let frame = try #require(beats.layers(at: ping)?.last)
        #expect(frame.title == "StackLab frame, PING, 8-byte payload")
        #expect(frame.fields.map(\.name) == ["frame.type", "frame.length", "frame.payload"])
    }
}
