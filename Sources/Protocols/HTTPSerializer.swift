/// Turns requests and responses into bytes (RFC 9112 §2.1).
///
/// The serializer owns the framing: it drops any `Content-Length` and `Transfer-Encoding` fields
/// the message carries and writes its own after the other fields, so the framing always matches
/// the body. No `Date` field is added (RFC 9110 §6.6.1 lets a server without a clock omit it).
/// Fields whose name is not a token are not written, and CR, LF and NUL in values and reason
/// phrases become spaces (RFC 9110 §5.5), so no message can inject lines into the stream.
/// Trailers are written only with the chunked coding.
public enum HTTPSerializer {
    /// The bytes of `request`. An empty body gets no `Content-Length` unless the method expects
    /// content (POST, PUT, PATCH), as RFC 9110 §8.6 advises.
    public static func serialize(_ request: HTTPRequest, framing: HTTPBodyFraming = .contentLength) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128 + request.body.count)
        bytes.append(contentsOf: request.method.name.utf8)
        bytes.append(HTTPSyntax.space)
        bytes.append(contentsOf: sanitizedTarget(request.target))
        bytes.append(HTTPSyntax.space)
        bytes.append(contentsOf: request.version.description.utf8)
        bytes.append(contentsOf: crlf)
        appendFields(request.headers, to: &bytes)
        switch effectiveFraming(framing, version: request.version) {
        case .contentLength:
            let expectsContent = request.method == .post || request.method == .put || request.method == .patch
            if !request.body.isEmpty || expectsContent {
                appendField(name: "Content-Length", value: String(request.body.count), to: &bytes)
            }
            bytes.append(contentsOf: crlf)
            bytes.append(contentsOf: request.body)
        case .chunked(let chunkSize):
            appendField(name: "Transfer-Encoding", value: "chunked", to: &bytes)
            bytes.append(contentsOf: crlf)
            bytes.append(contentsOf: chunkedBody(request.body, chunkSize: chunkSize, trailers: request.trailers))
        }
        return bytes
    }

    /// The bytes of `response` to a request with `requestMethod`.
    ///
    /// RFC 9112 §6.3 and RFC 9110 §8.6: 1xx and 204 responses get no body and no framing field;
    /// 304 gets no body and no framing field; a response to HEAD gets the framing field a GET
    /// would get (`Content-Length` of `body`) but not the body itself.
    public static func serialize(
        _ response: HTTPResponse,
        requestMethod: HTTPMethod = .get,
        framing: HTTPBodyFraming = .contentLength
    ) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128 + response.body.count)
        bytes.append(contentsOf: response.version.description.utf8)
        bytes.append(HTTPSyntax.space)
        bytes.append(contentsOf: statusCodeText(response.status).utf8)
        bytes.append(HTTPSyntax.space)
        bytes.append(contentsOf: sanitizedValue(response.reason))
        bytes.append(contentsOf: crlf)
        appendFields(response.headers, to: &bytes)
        if response.statusForbidsBody {
            bytes.append(contentsOf: crlf)
            return bytes
        }
        let sendsBody = requestMethod != .head
        switch effectiveFraming(framing, version: response.version) {
        case .contentLength:
            appendField(name: "Content-Length", value: String(response.body.count), to: &bytes)
            bytes.append(contentsOf: crlf)
            if sendsBody {
                bytes.append(contentsOf: response.body)
            }
        case .chunked(let chunkSize):
            appendField(name: "Transfer-Encoding", value: "chunked", to: &bytes)
            bytes.append(contentsOf: crlf)
            if sendsBody {
                bytes.append(contentsOf: chunkedBody(response.body, chunkSize: chunkSize, trailers: response.trailers))
            }
        }
        return bytes
    }

    /// `body` in the chunked coding (RFC 9112 §7.1): chunks of `chunkSize` bytes (the whole body
    /// in one chunk if `chunkSize` is not positive), the last chunk `0`, the trailer fields and
    /// the final CRLF. Chunk sizes are lower-case hex without extensions.
    public static func chunkedBody(_ body: [UInt8], chunkSize: Int, trailers: HTTPHeaders = HTTPHeaders()) -> [UInt8] {
        let size = chunkSize > 0 ? chunkSize : max(body.count, 1)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(body.count + (body.count / size + 2) * 12)
        var start = 0
        while start < body.count {
            let end = min(body.count, start + size)
            bytes.append(contentsOf: String(end - start, radix: 16).utf8)
            bytes.append(contentsOf: crlf)
            bytes.append(contentsOf: body[start..<end])
            bytes.append(contentsOf: crlf)
            start = end
        }
        bytes.append(UInt8(ascii: "0"))
        bytes.append(contentsOf: crlf)
        for field in trailers where !isFramingField(field.name) {
            appendField(name: field.name, value: field.value, to: &bytes)
        }
        bytes.append(contentsOf: crlf)
        return bytes
    }

    // MARK: Pieces

    private static let crlf: [UInt8] = [HTTPSyntax.cr, HTTPSyntax.lf]

    private static func effectiveFraming(_ framing: HTTPBodyFraming, version: HTTPVersion) -> HTTPBodyFraming {
        switch (framing, version) {
        case (.chunked, .http1_0): return .contentLength
        case (.chunked, .http1_1), (.contentLength, _): return framing
        }
    }

    private static func isFramingField(_ name: String) -> Bool {
        HTTPSyntax.equalsIgnoringCase(name, "Content-Length")
            || HTTPSyntax.equalsIgnoringCase(name, "Transfer-Encoding")
    }

    private static func appendFields(_ headers: HTTPHeaders, to bytes: inout [UInt8]) {
        for field in headers where !isFramingField(field.name) {
            appendField(name: field.name, value: field.value, to: &bytes)
        }
    }

    private static func appendField(name: String, value: String, to bytes: inout [UInt8]) {
        guard HTTPSyntax.isToken(name) else { return }
        bytes.append(contentsOf: name.utf8)
        bytes.append(HTTPSyntax.colon)
        bytes.append(HTTPSyntax.space)
        bytes.append(contentsOf: sanitizedValue(value))
        bytes.append(contentsOf: crlf)
    }

    /// The value's wire bytes with CR, LF and NUL replaced by SP and outer whitespace trimmed.
    private static func sanitizedValue(_ value: String) -> [UInt8] {
        let bytes = HTTPSyntax.wireBytes(value).map { byte in
            byte == HTTPSyntax.cr || byte == HTTPSyntax.lf || byte == 0 ? HTTPSyntax.space : byte
        }
        guard let first = bytes.firstIndex(where: { !HTTPSyntax.isWhitespace($0) }),
              let last = bytes.lastIndex(where: { !HTTPSyntax.isWhitespace($0) })
        else { return [] }
        return Array(bytes[first...last])
    }

    /// The target's bytes with anything but visible ASCII percent-encoded (RFC 3986 §2.1), and
    /// `/` for an empty target.
    private static func sanitizedTarget(_ target: String) -> [UInt8] {
        if target.isEmpty { return [UInt8(ascii: "/")] }
        var bytes: [UInt8] = []
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in target.utf8 {
            if HTTPSyntax.isTargetByte(byte) {
                bytes.append(byte)
            } else {
                bytes.append(UInt8(ascii: "%"))
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0F)])
            }
        }
        return bytes
    }

    /// Three digits, as `status-code` requires (RFC 9112 §4); out-of-range codes are clamped.
    private static func statusCodeText(_ status: Int) -> String {
        String(min(999, max(100, status)))
    }
}
