/// A workload to measure. The module reads no clock: whoever runs a benchmark times `body`.
public struct Benchmark: Sendable {
    /// E.g. `scheduler_events`.
    public let name: String
    /// What the rate counts, e.g. `events/s`.
    public let unit: String
    /// Does the untimed setup and returns the timed part, which returns how many operations it did.
    public let prepare: @Sendable () -> (() -> Int)

    public init(name: String, unit: String, prepare: @escaping @Sendable () -> (() -> Int)) {
        self.name = name
        self.unit = unit
        self.prepare = prepare
    }
}

/// One benchmark measurement.
public struct BenchmarkResult: Sendable, Equatable {
    /// Benchmark name, e.g. `scheduler_events`.
    public var name: String
    /// What `value` counts per second, e.g. `events/s`.
    public var unit: String
    /// The measured rate.
    public var value: Double
    /// How many operations were timed.
    public var iterations: Int
    /// Wall-clock seconds they took.
    public var seconds: Double

    public init(name: String, unit: String, value: Double, iterations: Int, seconds: Double) {
        self.name = name
        self.unit = unit
        self.value = value
        self.iterations = iterations
        self.seconds = seconds
    }
}
