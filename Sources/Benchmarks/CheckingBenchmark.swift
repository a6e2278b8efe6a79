import Checking

/// Property-test cases per second: each a handshake, random data both ways under random faults
/// and a teardown, checked against the whole invariant catalogue (determinism included, which
/// runs each case twice).
public enum CheckingBenchmark {
    public static func cases(count: Int = 2_000) -> Benchmark {
        Benchmark(name: "check_cases", unit: "cases/s") {
            {
                let outcome = CheckBenchmark.runCases(count: count)
                precondition(outcome.violations == 0, "every invariant holds")
                return outcome.cases
            }
        }
    }
}
