import Rendering

/// Rendering a 100,000-event trace (built synthetically and deterministically by Rendering,
/// outside the timed part).
public enum RenderBenchmark {
    public static func all(events: Int = 100_000) -> [Benchmark] {
        [
            Benchmark(name: "render_ascii", unit: "events/s") {
                let trace = RenderWorkload.trace(events: events)
                return {
                    precondition(RenderWorkload.renderASCII(trace) > 0, "the renderer produced output")
                    return trace.events.count
                }
            },
            Benchmark(name: "render_svg", unit: "events/s") {
                let trace = RenderWorkload.trace(events: events)
                return {
                    precondition(RenderWorkload.renderSVG(trace) > 0, "the renderer produced output")
                    return trace.events.count
                }
            },
        ]
    }
}
