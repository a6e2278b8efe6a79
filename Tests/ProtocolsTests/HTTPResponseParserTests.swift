import Protocols
import Testing

@Suite("HTTP response parser")
struct HTTPResponseParserTests {
    /// Which responses have a body (RFC 9112 §6.3 rule 1): none for 1xx, 204, 304 and HEAD,
    /// whatever their Content-Length says; interim responses do not use up a request.
    @Test func framesBodiesByStatusAndRequestMethod() {
        let wire = bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
            + "HTTP/1.1 204 No Content\r\nContent-Length: 7\r\n\r\n"
            + "HTTP/1.1 304 Not Modified\r\nContent-Length: 1000\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\n\r\n"
            + "HTTP/1.1 100 Continue\r\n\r\n"
            + "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok")
        let outcome = parsedAllWays(wire) {
            responseOutcome($0, methods: [.get, .get, .get, .head, .post])
        }
        #expect(outcome.error == nil)
        #expect(outcome.messages.map(\.status) == [200, 204, 304, 200, 100, 201])
        #expect(outcome.messages.map(\.body) == [bytes("hello"), [], [], [], [], bytes("ok")])
        #expect(outcome.messages[3].headers.first(name: "content-length") == "1000000000")
    }

    /// Without Content-Length or chunked coding, the body runs to the end of the stream
    /// (RFC 9112 §6.3 rule 8): nothing completes until `finish()`.
    @Test func completesCloseDelimitedBodyAtEndOfStream() throws {
        let wire = bytes("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nhello\r\nworld")
        let open = parsedAllWays(wire) { responseOutcome($0, finish: false) }
        #expect(open.messages.isEmpty)
        #expect(open.error == nil)
        let closed = parsedAllWays(wire) { responseOutcome($0) }
        let response = try #require(closed.messages.first)
        #expect(response.version == .http1_0)
        #expect(response.body == bytes("hello\r\nworld"))
        #expect(!response.keepsConnectionAlive)
    }

    /// A close-delimited body is bounded too: the first byte past the limit fails with 413.
    @Test func boundsCloseDelimitedBody() {
        let head = bytes("HTTP/1.1 200 OK\r\n\r\n")
        let outcome = parsedAllWays(head + [UInt8](repeating: 0x61, count: 50)) {
            responseOutcome($0, limits: HTTPLimits(maxBodySize: 20))
        }
        #expect(outcome.error?.kind == .contentTooLarge)
        #expect(outcome.error?.offset == head.count + 20)
        #expect(outcome.error?.field == "body")
    }

    /// A chunked response with a trailer field.
    @Test func parsesChunkedResponse() {
        let wire = bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5\r\nhello\r\n1;ext=\"quoted\"\r\n!\r\n0\r\nServer-Timing: db;dur=53\r\n\r\n")
        let outcome = parsedAllWays(wire) { responseOutcome($0) }
        #expect(outcome.error == nil)
        #expect(outcome.messages.first?.body == bytes("hello!"))
        #expect(outcome.messages.first?.trailers.first(name: "server-timing") == "db;dur=53")
    }

    /// Status lines: the reason is optional and advisory (RFC 9112 §4).
    @Test func parsesStatusLineVariants() {
        let wire = bytes("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\nHTTP/1.1 404 \r\nContent-Length: 0\r\n\r\n"
            + "HTTP/1.1 599 Made Up\tPhrase\r\nContent-Length: 0\r\n\r\n")
        let outcome = parsedAllWays(wire) { responseOutcome($0) }
        #expect(outcome.error == nil)
        #expect(outcome.messages.map(\.status) == [200, 404, 599])
        #expect(outcome.messages.map(\.reason) == ["", "", "Made Up\tPhrase"])
    }

    @Test(arguments: [
        ("HTTP/1.1 20 OK\r\n", HTTPParseError.Kind.malformedStartLine, "status code", 9),
        ("HTTP/1.1 2000 OK\r\n", .malformedStartLine, "status code", 9),
        ("HTTP/1.1 099 Low\r\n", .malformedStartLine, "status code", 9),
        ("HTTP/1.1 600 High\r\n", .malformedStartLine, "status code", 9),
        ("HTTP/1.1\r\n", .malformedStartLine, "status code", 8),
        ("HTTP/2 200 OK\r\n", .malformedStartLine, "HTTP version", 0),
        ("HTTP/3.0 200 OK\r\n", .unsupportedVersion, "HTTP version", 0),
        ("HTTP/1.1 200 O\u{0}K\r\n", .malformedStartLine, "reason phrase", 14),
        ("\r\n", .malformedStartLine, "status line", 0),
        ("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nab", .unexpectedEndOfStream, "body", 40),
        ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n",
         .transferEncodingWithContentLength, "Transfer-Encoding", 36),
    ])
    func reportsStatusLineAndFramingErrors(wire: String, kind: HTTPParseError.Kind, field: String, offset: Int) {
        let outcome = parsedAllWays(bytes(wire)) { responseOutcome($0) }
        #expect(outcome.error?.kind == kind)
        #expect(outcome.error?.field == field)
        #expect(outcome.error?.offset == offset)
    }

    /// After 101 the stream belongs to the new protocol: those bytes come back unparsed.
    @Test func stopsAfterSwitchingProtocols() {
        let wire = bytes("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
        let frame: [UInt8] = [0x81, 0x02, 0x68, 0x69]
        let outcome = parsedAllWays(wire + frame) { responseOutcome($0, methods: [.get]) }
        #expect(outcome.messages.map(\.status) == [101])
        #expect(outcome.unparsed == frame)
        #expect(outcome.error == nil)
    }
}
