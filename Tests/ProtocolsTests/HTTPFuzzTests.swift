import Protocols
import Simulation
import Testing

/// Seeded random and mutated input for the HTTP parsers: valid messages must round-trip, and no
/// input may trap, hang, lose its error location or grow the parser's memory past its limits.
@Suite("HTTP parser under random and mutated input")
struct HTTPFuzzTests {
    static let limits = HTTPLimits(maxStartLineLength: 256, maxHeaderSectionSize: 1024, maxFieldCount: 16,
                                   maxBodySize: 2048, maxChunkLineLength: 32, maxTrailerSectionSize: 256)
    static let serverStatuses: Set<Int> = [400, 413, 414, 431, 501, 505]

    // MARK: Generators

    private static let methods: [HTTPMethod] = [.get, .head, .post, .put, .delete, .options, .patch,
                                                HTTPMethod("PROPFIND")!]
    private static let targetBytes = Array("abcxyzABC0189-._~!$&'()*+,;=:@/%?".utf8)
    private static let nameBytes = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        + Array("0123456789-_.!#$%&'*+^`|~".utf8)
    private static let fieldNames = ["Accept", "User-Agent", "Cookie", "Cache-Control", "X-Request-Id", "Via"]

    private static func pick<T>(_ items: [T], _ generator: inout SeededGenerator) -> T {
        items[Int(generator.below(UInt64(items.count)))]
    }

    private static func count(_ range: ClosedRange<Int>, _ generator: inout SeededGenerator) -> Int {
        Int(generator.uniform(Int64(range.lowerBound)...Int64(range.upperBound)))
    }

    /// A field value: visible ASCII, spaces and tabs inside, obs-text (ISO-8859-1), no outer whitespace.
    private static func fieldValue(_ generator: inout SeededGenerator) -> String {
        let length = count(0...30, &generator)
        var scalars = String.UnicodeScalarView()
        for index in 0..<length {
            let roll = generator.below(20)
            let inner = index > 0 && index < length - 1
            let value: UInt32
            if roll == 0 && inner {
                value = generator.below(2) == 0 ? 0x20 : 0x09
            } else if roll == 1 {
                value = UInt32(generator.uniform(0xA0...0xFF))
            } else {
                value = UInt32(generator.uniform(0x21...0x7E))
            }
            scalars.append(Unicode.Scalar(value)!)
        }
        return String(scalars)
    }

    private static func token(_ generator: inout SeededGenerator) -> String {
        String(decoding: (0..<count(1...12, &generator)).map { _ in pick(nameBytes, &generator) }, as: UTF8.self)
    }

    /// A random valid request and how to frame it.
    static func randomRequest(_ generator: inout SeededGenerator) -> (HTTPRequest, HTTPBodyFraming) {
        let version: HTTPVersion = generator.below(5) == 0 ? .http1_0 : .http1_1
        var headers = HTTPHeaders()
        if version == .http1_1 || generator.below(2) == 0 {
            headers.add(name: "Host", value: "host\(generator.below(100)).example")
        }
        for _ in 0..<count(0...8, &generator) {
            let name = generator.below(2) == 0 ? pick(fieldNames, &generator) : "X-" + token(&generator)
            headers.add(name: name, value: fieldValue(&generator))
        }
        let target = "/" + String(decoding: (0..<count(0...40, &generator)).map { _ in pick(targetBytes, &generator) },
                                  as: UTF8.self)
        let body = (0..<count(0...300, &generator)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let chunked = version == .http1_1 && generator.below(2) == 0
        var trailers = HTTPHeaders()
        if chunked {
            for _ in 0..<count(0...2, &generator) {
                trailers.add(name: "X-T" + token(&generator), value: fieldValue(&generator))
            }
        }
        let request = HTTPRequest(method: pick(methods, &generator), target: target, version: version,
                                  headers: headers, body: body, trailers: trailers)
        return (request, chunked ? .chunked(chunkSize: count(1...64, &generator)) : .contentLength)
    }

    /// Applies 1...3 random mutations: byte flips, special bytes, truncation, line duplication,
    /// deletions, huge numbers, long runs, LF for CRLF.
    static func mutate(_ input: [UInt8], _ generator: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<count(1...3, &generator) where !bytes.isEmpty {
            let position = Int(generator.below(UInt64(bytes.count)))
            switch generator.below(8) {
            case 0:
                bytes[position] ^= UInt8(truncatingIfNeeded: generator.uniform(1...255))
            case 1:
                bytes[position] = pick([0x0D, 0x0A, 0x20, 0x09, 0x3A, 0x00, 0x80, 0x3B, 0x2C], &generator)
            case 2:
                bytes.removeSubrange(position...)
            case 3:
                let lineStart = bytes[..<position].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
                let lineEnd = bytes[position...].firstIndex(of: 0x0A).map { $0 + 1 } ?? bytes.count
                bytes.insert(contentsOf: Array(bytes[lineStart..<lineEnd]), at: lineEnd)
            case 4:
                bytes.removeSubrange(position..<min(bytes.count, position + count(1...20, &generator)))
            case 5:
                let number = pick(["99999999999999999999999999", "18446744073709551616", "FFFFFFFFFFFFFFFFF", "-1",
                                   "4294967296", "2049"], &generator)
                bytes.insert(contentsOf: Array(number.utf8), at: position)
            case 6:
                let filler = pick([0x61, 0x20, 0x0D, 0x30] as [UInt8], &generator)
                let run = [UInt8](repeating: filler, count: count(100...3000, &generator))
                bytes.insert(contentsOf: run, at: position)
            default:
                if let cr = bytes[position...].firstIndex(of: 0x0D) {
                    bytes.remove(at: cr)
                }
            }
        }
        return bytes
    }

    // MARK: Runner

    /// Feeds `chunks`, checking the memory bound after every call; returns what came out.
    static func runRequestParser(_ chunks: [[UInt8]]) -> ParseOutcome<HTTPRequest> {
        var parser = HTTPRequestParser(limits: limits)
        var outcome = ParseOutcome<HTTPRequest>()
        var mostBuffered = 0
        for chunk in chunks {
            outcome.absorb(parser.feed(chunk))
            mostBuffered = max(mostBuffered, parser.bufferedByteCount)
        }
        outcome.absorb(parser.finish())
        #expect(mostBuffered <= limits.maxBufferedBytes)
        #expect(parser.bytesConsumed <= chunks.reduce(0) { $0 + $1.count })
        return outcome
    }

    /// The request as the parser returns it: the serializer's framing field is not part of it.
    private static func withoutFraming(_ request: HTTPRequest) -> HTTPRequest {
        var copy = request
        copy.headers.remove(name: "Content-Length")
        copy.headers.remove(name: "Transfer-Encoding")
        return copy
    }

    // MARK: Tests

    /// 3,000 random valid pipelines of 1...3 requests parse back to exactly what was serialized,
    /// fed whole and in random chunks (and one in ten byte by byte).
    @Test func randomValidRequestsRoundTrip() {
        var generator = SeededGenerator(seed: 9112)
        for round in 0..<3000 {
            var expected: [HTTPRequest] = []
            var wire: [UInt8] = []
            for _ in 0..<Self.count(1...3, &generator) {
                let (request, framing) = Self.randomRequest(&generator)
                expected.append(request)
                wire += HTTPSerializer.serialize(request, framing: framing)
            }
            let whole = Self.runRequestParser([wire])
            #expect(whole.error == nil, "round \(round): \(String(describing: whole.error))")
            #expect(whole.messages.map(Self.withoutFraming) == expected, "round \(round)")
            let chunks = Feeding.randomChunks(of: wire, maxChunk: Self.count(1...64, &generator), generator: &generator)
            #expect(Self.runRequestParser(chunks) == whole, "round \(round)")
            if round % 10 == 0 {
                #expect(Self.runRequestParser(wire.map { [$0] }) == whole, "round \(round)")
            }
        }
    }

    /// 10,000 mutated requests never trap, always end in messages or a located error with a
    /// server status, give the same result however split, and keep memory within the limits.
    @Test func mutatedRequestsFailCleanly() {
        var generator = SeededGenerator(seed: 1945)
        var errors = 0
        var parsed = 0
        var statuses: Set<Int> = []
        for round in 0..<10_000 {
            var wire: [UInt8] = []
            for _ in 0..<Self.count(1...2, &generator) {
                let (request, framing) = Self.randomRequest(&generator)
                wire += HTTPSerializer.serialize(request, framing: framing)
            }
            let input = Self.mutate(wire, &generator)
            let maxChunk = Self.count(1...200, &generator)
            let chunks = Feeding.randomChunks(of: input, maxChunk: maxChunk, generator: &generator)
            let outcome = Self.runRequestParser(chunks)
            if round % 20 == 0 {
                #expect(Self.runRequestParser([input]) == outcome, "round \(round)")
                #expect(Self.runRequestParser(input.map { [$0] }) == outcome, "round \(round)")
            }
            if let error = outcome.error {
                errors += 1
                statuses.insert(error.status)
                #expect((0...input.count).contains(error.offset), "round \(round): \(error)")
                #expect(Self.serverStatuses.contains(error.status), "round \(round): \(error)")
                #expect(!error.field.isEmpty)
            }
            if !outcome.messages.isEmpty {
                parsed += 1
            }
            let blank = input.allSatisfy { $0 == 0x0D || $0 == 0x0A }
            #expect(blank || !outcome.messages.isEmpty || outcome.error != nil || !outcome.unparsed.isEmpty,
                    "round \(round): input produced nothing")
        }
        // The mutations reach both outcomes and the main error classes.
        #expect(errors > 2000)
        #expect(parsed > 2000)
        #expect(statuses.isSuperset(of: [400, 413, 431]))
    }

    /// Serialized responses, mutated, through the response parser and the client connection.
    @Test func mutatedResponsesFailCleanly() {
        var generator = SeededGenerator(seed: 9110)
        for round in 0..<2000 {
            let (request, framing) = Self.randomRequest(&generator)
            let status = Self.pick([100, 200, 204, 304, 404, 500], &generator)
            let response = HTTPResponse(status: status, headers: request.headers, body: request.body,
                                        trailers: request.trailers)
            let method = Self.pick([HTTPMethod.get, .head], &generator)
            let input = Self.mutate(HTTPSerializer.serialize(response, requestMethod: method, framing: framing),
                                    &generator)
            let chunks = Feeding.randomChunks(of: input, maxChunk: 64, generator: &generator)

            var parser = HTTPResponseParser(limits: Self.limits)
            parser.expectResponse(to: method)
            var outcome = ParseOutcome<HTTPResponse>()
            for chunk in chunks {
                outcome.absorb(parser.feed(chunk))
                #expect(parser.bufferedByteCount <= Self.limits.maxBufferedBytes)
            }
            outcome.absorb(parser.finish())
            if let error = outcome.error {
                #expect((0...input.count).contains(error.offset), "round \(round): \(error)")
            }

            var client = HTTPClientConnection(limits: Self.limits)
            _ = client.enqueue(HTTPRequest(method: method, target: "/", headers: ["Host": "a"]))
            var actions = chunks.flatMap { client.receive($0) }
            actions += client.receiveEndOfStream()
            #expect(actions.last == .close, "round \(round)")
            #expect(client.bufferedByteCount <= Self.limits.maxBufferedBytes)
        }
    }

    /// Mutated pipelines through the server connection: every request id is answered in order and
    /// the connection always ends closed.
    @Test func mutatedInputThroughTheServer() {
        var generator = SeededGenerator(seed: 6455)
        for round in 0..<1000 {
            var wire: [UInt8] = []
            for _ in 0..<Self.count(1...3, &generator) {
                let (request, framing) = Self.randomRequest(&generator)
                wire += HTTPSerializer.serialize(request, framing: framing)
            }
            let input = Self.mutate(wire, &generator)
            var server = HTTPServerConnection(limits: Self.limits)
            var actions: [HTTPServerConnection.Action] = []
            for chunk in Feeding.randomChunks(of: input, maxChunk: 100, generator: &generator) {
                actions += server.receive(chunk)
                #expect(server.bufferedByteCount <= Self.limits.maxBufferedBytes + Self.limits.maxBodySize)
            }
            actions += server.receiveEndOfStream()
            let ids = actions.compactMap { action -> Int? in
                if case .request(let id, _) = action { return id }
                return nil
            }
            #expect(ids == Array(0..<ids.count))
            for id in ids.reversed() {
                actions += server.respond(to: id, with: HTTPResponse(status: 200))
            }
            #expect(server.isClosed, "round \(round)")
            #expect(actions.last == .close || actions.contains { if case .upgrade = $0 { return true }; return false })
        }
    }

    /// Adversarial streams that never end a line or a body stay within the limits and fail at
    /// the first byte past them.
    @Test(arguments: [
        ("endless request line", bytes("GET /"), UInt8(ascii: "a"), HTTPParseError.Kind.targetTooLong),
        ("endless field line", bytes("GET / HTTP/1.1\r\nX: "), UInt8(ascii: "a"), .headerSectionTooLarge),
        ("endless chunk size", bytes("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0"),
         UInt8(ascii: "0"), .invalidChunkSize),
        ("endless trailer", bytes("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: "),
         UInt8(ascii: "t"), .trailerSectionTooLarge),
    ])
    func endlessInputIsCutOff(name: String, prefix: [UInt8], filler: UInt8, kind: HTTPParseError.Kind) {
        var parser = HTTPRequestParser(limits: Self.limits)
        var error: HTTPParseError?
        _ = parser.feed(prefix)
        for _ in 0..<100 where error == nil {
            error = parser.feed([UInt8](repeating: filler, count: 100)).error
            #expect(parser.bufferedByteCount <= Self.limits.maxBufferedBytes, "\(name)")
        }
        #expect(error?.kind == kind, "\(name)")
        #expect(parser.bufferedByteCount == 0)

        // Endless empty lines before a request line are skipped without being kept.
        var blank = HTTPRequestParser(limits: Self.limits)
        for _ in 0..<1000 {
            #expect(blank.feed(bytes("\r\n\r\n")) == HTTPParseResult())
        }
        #expect(blank.bufferedByteCount == 0)
    }
}
