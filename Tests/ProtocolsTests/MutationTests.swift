import Testing
import TestSupport
@testable import Protocols

/// The HTTP, WebSocket, MQTT and heartbeat parsers fed 10,000 seeded mutations each of real
/// streams of their own kind (messages our serialisers and encoders write, the golden traces'
/// HTTP exchanges), whole and in pieces, plus what fuzzing once crashed them with: no trap,
/// messages or an error at an offset inside the stream, and no more buffered than the limits.
@Suite("Protocol parsers under seeded mutation")
struct MutationTests {
    /// Feeds `bytes` in pieces of `piece` octets until `feed` says to stop; the number of calls is
    /// the input's length over the piece size, so a parser that loops without consuming would hang
    /// here rather than pass.
    static func pieces(_ bytes: [UInt8], _ piece: Int, _ feed: (ArraySlice<UInt8>) -> Bool) {
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + piece)
            guard feed(bytes[start..<end]) else { return }
            start = end
        }
    }

    static func within(_ offset: Int, _ bytes: [UInt8]) -> Bool { offset >= 0 && offset <= bytes.count }

    static let httpSeeds: [[UInt8]] = {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "server")
        headers.add(name: "Accept", value: "*/*")
        let get = HTTPRequest(target: "/index.html", headers: headers)
        let post = HTTPRequest(method: .post, target: "/echo", headers: headers, body: Array("hello".utf8))
        let ok = HTTPResponse(status: 200, headers: ["Content-Type": "text/plain"], body: Array("hello\n".utf8))
        return [
            HTTPSerializer.serialize(get), HTTPSerializer.serialize(post, framing: .chunked(chunkSize: 2)),
            HTTPSerializer.serialize(get) + HTTPSerializer.serialize(post),
            HTTPSerializer.serialize(ok), HTTPSerializer.serialize(ok, framing: .chunked(chunkSize: 3)),
            Array("GET /chat HTTP/1.1\r\nHost: server\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n".utf8),
            Array("HTTP/1.0 200 OK\r\n\r\nbody until close".utf8),
        ]
    }()

    static let limits = HTTPLimits(maxStartLineLength: 512, maxHeaderSectionSize: 2048, maxFieldCount: 16,
                                   maxBodySize: 4096, maxChunkLineLength: 32, maxTrailerSectionSize: 256)

    @Test func httpMessagesUnderMutation() {
        let vocabulary = ["\r\n", "\r\n\r\n", "Content-Length: ", "Transfer-Encoding: chunked", "Host:", " ", ":",
                          "HTTP/1.1", "HTTP/1.0", "GET", "0\r\n\r\n", "ffffffffffffffff\r\n", "Connection: close", "\t"]
        let tally = MutationTesting.run("http", seeds: Self.httpSeeds, seed: 9112, kind: .text, vocabulary: vocabulary,
                                        maxLength: 16_384, regressions: Repository.fuzzRegressions("http")) { bytes in
            var requests = HTTPRequestParser(limits: Self.limits)
            var responses = HTTPResponseParser(limits: Self.limits)
            var error: HTTPParseError?
            var messages = 0
            Self.pieces(bytes, Int(bytes.first ?? 0) % 17 + 1) { piece in
                let result = requests.feed(piece)
                messages += result.messages.count
                error = result.error
                return error == nil
            }
            if error == nil {
                let end = requests.finish()
                messages += end.messages.count
                error = end.error
            }
            let response = responses.feed(bytes)
            let responseError = response.error ?? (response.error == nil ? responses.finish().error : nil)
            for e in [error, responseError].compactMap({ $0 }) where !Self.within(e.offset, bytes) || e.field.isEmpty {
                return .unlocated("\(e)")
            }
            return error == nil ? .value : .located
        }
        #expect(tally.values > 200 && tally.located > 2_000, "\(tally)")
    }

    static let frames: [WebSocketFrame] = [
        WebSocketFrame(opcode: .text, payload: Array("Hello".utf8)),
        WebSocketFrame(fin: false, opcode: .text, payload: Array("Hel".utf8)),
        WebSocketFrame(opcode: .continuation, payload: Array("lo".utf8)),
        WebSocketFrame(opcode: .binary, payload: Array(repeating: 7, count: 300)),
        WebSocketFrame(opcode: .ping, payload: Array("ping".utf8)),
        WebSocketFrame(opcode: .pong),
        WebSocketFrame.close(code: .normalClosure, reason: "bye"),
    ]

    @Test func webSocketFramesUnderMutation() {
        let key = WebSocketMaskingKey(0x37, 0xfa, 0x21, 0x3d)
        let masked = Self.frames.map { frame -> [UInt8] in
            var frame = frame
            frame.maskingKey = key
            return frame.encoded()
        }
        // A stream starts with the role: 0 a server reading a client's masked frames, 1 a client.
        let seeds = [[0] + masked.joined(), [1] + Self.frames.flatMap { $0.encoded() }]
            + masked.map { [0] + $0 } + Self.frames.map { [1] + $0.encoded() }
        let tally = MutationTesting.run("websocket", seeds: seeds, seed: 6455, kind: .binary,
                                        regressions: Repository.fuzzRegressions("websocket")) { input in
            let role: WebSocketRole = (input.first ?? 0) % 2 == 0 ? .server : .client
            let bytes = Array(input.dropFirst())
            var parser = WebSocketFrameParser(role: role, maxFramePayload: 4096, maxMessageSize: 8192)
            var failure: WebSocketProtocolError?
            Self.pieces(bytes, Int(bytes.count % 13) + 1) { piece in
                do throws(WebSocketProtocolError) {
                    _ = try parser.parse(piece)
                    return parser.bufferedByteCount <= 8192
                } catch {
                    failure = error
                    return false
                }
            }
            if parser.bufferedByteCount > 8192 { return .overBudget("buffered \(parser.bufferedByteCount) octets") }
            guard let failure else { return .value }
            return Self.within(failure.offset, bytes) ? .located : .unlocated("\(failure)")
        }
        #expect(tally.values > 500 && tally.located > 2_000, "\(tally)")
    }

    @Test func mqttPacketsUnderMutation() {
        let packets: [MQTTPacket] = [
            .connect(MQTTConnect(clientID: "c1")), .connack(sessionPresent: false, returnCode: .accepted),
            .publish(MQTTPublish(topic: "chat/room", payload: Array("hi".utf8))),
            .publish(MQTTPublish(topic: "chat/room", payload: Array("hi".utf8), qos: .atLeastOnce, packetID: 7)),
            .puback(packetID: 7), .pubrec(packetID: 8), .pubrel(packetID: 8), .pubcomp(packetID: 8),
            .subscribe(packetID: 1, subscriptions: [MQTTSubscription("chat/#", qos: .atLeastOnce)]),
            .suback(packetID: 1, returnCodes: [.granted(.atLeastOnce), .failure]),
            .unsubscribe(packetID: 2, topicFilters: ["chat/#"]), .unsuback(packetID: 2), .pingreq, .pingresp, .disconnect,
        ]
        let seeds = [packets.flatMap { $0.encoded() }] + packets.map { $0.encoded() }
        let tally = MutationTesting.run("mqtt", seeds: seeds, seed: 1883, kind: .binary, vocabulary: ["MQTT", "\u{04}"],
                                        regressions: Repository.fuzzRegressions("mqtt")) { bytes in
            var parser = MQTTPacketParser(maxPacketSize: 4096)
            var failure: MQTTDecodingError?
            Self.pieces(bytes, Int(bytes.count % 11) + 1) { piece in
                do throws(MQTTDecodingError) {
                    for packet in try parser.parse(piece) { _ = packet.encoded() }
                    return true
                } catch {
                    failure = error
                    return false
                }
            }
            if parser.bufferedByteCount > 4096 { return .overBudget("buffered \(parser.bufferedByteCount) octets") }
            guard let failure else { return .value }
            return Self.within(failure.offset, bytes) ? .located : .unlocated("\(failure)")
        }
        #expect(tally.values > 500 && tally.located > 2_000, "\(tally)")
    }

    @Test func heartbeatFramesUnderMutation() {
        let frames: [HeartbeatFrame] = [.data(Array("GET /index.html".utf8)), .ping(), .pong([1, 2, 3, 4]), .data([])]
        let seeds = [frames.flatMap { $0.encoded() }] + frames.map { $0.encoded() }
        let tally = MutationTesting.run("heartbeat", seeds: seeds, seed: 7000, kind: .binary,
                                        regressions: Repository.fuzzRegressions("heartbeat")) { bytes in
            var decoder = HeartbeatFrameDecoder(maxPayloadLength: 1024)
            var failure: HeartbeatFrameError?
            Self.pieces(bytes, Int(bytes.count % 7) + 1) { piece in
                failure = decoder.feed(piece).error
                return failure == nil
            }
            if failure == nil { failure = decoder.finish().error }
            guard let failure else { return .value }
            return Self.within(failure.offset, bytes) ? .located : .unlocated("\(failure)")
        }
        #expect(tally.values > 500 && tally.located > 2_000, "\(tally)")
    }
}
