import Rendering
import Testing
import Tracing
@testable import Tutor

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

/// The packet pane on the WebSocket and MQTT lessons: the handshake is HTTP, then frames (masked
/// from the client, shown unmasked), and MQTT packets on port 1883; in both languages.
@Suite struct WebSocketAndMQTTPaneTests {
    @Test func theWebSocketLessonShowsTheHandshakeThenFrames() throws {
        let run = try loadRun("websocket")
        func layers(_ selector: String) throws -> [PacketLayer] {
            let index = try #require(EventSelector.parse(selector).get().resolve(in: run.events, hostNames: run.hostNames))
            return try #require(run.layers(at: index))
        }
        let upgrade = try layers("at first data from client"), switching = try layers("at first data from server")
        #expect(upgrade.last?.title == "Hypertext Transfer Protocol, GET /echo (WebSocket handshake)")
        #expect(switching.last?.title == "Hypertext Transfer Protocol, response 101 (WebSocket handshake)")
        let text = try #require(try layers("at 2nd data from client").last)
        #expect(text.title == "WebSocket frame, text, FIN, masked, 71-byte payload")
        #expect(text.fields.map(\.name) == ["ws.flags", "ws.length", "ws.mask", "ws.payload"])
        #expect(text.fields[0].value == "FIN, opcode 0x1 (text)" && text.fields[0].range == 40..<41)
        #expect(text.fields[1].value == "masked, 71" && text.fields[2].range == 42..<46)
        #expect(text.fields[3].value.hasPrefix("71 bytes, unmasked \"{\"from\":\"client\""), "\(text.fields[3].value)")
        let echo = try #require(try layers("at 2nd data from server").last)
        #expect(echo.title == "WebSocket frame, text, FIN, not masked, 71-byte payload")
        #expect(echo.fields.map(\.name) == ["ws.flags", "ws.length", "ws.payload"])
        let ping = try layers("at 4th data from client"), pong = try layers("at 4th data from server")
        #expect(ping.last?.fields.first?.value == "FIN, opcode 0x9 (ping)")
        #expect(pong.last?.fields.first?.value == "FIN, opcode 0xa (pong)")

        let chinese = PacketDissector.localized([text], .zh)[0]
        #expect(chinese.title == "WebSocket 帧，文本，FIN，已掩码，载荷 71 字节")
        #expect(chinese.fields.map(\.label) == ["FIN、RSV、操作码", "掩码位、载荷长度", "掩码键", "载荷"])
        #expect(chinese.fields[0].value == "FIN，操作码 0x1（文本）")
        #expect(chinese.fields[1].value == "已掩码，71")
        #expect(chinese.fields[3].value.hasPrefix("71 字节，去掉掩码后 “{\"from\""))
    }

    @Test func theMQTTLessonShowsPackets() throws {
        let run = try loadRun("mqtt")
        // CONNECT, then SUBSCRIBE (held by Nagle until CONNECT is acknowledged), then the first PUBLISH.
        let publish = try #require(EventSelector.parse("at 3rd data from alice").get()
            .resolve(in: run.events, hostNames: run.hostNames))
        let layer = try #require(run.layers(at: publish)?.last)
        #expect(layer.title == "MQ Telemetry Transport, PUBLISH, QoS 1")
        #expect(layer.fields.map(\.name) == ["mqtt.type", "mqtt.length", "mqtt.topic", "mqtt.id", "mqtt.payload"])
        #expect(layer.fields[0].value == "3 (PUBLISH), DUP 0, QoS 1, RETAIN 0")
        #expect(layer.fields[2].value == "chat/room1" && layer.fields[3].value == "2")
        let connect = try #require(EventSelector.parse("at first data from alice").get()
            .resolve(in: run.events, hostNames: run.hostNames))
        let first = try #require(run.layers(at: connect)?.last)
        #expect(first.title == "MQ Telemetry Transport, CONNECT")
        #expect(first.fields.map(\.value).suffix(2) == ["10 s", "alice"])
        let chinese = PacketDissector.localized([layer], .zh)[0]
        #expect(chinese.title == "MQTT，PUBLISH，QoS 1")
        #expect(chinese.fields[0].value == "3（PUBLISH），DUP 0，QoS 1，RETAIN 0")
    }
}
