import Protocols
import Simulation
import Testing

/// Ways of cutting a byte stream into the slices a stream parser is fed.
///
/// Every stream parser must give the same result whether it gets the stream whole, one byte at a
/// time, or in arbitrary chunks; `parsedAllWays` checks exactly that.
enum Feeding {
    /// The stream whole, one byte at a time, and in seeded random chunks of 1...`maxChunk` bytes.
    static func splits(of bytes: [UInt8], seed: UInt64, maxChunk: Int = 17) -> [(name: String, chunks: [[UInt8]])] {
        var generator = SeededGenerator(seed: seed)
        return [
            ("whole", [bytes]),
            ("byte at a time", bytes.map { [$0] }),
            ("random chunks", randomChunks(of: bytes, maxChunk: maxChunk, generator: &generator)),
        ]
    }

    /// `bytes` cut into chunks of 1...`maxChunk` bytes, sizes drawn from `generator`.
    static func randomChunks(of bytes: [UInt8], maxChunk: Int, generator: inout SeededGenerator) -> [[UInt8]] {
        var chunks: [[UInt8]] = []
        var start = 0
        while start < bytes.count {
            let size = Int(generator.uniform(1...Int64(max(1, maxChunk))))
            let end = min(bytes.count, start + size)
            chunks.append(Array(bytes[start..<end]))
            start = end
        }
        return chunks
    }
}

/// Runs `parse` on every split of `bytes`, expects the same result each time, and returns it.
func parsedAllWays<Result: Equatable>(
    _ bytes: [UInt8],
    seed: UInt64 = 0x5EED,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ parse: ([[UInt8]]) -> Result
) -> Result {
    let splits = Feeding.splits(of: bytes, seed: seed)
    let reference = parse(splits[0].chunks)
    for split in splits.dropFirst() {
        #expect(parse(split.chunks) == reference, "fed \(split.name)", sourceLocation: sourceLocation)
    }
    return reference
}

/// Everything a parser produced over a whole stream.
struct ParseOutcome<Message: Hashable & Sendable>: Equatable {
    var messages: [Message] = []
    var error: HTTPParseError?
    var unparsed: [UInt8] = []

    mutating func absorb(_ result: HTTPParseResult<Message>) {
        messages += result.messages
        if let error = result.error {
            #expect(self.error == nil, "a parser reported a second error after \(String(describing: self.error))")
            self.error = error
        }
        unparsed += result.unparsed
    }
}

/// Feeds `chunks` to a request parser, then ends the stream if `finish`.
func requestOutcome(_ chunks: [[UInt8]], limits: HTTPLimits = HTTPLimits(), finish: Bool = true)
    -> ParseOutcome<HTTPRequest> {
    var parser = HTTPRequestParser(limits: limits)
    var outcome = ParseOutcome<HTTPRequest>()
    for chunk in chunks {
        outcome.absorb(parser.feed(chunk))
    }
    if finish {
        outcome.absorb(parser.finish())
    }
    return outcome
}

/// Feeds `chunks` to a response parser told of `methods`, then ends the stream if `finish`.
func responseOutcome(
    _ chunks: [[UInt8]],
    methods: [HTTPMethod] = [],
    limits: HTTPLimits = HTTPLimits(),
    finish: Bool = true
) -> ParseOutcome<HTTPResponse> {
    var parser = HTTPResponseParser(limits: limits)
    for method in methods {
        parser.expectResponse(to: method)
    }
    var outcome = ParseOutcome<HTTPResponse>()
    for chunk in chunks {
        outcome.absorb(parser.feed(chunk))
    }
    if finish {
        outcome.absorb(parser.finish())
    }
    return outcome
}

/// The bytes of `text` (UTF-8), for writing wire examples as string literals.
func bytes(_ text: String) -> [UInt8] {
    Array(text.utf8)
}

@Suite("HTTP test support: stream feeding")
struct HTTPStreamFeedingTests {
    /// Every split covers the stream exactly, in order, with no empty chunk.
    @Test func splitsReassembleTheStream() {
        let stream = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        for seed in 0..<20 as Range<UInt64> {
            for split in Feeding.splits(of: stream, seed: seed) {
                #expect(split.chunks.flatMap { $0 } == stream, "\(split.name)")
                #expect(split.chunks.allSatisfy { !$0.isEmpty }, "\(split.name)")
            }
        }
        #expect(Feeding.splits(of: stream, seed: 1)[1].chunks.count == stream.count)
    }

    /// Random chunks really vary in size and depend on the seed.
    @Test func randomChunksVaryWithTheSeed() {
        let stream = [UInt8](repeating: 7, count: 500)
        let first = Feeding.splits(of: stream, seed: 1)[2].chunks.map(\.count)
        let second = Feeding.splits(of: stream, seed: 2)[2].chunks.map(\.count)
        #expect(first != second)
        #expect(Set(first).count > 5)
        #expect(first.allSatisfy { (1...17).contains($0) })
    }
}
