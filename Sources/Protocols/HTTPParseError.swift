/// Why and where an HTTP message could not be parsed, and the status a server answers with.
///
/// `offset` counts bytes from the start of the stream (0 is the first byte ever fed). It points
/// at the offending byte for a character-level error (a bare CR, a space in a field name, the
/// first byte past a length limit) and at the first byte of the offending line for an error
/// about a whole field or line (a bad `Content-Length`, a chunk too large).
public struct HTTPParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of error; each maps to one status code.
    public enum Kind: Sendable, Hashable {
        /// A CR not followed by LF, or an LF not preceded by CR (RFC 9112 §2.2).
        case invalidLineEnding
        /// The request line or status line does not match its grammar (RFC 9112 §3, §4).
        case malformedStartLine
        /// The request line or status line is longer than the limit.
        case startLineTooLong
        /// The request target is longer than the start-line limit (RFC 9112 §3: 414).
        case targetTooLong
        /// A well-formed version other than HTTP/1.x (RFC 9110 §15.6.6: 505).
        case unsupportedVersion
        /// A field line without a colon, with a name that is not a token (including whitespace
        /// before the colon, RFC 9112 §5.1) or with a forbidden character in its value (RFC 9110 §5.5).
        case malformedField
        /// A field line starting with whitespace: obsolete line folding (RFC 9112 §5.2).
        case obsoleteLineFolding
        /// The header section is larger than the limit (RFC 6585 §5: 431).
        case headerSectionTooLarge
        /// More field lines than the limit (RFC 6585 §5: 431).
        case tooManyFields
        /// HTTP/1.1 without exactly one `Host`, or HTTP/1.0 with several (RFC 9112 §3.2).
        case invalidHost
        /// A `Content-Length` value that is not a decimal number (RFC 9110 §8.6).
        case invalidContentLength
        /// Several `Content-Length` values that disagree (RFC 9110 §8.6, RFC 9112 §6.3).
        case conflictingContentLength
        /// Both `Transfer-Encoding` and `Content-Length` (RFC 9112 §6.3: a smuggling risk).
        case transferEncodingWithContentLength
        /// A transfer coding other than chunked (RFC 9112 §6.1: 501).
        case unsupportedTransferCoding
        /// `Transfer-Encoding` in HTTP/1.0, an empty coding list, or chunked applied twice (RFC 9112 §6.1).
        case invalidTransferEncoding
        /// A declared or received body larger than the limit (RFC 9110 §15.5.14: 413).
        case contentTooLarge
        /// A chunk-size line that is not hex digits and optional extensions (RFC 9112 §7.1).
        case invalidChunkSize
        /// Chunk data not followed by CRLF (RFC 9112 §7.1).
        case invalidChunkData
        /// The trailer section is larger than the limits (RFC 9112 §7.1.2).
        case trailerSectionTooLarge
        /// The stream ended inside a message.
        case unexpectedEndOfStream
    }

    public let kind: Kind
    /// The stream offset of the offending byte or line.
    public let offset: Int
    /// The element at fault: a field name (`Content-Length`), or `request line`, `status line`,
    /// `method`, `request target`, `HTTP version`, `status code`, `reason phrase`,
    /// `header section`, `chunk size`, `chunk data`, `trailer section`, `body`.
    public let field: String

    public init(kind: Kind, offset: Int, field: String) {
        self.kind = kind
        self.offset = offset
        self.field = field
    }

    /// The status code a server answers this error with (RFC 9110 §15, RFC 6585 §5).
    public var status: Int {
        switch kind {
        case .invalidLineEnding, .malformedStartLine, .startLineTooLong, .malformedField, .obsoleteLineFolding,
             .invalidHost, .invalidContentLength, .conflictingContentLength, .transferEncodingWithContentLength,
             .invalidTransferEncoding, .invalidChunkSize, .invalidChunkData, .unexpectedEndOfStream:
            return 400
        case .contentTooLarge: return 413
        case .targetTooLong: return 414
        case .headerSectionTooLarge, .tooManyFields, .trailerSectionTooLarge: return 431
        case .unsupportedTransferCoding: return 501
        case .unsupportedVersion: return 505
        }
    }

    /// A short English explanation of the kind.
    public var summary: String {
        switch kind {
        case .invalidLineEnding: return "line not terminated by CRLF"
        case .malformedStartLine: return "malformed"
        case .startLineTooLong: return "line too long"
        case .targetTooLong: return "request target too long"
        case .unsupportedVersion: return "unsupported HTTP version"
        case .malformedField: return "malformed field line"
        case .obsoleteLineFolding: return "obsolete line folding"
        case .headerSectionTooLarge: return "header section too large"
        case .tooManyFields: return "too many field lines"
        case .invalidHost: return "missing or repeated Host"
        case .invalidContentLength: return "invalid length"
        case .conflictingContentLength: return "conflicting lengths"
        case .transferEncodingWithContentLength: return "both Transfer-Encoding and Content-Length"
        case .unsupportedTransferCoding: return "unsupported transfer coding"
        case .invalidTransferEncoding: return "invalid transfer coding list"
        case .contentTooLarge: return "content too large"
        case .invalidChunkSize: return "invalid chunk size line"
        case .invalidChunkData: return "chunk data not followed by CRLF"
        case .trailerSectionTooLarge: return "trailer section too large"
        case .unexpectedEndOfStream: return "stream ended inside a message"
        }
    }

    /// `offset 17, Content-Length: conflicting lengths (400)`.
    public var description: String {
        "offset \(offset), \(field): \(summary) (\(status))"
    }
}
