/// A workload to measure. The module reads no clock: whoever runs a benchmark times `body`.
public struct Benchmark: Sendable {
    /// E.g. `scheduler_events`.
    public let name: String
    /// What the rate counts, e.g. `events/s`.
    public let unit: String
    /// Does the untimed setup and returns the timed part, which says what it did.
    public let prepare: @Sendable () -> (() -> BenchmarkWork)

    public init(name: String, unit: String, measuring prepare: @escaping @Sendable () -> (() -> BenchmarkWork)) {
        self.name = name
        self.unit = unit
        self.prepare = prepare
    }

    /// A benchmark whose timed part returns how many operations it did.
    public init(name: String, unit: String, prepare: @escaping @Sendable () -> (() -> Int)) {
        self.init(name: name, unit: unit, measuring: {
            let body = prepare()
            return { BenchmarkWork(operations: body()) }
        })
    }
}

/// What the timed part of a benchmark did: operations, and for a simulation the data it
/// delivered in simulated time (for the goodput).
public struct BenchmarkWork: Sendable, Equatable {
    /// What the rate counts: events, packets, cases...
    public var operations: Int
    /// Bytes delivered to the receiving applications, for simulations.
    public var bytesDelivered: Int?
    /// Simulated time the run covered, nanoseconds.
    public var simulatedNanoseconds: Int64?

    public init(operations: Int, bytesDelivered: Int? = nil, simulatedNanoseconds: Int64? = nil) {
        self.operations = operations
        self.bytesDelivered = bytesDelivered
        self.simulatedNanoseconds = simulatedNanoseconds
    }

    /// Application bytes delivered per simulated second, in bits per second.
    public var goodputBitsPerSecond: Double? {
        guard let bytesDelivered, let simulatedNanoseconds, simulatedNanoseconds > 0 else { return nil }
        return Double(bytesDelivered) * 8 / (Double(simulatedNanoseconds) / 1e9)
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
    /// Simulated goodput in bits per second, for simulations.
    public var goodputBitsPerSecond: Double?
    /// The process's peak resident set size after the benchmark, in bytes (`getrusage`): the
    /// peak of everything the process did so far, so run one benchmark per process to read it.
    public var peakResidentBytes: Int?

    public init(name: String, unit: String, value: Double, iterations: Int, seconds: Double,
                goodputBitsPerSecond: Double? = nil, peakResidentBytes: Int? = nil) {
        self.name = name
        self.unit = unit
        self.value = value
        self.iterations = iterations
        self.seconds = seconds
        self.goodputBitsPerSecond = goodputBitsPerSecond
        self.peakResidentBytes = peakResidentBytes
    }
}
