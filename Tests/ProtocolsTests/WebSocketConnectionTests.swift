import Protocols
import Simulation
import Testing

/// Masking keys 0x01020304, 0x05060708, ... so that tests can predict every masked byte.
struct CountingMaskingKeys: WebSocketMaskingKeySource {
    var next: UInt8 = 1

    mutating func nextMaskingKey() -> WebSocketMaskingKey {
        defer { next &+= 4 }
        return WebSocketMaskingKey(next, next &+ 1, next &+ 2, next &+ 3)
    }
}

@Suite("WebSocket endpoint (RFC 6455 §5.5, §7)")
struct WebSocketConnectionTests {
    private let second: Int64 = 1_000_000_000

    /// An open client and server.
    private func pair(configuration: WebSocketConnection.Configuration = .init())
        -> (client: WebSocketConnection, server: WebSocketConnection) {
        var client = WebSocketConnection.client(maskingKeys: CountingMaskingKeys(), configuration: configuration)
        var server = WebSocketConnection.server(configuration: configuration)
        #expect(client.open(now: 0).events == [.open])
        #expect(server.open(now: 0).events == [.open])
        return (client, server)
    }

    /// A masked frame as a client would send it, with an arbitrary key.
    private func fromClient(_ frame: WebSocketFrame) -> [UInt8] {
        var frame = frame
        frame.maskingKey = WebSocketMaskingKey(9, 8, 7, 6)
        return frame.encoded()
    }

    // MARK: - Messages

    @Test func openHappensOnce() {
        var server = WebSocketConnection.server()
        #expect(server.readyState == 0)
        #expect(server.open(now: 0) == WebSocketOutput(events: [.open]))
        #expect(server.open(now: 1) == WebSocketOutput())
        #expect(server.readyState == 1)
    }

    /// Client frames are masked with the caller's keys, in order (§5.3); server frames are not.
    @Test func clientMasksWithSuppliedKeysServerDoesNot() {
        var (client, server) = pair()
        let first = client.send(text: "Hello", now: 1)
        let maskedHello: [UInt8] = [0x48 ^ 1, 0x65 ^ 2, 0x6C ^ 3, 0x6C ^ 4, 0x6F ^ 1]
        let header: [UInt8] = [0x81, 0x85, 1, 2, 3, 4]
        #expect(first.actions == [.send(header + maskedHello)])
        let second = client.send(binary: [0, 0], now: 2)
        #expect(second.actions == [.send([0x82, 0x82, 5, 6, 7, 8, 5, 6])])
        #expect(server.receive(first.sentBytes + second.sentBytes, now: 3).events
            == [.message(.text("Hello")), .message(.binary([0, 0]))])
        let reply = server.send(text: "Hello", now: 4)
        #expect(reply.sentBytes == [0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])
        #expect(client.receive(reply.sentBytes, now: 5).events == [.message(.text("Hello"))])
    }

    /// Seeded keys: the same seed masks the same way.
    @Test func seededMaskingKeysAreReproducible() {
        func bytes(seed: UInt64) -> [UInt8] {
            var client = WebSocketConnection.client(maskingKeys: GeneratorMaskingKeys(SplitMix64(seed: seed)))
            _ = client.open(now: 0)
            return client.send(text: "same", now: 0).sentBytes + client.send(text: "same", now: 0).sentBytes
        }
        #expect(bytes(seed: 0) == bytes(seed: 0))
        #expect(bytes(seed: 0) != bytes(seed: 1))
        // SplitMix64(0)'s first output is 0xe220a8397b1dcdaf: the key is its low 32 bits.
        #expect(Array(bytes(seed: 0)[2..<6]) == [0x7B, 0x1D, 0xCD, 0xAF])
    }

    /// §5.4: fragments of at most `fragmentSize` octets, joined again by the receiver, fed in any pieces.
    @Test func fragmentedMessagesAreReassembled() {
        var (client, server) = pair(configuration: .init(fragmentSize: 2))
        let output = client.send(text: "Hé€llo", now: 1)
        #expect(output.actions.count == 5)  // 10 UTF-8 bytes in pieces of 2, split inside characters
        let override = client.send(.binary([1, 2, 3, 4, 5, 6, 7]), fragmentSize: 3, now: 1)
        #expect(override.actions.count == 3)
        let bytes = output.sentBytes + override.sentBytes
        let events = SplitFeed.sameForEveryFeed(bytes) { pieces -> [WebSocketEvent] in
            var receiver = server
            return pieces.flatMap { receiver.receive($0, now: 2).events }
        }
        #expect(events == [.message(.text("Hé€llo")), .message(.binary([1, 2, 3, 4, 5, 6, 7]))])
        _ = server.receive(bytes, now: 2)
    }

    // MARK: - Ping and pong

    /// §5.5.2-3: a ping is answered at once with a pong carrying the same data; a pong is reported.
    @Test func pingIsAnsweredWithPong() throws {
        var (client, server) = pair()
        let ping = try client.ping([1, 2, 3], now: 1)
        let answer = server.receive(ping.sentBytes, now: 2)
        #expect(answer.events.isEmpty)
        #expect(answer.sentBytes == [0x8A, 0x03, 1, 2, 3])
        #expect(client.receive(answer.sentBytes, now: 3).events == [.pong([1, 2, 3])])
        // And the other way round: the client's pong is masked.
        let serverPing = try server.ping(Array("hb".utf8), now: 4)
        let clientAnswer = client.receive(serverPing.sentBytes, now: 5)
        #expect(clientAnswer.sentBytes.prefix(2) == [0x8A, 0x82])
        #expect(server.receive(clientAnswer.sentBytes, now: 6).events == [.pong(Array("hb".utf8))])
        // A ping between two fragments is answered too (§5.4).
        let first = fromClient(WebSocketFrame(fin: false, opcode: .text, payload: Array("a".utf8)))
        let middle = fromClient(WebSocketFrame(opcode: .ping, payload: [7]))
        let last = fromClient(WebSocketFrame(opcode: .continuation, payload: Array("b".utf8)))
        let output = server.receive(first + middle + last, now: 7)
        #expect(output.events == [.message(.text("ab"))])
        #expect(output.sentBytes == [0x8A, 0x01, 7])
    }

    @Test func usageErrors() {
        var (client, _) = pair()
        #expect(throws: WebSocketUsageError.controlPayloadTooLong(126)) {
            try client.ping([UInt8](repeating: 0, count: 126), now: 1)
        }
        #expect(throws: WebSocketUsageError.invalidCloseCode(.noStatusReceived)) {
            try client.close(code: .noStatusReceived, now: 1)
        }
        #expect(throws: WebSocketUsageError.invalidCloseCode(.abnormalClosure)) {
            try client.close(code: .abnormalClosure, now: 1)
        }
        let long = String(repeating: "x", count: 124)
        #expect(throws: WebSocketUsageError.invalidCloseReason(long)) { try client.close(reason: long, now: 1) }
        #expect(throws: WebSocketUsageError.invalidCloseReason("why")) {
            try client.close(code: nil, reason: "why", now: 1)
        }
        #expect(client.readyState == 1)
        #expect(throws: Never.self) { try client.close(reason: String(repeating: "x", count: 123), now: 1) }
    }

    // MARK: - Close handshake

    /// §7.1.1-§7.1.2, client first: the server echoes the code and closes TCP; the client waits
    /// for that close, and the close is clean on both sides.
    @Test func clientStartsTheCloseHandshake() throws {
        var (client, server) = pair()
        let close = try client.close(code: .normalClosure, reason: "bye", now: 1)
        #expect(close.sentBytes == WebSocketFrame.close(code: .normalClosure, reason: "bye",
                                                        maskingKey: WebSocketMaskingKey(1, 2, 3, 4)).encoded())
        #expect(client.readyState == 2)
        // After sending Close, nothing more is sent (§5.5.1).
        #expect(client.send(text: "late", now: 1) == WebSocketOutput())

        let echo = server.receive(close.sentBytes, now: 2)
        #expect(echo.actions == [.send([0x88, 0x02, 0x03, 0xE8]), .closeTransport])
        #expect(echo.events == [.close(code: .normalClosure, reason: "bye", wasClean: true)])
        #expect(server.readyState == 3)

        let received = client.receive(echo.sentBytes, now: 3)
        #expect(received.actions.isEmpty && received.events.isEmpty)  // waits for the server to close TCP
        #expect(received.framesReceived.map(\.opcode) == [.close])  // the frame is reported for tracing
        #expect(client.readyState == 2)
        #expect(client.transportClosed(now: 4).events == [.close(code: .normalClosure, reason: "", wasClean: true)])
        #expect(client.readyState == 3)
    }

    /// Server first: the client echoes and then waits; the server closes TCP when the echo arrives.
    @Test func serverStartsTheCloseHandshake() throws {
        var (client, server) = pair()
        let close = try server.close(code: .goingAway, reason: "restart", now: 1)
        #expect(close.sentBytes == [0x88, 0x09, 0x03, 0xE9] + Array("restart".utf8))
        let echo = client.receive(close.sentBytes, now: 2)
        let echoed = WebSocketFrame.close(code: .goingAway, maskingKey: WebSocketMaskingKey(1, 2, 3, 4))
        #expect(echo.actions == [.send(echoed.encoded())])
        #expect(echo.events.isEmpty)
        let done = server.receive(echo.sentBytes, now: 3)
        #expect(done.actions == [.closeTransport])
        #expect(done.events == [.close(code: .goingAway, reason: "", wasClean: true)])
        // The client, waiting, closes TCP itself when the server is slow (§7.1.1).
        #expect(client.nextDeadline == 2 + 5 * second)
        #expect(client.tick(now: 2 + 5 * second - 1) == WebSocketOutput())
        #expect(client.tick(now: 2 + 5 * second)
            == WebSocketOutput(actions: [.closeTransport],
                               events: [.close(code: .goingAway, reason: "restart", wasClean: true)]))
    }

    /// A Close with no status code is echoed without one, and reported as 1005 (§7.1.5).
    @Test func closeWithoutCode() throws {
        var (client, server) = pair()
        let close = try client.close(code: nil, now: 1)
        let echo = server.receive(close.sentBytes, now: 2)
        #expect(echo.actions == [.send([0x88, 0x00]), .closeTransport])
        #expect(echo.events == [.close(code: .noStatusReceived, reason: "", wasClean: true)])
    }

    /// The peer never answers our Close: after the timeout the transport is closed, uncleanly.
    @Test func closeTimeout() throws {
        var (_, server) = pair(configuration: .init(closeTimeout: 2 * second))
        _ = try server.close(now: 10)
        #expect(server.nextDeadline == 10 + 2 * second)
        #expect(server.tick(now: 10 + 2 * second - 1) == WebSocketOutput())
        #expect(server.tick(now: 10 + 2 * second)
            == WebSocketOutput(actions: [.closeTransport],
                               events: [.close(code: .abnormalClosure, reason: "", wasClean: false)]))
        #expect(server.nextDeadline == nil)
        #expect(server.tick(now: 20 * second) == WebSocketOutput())
    }

    /// Messages that arrive after we sent Close are dropped, as browsers do; nothing is read
    /// after the peer's Close.
    @Test func dataAroundTheCloseHandshake() throws {
        var (_, server) = pair()
        _ = try server.close(now: 1)
        let late = fromClient(WebSocketFrame(opcode: .text, payload: Array("late".utf8)))
        let dropped = server.receive(late, now: 2)
        #expect(dropped.actions.isEmpty && dropped.events.isEmpty)
        #expect(dropped.framesReceived.map(\.opcode) == [.text])
        let closeAndMore = fromClient(.close(code: .normalClosure)) + late + [0xFF, 0xFF]
        let output = server.receive(closeAndMore, now: 3)
        #expect(output.actions == [.closeTransport])
        #expect(output.events == [.close(code: .normalClosure, reason: "", wasClean: true)])
        #expect(server.receive(late, now: 4) == WebSocketOutput())
    }

    @Test func transportLostWithoutClose() {
        var (client, _) = pair()
        #expect(client.transportClosed(now: 1).events == [.close(code: .abnormalClosure, reason: "", wasClean: false)])
        #expect(client.transportClosed(now: 2) == WebSocketOutput())
        #expect(client.send(text: "x", now: 3) == WebSocketOutput())
    }

    // MARK: - Protocol errors

    /// §7.1.7: the error's code goes out in a Close frame, then the transport is closed at once.
    @Test func protocolErrorsAreAnsweredWithTheirCloseCode() {
        let cases: [([UInt8], WebSocketProtocolError.Kind, UInt16)] = [
            (WebSocketFrame(opcode: .text, payload: [0x61]).encoded(), .unmaskedFrameFromClient, 1002),
            (fromClient(WebSocketFrame(opcode: .reserved(0x5), payload: [])), .reservedOpcode(0x5), 1002),
            (fromClient(WebSocketFrame(opcode: .text, payload: [0xC0, 0xAF])), .invalidUTF8InText, 1007),
            (fromClient(WebSocketFrame(opcode: .close, payload: [0x03, 0xED])), .invalidCloseCode(1005), 1002),
            (fromClient(WebSocketFrame(opcode: .binary, payload: [UInt8](repeating: 0, count: 200))),
             .frameTooBig(length: 200, limit: 150), 1009),
        ]
        for (bytes, kind, code) in cases {
            var (_, server) = pair(configuration: .init(maxFramePayload: 150, maxMessageSize: 150))
            let output = server.receive(bytes, now: 1)
            let closeFrame: [UInt8] = [0x88, 0x02, UInt8(code >> 8), UInt8(code & 0xFF)]
            #expect(output.actions == [.send(closeFrame), .closeTransport], "\(kind)")
            #expect(output.events.count == 2)
            if case .error(let error) = output.events.first {
                #expect(error.kind == kind)
                #expect(error.closeCode.rawValue == code)
            } else {
                Issue.record("no error event for \(kind)")
            }
            #expect(output.events.last == .close(code: .abnormalClosure, reason: "", wasClean: false))
            #expect(server.readyState == 3)
            #expect(server.receive(bytes, now: 2) == WebSocketOutput())
        }
    }

    /// A client answers a server's protocol error with a masked Close frame; invalid UTF-8 split
    /// across fragments gives 1007.
    @Test func clientFailsOnInvalidUTF8AcrossFragments() {
        var (client, _) = pair()
        let first = WebSocketFrame(fin: false, opcode: .text, payload: [0x61, 0xF0, 0x9F]).encoded()
        let second = WebSocketFrame(opcode: .continuation, payload: [0x41]).encoded()
        let partial = client.receive(first, now: 1)
        #expect(partial.actions.isEmpty && partial.events.isEmpty && partial.framesReceived.count == 1)
        let output = client.receive(second, now: 2)
        #expect(output.actions == [.send(WebSocketFrame.close(code: .invalidFramePayloadData,
                                                             maskingKey: WebSocketMaskingKey(1, 2, 3, 4)).encoded()),
                                   .closeTransport])
        #expect(output.events.first == .error(WebSocketProtocolError(.invalidUTF8InText, offset: first.count + 2)))
    }

    /// Frames before the error in the same read are still handled.
    @Test func framesBeforeAnErrorAreDelivered() {
        var (_, server) = pair()
        let good = fromClient(WebSocketFrame(opcode: .text, payload: Array("ok".utf8)))
        let output = server.receive(good + [0x81, 0x01, 0x61], now: 1)
        #expect(output.events.first == .message(.text("ok")))
        let error = WebSocketProtocolError(.unmaskedFrameFromClient, offset: good.count + 1)
        #expect(output.events.dropFirst().first == .error(error))
    }

    /// If we already sent Close, a protocol error closes the transport without a second Close.
    @Test func protocolErrorAfterOurClose() throws {
        var (_, server) = pair()
        _ = try server.close(now: 1)
        let output = server.receive([0x81, 0x01, 0x61], now: 2)
        #expect(output.actions == [.closeTransport])
        #expect(output.events.last == .close(code: .abnormalClosure, reason: "", wasClean: false))
    }

    /// A whole conversation, with the client's bytes fed to the server in random pieces, gives
    /// the same events and answers as fed whole.
    @Test func conversationFedInPieces() throws {
        var (client, _) = pair(configuration: .init(fragmentSize: 7))
        var bytes: [UInt8] = []
        bytes += client.send(text: "The quick brown fox", now: 1).sentBytes
        bytes += try client.ping(Array("hb".utf8), now: 2).sentBytes
        bytes += client.send(binary: (0..<40).map { UInt8($0) }, now: 3).sentBytes
        bytes += try client.close(code: WebSocketCloseCode(4000), reason: "done", now: 4).sentBytes
        let result = SplitFeed.sameForEveryFeed(bytes) { pieces -> WebSocketOutput in
            var server = WebSocketConnection.server()
            _ = server.open(now: 0)
            var output = WebSocketOutput()
            for piece in pieces {
                let step = server.receive(piece, now: 5)
                output.actions += step.actions
                output.events += step.events
            }
            return output
        }
        #expect(result.events == [.message(.text("The quick brown fox")), .message(.binary((0..<40).map { UInt8($0) })),
                                  .close(code: WebSocketCloseCode(4000), reason: "done", wasClean: true)])
        let pong: [UInt8] = [0x8A, 0x02] + Array("hb".utf8)
        #expect(result.actions == [.send(pong), .send([0x88, 0x02, 0x0F, 0xA0]), .closeTransport])
    }
}
