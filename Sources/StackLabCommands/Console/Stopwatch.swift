/// Reads the wall clock, for timings the user asks for (`stacklab bench`, the time column of
/// `stacklab check`). The executable passes the real clock; everything else, tests included,
/// gets `frozen`, which runs the body and says no time passed. Simulated code never sees it.
public struct Stopwatch: Sendable {
    private let elapsed: @Sendable (() -> Void) -> Duration

    public init(_ elapsed: @escaping @Sendable (() -> Void) -> Duration) {
        self.elapsed = elapsed
    }

    /// Runs `body` and returns how long it took.
    public func measure(_ body: () -> Void) -> Duration {
        elapsed(body)
    }

    /// A stopwatch that never moves.
    public static let frozen = Stopwatch { body in
        body()
        return .zero
    }
}
