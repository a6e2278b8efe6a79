/// What a scheduled event does when its time comes.
///
/// The engine's per-packet events are typed values stored in the scheduler's slots: a frame
/// arriving at the end of a link, a protocol timer of some `TimerTarget`. Neither allocates.
/// Closures remain for everything rare (application timers, tests): each one is a heap-allocated
/// context, which cost ~300 instructions per event on the per-packet path (callgrind, `bench
/// bulk`: `swift_allocObject`, `malloc`, `free` and the captures' reference counting).
public enum SchedulerEvent {
    /// Runs a closure.
    case action(() -> Void)
    /// Tells `target` that its timer `token` is due.
    case timer(any TimerTarget, token: Int)
    /// A frame reaches the far end of a link.
    case arrival(Link, FrameArrival)
}

/// Something that schedules typed timer events for itself: `token` says which of its timers.
public protocol TimerTarget: AnyObject {
    /// The event scheduled with `token` is due (`Scheduler.schedule(at:target:token:)`).
    func timerFires(_ token: Int)
}

/// A frame on its way to one end of a link, as the scheduler holds it until it arrives.
public struct FrameArrival {
    public var frame: [UInt8]
    public var direction: LinkDirection
    /// The link's number for the frame (`LinkEvent.frameID`).
    public var frameID: UInt64
}
