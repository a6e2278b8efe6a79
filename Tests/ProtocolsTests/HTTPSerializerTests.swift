import Protocols
import Testing

@Suite("HTTP serializer")
struct HTTPSerializerTests {
    private func text(_ wire: [UInt8]) -> String {
        String(decoding: wire, as: UTF8.self)
    }

    @Test func serializesRequests() {
        let get = HTTPRequest(target: "/index.html", headers: ["Host": "example.com", "Accept": "*/*"])
        #expect(text(HTTPSerializer.serialize(get))
            == "GET /index.html HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n")
        let emptyPost = HTTPRequest(method: .post, target: "/", version: .http1_0)
        #expect(text(HTTPSerializer.serialize(emptyPost)) == "POST / HTTP/1.0\r\nContent-Length: 0\r\n\r\n")
        let put = HTTPRequest(method: .put, target: "/f", headers: ["Host": "h"], body: bytes("abc"))
        #expect(text(HTTPSerializer.serialize(put)) == "PUT /f HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc")
    }

    /// The serializer owns framing: stale Content-Length / Transfer-Encoding fields are replaced.
    @Test func replacesFramingFields() {
        let response = HTTPResponse(status: 200, headers: ["content-length": "99", "Server": "stacklab",
                                                           "Transfer-Encoding": "gzip"], body: bytes("hi"))
        #expect(text(HTTPSerializer.serialize(response))
            == "HTTP/1.1 200 OK\r\nServer: stacklab\r\nContent-Length: 2\r\n\r\nhi")
    }

    /// RFC 9110 §8.6, RFC 9112 §6.3: no body for HEAD, 1xx, 204 and 304; HEAD keeps the length.
    @Test func omitsBodiesWhereTheProtocolForbidsThem() {
        let body = bytes("<html></html>")
        let ok = HTTPResponse(status: 200, body: body)
        #expect(text(HTTPSerializer.serialize(ok, requestMethod: .head))
            == "HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\n")
        #expect(text(HTTPSerializer.serialize(HTTPResponse(status: 204, body: body)))
            == "HTTP/1.1 204 No Content\r\n\r\n")
        #expect(text(HTTPSerializer.serialize(HTTPResponse(status: 304, body: body)))
            == "HTTP/1.1 304 Not Modified\r\n\r\n")
        #expect(text(HTTPSerializer.serialize(HTTPResponse(status: 100))) == "HTTP/1.1 100 Continue\r\n\r\n")
        #expect(text(HTTPSerializer.serialize(HTTPResponse(status: 299, body: body)))
            .hasSuffix("\r\n\r\n<html></html>"))
    }

    /// RFC 9112 §7.1: chunks, the last chunk, trailers and the final CRLF.
    @Test func chunkedBody() {
        let wire = HTTPSerializer.chunkedBody(bytes("Wikipedia"), chunkSize: 4, trailers: ["Expires": "never"])
        #expect(text(wire) == "4\r\nWiki\r\n4\r\npedi\r\n1\r\na\r\n0\r\nExpires: never\r\n\r\n")
        #expect(text(HTTPSerializer.chunkedBody([], chunkSize: 4)) == "0\r\n\r\n")
        #expect(text(HTTPSerializer.chunkedBody(bytes("abc"), chunkSize: 0)) == "3\r\nabc\r\n0\r\n\r\n")
        let big = HTTPSerializer.chunkedBody([UInt8](repeating: 0, count: 300), chunkSize: 256)
        #expect(text(Array(big.prefix(5))) == "100\r\n")
    }

    /// Chunked framing on a message; HTTP/1.0 has no chunked coding, so it gets Content-Length.
    @Test func chunkedFraming() {
        let response = HTTPResponse(status: 200, body: bytes("hello"), trailers: ["X-Sum": "5"])
        #expect(text(HTTPSerializer.serialize(response, framing: .chunked(chunkSize: 3)))
            == "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n2\r\nlo\r\n0\r\nX-Sum: 5\r\n\r\n")
        var old = response
        old.version = .http1_0
        #expect(text(HTTPSerializer.serialize(old, framing: .chunked(chunkSize: 3)))
            == "HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello")
    }

    /// Nothing a message holds can inject a line: CR/LF/NUL become spaces, bad names are dropped,
    /// and a target is percent-encoded where it is not visible ASCII.
    @Test func sanitizesInjection() {
        let request = HTTPRequest(target: "/a b\r\nX: y", headers: ["Host": "h\r\nInjected: 1", "Bad Name": "v",
                                                                     "Ok": " spaced\u{0} "])
        #expect(text(HTTPSerializer.serialize(request))
            == "GET /a%20b%0D%0AX:%20y HTTP/1.1\r\nHost: h  Injected: 1\r\nOk: spaced\r\n\r\n")
        let response = HTTPResponse(status: 200, reason: "OK\r\nSet-Cookie: evil")
        #expect(text(HTTPSerializer.serialize(response)).hasPrefix("HTTP/1.1 200 OK  Set-Cookie: evil\r\n"))
    }

    /// Serialize then parse gives the message back, framing fields aside.
    @Test func roundTripsThroughTheParser() throws {
        let request = HTTPRequest(method: .post, target: "/submit?q=1", headers: ["Host": "h", "X-Caf": "caf\u{E9}"],
                                  body: bytes("a=1&b=2"), trailers: ["X-Sum": "9"])
        for framing in [HTTPBodyFraming.contentLength, .chunked(chunkSize: 2)] {
            var parser = HTTPRequestParser()
            let parsed = try #require(parser.feed(HTTPSerializer.serialize(request, framing: framing)).messages.first)
            #expect(parsed.method == request.method)
            #expect(parsed.target == request.target)
            #expect(parsed.body == request.body)
            #expect(Array(parsed.headers.prefix(2)) == Array(request.headers))
            #expect(parsed.trailers == (framing == .contentLength ? [:] : request.trailers))
        }
    }
}
