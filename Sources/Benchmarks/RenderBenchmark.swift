import Rendering

/// Rendering a 100,000-event trace (built synthetically and deterministically by Rendering).
public enum RenderBenchmark {
    /// Events rendered per second to the terminal ladder and to the SVG ladder.
    public static func all(events: Int = 100_000) -> [BenchmarkResult] {
        let trace = RenderWorkload.trace(events: events)
        return [
            measure("render_ascii", events: trace.events.count) { RenderWorkload.renderASCII(trace) },
            measure("render_svg", events: trace.events.count) { RenderWorkload.renderSVG(trace) },
        ]
    }

    private static func measure(_ name: String, events: Int, _ render: () -> Int) -> BenchmarkResult {
        let clock = ContinuousClock()
        let start = clock.now
        let produced = render()
        let seconds = EngineBenchmark.seconds(clock.now - start)
        precondition(produced > 0, "the renderer produced output")
        return BenchmarkResult(name: name, unit: "events/s", value: Double(events) / seconds, iterations: events, seconds: seconds)
    }
}
