import Protocols
import Testing

@Suite("HTTP client connection")
struct HTTPClientConnectionTests {
    private typealias Action = HTTPClientConnection.Action

    private func get(_ target: String, _ extra: HTTPHeaders = [:]) -> HTTPRequest {
        HTTPRequest(target: target, headers: HTTPHeaders([HTTPField(name: "Host", value: "a")] + extra.fields))
    }

    /// The requests written by `actions`, parsed back as a server would.
    private func written(_ actions: [Action]) -> [String] {
        var parser = HTTPRequestParser()
        let wire = actions.flatMap { action -> [UInt8] in
            if case .send(let bytes) = action { return bytes }
            return []
        }
        return parser.feed(wire).messages.map(\.target)
    }

    private func responses(_ actions: [Action]) -> [(Int, Int, [UInt8])] {
        actions.compactMap {
            if case .response(let id, let response) = $0 { return (id, response.status, response.body) }
            return nil
        }
    }

    private func ok(_ body: String, _ extra: String = "") -> [UInt8] {
        bytes("HTTP/1.1 200 OK\r\n\(extra)Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
    }

    @Test func oneRequestOneResponse() {
        var client = HTTPClientConnection()
        let (id, actions) = client.enqueue(get("/"))
        #expect(id == 0)
        #expect(actions == [.send(HTTPSerializer.serialize(get("/")))])
        #expect(client.inFlightCount == 1)
        let answer = client.receive(ok("hi"))
        #expect(responses(answer).map(\.0) == [0])
        #expect(responses(answer).map(\.2) == [bytes("hi")])
        #expect(client.isReusable)
        #expect(client.isIdle)
    }

    /// Without pipelining the second request waits for the first response.
    @Test func waitsWithoutPipelining() {
        var client = HTTPClientConnection(maxInFlight: 1)
        #expect(written(client.enqueue(get("/1")).actions) == ["/1"])
        #expect(client.enqueue(get("/2")).actions.isEmpty)
        #expect(client.queuedCount == 1)
        let actions = client.receive(ok("one"))
        #expect(responses(actions).map(\.0) == [0])
        #expect(written(actions) == ["/2"])
    }

    /// With pipelining, responses are matched to requests in order (RFC 9112 §9.3.2), however
    /// the bytes are split; a HEAD response has no body even with a Content-Length.
    @Test func matchesPipelinedResponsesInOrder() {
        let wire = bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n") + ok("second") + ok("third")
        let matched = parsedAllWays(wire) { chunks -> [Int] in
            var client = HTTPClientConnection(maxInFlight: 3)
            var sent: [String] = []
            sent += written(client.enqueue(HTTPRequest(method: .head, target: "/h", headers: ["Host": "a"])).actions)
            sent += written(client.enqueue(get("/2")).actions)
            sent += written(client.enqueue(get("/3")).actions)
            #expect(sent == ["/h", "/2", "/3"])
            let actions = chunks.flatMap { client.receive($0) }
            #expect(responses(actions).map(\.2) == [[], bytes("second"), bytes("third")])
            return responses(actions).map(\.0)
        }
        #expect(matched == [0, 1, 2])
    }

    /// RFC 9112 §9.3.2: no pipelining after (or of) a non-idempotent request.
    @Test func doesNotPipelineNonIdempotentRequests() {
        var client = HTTPClientConnection(maxInFlight: 4)
        #expect(written(client.enqueue(get("/a")).actions) == ["/a"])
        let post = HTTPRequest(method: .post, target: "/p", headers: ["Host": "a"], body: bytes("x"))
        #expect(client.enqueue(post).actions.isEmpty)
        #expect(client.enqueue(get("/b")).actions.isEmpty)
        let afterA = client.receive(ok("a"))
        #expect(written(afterA) == ["/p"])
        let afterP = client.receive(ok("p"))
        #expect(written(afterP) == ["/b"])
    }

    /// A body delimited by the close completes at end of stream, then the connection closes.
    @Test func closeDelimitedResponseCompletesAtEndOfStream() {
        var client = HTTPClientConnection()
        _ = client.enqueue(get("/"))
        #expect(client.receive(bytes("HTTP/1.1 200 OK\r\n\r\nstreamed")).isEmpty)
        let actions = client.receiveEndOfStream()
        #expect(responses(actions).map(\.2) == [bytes("streamed")])
        #expect(actions.last == .close)
        #expect(!client.isReusable)
    }

    /// An incomplete response at end of stream is an error; queued requests were never sent.
    @Test func incompleteResponseAtEndOfStream() throws {
        var client = HTTPClientConnection()
        _ = client.enqueue(get("/1"))
        _ = client.enqueue(get("/2"))
        _ = client.receive(bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"))
        let actions = client.receiveEndOfStream()
        guard case .failed(0, .incompleteResponse(let error)) = try #require(actions.first) else {
            Issue.record("expected an incomplete response, got \(actions)")
            return
        }
        #expect(error.kind == .unexpectedEndOfStream)
        #expect(error.offset == 42)
        #expect(Array(actions.dropFirst()) == [.failed(id: 1, .notSent), .close])
    }

    /// A malformed response fails its request, then every other one, then closes.
    @Test func malformedResponseFailsEverything() {
        var client = HTTPClientConnection(maxInFlight: 2)
        _ = client.enqueue(get("/1"))
        _ = client.enqueue(get("/2"))
        _ = client.enqueue(HTTPRequest(method: .post, target: "/3", headers: ["Host": "a"]))
        let actions = client.receive(bytes("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n"))
        let error = HTTPParseError(kind: .invalidContentLength, offset: 17, field: "Content-Length")
        #expect(actions == [.failed(id: 0, .malformedResponse(error)), .failed(id: 1, .closedBeforeResponse),
                            .failed(id: 2, .notSent), .close])
        #expect(client.enqueue(get("/4")).actions == [.failed(id: 3, .notSent)])
    }

    /// `Connection: close` in a response: that response is delivered, the rest fail, close.
    @Test func serverCloseEndsReuse() {
        var client = HTTPClientConnection(maxInFlight: 2)
        _ = client.enqueue(get("/1"))
        _ = client.enqueue(get("/2"))
        let actions = client.receive(ok("last", "Connection: close\r\n"))
        #expect(responses(actions).map(\.0) == [0])
        #expect(Array(actions.suffix(2)) == [.failed(id: 1, .closedBeforeResponse), .close])
        #expect(!client.isReusable)
    }

    /// HTTP/1.0 response without keep-alive ends the connection; with it, the connection is reused.
    @Test func http10Responses() {
        var plain = HTTPClientConnection()
        _ = plain.enqueue(get("/"))
        #expect(plain.receive(bytes("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")).last == .close)

        var kept = HTTPClientConnection()
        _ = kept.enqueue(get("/"))
        let actions = kept.receive(bytes("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n"))
        #expect(!actions.contains(.close))
        #expect(kept.isReusable)
    }

    /// A request saying `Connection: close` is the last one written.
    @Test func clientCloseIsTheLastRequest() {
        var client = HTTPClientConnection(maxInFlight: 4)
        #expect(written(client.enqueue(get("/bye", ["Connection": "close"])).actions) == ["/bye"])
        #expect(!client.isReusable)
        #expect(client.enqueue(get("/more")).actions.isEmpty)
        let actions = client.receive(ok("ok"))
        #expect(responses(actions).map(\.0) == [0])
        #expect(Array(actions.suffix(2)) == [.failed(id: 1, .notSent), .close])
    }

    @Test func interimAndUnsolicitedResponses() {
        var client = HTTPClientConnection()
        _ = client.enqueue(HTTPRequest(method: .post, target: "/", headers: ["Host": "a", "Expect": "100-continue"]))
        let actions = client.receive(bytes("HTTP/1.1 100 Continue\r\n\r\n") + ok("done"))
        #expect(actions.count == 2)
        if case .interim(0, let interim) = actions[0] {
            #expect(interim.status == 100)
        } else {
            Issue.record("expected an interim response first, got \(actions)")
        }
        #expect(responses(actions).map(\.0) == [0])
        // Bytes with nothing in flight: the connection is not trustworthy any more.
        #expect(client.receive(bytes("HTTP/1.1 408 Request Timeout\r\n\r\n")) == [.close])
        #expect(client.isClosed)
    }

    /// Bytes left over after the last expected response cannot belong to a later request.
    @Test func leftoverBytesAfterTheLastResponseClose() {
        var client = HTTPClientConnection()
        _ = client.enqueue(get("/"))
        let actions = client.receive(ok("done") + bytes("HTTP/1.1 2"))
        #expect(responses(actions).map(\.0) == [0])
        #expect(actions.last == .close)
        #expect(!client.isReusable)
    }

    /// 101 answers an upgrade request: the bytes after it belong to the new protocol.
    @Test func upgrade() throws {
        var client = HTTPClientConnection()
        let request = HTTPRequest(target: "/chat", headers: ["Host": "a", "Upgrade": "websocket",
                                                             "Connection": "Upgrade"])
        _ = client.enqueue(request)
        let actions = client.receive(bytes("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\n\r\n") + [0x81, 0x00])
        guard case .upgraded(0, let response, let leftover) = try #require(actions.first) else {
            Issue.record("expected an upgrade, got \(actions)")
            return
        }
        #expect(response.status == 101)
        #expect(leftover == [0x81, 0x00])
        #expect(client.isClosed)

        var plain = HTTPClientConnection()
        _ = plain.enqueue(get("/"))
        #expect(plain.receive(bytes("HTTP/1.1 101 Switching Protocols\r\n\r\n"))
            == [.failed(id: 0, .unexpectedUpgrade), .close])
    }

    /// RFC 9112 §9.3.1: what may be retried on a new connection.
    @Test func retryRules() {
        #expect(HTTPClientError.notSent.allowsRetry(of: .post))
        #expect(HTTPClientError.closedBeforeResponse.allowsRetry(of: .get))
        #expect(HTTPClientError.closedBeforeResponse.allowsRetry(of: .put))
        #expect(!HTTPClientError.closedBeforeResponse.allowsRetry(of: .post))
        let error = HTTPParseError(kind: .unexpectedEndOfStream, offset: 3, field: "body")
        #expect(!HTTPClientError.incompleteResponse(error).allowsRetry(of: .get))
    }
}
