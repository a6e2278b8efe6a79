import Protocols
import Simulation
import Testing

@Suite("UTF-8 validation (RFC 3629)")
struct UTF8ValidatorTests {
    private func status(_ bytes: [UInt8]) -> UTF8Validator.Status {
        var validator = UTF8Validator()
        validator.validate(bytes)
        return validator.finish()
    }

    /// The first and last code point of every encoding length, and the ones next to the surrogates.
    @Test func boundaryCodePointsAreValid() {
        let cases: [[UInt8]] = [
            [0x00], [0x7F],                                  // U+0000, U+007F
            [0xC2, 0x80], [0xDF, 0xBF],                      // U+0080, U+07FF
            [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF],          // U+0800, U+D7FF
            [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF],          // U+E000, U+FFFF
            [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],  // U+10000, U+10FFFF
            Array("héllo wörld €😀".utf8), [],
        ]
        for bytes in cases { #expect(status(bytes) == .complete, "\(bytes)") }
    }

    /// The classic rejects, with the offset of the first byte that cannot continue.
    @Test func classicInvalidSequences() {
        let cases: [([UInt8], Int)] = [
            ([0xC0, 0xAF], 0),                 // overlong "/" (C0 never leads)
            ([0xC1, 0xBF], 0),                 // overlong U+007F
            ([0xE0, 0x80, 0xAF], 1),           // overlong 3-byte "/"
            ([0xF0, 0x80, 0x80, 0xAF], 1),     // overlong 4-byte "/"
            ([0xED, 0xA0, 0x80], 1),           // surrogate U+D800
            ([0xED, 0xBF, 0xBF], 1),           // surrogate U+DFFF
            ([0xF4, 0x90, 0x80, 0x80], 1),     // U+110000, beyond U+10FFFF
            ([0xF5, 0x80, 0x80, 0x80], 0),     // F5 never leads
            ([0xFF], 0), ([0xFE], 0),
            ([0x80], 0),                       // a lone continuation byte
            ([0x61, 0xC3, 0x28], 2),           // a 2-byte sequence cut by ASCII
            ([0x61, 0x62, 0xE2, 0x82, 0x41], 4),
        ]
        for (bytes, offset) in cases { #expect(status(bytes) == .invalid(offset: offset), "\(bytes)") }
    }

    /// Input that ends inside a character is incomplete while it may go on, invalid at the end.
    @Test func truncatedSequencesAtTheEnd() {
        for bytes: [UInt8] in [[0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0x41, 0xF4, 0x8F, 0xBF]] {
            var validator = UTF8Validator()
            #expect(validator.validate(bytes) == .incomplete)
            #expect(validator.finish() == .invalid(offset: bytes.count))
            #expect(!UTF8Validator.isValid(bytes))
        }
    }

    @Test func piecesCarryStateAcrossCalls() {
        var validator = UTF8Validator()
        let smiley: [UInt8] = [0xF0, 0x9F, 0x98, 0x80]
        #expect(validator.validate(smiley[0...0]) == .incomplete)
        #expect(validator.validate(smiley[1...1]) == .incomplete)
        #expect(validator.validate(smiley[2...2]) == .incomplete)
        #expect(validator.validate(smiley[3...3]) == .complete)
        #expect(validator.count == 4)
        // An invalid byte fails at once, at its offset in the whole input, and the result sticks.
        #expect(validator.validate([0xE2, 0x28]) == .invalid(offset: 5))
        #expect(validator.validate(Array("fine".utf8)) == .invalid(offset: 5))
        #expect(validator.finish() == .invalid(offset: 5))
        validator.reset()
        #expect(validator.validate([0x41]) == .complete)
    }

    /// Fed in any pieces, the verdict is the one for the whole input.
    @Test func splitFeedingGivesTheSameVerdict() {
        let inputs: [[UInt8]] = [
            Array("Grüße, 世界! 😀 ∑".utf8),
            Array("Grüße".utf8) + [0xED, 0xA0, 0x80] + Array("x".utf8),
            Array("abc".utf8) + [0xF0, 0x9F],
        ]
        for input in inputs {
            _ = SplitFeed.sameForEveryFeed(input) { pieces -> UTF8Validator.Status in
                var validator = UTF8Validator()
                for piece in pieces { validator.validate(piece) }
                return validator.finish()
            }
        }
    }

    /// Against the standard library's decoder, on 20,000 seeded sequences biased towards the
    /// bytes where UTF-8 rules bite.
    @Test func agreesWithTheStandardLibrary() {
        var generator = SeededGenerator(seed: 3629)
        let interesting: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
                                    0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF]
        var invalid = 0
        for _ in 0..<20_000 {
            let length = Int(generator.uniform(0...8))
            let bytes = (0..<length).map { _ in
                generator.bernoulli(0.7) ? interesting[Int(generator.below(UInt64(interesting.count)))]
                    : UInt8(truncatingIfNeeded: generator.next())
            }
            let expected = String(validating: bytes, as: UTF8.self) != nil
            #expect(UTF8Validator.isValid(bytes) == expected, "\(bytes)")
            if !expected { invalid += 1 }
        }
        #expect(invalid > 5_000 && invalid < 19_000)  // both kinds were really exercised
    }
}
