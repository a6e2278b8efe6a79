/// Size limits that keep an HTTP parser's memory bounded whatever it is fed.
///
/// Every limit is checked as bytes arrive, before they are kept: a line that grows past its
/// limit fails at the first byte too many, and a declared body length or chunk size beyond
/// `maxBodySize` fails before any of the body is read. So a parser never holds more than
/// `maxBufferedBytes`.
public struct HTTPLimits: Sendable, Hashable {
    /// Longest request line or status line, without its CRLF (RFC 9112 §3 suggests at least 8000).
    public var maxStartLineLength: Int
    /// Largest header section: the sum of the field lines' lengths, without their CRLFs.
    public var maxHeaderSectionSize: Int
    /// Most field lines in a header section (and, separately, in a trailer section).
    public var maxFieldCount: Int
    /// Largest body after removing the chunked coding.
    public var maxBodySize: Int
    /// Longest chunk-size line, extensions included, without its CRLF (RFC 9112 §7.1.1).
    public var maxChunkLineLength: Int
    /// Largest trailer section: the sum of the trailer field lines' lengths (RFC 9112 §7.1.2).
    public var maxTrailerSectionSize: Int

    public init(
        maxStartLineLength: Int = 8 * 1024,
        maxHeaderSectionSize: Int = 16 * 1024,
        maxFieldCount: Int = 100,
        maxBodySize: Int = 1024 * 1024,
        maxChunkLineLength: Int = 1024,
        maxTrailerSectionSize: Int = 4 * 1024
    ) {
        self.maxStartLineLength = maxStartLineLength
        self.maxHeaderSectionSize = maxHeaderSectionSize
        self.maxFieldCount = maxFieldCount
        self.maxBodySize = maxBodySize
        self.maxChunkLineLength = maxChunkLineLength
        self.maxTrailerSectionSize = maxTrailerSectionSize
    }

    /// The most bytes a parser with these limits ever holds (its `bufferedByteCount`): one start
    /// line, one header section, one chunk-size line, one body and one trailer section.
    public var maxBufferedBytes: Int {
        maxStartLineLength + maxHeaderSectionSize + maxChunkLineLength + maxBodySize + maxTrailerSectionSize
    }
}
