import Protocols
import Simulation
import Testing

/// Ways to cut a byte stream into the pieces a stream parser is fed (the SwiftNIO habit of
/// testing every decoder with split input): whole, one byte at a time, and seeded random chunks.
enum SplitFeed: Sendable, CustomStringConvertible {
    case whole
    case bytewise
    case random(seed: UInt64)

    /// The three ways, with random chunks from a few seeds.
    static let all: [SplitFeed] = [.whole, .bytewise, .random(seed: 1), .random(seed: 2), .random(seed: 3)]

    var description: String {
        switch self {
        case .whole: "whole"
        case .bytewise: "one byte at a time"
        case .random(let seed): "random chunks (seed \(seed))"
        }
    }

    /// `bytes` cut into consecutive pieces; random pieces are 1 to 17 bytes long.
    func pieces(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        switch self {
        case .whole:
            return [bytes[...]]
        case .bytewise:
            return bytes.indices.map { bytes[$0...$0] }
        case .random(let seed):
            var generator = SeededGenerator(seed: seed)
            var pieces: [ArraySlice<UInt8>] = []
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + Int(generator.uniform(1...17)))
                pieces.append(bytes[start..<end])
                start = end
            }
            return pieces
        }
    }

    /// Runs `body` on `bytes` cut every way and expects the same result each time; returns it.
    static func sameForEveryFeed<Result: Equatable>(
        _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation,
        _ body: ([ArraySlice<UInt8>]) -> Result
    ) -> Result {
        let expected = body(SplitFeed.whole.pieces(bytes))
        for feed in all.dropFirst() {
            #expect(body(feed.pieces(bytes)) == expected, "fed \(feed)", sourceLocation: sourceLocation)
        }
        return expected
    }
}

@Suite("Split feeding helper")
struct WebSocketFeedTests {
    @Test(arguments: SplitFeed.all)
    func piecesJoinBackToTheInput(feed: SplitFeed) {
        let bytes = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let pieces = feed.pieces(bytes)
        #expect(Array(pieces.joined()) == bytes)
        #expect(pieces.allSatisfy { !$0.isEmpty })
        switch feed {
        case .whole: #expect(pieces.count == 1)
        case .bytewise: #expect(pieces.count == bytes.count)
        case .random: #expect(pieces.count > 300 / 17 && pieces.count < 300)
        }
    }
}
