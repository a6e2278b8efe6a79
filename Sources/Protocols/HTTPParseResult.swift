/// What one `feed` or `finish` call of an HTTP parser produced.
///
/// Messages come in stream order. An error, if any, comes after them: it is where the parser
/// stopped, and it never produces anything afterwards.
public struct HTTPParseResult<Message: Sendable & Hashable>: Sendable, Hashable {
    /// The messages completed by this call, in order.
    public var messages: [Message]
    /// The error the parser stopped at during this call.
    public var error: HTTPParseError?
    /// Bytes after a protocol switch (an upgrade request, a 101 response): they belong to the
    /// next protocol and were not parsed (RFC 9110 §7.8).
    public var unparsed: [UInt8]

    public init(messages: [Message] = [], error: HTTPParseError? = nil, unparsed: [UInt8] = []) {
        self.messages = messages
        self.error = error
        self.unparsed = unparsed
    }
}
