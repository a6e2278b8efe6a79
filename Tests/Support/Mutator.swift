/// Seeded mutations of real inputs, made the way a hostile user (or a fuzzer) makes them: bits
/// flipped, bytes set to edge values, cut short, ranges deleted or repeated, pieces of another
/// input spliced in, numbers made huge or negative, invalid UTF-8, long lines, terminal control
/// sequences, lines repeated or dropped, and words of the parser's own vocabulary put in odd places.
///
/// The same seed always gives the same mutations (SplitMix64, nothing else random), so a failure
/// names its seed and iteration and reproduces.
public struct Mutator {
    /// What was done to an input, for failure messages.
    public enum Mutation: String, CaseIterable, Sendable {
        case flipBit = "flip a bit"
        case edgeByte = "set a byte to an edge value"
        case truncate = "cut short"
        case deleteRange = "delete a range"
        case repeatRange = "repeat a range"
        case splice = "splice in part of another input"
        case hugeNumber = "make a number huge or negative"
        case edgeBinaryNumber = "write an edge value over 2, 4 or 8 bytes"
        case invalidUTF8 = "insert invalid UTF-8"
        case longLine = "insert a long line"
        case controlCharacters = "insert terminal control characters"
        case repeatLine = "repeat a line"
        case deleteLine = "delete a line"
        case swapLines = "swap two lines"
        case vocabulary = "insert a word of the parser's vocabulary"
    }

    /// Text inputs favour line and number mutations; binary ones byte-level ones.
    public enum Kind: Sendable {
        case text, binary
    }

    public let kind: Kind
    /// Words of the parser's own language (keywords, field names, delimiters).
    public let vocabulary: [[UInt8]]
    /// No mutated input grows past this many bytes.
    public let maxLength: Int
    private var state: UInt64

    public init(seed: UInt64, kind: Kind, vocabulary: [String] = [], maxLength: Int = 1 << 16) {
        self.state = seed
        self.kind = kind
        self.vocabulary = vocabulary.map { Array($0.utf8) }
        self.maxLength = maxLength
    }

    // MARK: Randomness (SplitMix64)

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound` (0 when `bound` is 0).
    public mutating func below(_ bound: Int) -> Int {
        bound <= 0 ? 0 : Int(next() % UInt64(bound))
    }

    public mutating func pick<T>(_ items: [T]) -> T {
        items[below(items.count)]
    }

    // MARK: Mutating

    /// One to four mutations of `input`; `donors` are other inputs of the same kind to splice from.
    public mutating func mutate(_ input: [UInt8], donors: [[UInt8]] = []) -> (bytes: [UInt8], mutations: [Mutation]) {
        var bytes = input
        var applied: [Mutation] = []
        for _ in 0...below(4) {
            let mutation = chooseMutation()
            apply(mutation, to: &bytes, donors: donors)
            applied.append(mutation)
            if bytes.count > maxLength { bytes.removeLast(bytes.count - maxLength) }
        }
        return (bytes, applied)
    }

    private mutating func chooseMutation() -> Mutation {
        let textual: [Mutation] = [.hugeNumber, .hugeNumber, .repeatLine, .deleteLine, .swapLines, .vocabulary,
                                   .vocabulary, .invalidUTF8, .longLine, .controlCharacters]
        let binary: [Mutation] = [.flipBit, .flipBit, .edgeByte, .edgeBinaryNumber, .edgeBinaryNumber]
        let common: [Mutation] = [.truncate, .deleteRange, .repeatRange, .splice]
        switch kind {
        case .text: return pick(textual + textual + common + binary)
        case .binary: return pick(binary + binary + common + [.hugeNumber, .vocabulary, .invalidUTF8, .longLine])
        }
    }

    private static let edgeBytes: [UInt8] = [0x00, 0x01, 0x0A, 0x0D, 0x1B, 0x20, 0x22, 0x2C, 0x3A, 0x5C, 0x7B, 0x7D,
                                             0x7F, 0x80, 0xC0, 0xFE, 0xFF]
    private static let hugeNumbers = ["0", "-1", "-0", "65535", "65536", "2147483648", "4294967295", "4294967296",
                                      "9223372036854775807", "9223372036854775808", "-9223372036854775808",
                                      "18446744073709551615", "18446744073709551616", "1000000000000",
                                      "99999999999999999999999999999999", "1e309", "-1e309", "0.000000000001",
                                      "1.5", "nan", "inf", "-inf", "0x10", "00000000000000000007"]
    private static let invalidSequences: [[UInt8]] = [[0xFF], [0x80], [0xC0, 0x80], [0xC3], [0xED, 0xA0, 0x80],
                                                      [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xF8, 0x88, 0x80, 0x80]]
    private static let controlSequences: [[UInt8]] = [Array("\u{1B}]0;owned\u{07}".utf8), Array("\u{1B}[2J".utf8),
                                                      [0x00], [0x0D], [0x09], [0x07], [0x08],
                                                      Array("\u{202E}".utf8), Array("\u{9B}".utf8)]

    private mutating func position(in bytes: [UInt8]) -> Int { below(bytes.count + 1) }

    /// `piece` `times` times over, built in one buffer (debug builds make nested arrays slow).
    static func repeated(_ piece: [UInt8], _ times: Int) -> [UInt8] {
        if piece.count == 1 { return [UInt8](repeating: piece[0], count: times) }
        var out: [UInt8] = []
        out.reserveCapacity(piece.count * times)
        for _ in 0..<times { out.append(contentsOf: piece) }
        return out
    }

    /// The index of the first ASCII digit at or after `from`, wrapping round; nil if none.
    static func firstDigit(in bytes: [UInt8], from: Int) -> Int? {
        bytes.withUnsafeBufferPointer { buffer in
            for step in 0..<buffer.count {
                let i = (from + step) % buffer.count
                if buffer[i] >= 0x30 && buffer[i] <= 0x39 { return i }
            }
            return nil
        }
    }

    /// The range of the line holding index `at`, its line feed included.
    static func line(in bytes: [UInt8], around at: Int) -> Range<Int> {
        bytes.withUnsafeBufferPointer { buffer in
            var start = min(at, buffer.count)
            while start > 0, buffer[start - 1] != 0x0A { start -= 1 }
            var end = min(at, buffer.count)
            while end < buffer.count, buffer[end] != 0x0A { end += 1 }
            return start..<min(buffer.count, end + 1)
        }
    }

    private mutating func apply(_ mutation: Mutation, to bytes: inout [UInt8], donors: [[UInt8]]) {
        switch mutation {
        case .flipBit:
            guard !bytes.isEmpty else { return bytes.append(UInt8(truncatingIfNeeded: next())) }
            bytes[below(bytes.count)] ^= UInt8(1) << UInt8(below(8))
        case .edgeByte:
            guard !bytes.isEmpty else { return bytes.append(pick(Self.edgeBytes)) }
            bytes[below(bytes.count)] = pick(Self.edgeBytes)
        case .truncate:
            bytes.removeLast(bytes.count - below(bytes.count + 1))
        case .deleteRange:
            let start = below(bytes.count)
            let end = min(bytes.count, start + 1 + below(64))
            if start < end { bytes.removeSubrange(start..<end) }
        case .repeatRange:
            guard !bytes.isEmpty else { return }
            let start = below(bytes.count)
            let piece = Array(bytes[start..<min(bytes.count, start + 1 + below(64))])
            let times = below(4) == 0 ? 1 + below(200) : 1
            bytes.insert(contentsOf: Self.repeated(piece, times), at: position(in: bytes))
        case .splice:
            let donor = donors.isEmpty ? bytes : pick(donors)
            guard !donor.isEmpty else { return }
            let start = below(donor.count)
            let piece = donor[start..<min(donor.count, start + 1 + below(256))]
            let at = position(in: bytes)
            let replaced = min(bytes.count - at, below(2) == 0 ? 0 : piece.count)
            bytes.replaceSubrange(at..<(at + replaced), with: piece)
        case .hugeNumber:
            let number = Array(pick(Self.hugeNumbers).utf8)
            // The first digit at or after a random place (wrapping round), found without a pass
            // over the whole input.
            let from = below(bytes.count)
            guard let found = Self.firstDigit(in: bytes, from: from) else {
                return bytes.insert(contentsOf: number, at: position(in: bytes))
            }
            var start = found, end = start + 1
            while start > 0, bytes[start - 1] >= 0x30, bytes[start - 1] <= 0x39 { start -= 1 }
            while end < bytes.count, bytes[end] >= 0x30, bytes[end] <= 0x39 { end += 1 }
            bytes.replaceSubrange(start..<end, with: number)
        case .edgeBinaryNumber:
            let width = pick([2, 4, 8])
            guard bytes.count >= width else { return }
            let at = below(bytes.count - width + 1)
            let pattern: [UInt8] = pick([[0xFF], [0x00], [0x7F, 0xFF], [0x80, 0x00], [0x00, 0x01], [0xFF, 0xFE]])
            for i in 0..<width { bytes[at + i] = i < pattern.count ? pattern[i] : pattern[pattern.count - 1] }
            if below(2) == 0 { bytes[at..<(at + width)].reverse() }
        case .invalidUTF8:
            bytes.insert(contentsOf: pick(Self.invalidSequences), at: position(in: bytes))
        case .longLine:
            let unit: [UInt8] = below(2) == 0 ? [pick(Array("aZ9 {\"[".utf8))] : (vocabulary.isEmpty ? [0x41] : pick(vocabulary))
            let room = max(0, maxLength - bytes.count)
            let count = min(room / max(unit.count, 1), pick([300, 5_000, 70_000]))
            bytes.insert(contentsOf: Self.repeated(unit, count), at: position(in: bytes))
        case .controlCharacters:
            bytes.insert(contentsOf: pick(Self.controlSequences), at: position(in: bytes))
        case .repeatLine, .deleteLine, .swapLines:
            // The line around a random place, with its line feed (the last line may have none).
            let line = Self.line(in: bytes, around: below(bytes.count + 1))
            switch mutation {
            case .repeatLine:
                let times = below(3) == 0 ? 1 + below(300) : 1
                var piece = Array(bytes[line])
                if piece.last != 0x0A { piece.append(0x0A) }
                bytes.insert(contentsOf: Self.repeated(piece, times), at: line.lowerBound)
            case .deleteLine:
                bytes.removeSubrange(line)
            default:
                let other = Self.line(in: bytes, around: below(bytes.count + 1))
                guard other != line else { return }
                let (first, second) = other.lowerBound < line.lowerBound ? (other, line) : (line, other)
                guard first.upperBound <= second.lowerBound else { return }
                var a = Array(bytes[first]), b = Array(bytes[second])
                if a.last != 0x0A { a.append(0x0A) }
                if b.last != 0x0A { b.append(0x0A) }
                bytes.replaceSubrange(second, with: a)
                bytes.replaceSubrange(first, with: b)
            }
        case .vocabulary:
            guard !vocabulary.isEmpty else { return bytes.insert(pick(Self.edgeBytes), at: position(in: bytes)) }
            let word = pick(vocabulary)
            // Replace a word (up to the next space or newline) or insert before one.
            let at = position(in: bytes)
            var end = at
            if below(2) == 0 {
                while end < bytes.count, bytes[end] != 0x20, bytes[end] != 0x0A { end += 1 }
            }
            bytes.replaceSubrange(at..<end, with: word)
        }
    }
}
