import Checking
import Testing

@Suite("The property-testing harness on its own")
struct HarnessTests {
    @Test("a false property over integers shrinks to its boundary: x < 100 gives 100")
    func integerBoundary() throws {
        let property = Property("x < 100", Gen.int(in: 0...1_000_000)) { $0 < 100 ? nil : "\($0) ≥ 100" }
        let result = property.check(seeds: 1...100)
        let failure = try #require(result.failure)
        #expect(failure.original >= 100)
        #expect(failure.shrunk == 100)
    }

    @Test("a false property over lists shrinks to a minimal list: sum < 50 gives [50]")
    func listSum() throws {
        let property = Property("sum < 50", Gen.int(in: 0...100).array(count: 0...20)) { list in
            list.reduce(0, +) < 50 ? nil : "sum \(list.reduce(0, +))"
        }
        let failure = try #require(property.check(seeds: 1...100).failure)
        #expect(failure.shrunk == [50])
    }

    @Test("no duplicates shrinks to [0, 0]")
    func listDuplicates() throws {
        let property = Property("distinct", Gen.int(in: 0...20).array(count: 0...30)) { list in
            Set(list).count == list.count ? nil : "duplicates in \(list)"
        }
        let failure = try #require(property.check(seeds: 1...100).failure)
        #expect(failure.shrunk == [0, 0])
    }

    @Test("a true property passes every seed")
    func trueProperty() {
        let property = Property("x ≥ 0", Gen.int(in: 0...1_000)) { $0 >= 0 ? nil : "negative" }
        let result = property.check(seeds: 1...200)
        #expect(result.passed)
        #expect(result.cases == 200)
    }

    @Test("the same seed generates the same value; replaying its choices does too")
    func determinism() {
        let generator = Gen.int(in: 0...1_000).array(count: 0...10).flatMap { list in
            Gen.bool.map { (list, $0) }
        }
        for seed: UInt64 in 1...50 {
            let first = generator.generate(seed: seed)
            let second = generator.generate(seed: seed)
            #expect(first.value.0 == second.value.0 && first.value.1 == second.value.1)
            let replayed = generator.replay(first.choices)
            #expect(replayed.value.0 == first.value.0 && replayed.choices == first.choices)
        }
    }

    @Test("weighted and one-of choices shrink toward the first alternative; map keeps shrinking")
    func choicesShrinkTowardFirst() throws {
        let generator = Gen<String>.frequency([(1, .constant("a")), (5, .constant("b")), (5, .constant("c"))])
        let property = Property("never c", generator.map { $0 + "!" }) { $0 == "c!" ? "c" : nil }
        let failure = try #require(property.check(seeds: 1...100).failure)
        #expect(failure.shrunk == "c!")
        let any = Property("always a", Gen<Int>.oneOf([.constant(1), .int(in: 5...9)])) { $0 == 1 ? nil : "\($0)" }
        #expect(try #require(any.check(seeds: 1...100).failure).shrunk == 5)
    }

    @Test("a failure reports the first failing seed, which regenerates the original value")
    func firstSeed() throws {
        let generator = Gen.int(in: 0...1_000)
        let property = Property("x < 900", generator) { $0 < 900 ? nil : "big" }
        let failure = try #require(property.check(seeds: 1...1_000).failure)
        #expect(generator.generate(seed: failure.seed).value == failure.original)
        for seed in 1..<failure.seed { #expect(generator.generate(seed: seed).value < 900) }
    }
}
