import Protocols
import Testing

@Suite("HTTP request parser")
struct HTTPRequestParserTests {
    // MARK: Well-formed requests

    /// The RFC 9110 §6.1 / RFC 9112 §3 style GET: field order and case survive, lookup ignores case.
    @Test func parsesARequestWithFieldsInOrder() throws {
        let wire = bytes("GET /hello.txt HTTP/1.1\r\nUser-Agent: curl/7.64.1\r\nHost: www.example.com\r\n"
            + "Accept-Language: en, mi\r\n\r\n")
        let outcome = parsedAllWays(wire) { requestOutcome($0) }
        #expect(outcome.error == nil)
        let request = try #require(outcome.messages.first)
        #expect(outcome.messages.count == 1)
        #expect(request.method == .get)
        #expect(request.target == "/hello.txt")
        #expect(request.version == .http1_1)
        #expect(request.headers.map(\.name) == ["User-Agent", "Host", "Accept-Language"])
        #expect(request.headers["host"] == ["www.example.com"])
        #expect(request.headers.listElements(name: "ACCEPT-LANGUAGE") == ["en", "mi"])
        #expect(request.body.isEmpty)
    }

    /// A body delimited by Content-Length (RFC 9112 §6.2), then a second request on the same stream.
    @Test func parsesContentLengthBodiesBackToBack() {
        let wire = bytes("POST /form HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello=world"
            + "PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcGET /y HTTP/1.1\r\nHost: a\r\n\r\n")
        let outcome = parsedAllWays(wire) { requestOutcome($0) }
        #expect(outcome.error == nil)
        #expect(outcome.messages.map(\.method) == [.post, .put, .get])
        #expect(outcome.messages.map(\.target) == ["/form", "/x", "/y"])
        #expect(outcome.messages.map(\.body) == [bytes("hello=world"), bytes("abc"), []])
    }

    /// Chunked coding with extensions (ignored) and a trailer section (kept apart), RFC 9112 §7.1.
    @Test func parsesChunkedBodyWithExtensionsAndTrailers() throws {
        let wire = bytes("POST /upload HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n"
            + "Trailer: Expires\r\n\r\n4;name=value\r\nWiki\r\n5 ; foo\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n"
            + "000;last\r\nExpires: never\r\nX-Checksum:  abc \r\n\r\n")
        let outcome = parsedAllWays(wire) { requestOutcome($0) }
        #expect(outcome.error == nil)
        let request = try #require(outcome.messages.first)
        #expect(request.body == bytes("Wikipedia in\r\n\r\nchunks."))
        #expect(request.trailers == ["Expires": "never", "X-Checksum": "abc"])
        #expect(request.headers.first(name: "trailer") == "Expires")
        #expect(!request.headers.contains(name: "Expires"))
    }

    /// RFC 9112 §2.2: empty lines before a request line are skipped.
    @Test func skipsEmptyLinesBeforeTheRequestLine() {
        let outcome = parsedAllWays(bytes("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n\r\n")) { requestOutcome($0) }
        #expect(outcome.error == nil)
        #expect(outcome.messages.count == 1)
    }

    /// OWS around values is dropped, inner spaces kept, and obs-text survives as ISO-8859-1.
    @Test func trimsFieldValuesAndKeepsObsText() throws {
        var wire = bytes("GET / HTTP/1.1\r\nHost:\t a b \t\r\nX-Name: caf")
        wire += [0xE9]
        wire += bytes("\r\nX-Empty:\r\n\r\n")
        let outcome = parsedAllWays(wire) { requestOutcome($0) }
        let request = try #require(outcome.messages.first)
        #expect(request.headers.first(name: "Host") == "a b")
        #expect(request.headers.first(name: "X-Name") == "caf\u{E9}")
        #expect(request.headers.first(name: "X-Empty") == "")
        // Re-serialized, the obs-text byte comes back unchanged.
        #expect(HTTPSerializer.serialize(request).contains(0xE9))
    }

    /// HTTP/1.0 needs no Host; HTTP/1.2 is handled as HTTP/1.1 (RFC 9110 §2.5).
    @Test func acceptsVersions() {
        let outcome = parsedAllWays(bytes("GET / HTTP/1.0\r\n\r\nGET / HTTP/1.2\r\nHost: a\r\n\r\n")) {
            requestOutcome($0)
        }
        #expect(outcome.error == nil)
        #expect(outcome.messages.map(\.version) == [.http1_0, .http1_1])
    }

    /// Content-Length repeated with one value is accepted (RFC 9110 §8.6).
    @Test func acceptsRepeatedAgreeingContentLength() {
        let wire = bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\nContent-Length: 003\r\n\r\nxyz")
        let outcome = parsedAllWays(wire) { requestOutcome($0) }
        #expect(outcome.error == nil)
        #expect(outcome.messages.first?.body == bytes("xyz"))
    }

    // MARK: Errors: class, status, field and offset

    /// One malformed input, and the error it must give.
    struct Case: Sendable, CustomStringConvertible {
        var wire: String
        var kind: HTTPParseError.Kind
        var status: Int
        var field: String
        var offset: Int
        var limits = HTTPLimits()
        var description: String { "\(kind) \(field)" }
    }

    static let small = HTTPLimits(maxStartLineLength: 32, maxHeaderSectionSize: 20, maxFieldCount: 2,
                                  maxBodySize: 10, maxChunkLineLength: 8, maxTrailerSectionSize: 10)

    static let cases: [Case] = [
        // Line endings (RFC 9112 §2.2): offset of the bare LF, or of the CR not followed by LF.
        Case(wire: "GET / HTTP/1.1\nHost: a\r\n\r\n", kind: .invalidLineEnding, status: 400,
             field: "request line", offset: 14),
        Case(wire: "GET / HTTP/1.1\rX", kind: .invalidLineEnding, status: 400, field: "request line", offset: 14),
        Case(wire: "GET / HTTP/1.1\r\nHost: a\n", kind: .invalidLineEnding, status: 400,
             field: "header section", offset: 23),
        // Request line (RFC 9112 §3).
        Case(wire: "G@T / HTTP/1.1\r\n", kind: .malformedStartLine, status: 400, field: "method", offset: 1),
        Case(wire: "GET  HTTP/1.1\r\n", kind: .malformedStartLine, status: 400, field: "request target", offset: 4),
        Case(wire: "GET /a b HTTP/1.1\r\n", kind: .malformedStartLine, status: 400, field: "request target",
             offset: 6),
        Case(wire: "GET /\r\n", kind: .malformedStartLine, status: 400, field: "request line", offset: 0),
        Case(wire: "GET / HTTP/1.10\r\n", kind: .malformedStartLine, status: 400, field: "HTTP version", offset: 6),
        Case(wire: "GET / http/1.1\r\n", kind: .malformedStartLine, status: 400, field: "HTTP version", offset: 6),
        Case(wire: "GET / HTTP/2.0\r\n", kind: .unsupportedVersion, status: 505, field: "HTTP version", offset: 6),
        Case(wire: "GET / HTTP/0.9\r\n", kind: .unsupportedVersion, status: 505, field: "HTTP version", offset: 6),
        Case(wire: "GET /" + String(repeating: "a", count: 40), kind: .targetTooLong, status: 414,
             field: "request target", offset: 32, limits: small),
        Case(wire: String(repeating: "A", count: 40), kind: .startLineTooLong, status: 400,
             field: "request line", offset: 32, limits: small),
        Case(wire: "GET /aaaaaaaaaaaaaaaaa HTTP/1.1xxxxx", kind: .startLineTooLong, status: 400,
             field: "request line", offset: 32, limits: small),
        // Field lines (RFC 9112 §5).
        Case(wire: "GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", kind: .obsoleteLineFolding, status: 400,
             field: "header section", offset: 25),
        Case(wire: "GET / HTTP/1.1\r\n Host: a\r\n\r\n", kind: .malformedField, status: 400,
             field: "header section", offset: 16),
        Case(wire: "GET / HTTP/1.1\r\nHost : a\r\n\r\n", kind: .malformedField, status: 400,
             field: "header section", offset: 20),
        Case(wire: "GET / HTTP/1.1\r\nHost a\r\n\r\n", kind: .malformedField, status: 400,
             field: "header section", offset: 16),
        Case(wire: "GET / HTTP/1.1\r\n: a\r\n\r\n", kind: .malformedField, status: 400,
             field: "header section", offset: 16),
        Case(wire: "GET / HTTP/1.1\r\nHost: a\u{01}b\r\n\r\n", kind: .malformedField, status: 400,
             field: "Host", offset: 23),
        Case(wire: "GET / HTTP/1.1\r\nHost: a\r\nX-Long: " + String(repeating: "x", count: 30),
             kind: .headerSectionTooLarge, status: 431, field: "header section", offset: 38, limits: small),
        Case(wire: "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n", kind: .tooManyFields, status: 431,
             field: "header section", offset: 31, limits: small),
        // Host (RFC 9112 §3.2).
        Case(wire: "GET / HTTP/1.1\r\n\r\n", kind: .invalidHost, status: 400, field: "Host", offset: 16),
        Case(wire: "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", kind: .invalidHost, status: 400,
             field: "Host", offset: 25),
        // Framing (RFC 9112 §6, RFC 9110 §8.6).
        Case(wire: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1x\r\n\r\n", kind: .invalidContentLength,
             status: 400, field: "Content-Length", offset: 26),
        Case(wire: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", kind: .invalidContentLength,
             status: 400, field: "Content-Length", offset: 26),
        Case(wire: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n", kind: .invalidContentLength,
             status: 400, field: "Content-Length", offset: 26),
        Case(wire: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
             kind: .conflictingContentLength, status: 400, field: "Content-Length", offset: 45),
        Case(wire: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\nhello",
             kind: .conflictingContentLength, status: 400, field: "Content-Length", offset: 26),
        Case(wire: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
             kind: .transferEncodingWithContentLength, status: 400, field: "Transfer-Encoding", offset: 45),
        Case(wire: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
             kind: .unsupportedTransferCoding, status: 501, field: "Transfer-Encoding", offset: 26),
        Case(wire: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
             kind: .invalidTransferEncoding, status: 400, field: "Transfer-Encoding", offset: 26),
        Case(wire: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ,\r\n\r\n",
             kind: .invalidTransferEncoding, status: 400, field: "Transfer-Encoding", offset: 26),
        Case(wire: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
             kind: .invalidTransferEncoding, status: 400, field: "Transfer-Encoding", offset: 17),
        Case(wire: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2000000\r\n\r\n", kind: .contentTooLarge,
             status: 413, field: "Content-Length", offset: 26),
        Case(wire: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999999999\r\n\r\n",
             kind: .contentTooLarge, status: 413, field: "Content-Length", offset: 26),
        // Chunked coding (RFC 9112 §7.1). The chunked header section below is 56 bytes long.
        Case(wire: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
             kind: .invalidChunkSize, status: 400, field: "chunk size", offset: 56),
        Case(wire: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n",
             kind: .invalidChunkSize, status: 400, field: "chunk size", offset: 58),
        Case(wire: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;a\u{7}\r\nhello\r\n",
             kind: .invalidChunkSize, status: 400, field: "chunk size", offset: 59),
        Case(wire: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX",
             kind: .invalidChunkData, status: 400, field: "chunk data", offset: 62),
        Case(wire: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
             + "FFFFFFFFFFFFFFFFFFFFFFFF\r\n", kind: .contentTooLarge, status: 413, field: "chunk size",
             offset: 56),
        Case(wire: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\n",
             kind: .contentTooLarge, status: 413, field: "chunk size", offset: 67,
             limits: HTTPLimits(maxBodySize: 10)),
        Case(wire: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n000000001\r\n",
             kind: .invalidChunkSize, status: 400, field: "chunk size", offset: 64,
             limits: HTTPLimits(maxChunkLineLength: 8)),
        Case(wire: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-Trailer: 0123456789\r\n",
             kind: .trailerSectionTooLarge, status: 431, field: "trailer section", offset: 69,
             limits: HTTPLimits(maxTrailerSectionSize: 10)),
        // End of stream inside a message.
        Case(wire: "GET / HTTP/1.1\r\nHost: a\r\n", kind: .unexpectedEndOfStream, status: 400,
             field: "header section", offset: 25),
        Case(wire: "GET / HTT", kind: .unexpectedEndOfStream, status: 400, field: "request line", offset: 9),
        Case(wire: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc", kind: .unexpectedEndOfStream,
             status: 400, field: "body", offset: 51),
        Case(wire: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
             kind: .unexpectedEndOfStream, status: 400, field: "chunk data", offset: 61),
    ]

    @Test(arguments: cases)
    func reportsErrorsWithStatusFieldAndOffset(_ example: Case) throws {
        let outcome = parsedAllWays(bytes(example.wire)) { requestOutcome($0, limits: example.limits) }
        let error = try #require(outcome.error)
        #expect(error.kind == example.kind)
        #expect(error.status == example.status)
        #expect(error.field == example.field)
        #expect(error.offset == example.offset)
        #expect(outcome.messages.isEmpty)
    }

    /// Requests before the bad one still come out, in order, and the error follows them.
    @Test func completesEarlierRequestsBeforeAnError() {
        let wire = bytes("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\nBAD\r\n")
        let outcome = parsedAllWays(wire) { requestOutcome($0) }
        #expect(outcome.messages.map(\.target) == ["/1", "/2"])
        #expect(outcome.error?.offset == 56)
        #expect(outcome.error?.kind == .malformedStartLine)
    }

    /// After an error the parser stays failed: no message, no second error, however much follows.
    @Test func staysFailedAfterAnError() {
        var parser = HTTPRequestParser()
        let first = parser.feed(bytes("GET / HTTP/9.9\r\n"))
        #expect(first.error?.status == 505)
        let later = parser.feed(bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n"))
        #expect(later == HTTPParseResult())
        #expect(parser.finish() == HTTPParseResult())
        #expect(parser.error == first.error)
        #expect(parser.bufferedByteCount == 0)
    }

    /// A Content-Length beyond the limit fails at the end of the header section, before any body
    /// byte is consumed or buffered, even when the body has already arrived.
    @Test func rejectsOversizedContentLengthBeforeBuffering() {
        let head = bytes("POST /big HTTP/1.1\r\nHost: a\r\nContent-Length: 1048577\r\n\r\n")
        var parser = HTTPRequestParser()
        let result = parser.feed(head + [UInt8](repeating: 0x41, count: 64 * 1024))
        #expect(result.error?.kind == .contentTooLarge)
        #expect(result.error?.status == 413)
        #expect(parser.bytesConsumed == head.count)
        #expect(parser.bufferedByteCount == 0)

        // At exactly the limit the body is accepted.
        var exact = HTTPRequestParser(limits: HTTPLimits(maxBodySize: 1000))
        let exactHead = bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n")
        let ok = exact.feed(exactHead + [UInt8](repeating: 1, count: 1000))
        #expect(ok.error == nil)
        #expect(ok.messages.first?.body.count == 1000)
    }

    /// The buffer holds the partial body while it arrives, and is empty between requests.
    @Test func bufferedByteCountFollowsThePartialMessage() {
        var parser = HTTPRequestParser()
        let head = bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n")
        _ = parser.feed(head)
        let afterHead = parser.bufferedByteCount
        #expect(afterHead > 0 && afterHead < head.count)
        _ = parser.feed([UInt8](repeating: 7, count: 60))
        #expect(parser.bufferedByteCount == afterHead + 60)
        #expect(!parser.isIdle)
        let done = parser.feed([UInt8](repeating: 7, count: 40))
        #expect(done.messages.count == 1)
        #expect(parser.bufferedByteCount == 0)
        #expect(parser.isIdle)
    }

    /// An upgrade request stops the parser; the rest comes back unparsed, and parsing resumes if
    /// the upgrade is declined (RFC 9110 §7.8).
    @Test func stopsAfterAnUpgradeRequest() {
        let upgrade = bytes("GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n"
            + "Connection: keep-alive, Upgrade\r\n\r\n")
        let after = bytes("GET /next HTTP/1.1\r\nHost: a\r\n\r\n")
        let outcome = parsedAllWays(upgrade + [0x81, 0x05] + after) { requestOutcome($0) }
        #expect(outcome.messages.map(\.target) == ["/chat"])
        #expect(outcome.messages.first?.isUpgradeRequest == true)
        #expect(outcome.unparsed == [0x81, 0x05] + after)

        var parser = HTTPRequestParser()
        let first = parser.feed(upgrade + after)
        #expect(parser.isUpgraded)
        parser.resumeAfterDeclinedUpgrade()
        let resumed = parser.feed(first.unparsed)
        #expect(resumed.messages.map(\.target) == ["/next"])
        #expect(parser.bytesConsumed == upgrade.count + after.count)
    }
}
