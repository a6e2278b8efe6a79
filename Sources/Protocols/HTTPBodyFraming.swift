/// How the serializer delimits a body on the wire (RFC 9112 §6).
public enum HTTPBodyFraming: Sendable, Hashable {
    /// A `Content-Length` field and the body as is (RFC 9112 §6.2).
    case contentLength
    /// `Transfer-Encoding: chunked`, chunks of at most `chunkSize` bytes, then the trailers
    /// (RFC 9112 §7.1). HTTP/1.0 has no chunked coding, so an HTTP/1.0 message falls back to
    /// `contentLength`.
    case chunked(chunkSize: Int)
}
