/// The incremental HTTP/1.x state machine behind `HTTPRequestParser` and `HTTPResponseParser`.
///
/// It reads one byte at a time through lines (start line, field lines, chunk-size lines, trailer
/// lines) and copies body bytes in runs, so its result never depends on how the input is split.
/// Nothing is kept but the current line, the message being built, and counters; every limit in
/// `HTTPLimits` is checked before the byte that would break it is stored.
struct HTTPMessageParser: Sendable {
    /// Which grammar the start line follows.
    enum Mode: Sendable {
        case request
        case response
    }

    /// A parsed start line (RFC 9112 §3, §4).
    enum Head: Sendable, Hashable {
        case request(HTTPMethod, String, HTTPVersion)
        case response(HTTPVersion, Int, String)
    }

    /// A complete message before it becomes an `HTTPRequest` or `HTTPResponse`.
    struct Message: Sendable, Hashable {
        var head: Head
        var headers: HTTPHeaders
        var body: [UInt8]
        var trailers: HTTPHeaders
    }

    /// What one call produced.
    struct Output: Sendable {
        var messages: [Message] = []
        var error: HTTPParseError?
        var unparsed: [UInt8] = []
    }

    /// The kinds of line the parser reads.
    enum LineKind: Sendable {
        case start
        case field
        case chunkSize
        case trailer
    }

    /// How the body of the current message is delimited (RFC 9112 §6.3).
    enum Framing: Sendable {
        case none
        case length(Int)
        case chunked
        case untilClose
    }

    enum State: Sendable {
        /// Reading a line of the given kind.
        case line(LineKind)
        /// Reading a body of known length (RFC 9112 §6.2).
        case fixedBody(remaining: Int)
        /// Reading chunk data (RFC 9112 §7.1).
        case chunkData(remaining: Int)
        /// Expecting the CRLF after chunk data; `sawCR` once the CR arrived.
        case chunkDataEnd(sawCR: Bool)
        /// Reading a body delimited by the end of the stream (RFC 9112 §6.3 rule 8).
        case untilClose
        /// Stopped after a protocol switch: later bytes are not HTTP (RFC 9110 §7.8).
        case upgraded
        /// The stream ended cleanly.
        case ended
        /// Stopped at an error; nothing more is produced.
        case failed(HTTPParseError)
    }

    let mode: Mode
    let limits: HTTPLimits
    private(set) var state: State = .line(.start)
    /// The stream offset of the next byte to read.
    private(set) var offset = 0

    private var line: [UInt8] = []
    private var lineStart = 0
    private var pendingCR = false
    private var head: Head?
    private var startLineBytes = 0
    private var headers = HTTPHeaders()
    private var fieldOffsets: [Int] = []
    private var headerBytes = 0
    private var body: [UInt8] = []
    private var trailers = HTTPHeaders()
    private var trailerBytes = 0
    /// Response mode: methods of the requests still waiting for a final response, oldest first.
    private var requestMethods: [HTTPMethod] = []

    init(mode: Mode, limits: HTTPLimits) {
        self.mode = mode
        self.limits = limits
    }

    /// The bytes held now: the current line, and the parts of the current message read so far.
    var bufferedByteCount: Int {
        line.count + startLineBytes + headerBytes + body.count + trailerBytes
    }

    /// The error the parser stopped at, if any.
    var error: HTTPParseError? {
        if case .failed(let error) = state { return error }
        return nil
    }

    /// Whether the parser is between messages with no partial message held.
    var isIdle: Bool {
        if case .line(.start) = state { return line.isEmpty && !pendingCR }
        return false
    }

    /// Response mode: a response is expected for a request with `method` (HEAD responses have no body).
    mutating func expectResponse(to method: HTTPMethod) {
        requestMethods.append(method)
    }

    /// After an upgrade that did not happen, parse HTTP again from the next byte fed.
    mutating func resumeAfterUpgrade() {
        if case .upgraded = state {
            state = .line(.start)
        }
    }

    // MARK: Feeding

    /// Parses `input`; bytes after a protocol switch come back unparsed.
    mutating func feed(_ input: [UInt8]) -> Output {
        var output = Output()
        var index = 0
        while index < input.count {
            switch state {
            case .failed, .ended:
                return output
            case .upgraded:
                output.unparsed.append(contentsOf: input[index...])
                return output
            case .line(let kind):
                readLineByte(input[index], kind: kind, into: &output)
                index += 1
                offset += 1
            case .fixedBody(let remaining):
                let count = min(remaining, input.count - index)
                body.append(contentsOf: input[index..<(index + count)])
                index += count
                offset += count
                if count == remaining {
                    completeMessage(into: &output)
                } else {
                    state = .fixedBody(remaining: remaining - count)
                }
            case .chunkData(let remaining):
                let count = min(remaining, input.count - index)
                body.append(contentsOf: input[index..<(index + count)])
                index += count
                offset += count
                state = count == remaining ? .chunkDataEnd(sawCR: false) : .chunkData(remaining: remaining - count)
            case .chunkDataEnd(let sawCR):
                let byte = input[index]
                if !sawCR && byte == HTTPSyntax.cr {
                    state = .chunkDataEnd(sawCR: true)
                } else if sawCR && byte == HTTPSyntax.lf {
                    state = .line(.chunkSize)
                } else {
                    fail(.invalidChunkData, at: offset, field: "chunk data", into: &output)
                    return output
                }
                index += 1
                offset += 1
            case .untilClose:
                let count = input.count - index
                let room = limits.maxBodySize - body.count
                if count > room {
                    fail(.contentTooLarge, at: offset + room, field: "body", into: &output)
                    return output
                }
                body.append(contentsOf: input[index...])
                index += count
                offset += count
            }
        }
        return output
    }

    /// Ends the stream: completes a body delimited by the close, or reports a truncated message.
    mutating func finish() -> Output {
        var output = Output()
        switch state {
        case .failed, .ended, .upgraded:
            return output
        case .untilClose:
            completeMessage(into: &output)
            state = .ended
        case .line(.start) where line.isEmpty && !pendingCR:
            state = .ended
        case .line(let kind):
            fail(.unexpectedEndOfStream, at: offset, field: fieldName(of: kind), into: &output)
        case .fixedBody:
            fail(.unexpectedEndOfStream, at: offset, field: "body", into: &output)
        case .chunkData, .chunkDataEnd:
            fail(.unexpectedEndOfStream, at: offset, field: "chunk data", into: &output)
        }
        return output
    }

    // MARK: Lines

    private func fieldName(of kind: LineKind) -> String {
        switch kind {
        case .start: return mode == .request ? "request line" : "status line"
        case .field: return "header section"
        case .chunkSize: return "chunk size"
        case .trailer: return "trailer section"
        }
    }

    /// One byte of a line: CRLF ends it (RFC 9112 §2.2), anything else is kept if within limits.
    private mutating func readLineByte(_ byte: UInt8, kind: LineKind, into output: inout Output) {
        if pendingCR {
            pendingCR = false
            if byte == HTTPSyntax.lf {
                completeLine(kind: kind, into: &output)
            } else {
                fail(.invalidLineEnding, at: offset - 1, field: fieldName(of: kind), into: &output)
            }
            return
        }
        if line.isEmpty {
            lineStart = offset
        }
        if byte == HTTPSyntax.cr {
            pendingCR = true
            return
        }
        if byte == HTTPSyntax.lf {
            fail(.invalidLineEnding, at: offset, field: fieldName(of: kind), into: &output)
            return
        }
        line.append(byte)
        switch kind {
        case .start:
            if line.count > limits.maxStartLineLength {
                // Still inside the target (one space so far): the target is what is too long.
                if mode == .request && line.lazy.filter({ $0 == HTTPSyntax.space }).count == 1 {
                    fail(.targetTooLong, at: offset, field: "request target", into: &output)
                } else {
                    fail(.startLineTooLong, at: offset, field: fieldName(of: kind), into: &output)
                }
            }
        case .field:
            if headerBytes + line.count > limits.maxHeaderSectionSize {
                fail(.headerSectionTooLarge, at: offset, field: "header section", into: &output)
            }
        case .chunkSize:
            if line.count > limits.maxChunkLineLength {
                fail(.invalidChunkSize, at: offset, field: "chunk size", into: &output)
            }
        case .trailer:
            if trailerBytes + line.count > limits.maxTrailerSectionSize {
                fail(.trailerSectionTooLarge, at: offset, field: "trailer section", into: &output)
            }
        }
    }

    private mutating func completeLine(kind: LineKind, into output: inout Output) {
        defer { line.removeAll(keepingCapacity: true) }
        switch kind {
        case .start:
            if line.isEmpty && mode == .request {
                return  // RFC 9112 §2.2: a server SHOULD ignore empty lines before the request line.
            }
            guard let parsed = parseStartLine(into: &output) else { return }
            head = parsed
            startLineBytes = line.count
            state = .line(.field)
        case .field:
            if line.isEmpty {
                endHeaderSection(into: &output)
            } else if let field = parseFieldLine(isTrailer: false, into: &output) {
                headers.add(name: field.name, value: field.value)
                fieldOffsets.append(lineStart)
                headerBytes += line.count
            }
        case .chunkSize:
            parseChunkSizeLine(into: &output)
        case .trailer:
            if line.isEmpty {
                completeMessage(into: &output)
            } else if let field = parseFieldLine(isTrailer: true, into: &output) {
                trailers.add(name: field.name, value: field.value)
                trailerBytes += line.count
            }
        }
    }

    // MARK: Start line

    private mutating func parseStartLine(into output: inout Output) -> Head? {
        switch mode {
        case .request: return parseRequestLine(into: &output)
        case .response: return parseStatusLine(into: &output)
        }
    }

    /// `request-line = method SP request-target SP HTTP-version` (RFC 9112 §3).
    private mutating func parseRequestLine(into output: inout Output) -> Head? {
        guard let firstSpace = line.firstIndex(of: HTTPSyntax.space),
              let lastSpace = line.lastIndex(of: HTTPSyntax.space), firstSpace != lastSpace
        else {
            fail(.malformedStartLine, at: lineStart, field: "request line", into: &output)
            return nil
        }
        let methodBytes = line[..<firstSpace]
        if methodBytes.isEmpty {
            fail(.malformedStartLine, at: lineStart, field: "method", into: &output)
            return nil
        }
        if let bad = methodBytes.firstIndex(where: { !HTTPSyntax.isTokenCharacter($0) }) {
            fail(.malformedStartLine, at: lineStart + bad, field: "method", into: &output)
            return nil
        }
        let targetBytes = line[(firstSpace + 1)..<lastSpace]
        if targetBytes.isEmpty {
            fail(.malformedStartLine, at: lineStart + firstSpace + 1, field: "request target", into: &output)
            return nil
        }
        if let bad = targetBytes.firstIndex(where: { !HTTPSyntax.isTargetByte($0) }) {
            fail(.malformedStartLine, at: lineStart + bad, field: "request target", into: &output)
            return nil
        }
        guard let version = parseVersion(line[(lastSpace + 1)...], into: &output) else { return nil }
        return .request(
            HTTPMethod(validated: String(decoding: methodBytes, as: UTF8.self)),
            String(decoding: targetBytes, as: UTF8.self),
            version)
    }

    /// `status-line = HTTP-version SP status-code SP [ reason-phrase ]` (RFC 9112 §4); the
    /// second space may be missing when the phrase is empty, as many servers send it.
    private mutating func parseStatusLine(into output: inout Output) -> Head? {
        if line.isEmpty {
            fail(.malformedStartLine, at: lineStart, field: "status line", into: &output)
            return nil
        }
        let versionEnd = line.firstIndex(of: HTTPSyntax.space) ?? line.endIndex
        guard let version = parseVersion(line[..<versionEnd], into: &output) else { return nil }
        let codeStart = versionEnd + 1
        let codeEnd = codeStart + 3
        guard codeEnd <= line.count,
              line[codeStart..<codeEnd].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              codeEnd == line.count || line[codeEnd] == HTTPSyntax.space
        else {
            fail(.malformedStartLine, at: lineStart + min(codeStart, line.count), field: "status code", into: &output)
            return nil
        }
        let code = line[codeStart..<codeEnd].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        guard (100...599).contains(code) else {
            fail(.malformedStartLine, at: lineStart + codeStart, field: "status code", into: &output)
            return nil
        }
        let reasonBytes = codeEnd < line.count ? line[(codeEnd + 1)...] : []
        if let bad = reasonBytes.firstIndex(where: { !HTTPSyntax.isFieldValueByte($0) }) {
            fail(.malformedStartLine, at: lineStart + bad, field: "reason phrase", into: &output)
            return nil
        }
        return .response(version, code, HTTPSyntax.latin1String(reasonBytes))
    }

    /// `HTTP-version = "HTTP/" DIGIT "." DIGIT` (RFC 9112 §2.3). HTTP/1.x with x > 1 counts as
    /// HTTP/1.1 (RFC 9110 §2.5); any other major version is unsupported (505).
    private mutating func parseVersion(_ bytes: ArraySlice<UInt8>, into output: inout Output) -> HTTPVersion? {
        let prefix: [UInt8] = Array("HTTP/".utf8)
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let start = bytes.startIndex
        guard bytes.count == 8, bytes.prefix(5).elementsEqual(prefix), isDigit(bytes[start + 5]),
              bytes[start + 6] == UInt8(ascii: "."), isDigit(bytes[start + 7])
        else {
            fail(.malformedStartLine, at: lineStart + start, field: "HTTP version", into: &output)
            return nil
        }
        let major = bytes[start + 5] - UInt8(ascii: "0")
        let minor = bytes[start + 7] - UInt8(ascii: "0")
        guard major == 1 else {
            fail(.unsupportedVersion, at: lineStart + start, field: "HTTP version", into: &output)
            return nil
        }
        return minor == 0 ? .http1_0 : .http1_1
    }

    // MARK: Field lines

    /// `field-line = field-name ":" OWS field-value OWS` (RFC 9112 §5).
    private mutating func parseFieldLine(isTrailer: Bool, into output: inout Output) -> HTTPField? {
        let section = isTrailer ? "trailer section" : "header section"
        let count = isTrailer ? trailers.count : headers.count
        if count >= limits.maxFieldCount {
            fail(isTrailer ? .trailerSectionTooLarge : .tooManyFields, at: lineStart, field: section, into: &output)
            return nil
        }
        if let first = line.first, HTTPSyntax.isWhitespace(first) {
            // RFC 9112 §5.2 (obs-fold) after a field; RFC 9112 §2.2 before the first one.
            let kind: HTTPParseError.Kind = count > 0 ? .obsoleteLineFolding : .malformedField
            fail(kind, at: lineStart, field: section, into: &output)
            return nil
        }
        guard let colon = line.firstIndex(of: HTTPSyntax.colon) else {
            fail(.malformedField, at: lineStart, field: section, into: &output)
            return nil
        }
        if colon == 0 {
            fail(.malformedField, at: lineStart, field: section, into: &output)
            return nil
        }
        // A space before the colon is not a tchar, so RFC 9112 §5.1's rejection happens here.
        if let bad = line[..<colon].firstIndex(where: { !HTTPSyntax.isTokenCharacter($0) }) {
            fail(.malformedField, at: lineStart + bad, field: section, into: &output)
            return nil
        }
        let name = String(decoding: line[..<colon], as: UTF8.self)
        var valueStart = colon + 1
        var valueEnd = line.count
        while valueStart < valueEnd && HTTPSyntax.isWhitespace(line[valueStart]) { valueStart += 1 }
        while valueEnd > valueStart && HTTPSyntax.isWhitespace(line[valueEnd - 1]) { valueEnd -= 1 }
        let valueBytes = line[valueStart..<valueEnd]
        if let bad = valueBytes.firstIndex(where: { !HTTPSyntax.isFieldValueByte($0) }) {
            fail(.malformedField, at: lineStart + bad, field: name, into: &output)
            return nil
        }
        return HTTPField(name: name, value: HTTPSyntax.latin1String(valueBytes))
    }

    // MARK: Body framing

    /// At the empty line: checks `Host`, picks the framing (RFC 9112 §6.3), then reads the body.
    private mutating func endHeaderSection(into output: inout Output) {
        guard let head else { return }
        let framing: Framing?
        switch head {
        case .request(_, _, let version):
            guard checkHost(version: version, into: &output) else { return }
            framing = messageFraming(version: version, isRequest: true, into: &output)
        case .response(let version, let status, _):
            if (100...199).contains(status) {
                framing = Framing.none  // Interim: the final response for the same request follows.
            } else {
                let method = requestMethods.isEmpty ? nil : requestMethods.removeFirst()
                if method == .head || status == 204 || status == 304 {
                    framing = Framing.none  // RFC 9112 §6.3 rule 1.
                } else {
                    framing = messageFraming(version: version, isRequest: false, into: &output)
                }
            }
        }
        guard let framing else { return }
        switch framing {
        case .none:
            completeMessage(into: &output)
        case .length(let length):
            state = .fixedBody(remaining: length)
        case .chunked:
            state = .line(.chunkSize)
        case .untilClose:
            state = .untilClose
        }
    }

    /// RFC 9112 §3.2: HTTP/1.1 requests carry exactly one `Host`; none carries two.
    private mutating func checkHost(version: HTTPVersion, into output: inout Output) -> Bool {
        let hosts = headers.indices(name: "Host")
        if hosts.count > 1 {
            fail(.invalidHost, at: fieldOffsets[hosts[1]], field: "Host", into: &output)
            return false
        }
        if hosts.isEmpty && version == .http1_1 {
            fail(.invalidHost, at: lineStart, field: "Host", into: &output)
            return false
        }
        return true
    }

    /// The framing rules of RFC 9112 §6.3 for a message that may have a body.
    private mutating func messageFraming(version: HTTPVersion, isRequest: Bool, into output: inout Output) -> Framing? {
        let codingFields = headers.indices(name: "Transfer-Encoding")
        let lengthFields = headers.indices(name: "Content-Length")
        if let firstCoding = codingFields.first {
            if !lengthFields.isEmpty {
                // RFC 9112 §6.3 rule 3: both present is a smuggling risk; we reject it.
                fail(.transferEncodingWithContentLength, at: fieldOffsets[firstCoding], field: "Transfer-Encoding",
                     into: &output)
                return nil
            }
            if version == .http1_0 {
                // RFC 9112 §6.1: framing of an HTTP/1.0 message with Transfer-Encoding is faulty.
                fail(.invalidTransferEncoding, at: fieldOffsets[firstCoding], field: "Transfer-Encoding",
                     into: &output)
                return nil
            }
            var chunkedCount = 0
            for index in codingFields {
                for coding in HTTPSyntax.listElements(headers[index].value) {
                    if HTTPSyntax.equalsIgnoringCase(coding, "chunked") {
                        chunkedCount += 1
                    } else {
                        fail(.unsupportedTransferCoding, at: fieldOffsets[index], field: "Transfer-Encoding",
                             into: &output)
                        return nil
                    }
                }
            }
            if chunkedCount != 1 {
                // An empty list, or chunked applied twice (RFC 9112 §6.1).
                fail(.invalidTransferEncoding, at: fieldOffsets[firstCoding], field: "Transfer-Encoding",
                     into: &output)
                return nil
            }
            return .chunked
        }
        if !lengthFields.isEmpty {
            guard let length = contentLength(lengthFields, into: &output) else { return nil }
            return length == 0 ? Framing.none : .length(length)
        }
        // RFC 9112 §6.3 rules 6 and 8: no length means none for a request, until close for a response.
        return isRequest ? Framing.none : .untilClose
    }

    /// The agreed value of the `Content-Length` fields at `indices`, capped so no number overflows
    /// (RFC 9110 §8.6): a value beyond `maxBodySize` fails with 413 before any body byte is read.
    private mutating func contentLength(_ indices: [Int], into output: inout Output) -> Int? {
        let cap = limits.maxBodySize
        var agreed: Int?
        for index in indices {
            let elements = headers[index].value.split(separator: ",", omittingEmptySubsequences: false)
            for element in elements {
                let digits = HTTPSyntax.trimmingWhitespace(element).utf8
                guard !digits.isEmpty,
                      digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
                else {
                    fail(.invalidContentLength, at: fieldOffsets[index], field: "Content-Length", into: &output)
                    return nil
                }
                // Saturates just past the cap: every value too large compares equal, and none overflows.
                var value = 0
                for digit in digits where value <= cap {
                    let (shifted, overflowed) = value.multipliedReportingOverflow(by: 10)
                    let (next, carried) = shifted.addingReportingOverflow(Int(digit - UInt8(ascii: "0")))
                    value = overflowed || carried ? Int.max : next
                }
                value = value > cap ? Int.max : value
                if let agreed, agreed != value {
                    fail(.conflictingContentLength, at: fieldOffsets[index], field: "Content-Length", into: &output)
                    return nil
                }
                agreed = value
            }
        }
        guard let agreed else { return nil }
        if agreed > limits.maxBodySize {
            fail(.contentTooLarge, at: fieldOffsets[indices[0]], field: "Content-Length", into: &output)
            return nil
        }
        return agreed
    }

    /// `chunk-size [ chunk-ext ] CRLF` (RFC 9112 §7.1, §7.1.1): hex digits, then extensions,
    /// which are checked for stray control characters and otherwise ignored.
    private mutating func parseChunkSizeLine(into output: inout Output) {
        let room = limits.maxBodySize - body.count
        var size = 0
        var index = 0
        while index < line.count, let digit = HTTPSyntax.hexValue(line[index]) {
            let (shifted, overflowed) = size.multipliedReportingOverflow(by: 16)
            let (next, carried) = shifted.addingReportingOverflow(digit)
            size = next
            if overflowed || carried || size > room {
                fail(.contentTooLarge, at: lineStart, field: "chunk size", into: &output)
                return
            }
            index += 1
        }
        if index == 0 {
            fail(.invalidChunkSize, at: lineStart, field: "chunk size", into: &output)
            return
        }
        var rest = index
        while rest < line.count && HTTPSyntax.isWhitespace(line[rest]) { rest += 1 }
        if rest < line.count || rest > index {
            // Anything after the digits must be extensions: BWS ";" ... (RFC 9112 §7.1.1).
            guard rest < line.count, line[rest] == HTTPSyntax.semicolon else {
                fail(.invalidChunkSize, at: lineStart + rest, field: "chunk size", into: &output)
                return
            }
            if let bad = line[rest...].firstIndex(where: { !HTTPSyntax.isFieldValueByte($0) }) {
                fail(.invalidChunkSize, at: lineStart + bad, field: "chunk size", into: &output)
                return
            }
        }
        state = size == 0 ? .line(.trailer) : .chunkData(remaining: size)
    }

    // MARK: Completion and failure

    private mutating func completeMessage(into output: inout Output) {
        guard let head else { return }
        let message = Message(head: head, headers: headers, body: body, trailers: trailers)
        output.messages.append(message)
        self.head = nil
        startLineBytes = 0
        headers = HTTPHeaders()
        fieldOffsets = []
        headerBytes = 0
        body = []
        trailers = HTTPHeaders()
        trailerBytes = 0
        state = switchesProtocols(message) ? .upgraded : .line(.start)
    }

    /// A request asking to upgrade, or a 101 response, ends HTTP on this stream (RFC 9110 §7.8).
    private func switchesProtocols(_ message: Message) -> Bool {
        switch message.head {
        case .request(_, _, let version):
            return HTTPRequest.asksForUpgrade(version: version, headers: message.headers)
        case .response(_, let status, _):
            return status == 101
        }
    }

    private mutating func fail(_ kind: HTTPParseError.Kind, at offset: Int, field: String, into output: inout Output) {
        let error = HTTPParseError(kind: kind, offset: offset, field: field)
        state = .failed(error)
        output.error = error
        line = []
        body = []
        headers = HTTPHeaders()
        trailers = HTTPHeaders()
        fieldOffsets = []
        startLineBytes = 0
        headerBytes = 0
        trailerBytes = 0
        head = nil
        pendingCR = false
    }
}
