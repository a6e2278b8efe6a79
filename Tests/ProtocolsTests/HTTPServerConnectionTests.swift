import Protocols
import Testing

@Suite("HTTP server connection")
struct HTTPServerConnectionTests {
    // MARK: Helpers

    /// The requests reported by `actions`, as (id, target).
    private func requests(_ actions: [HTTPServerConnection.Action]) -> [(Int, String)] {
        actions.compactMap {
            if case .request(let id, let request) = $0 { return (id, request.target) }
            return nil
        }
    }

    /// The bytes sent by `actions`, in order.
    private func sent(_ actions: [HTTPServerConnection.Action]) -> [UInt8] {
        actions.flatMap { action -> [UInt8] in
            if case .send(let bytes) = action { return bytes }
            return []
        }
    }

    /// The responses in `wire`, parsed as a client would for `methods`.
    private func responses(_ wire: [UInt8], methods: [HTTPMethod] = []) -> [HTTPResponse] {
        var parser = HTTPResponseParser()
        methods.forEach { parser.expectResponse(to: $0) }
        let result = parser.feed(wire)
        #expect(result.error == nil)
        return result.messages
    }

    private func closes(_ actions: [HTTPServerConnection.Action]) -> Bool {
        actions.last == .close
    }

    private func ok(_ body: String) -> HTTPResponse {
        HTTPResponse(status: 200, body: bytes(body))
    }

    // MARK: Pipelining and order

    /// RFC 9112 §9.3.2: responses go out in request order, whatever order the application answers in.
    @Test func answersPipelinedRequestsInOrder() {
        var server = HTTPServerConnection()
        let wire = bytes("GET /0 HTTP/1.1\r\nHost: a\r\n\r\nGET /1 HTTP/1.1\r\nHost: a\r\n\r\n"
            + "GET /2 HTTP/1.1\r\nHost: a\r\n\r\n")
        let arrived = server.receive(wire)
        #expect(requests(arrived).map(\.0) == [0, 1, 2])
        #expect(requests(arrived).map(\.1) == ["/0", "/1", "/2"])
        #expect(server.pendingRequestCount == 3)

        #expect(server.respond(to: 2, with: ok("two")).isEmpty)
        let first = server.respond(to: 0, with: ok("zero"))
        #expect(responses(sent(first)).map(\.body) == [bytes("zero")])
        let rest = server.respond(to: 1, with: ok("one"))
        #expect(responses(sent(rest)).map(\.body) == [bytes("one"), bytes("two")])
        #expect(!rest.contains(.close))
        #expect(server.pendingRequestCount == 0)
        #expect(!server.isClosed)
        // Answering twice, or an unknown id, does nothing.
        #expect(server.respond(to: 1, with: ok("again")).isEmpty)
        #expect(server.respond(to: 7, with: ok("who")).isEmpty)
    }

    /// The same actions whether the bytes arrive whole, byte by byte or in random chunks.
    @Test func actionsDoNotDependOnHowBytesArrive() {
        let wire = bytes("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nxyz"
            + "GET /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nq\r\n0\r\n\r\nGET /c HTTP/1.1\r\n")
        let actions = parsedAllWays(wire) { chunks -> [HTTPServerConnection.Action] in
            var server = HTTPServerConnection()
            return chunks.flatMap { server.receive($0) } + server.receiveEndOfStream()
        }
        #expect(requests(actions).map(\.1) == ["/a", "/b"])
        #expect(actions.contains { if case .rejected(let error) = $0 { return error.status == 400 }; return false })
    }

    // MARK: Persistence (RFC 9112 §9.3, §9.6)

    /// HTTP/1.1 persists by default: nothing is added, the next request is served.
    @Test func http11KeepsAlive() {
        var server = HTTPServerConnection()
        _ = server.receive(bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n"))
        let actions = server.respond(to: 0, with: ok("x"))
        #expect(!closes(actions))
        #expect(responses(sent(actions)).first?.headers.contains(name: "Connection") == false)
        #expect(requests(server.receive(bytes("GET /next HTTP/1.1\r\nHost: a\r\n\r\n"))).map(\.0) == [1])
    }

    /// HTTP/1.0 without keep-alive: one response, with `Connection: close`, then close; a
    /// request pipelined behind it is never reported.
    @Test func http10ClosesAfterTheResponse() {
        var server = HTTPServerConnection()
        let arrived = server.receive(bytes("GET /old HTTP/1.0\r\n\r\nGET /more HTTP/1.0\r\n\r\n"))
        #expect(requests(arrived).map(\.1) == ["/old"])
        let actions = server.respond(to: 0, with: ok("bye"))
        #expect(closes(actions))
        #expect(responses(sent(actions)).first?.headers.hasToken("close", in: "Connection") == true)
        #expect(server.isClosed)
        #expect(server.receive(bytes("GET / HTTP/1.0\r\n\r\n")).isEmpty)
    }

    /// HTTP/1.0 with keep-alive persists, and the response says keep-alive; chunked falls back
    /// to Content-Length because HTTP/1.0 has no chunked coding.
    @Test func http10KeepAliveIsHonoured() throws {
        var server = HTTPServerConnection()
        _ = server.receive(bytes("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"))
        let actions = server.respond(to: 0, with: ok("hello"), framing: .chunked(chunkSize: 2))
        #expect(!closes(actions))
        let response = try #require(responses(sent(actions)).first)
        #expect(response.headers.hasToken("keep-alive", in: "Connection"))
        #expect(response.headers.first(name: "Content-Length") == "5")
        #expect(response.body == bytes("hello"))
    }

    /// `Connection: close` from the client: close after that response, ignore what follows.
    @Test func clientCloseEndsTheConnection() {
        var server = HTTPServerConnection()
        let arrived = server.receive(bytes("GET /1 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
            + "GET /2 HTTP/1.1\r\nHost: a\r\n\r\n"))
        #expect(requests(arrived).map(\.1) == ["/1"])
        let actions = server.respond(to: 0, with: ok("x"))
        #expect(closes(actions))
        #expect(responses(sent(actions)).first?.headers["Connection"] == ["close"])
    }

    /// `Connection: close` from the application: close after it; later answers are dropped.
    @Test func serverCloseEndsTheConnection() {
        var server = HTTPServerConnection()
        _ = server.receive(bytes("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n"))
        let actions = server.respond(to: 0, with: HTTPResponse(status: 503, headers: ["Connection": "close"]))
        #expect(closes(actions))
        #expect(responses(sent(actions)).count == 1)
        #expect(server.respond(to: 1, with: ok("late")).isEmpty)
    }

    // MARK: Errors

    /// A parse error becomes the right error response, with `Connection: close`, then close.
    @Test(arguments: [
        ("GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 999999999\r\n\r\n", 413),
        ("GET /" + String(repeating: "x", count: 9000) + " HTTP/1.1\r\n", 414),
        ("GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "x", count: 17000) + "\r\n\r\n", 431),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: br\r\n\r\n", 501),
        ("GET / HTTP/3.0\r\n\r\n", 505),
    ])
    func answersParseErrors(wire: String, status: Int) throws {
        var server = HTTPServerConnection()
        let actions = server.receive(bytes(wire))
        guard case .rejected(let error) = try #require(actions.first) else {
            Issue.record("expected a rejection first, got \(actions)")
            return
        }
        #expect(error.status == status)
        let response = try #require(responses(sent(actions)).first)
        #expect(response.status == status)
        #expect(response.headers["Connection"] == ["close"])
        #expect(String(decoding: response.body, as: UTF8.self).hasPrefix("\(status) "))
        #expect(closes(actions))
        #expect(server.isClosed)
    }

    /// The error response waits its turn behind responses still owed.
    @Test func errorResponseWaitsForEarlierResponses() {
        var server = HTTPServerConnection()
        let arrived = server.receive(bytes("GET /ok HTTP/1.1\r\nHost: a\r\n\r\nGET /bad HTTP/1.1\r\n\r\n"))
        #expect(requests(arrived).map(\.1) == ["/ok"])
        #expect(sent(arrived).isEmpty)
        #expect(arrived.contains { if case .rejected = $0 { return true }; return false })
        let actions = server.respond(to: 0, with: ok("fine"))
        #expect(responses(sent(actions)).map(\.status) == [200, 400])
        #expect(closes(actions))
    }

    // MARK: Response shapes

    /// A HEAD response carries the length but no body; interim responses go out before the final one.
    @Test func headAndInterimResponses() throws {
        var server = HTTPServerConnection()
        _ = server.receive(bytes("HEAD /page HTTP/1.1\r\nHost: a\r\n\r\nPOST /up HTTP/1.1\r\nHost: a\r\n"
            + "Expect: 100-continue\r\nContent-Length: 1\r\n\r\nz"))
        let head = server.respond(to: 0, with: ok("twelve bytes"))
        let interim = server.respond(to: 1, with: HTTPResponse(status: 100))
        let final = server.respond(to: 1, with: HTTPResponse(status: 201))
        let wire = sent(head + interim + final)
        let parsed = responses(wire, methods: [.head, .post])
        #expect(parsed.map(\.status) == [200, 100, 201])
        #expect(parsed[0].headers.first(name: "Content-Length") == "12")
        #expect(parsed[0].body.isEmpty)
        #expect(String(decoding: sent(head), as: UTF8.self).hasSuffix("\r\n\r\n"))
    }

    // MARK: End of stream and idleness

    /// The peer half-closes: owed responses still go out, then close; idle, it closes at once.
    @Test func endOfStream() {
        var idle = HTTPServerConnection()
        #expect(idle.receiveEndOfStream() == [.close])

        var busy = HTTPServerConnection()
        _ = busy.receive(bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n"))
        #expect(busy.receiveEndOfStream().isEmpty)
        let actions = busy.respond(to: 0, with: ok("x"))
        #expect(responses(sent(actions)).count == 1)
        #expect(closes(actions))

        var cut = HTTPServerConnection()
        #expect(cut.receive(bytes("GET / HTTP/1.1\r\nHo")).isEmpty)
        let truncated = cut.receiveEndOfStream()
        #expect(responses(sent(truncated)).first?.status == 400)
        #expect(closes(truncated))
    }

    /// The idle timeout runs only while no request awaits the application (RFC 9112 §9.5).
    @Test func idleTimeout() {
        let second: Int64 = 1_000_000_000
        var server = HTTPServerConnection(idleTimeout: 5 * second)
        #expect(server.idleTimeout == 5 * second)
        #expect(server.idleDeadline(lastActivity: 10 * second) == 15 * second)
        #expect(!server.shouldCloseForIdleness(now: 15 * second - 1, lastActivity: 10 * second))
        #expect(server.shouldCloseForIdleness(now: 15 * second, lastActivity: 10 * second))

        _ = server.receive(bytes("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n"))
        #expect(server.idleDeadline(lastActivity: 10 * second) == nil)
        #expect(!server.shouldCloseForIdleness(now: 100 * second, lastActivity: 10 * second))
        _ = server.respond(to: 0, with: ok("done"))
        #expect(server.shouldCloseForIdleness(now: 100 * second, lastActivity: 10 * second))

        // A partial request does not hold the connection open.
        _ = server.receive(bytes("GET /par"))
        #expect(server.shouldCloseForIdleness(now: 100 * second, lastActivity: 10 * second))
    }

    // MARK: Upgrade (RFC 9110 §7.8)

    private let upgradeRequest = bytes("GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\n\r\n")

    @Test func hands101OverWithTheBytesThatFollowed() {
        var server = HTTPServerConnection()
        let frame: [UInt8] = [0x81, 0x82, 1, 2, 3, 4, 5, 6]
        let arrived = server.receive(upgradeRequest + frame.prefix(3))
        #expect(requests(arrived).map(\.1) == ["/chat"])
        #expect(server.receive(frame.dropFirst(3)).isEmpty)
        let switching = HTTPResponse(status: 101, headers: ["Upgrade": "websocket", "Connection": "Upgrade"])
        let actions = server.respond(to: 0, with: switching)
        #expect(actions.last == .upgrade(leftover: frame))
        #expect(responses(sent(actions)).first?.status == 101)
        #expect(server.isClosed)
    }

    @Test func declinedUpgradeGoesBackToHTTP() {
        var server = HTTPServerConnection()
        _ = server.receive(upgradeRequest + bytes("GET /after HTTP/1.1\r\nHost: a\r\n\r\n"))
        let actions = server.respond(to: 0, with: HTTPResponse(status: 426))
        #expect(responses(sent(actions)).map(\.status) == [426])
        #expect(requests(actions).map(\.1) == ["/after"])
        #expect(!server.isClosed)
        // A 101 to an ordinary request is not sent.
        #expect(server.respond(to: 1, with: HTTPResponse(status: 101)).isEmpty)
    }
}
