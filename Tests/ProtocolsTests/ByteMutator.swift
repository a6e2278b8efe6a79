import Simulation

/// Seeded mutations of a byte stream, for fuzzing stream parsers and the machines built on them:
/// bit flips, overwritten bytes, truncation, runs of junk, deleted and repeated ranges, and
/// splices of other valid inputs. One seeded generator decides everything, so a failing round is
/// reproduced by its seed and round number. Kept small and free of any parser, so a fuzz-target
/// framework can adopt it as is.
struct ByteMutator {
    /// One kind of edit.
    enum Edit: CaseIterable {
        case flipBit, overwrite, truncate, insertJunk, deleteRange, repeatRange, splice
    }

    /// Valid inputs that `splice` may insert (whole), e.g. other well-formed frames.
    var corpus: [[UInt8]] = []
    /// The edits applied, each with equal chance.
    var edits: [Edit] = Edit.allCases

    /// `input` with `count` edits drawn from `generator`; never empty unless `input` is.
    func mutate(_ input: [UInt8], count: ClosedRange<Int>, using generator: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int(generator.uniform(Int64(count.lowerBound)...Int64(count.upperBound))) where !bytes.isEmpty {
            let at = Int(generator.below(UInt64(bytes.count)))
            switch edits[Int(generator.below(UInt64(edits.count)))] {
            case .flipBit:
                bytes[at] ^= UInt8(1) << UInt8(generator.below(8))
            case .overwrite:
                bytes[at] = UInt8(truncatingIfNeeded: generator.next())
            case .truncate:
                bytes.removeSubrange(max(1, at)...)
            case .insertJunk:
                let junk = (0..<generator.uniform(1...8)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                bytes.insert(contentsOf: junk, at: at)
            case .deleteRange:
                bytes.removeSubrange(at..<min(bytes.count, at + Int(generator.uniform(1...16))))
                if bytes.isEmpty { bytes = [input[0]] }
            case .repeatRange:
                let end = min(bytes.count, at + Int(generator.uniform(1...32)))
                bytes.insert(contentsOf: Array(bytes[at..<end]), at: end)
            case .splice:
                guard !corpus.isEmpty else { continue }
                bytes.insert(contentsOf: corpus[Int(generator.below(UInt64(corpus.count)))], at: at)
            }
        }
        return bytes
    }
}
