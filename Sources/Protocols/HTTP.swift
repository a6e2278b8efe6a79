// HTTP/1.x in StackLab: the message model, an incremental parser, a serializer, and sans-I/O
// client and server connection machines. Semantics follow RFC 9110, message syntax RFC 9112
// (HTTP/1.1) and RFC 1945 (HTTP/1.0). Nothing here does I/O or reads a clock: bytes go in,
// messages, actions and bytes come out; time is passed in as Int64 nanoseconds.
//
// Deliberate simplifications:
// - HTTP/1.0 and HTTP/1.1 only: no HTTP/0.9 simple requests, no HTTP/2 or HTTP/3. A request
//   naming HTTP/1.x with x > 1 is handled as HTTP/1.1 (RFC 9110 §2.5); other versions get 505.
// - Lines must end in CRLF. A bare LF is rejected, although RFC 9112 §2.2 lets a recipient
//   accept it; a bare CR is rejected as §2.2 requires.
// - Obsolete line folding (obs-fold) is rejected, never unfolded (RFC 9112 §5.2).
// - The only transfer coding is `chunked`; any other (gzip, deflate, ...) gets 501
//   (RFC 9112 §6.1). Content codings are not decoded: `Content-Encoding` is passed through.
// - A response that names the body's length twice (`Content-Length: 5, 5`) is accepted when
//   the values agree (RFC 9110 §8.6 allows either choice); disagreeing values are rejected.
// - Field values are read byte for character as ISO-8859-1 (obs-text kept opaque, RFC 9110
//   §5.5), so they round-trip; the serializer writes characters above U+00FF as UTF-8.
// - The request target is opaque text: no URI parsing or normalization; no CONNECT tunnels
//   (a 2xx answer to CONNECT is handled like any response).
// - No `Date` header is ever added: StackLab's servers behave as servers without a clock
//   (RFC 9110 §6.6.1), so traces stay deterministic.
// - `Expect: 100-continue` is not answered automatically; the application may send a 100.
// - Trailer fields are kept apart from the header section and never merged into it.
// - No caching, ranges, conditional requests, cookies, authentication or multipart bodies:
//   those are header fields the application reads itself.
// - The server connection applies no backpressure to pipelined requests: the glue code can
//   stop reading while `pendingRequestCount` is high.
