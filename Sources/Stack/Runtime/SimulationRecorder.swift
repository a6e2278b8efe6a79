import Tracing

/// The simulated runtime's trace recorder: keeps every event in order, or, for benchmarks that need
/// only the outcome, just counts them.
///
/// It is `Tracing.TraceRecorder` for the engine's per-event path: every host, link and router
/// records through it, hundreds of thousands of times a second. Its stored properties are
/// `@exclusivity(unchecked)`: each access is short and never overlaps another (the recorder
/// calls nothing), and the dynamic exclusivity checks cost 3–4% of all instructions of
/// `stacklab bench bulk` (callgrind: `swift_beginAccess` and `AccessSet::insert`).
public final class SimulationRecorder: TraceObserver {
    @exclusivity(unchecked) public private(set) var events: [TraceEvent] = []
    /// Events recorded, kept or not.
    @exclusivity(unchecked) public private(set) var count = 0
    /// Time of the latest event, in nanoseconds.
    @exclusivity(unchecked) public private(set) var lastTime: Int64 = 0
    public let keepsEvents: Bool
    /// The census this recorder counts itself in, if one was bound when it was made.
    private let census = NetworkCensus.current

    public init(keepsEvents: Bool = true) {
        self.keepsEvents = keepsEvents
        census?.began()
    }

    deinit {
        census?.ended()
    }

    public func record(_ event: consuming TraceEvent) {
        count += 1
        lastTime = event.time
        if keepsEvents { events.append(event) }
    }

    public var wantsEvents: Bool { keepsEvents }

    public func count(at time: Int64) {
        count += 1
        lastTime = time
    }
}
