import Foundation
import Testing

/// What one parse of a mutated input came to.
public enum ParseOutcome: Sendable {
    /// The parser returned a value.
    case value
    /// The parser refused the input with an error that says where (line, column, byte offset, field).
    case located
    /// The parser refused the input without saying where: a failure of the test.
    case unlocated(String)
    /// The parser did more work than the input's size allows (steps counted by the test): a failure.
    case overBudget(String)
}

/// Tallies of a mutation run, so a test can check that both values and errors happened.
public struct MutationTally: Sendable, CustomStringConvertible {
    public var inputs = 0
    public var values = 0
    public var located = 0
    public var failures = 0

    public var description: String {
        "\(inputs) inputs: \(values) values, \(located) located errors, \(failures) failures"
    }
}

/// The seeded mutation test every parser goes through: real inputs of the parser's own kind,
/// mutated `count` times (`Mutator`), each parsed once. The run itself is the check that nothing
/// traps or hangs (inputs are at most `maxLength` bytes, so a linear parser is fast); `parse` says
/// whether each input gave a value or a located error, and may count its own steps against a
/// budget. Failures are recorded as issues naming the seed, the iteration and the mutations, so
/// they reproduce; the first few inputs that fail are written under the temporary directory. To
/// catch an input that traps, set `STACKLAB_MUTATION_LAST=PATH`: each input is written there
/// before it is parsed, so after a crash the file holds the culprit.
///
/// Adding a parser is one call:
///
///     let tally = MutationTesting.run("scenario", seeds: seeds, seed: 15, kind: .text) { bytes in
///         do { _ = try parse(bytes); return .value } catch { return error.isLocated ? .located : .unlocated("\(error)") }
///     }
public enum MutationTesting {
    @discardableResult
    public static func run(
        _ name: String, seeds: [[UInt8]], count: Int = 10_000, seed: UInt64, kind: Mutator.Kind,
        vocabulary: [String] = [], maxLength: Int = 8_192, regressions: [[UInt8]] = [],
        sourceLocation: SourceLocation = #_sourceLocation, _ parse: ([UInt8]) -> ParseOutcome
    ) -> MutationTally {
        var tally = MutationTally()
        var mutator = Mutator(seed: seed, kind: kind, vocabulary: vocabulary, maxLength: maxLength)
        #expect(!seeds.isEmpty, "no seed inputs for \(name)", sourceLocation: sourceLocation)
        let last = ProcessInfo.processInfo.environment["STACKLAB_MUTATION_LAST"].map { URL(fileURLWithPath: $0 + "-" + name) }
        func check(_ input: [UInt8], _ what: @autoclosure () -> String) {
            tally.inputs += 1
            if let last { try? Data(input).write(to: last) }
            switch parse(input) {
            case .value: tally.values += 1
            case .located: tally.located += 1
            case .unlocated(let message), .overBudget(let message):
                tally.failures += 1
                let saved = save(input, name: name, index: tally.failures)
                Issue.record("\(name): \(what()): \(message)\(saved)", sourceLocation: sourceLocation)
            }
        }
        for (i, input) in seeds.enumerated() { check(input, "seed \(i)") }
        for (i, input) in regressions.enumerated() { check(input, "regression input \(i)") }
        guard !seeds.isEmpty else { return tally }
        for iteration in 0..<count {
            let original = mutator.pick(seeds)
            let (input, mutations) = mutator.mutate(original, donors: seeds)
            check(input, "mutation seed \(seed) iteration \(iteration) (\(mutations.map(\.rawValue).joined(separator: ", ")))")
        }
        return tally
    }

    /// Writes a failing input for a person to look at (the first five per parser); says where.
    private static func save(_ input: [UInt8], name: String, index: Int) -> String {
        guard index <= 5 else { return "" }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-mutation-\(name)-\(index)")
        guard (try? Data(input).write(to: url)) != nil else { return "" }
        return " (input written to \(url.path))"
    }
}

/// Files of this repository, for tests that start from real inputs (`Traces/`, `Lessons/`,
/// fixtures, fuzzing regressions).
public enum Repository {
    /// The checkout's root: two folders above this file (`Tests/Support`).
    public static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The files in `folder` (relative to the root) whose names end in `suffix`, sorted by name.
    public static func files(in folder: String, suffix: String = "") -> [URL] {
        let directory = root.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(suffix) && !$0.hasPrefix(".") }.sorted()
            .map { directory.appendingPathComponent($0) }
    }

    /// A file's bytes (empty when it cannot be read).
    public static func bytes(_ url: URL) -> [UInt8] {
        (try? [UInt8](Data(contentsOf: url))) ?? []
    }

    /// The inputs a fuzzing run once crashed a target with (`Tests/Fuzz/Regressions/TARGET`).
    public static func fuzzRegressions(_ target: String) -> [[UInt8]] {
        files(in: "Tests/Fuzz/Regressions/\(target)").map(bytes)
    }

    /// The first `count` lines of `bytes`, newlines included.
    public static func head(_ bytes: [UInt8], lines count: Int) -> [UInt8] {
        var seen = 0
        for (i, byte) in bytes.enumerated() where byte == 0x0A {
            seen += 1
            if seen == count { return Array(bytes[...i]) }
        }
        return bytes
    }
}
