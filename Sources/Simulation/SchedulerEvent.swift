/// What a scheduled event does when its time comes.
///
/// The engine's per-packet events are typed values stored in the scheduler's slots: a frame
/// arriving at the end of a link, a protocol timer of some `TimerTarget`. Neither allocates, and
/// neither holds a reference: they name their link or target by its number in the scheduler's
/// registry, which holds them. Closures remain for everything rare (application timers, tests):
/// each one is a heap-allocated context, which cost ~300 instructions per event on the
/// per-packet path (callgrind, `bench bulk`: `swift_allocObject`, `malloc`, `free` and the
/// captures' reference counting); and the atomic reference counting of a target held by each
/// event took over a quarter of the time of `bench engine` (perf).
enum SchedulerEvent {
    /// Runs a closure.
    case action(() -> Void)
    /// Tells the registered target `target` that its timer `token` is due.
    case timer(target: Int32, token: Int)
    /// A frame reaches the far end of the registered link `link`: the frame numbered `frameID`
    /// that travels in `direction`. (Its parts, not a struct of them: a case's payload is taken
    /// apart without copying, a struct's field is not, ~40 instructions a packet; callgrind.)
    case arrival(link: Int32, frame: [UInt8], direction: LinkDirection, frameID: UInt64)
}

/// Something that schedules typed timer events for itself: `token` says which of its timers.
///
/// A class rather than a protocol so that the scheduler calls a registered target without taking
/// a reference to it (`Unmanaged`; the registry holds it): a protocol existential loaded from the
/// registry was retained and released around every call, an atomic operation per event.
open class TimerTarget {
    public init() {}

    /// The event scheduled with `token` is due (`Scheduler.schedule(at:target:token:)`).
    open func timerFires(_ token: Int) {}
}

/// A timer target registered with a scheduler (`Scheduler.register(_:)`).
public struct TimerTargetID: Hashable, Sendable {
    let index: Int32
}

