import Protocols
import Testing

@Suite("WebSocket opening handshake (RFC 6455 §4)")
struct WebSocketHandshakeTests {
    /// RFC 6455 §4.1's nonce: the 16 bytes of "the sample nonce".
    private let sampleNonce = Array("the sample nonce".utf8)

    private func pairs(_ headers: [(name: String, value: String)]) -> [String] {
        headers.map { "\($0.name): \($0.value)" }
    }

    private func request(replacing name: String? = nil, with value: String? = nil, extra: [(String, String)] = [],
                         method: String = "GET", version: String = "HTTP/1.1") -> WebSocketHandshakeRequest {
        var headers: [(name: String, value: String)] = [
            (name: "Host", value: "server.example.com"),
            (name: "Upgrade", value: "websocket"),
            (name: "Connection", value: "Upgrade"),
            (name: "Sec-WebSocket-Key", value: "dGhlIHNhbXBsZSBub25jZQ=="),
            (name: "Sec-WebSocket-Version", value: "13"),
        ]
        if let name {
            headers.removeAll { $0.name == name }
            if let value { headers.append((name: name, value: value)) }
        }
        headers += extra.map { (name: $0.0, value: $0.1) }
        return WebSocketHandshakeRequest(method: method, target: "/chat", version: version, headers: headers)
    }

    /// RFC 6455 §1.3: "dGhlIHNhbXBsZSBub25jZQ==" is accepted with "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=".
    @Test func rfcAcceptExample() {
        #expect(WebSocket.accept(key: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        #expect(Base64.encode(sampleNonce) == "dGhlIHNhbXBsZSBub25jZQ==")
    }

    @Test func clientRequestFollowsSection4_1() {
        let client = WebSocketClientHandshake(host: "server.example.com", path: "/chat", keyBytes: sampleNonce,
                                              origin: "http://example.com", subprotocols: ["chat", "superchat"])
        #expect(client.request.method == "GET")
        #expect(client.request.target == "/chat")
        #expect(client.request.version == "HTTP/1.1")
        #expect(pairs(client.request.headers) == [
            "Host: server.example.com", "Upgrade: websocket", "Connection: Upgrade",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Origin: http://example.com",
            "Sec-WebSocket-Protocol: chat, superchat", "Sec-WebSocket-Version: 13",
        ])
        #expect(client.expectedAccept == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test func serverAcceptsTheClientsRequestAndTheClientAcceptsTheAnswer() throws {
        let client = WebSocketClientHandshake(host: "server.example.com", path: "/chat", keyBytes: sampleNonce,
                                              subprotocols: ["superchat", "chat"])
        let server = try WebSocketServerHandshake(request: client.request, supportedSubprotocols: ["chat", "v2"])
        #expect(server.response.status == 101)
        #expect(server.response.reason == "Switching Protocols")
        #expect(pairs(server.response.headers) == [
            "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
            "Sec-WebSocket-Protocol: chat",
        ])
        #expect(server.subprotocol == "chat")
        #expect(try client.validate(server.response) == "chat")
    }

    @Test func headerNamesAndTokensAreCaseInsensitive() throws {
        let request = WebSocketHandshakeRequest(method: "GET", target: "/", version: "HTTP/1.1", headers: [
            (name: "HOST", value: "a"), (name: "upgrade", value: " WebSocket "),
            (name: "connection", value: "keep-alive, UPGRADE"),
            (name: "sec-websocket-key", value: "dGhlIHNhbXBsZSBub25jZQ=="),
            (name: "SEC-WEBSOCKET-VERSION", value: "13"),
        ])
        let server = try WebSocketServerHandshake(request: request)
        #expect(server.subprotocol == nil)
        #expect(!server.response.headers.contains { $0.name == "Sec-WebSocket-Protocol" })
    }

    /// Each way a request can be wrong gives its own error, naming the header, and the status to answer.
    @Test func serverRejectionsNameTheHeaderAndTheStatus() {
        let cases: [(WebSocketHandshakeRequest, WebSocketHandshakeError, Int)] = [
            (request(method: "POST"), .methodNotGet("POST"), 400),
            (request(version: "HTTP/1.0"), .unsupportedHTTPVersion("HTTP/1.0"), 400),
            (request(replacing: "Host"), .missingHeader("Host"), 400),
            (request(extra: [("Host", "other")]), .duplicateHeader("Host"), 400),
            (request(replacing: "Upgrade"), .missingHeader("Upgrade"), 400),
            (request(replacing: "Upgrade", with: "h2c"), .invalidHeaderValue(name: "Upgrade", value: "h2c"), 400),
            (request(replacing: "Connection"), .missingHeader("Connection"), 400),
            (request(replacing: "Connection", with: "keep-alive"),
             .invalidHeaderValue(name: "Connection", value: "keep-alive"), 400),
            (request(replacing: "Sec-WebSocket-Key"), .missingHeader("Sec-WebSocket-Key"), 400),
            (request(replacing: "Sec-WebSocket-Key", with: "abc"),
             .invalidHeaderValue(name: "Sec-WebSocket-Key", value: "abc"), 400),
            (request(replacing: "Sec-WebSocket-Key", with: Base64.encode([UInt8](repeating: 7, count: 15))),
             .invalidHeaderValue(name: "Sec-WebSocket-Key", value: "BwcHBwcHBwcHBwcHBwcH"), 400),
            (request(extra: [("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAAAA==")]),
             .duplicateHeader("Sec-WebSocket-Key"), 400),
            (request(replacing: "Sec-WebSocket-Version"), .missingHeader("Sec-WebSocket-Version"), 400),
            (request(replacing: "Sec-WebSocket-Version", with: "8"), .unsupportedVersion("8"), 426),
        ]
        for (request, expected, status) in cases {
            #expect(throws: expected) { try WebSocketServerHandshake(request: request) }
            #expect(expected.status == status)
        }
        #expect(WebSocketHandshakeError.unsupportedVersion("8").headerName == "Sec-WebSocket-Version")
        #expect(WebSocketHandshakeError.missingHeader("Host").headerName == "Host")
    }

    /// §4.4: a version mismatch is answered 426 with the version the server speaks.
    @Test func rejectionResponses() {
        let upgradeRequired = WebSocketHandshakeError.unsupportedVersion("8").rejection
        #expect(upgradeRequired.status == 426)
        #expect(pairs(upgradeRequired.headers) == ["Sec-WebSocket-Version: 13"])
        let badRequest = WebSocketHandshakeError.missingHeader("Host").rejection
        #expect(badRequest.status == 400)
        #expect(badRequest.headers.isEmpty)
    }

    @Test func targetsAndVersions() {
        let good = ["/", "/chat?room=1", "ws://example.com/chat"]
        let bad = ["", "chat", "/a b", "/\u{7F}"]
        for target in good {
            var accepted = request()
            accepted.target = target
            #expect((try? WebSocketServerHandshake(request: accepted)) != nil, "\(target)")
        }
        for target in bad {
            var refused = request()
            refused.target = target
            #expect(throws: WebSocketHandshakeError.invalidTarget(target)) {
                try WebSocketServerHandshake(request: refused)
            }
        }
        for version in ["HTTP/1.1", "HTTP/1.2", "HTTP/2.0"] {
            #expect((try? WebSocketServerHandshake(request: request(version: version))) != nil, "\(version)")
        }
        for version in ["HTTP/1.0", "HTTP/0.9", "HTTP/1", "http/1.1", "HTTP/1.x", "HTTP/+1.1"] {
            #expect(throws: WebSocketHandshakeError.unsupportedHTTPVersion(version)) {
                try WebSocketServerHandshake(request: request(version: version))
            }
        }
    }

    /// RFC 6455 §4.1, the client's six checks of the server's response, each failing on its own.
    @Test func clientRejectsBadResponses() throws {
        let client = WebSocketClientHandshake(host: "h", keyBytes: sampleNonce, subprotocols: ["chat"])
        let good: [(name: String, value: String)] = [
            (name: "Upgrade", value: "websocket"), (name: "Connection", value: "Upgrade"),
            (name: "Sec-WebSocket-Accept", value: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
        ]
        func response(_ headers: [(name: String, value: String)], status: Int = 101) -> WebSocketHandshakeResponse {
            WebSocketHandshakeResponse(status: status, reason: "", headers: headers)
        }
        #expect(try client.validate(response(good)) == nil)
        let cases: [(WebSocketHandshakeResponse, WebSocketHandshakeError)] = [
            (response(good, status: 200), .unexpectedStatus(200)),
            (response(Array(good.dropFirst())), .missingHeader("Upgrade")),
            (response([(name: "Upgrade", value: "websocket2")] + good.dropFirst()),
             .invalidHeaderValue(name: "Upgrade", value: "websocket2")),
            (response([good[0], good[2]]), .missingHeader("Connection")),
            (response([good[0], (name: "Connection", value: "close"), good[2]]),
             .invalidHeaderValue(name: "Connection", value: "close")),
            (response(Array(good.prefix(2))), .missingHeader("Sec-WebSocket-Accept")),
            (response(Array(good.prefix(2)) + [(name: "Sec-WebSocket-Accept", value: "AAAA")]),
             .acceptMismatch(expected: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", received: "AAAA")),
            (response(good + [good[2]]), .duplicateHeader("Sec-WebSocket-Accept")),
            (response(good + [(name: "Sec-WebSocket-Extensions", value: "permessage-deflate")]),
             .unrequestedExtension("permessage-deflate")),
            (response(good + [(name: "Sec-WebSocket-Protocol", value: "superchat")]),
             .unrequestedSubprotocol("superchat")),
            (response(good + [(name: "Sec-WebSocket-Protocol", value: "chat, chat")]),
             .unrequestedSubprotocol("chat, chat")),
        ]
        for (bad, expected) in cases {
            #expect(throws: expected) { try client.validate(bad) }
        }
    }
}
