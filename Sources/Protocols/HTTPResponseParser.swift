/// An incremental parser for a stream of HTTP/1.x responses, as a client reads them (RFC 9112).
///
/// A response's body depends on the request it answers (a HEAD response has none, RFC 9112
/// §6.3), so call `expectResponse(to:)` for each request sent, in order; without it a GET is
/// assumed. Interim (1xx) responses come out as messages of their own and do not use up a
/// request. A response with neither `Content-Length` nor chunked coding ends with the stream:
/// `finish()` completes it. After a 101 response the parser stops and returns later bytes
/// unparsed. After an error it stays failed.
public struct HTTPResponseParser: Sendable {
    private var core: HTTPMessageParser

    /// A parser at the start of a stream, enforcing `limits`.
    public init(limits: HTTPLimits = HTTPLimits()) {
        core = HTTPMessageParser(mode: .response, limits: limits)
    }

    /// The limits this parser enforces.
    public var limits: HTTPLimits { core.limits }

    /// Records that a request with `method` was sent, so the parser knows how its response is framed.
    public mutating func expectResponse(to method: HTTPMethod) {
        core.expectResponse(to: method)
    }

    /// Parses the next bytes of the stream.
    public mutating func feed<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> HTTPParseResult<HTTPResponse> {
        convert(core.feed(Array(bytes)))
    }

    /// Ends the stream: completes a body delimited by the close (RFC 9112 §6.3 rule 8), or reports
    /// an incomplete response as an `unexpectedEndOfStream` error.
    public mutating func finish() -> HTTPParseResult<HTTPResponse> {
        convert(core.finish())
    }

    /// The bytes held now (partial line, partial message); never above `limits.maxBufferedBytes`.
    public var bufferedByteCount: Int { core.bufferedByteCount }

    /// The number of bytes parsed so far: the offset of the next byte fed.
    public var bytesConsumed: Int { core.offset }

    /// The error the parser stopped at, if any.
    public var error: HTTPParseError? { core.error }

    /// Whether the parser is between responses, holding nothing.
    public var isIdle: Bool { core.isIdle }

    /// Whether the parser stopped after a 101 (Switching Protocols) response.
    public var isUpgraded: Bool {
        if case .upgraded = core.state { return true }
        return false
    }

    private func convert(_ output: HTTPMessageParser.Output) -> HTTPParseResult<HTTPResponse> {
        let responses = output.messages.compactMap { message -> HTTPResponse? in
            switch message.head {
            case .response(let version, let status, let reason):
                return HTTPResponse(status: status, reason: reason, version: version, headers: message.headers,
                                    body: message.body, trailers: message.trailers)
            case .request:
                return nil
            }
        }
        return HTTPParseResult(messages: responses, error: output.error, unparsed: output.unparsed)
    }
}
