/// An incremental parser for a stream of HTTP/1.x requests, as a server reads them (RFC 9112).
///
/// Feed it any slices of the stream; splitting never changes the result. After a request that
/// asks to switch protocols (`Upgrade` with `Connection: upgrade`, RFC 9110 §7.8) it stops, and
/// returns later bytes unparsed until `resumeAfterDeclinedUpgrade()`. After an error it stays
/// failed: later calls produce nothing.
public struct HTTPRequestParser: Sendable {
    private var core: HTTPMessageParser

    /// A parser at the start of a stream, enforcing `limits`.
    public init(limits: HTTPLimits = HTTPLimits()) {
        core = HTTPMessageParser(mode: .request, limits: limits)
    }

    /// The limits this parser enforces.
    public var limits: HTTPLimits { core.limits }

    /// Parses the next bytes of the stream.
    public mutating func feed<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> HTTPParseResult<HTTPRequest> {
        convert(core.feed(Array(bytes)))
    }

    /// Ends the stream: an incomplete request is an `unexpectedEndOfStream` error.
    public mutating func finish() -> HTTPParseResult<HTTPRequest> {
        convert(core.finish())
    }

    /// After an upgrade request the server declined, parses HTTP again; feed the bytes that came
    /// back unparsed first.
    public mutating func resumeAfterDeclinedUpgrade() {
        core.resumeAfterUpgrade()
    }

    /// The bytes held now (partial line, partial message); never above `limits.maxBufferedBytes`.
    public var bufferedByteCount: Int { core.bufferedByteCount }

    /// The number of bytes parsed so far: the offset of the next byte fed.
    public var bytesConsumed: Int { core.offset }

    /// The error the parser stopped at, if any.
    public var error: HTTPParseError? { core.error }

    /// Whether the parser is between requests, holding nothing.
    public var isIdle: Bool { core.isIdle }

    /// Whether the parser stopped after an upgrade request.
    public var isUpgraded: Bool {
        if case .upgraded = core.state { return true }
        return false
    }

    private func convert(_ output: HTTPMessageParser.Output) -> HTTPParseResult<HTTPRequest> {
        let requests = output.messages.compactMap { message -> HTTPRequest? in
            switch message.head {
            case .request(let method, let target, let version):
                return HTTPRequest(method: method, target: target, version: version, headers: message.headers,
                                   body: message.body, trailers: message.trailers)
            case .response:
                return nil
            }
        }
        return HTTPParseResult(messages: requests, error: output.error, unparsed: output.unparsed)
    }
}
