import Simulation

/// Workloads that measure the discrete-event engine.
public enum EngineBenchmark {
    /// Schedules `timers` timers at random times in the first second, then fires `events` events
    /// in total: every fired timer reschedules itself a random 1 µs...10 ms later until the budget
    /// is spent, and every eighth firing also cancels a pending timer and arms a replacement. About
    /// `timers` events are pending throughout. The events are typed timer events, as the
    /// simulation's frame arrivals and protocol timers are.
    public static func schedulerEvents(events: Int = 5_000_000, timers: Int = 10_000, seed: UInt64 = 1) -> Benchmark {
        Benchmark(name: "scheduler_events", unit: "events/s") {
            { runScheduler(events: events, timers: timers, seed: seed, closures: false) }
        }
    }

    /// The same with a closure per event, as applications' timers are scheduled.
    public static func schedulerClosures(events: Int = 5_000_000, timers: Int = 10_000, seed: UInt64 = 1) -> Benchmark {
        Benchmark(name: "scheduler_closures", unit: "events/s") {
            { runScheduler(events: events, timers: timers, seed: seed, closures: true) }
        }
    }

    static func runScheduler(events: Int, timers: Int, seed: UInt64, closures: Bool) -> Int {
        let scheduler = Scheduler()
        let workload = TimerWorkload(scheduler: scheduler, seed: seed, budget: events, closures: closures)
        for _ in 0..<timers { workload.arm(at: workload.randomTime(upTo: 1_000_000_000)) }
        let fired = scheduler.run()
        precondition(fired == workload.fired, "every fired event is counted")
        scheduler.removeAll()   // lets the workload go: it holds the scheduler, which holds it
        return fired
    }

    /// Sends `frames` 1500-byte frames, one every 12 µs, through a 1 Gbit/s link with 1 ms delay
    /// and 1 % random loss, and runs the world to completion; counts frames delivered plus dropped.
    public static func linkPackets(frames: Int = 1_000_000, seed: UInt64 = 1) -> Benchmark {
        Benchmark(name: "link_packets", unit: "packets/s") { { runLink(frames: frames, seed: seed) } }
    }

    static func runLink(frames: Int, seed: UInt64) -> Int {
        let world = World(seed: seed)
        let counter = OutcomeCounter()
        world.observer = counter
        let link = world.addLink("bench", conditions: LinkConditions(
            delay: .milliseconds(1), bandwidthBitsPerSecond: 1_000_000_000, lossProbability: 0.01))
        link.onReceive(at: .b) { _ in }
        let frame = [UInt8](repeating: 0x45, count: 1500)
        let sender = FrameSender(link: link, frame: frame, remaining: frames, interval: .microseconds(12),
                                 scheduler: world.scheduler)
        sender.sendNext()
        world.run()
        let handled = counter.delivered + counter.dropped
        precondition(handled == frames, "every frame is delivered or dropped")
        return handled
    }

    /// The engine benchmarks with their default sizes.
    public static var all: [Benchmark] {
        [schedulerEvents(), schedulerClosures(), linkPackets()]
    }
}

/// Timers that reschedule themselves until a budget of armed timers is spent.
///
/// Its counters are `@exclusivity(unchecked)`, as the simulation's hot state is, so the benchmark
/// measures the engine rather than the dynamic exclusivity checks of its own bookkeeping (~90
/// instructions an event; callgrind).
private final class TimerWorkload: TimerTarget {
    let scheduler: Scheduler
    @exclusivity(unchecked) var generator: SeededGenerator
    let budget: Int
    let closures: Bool
    @exclusivity(unchecked) var fired = 0
    @exclusivity(unchecked) var armed = 0
    @exclusivity(unchecked) var recent: [TimerHandle] = []
    /// The workload's number as the scheduler's timer target.
    @exclusivity(unchecked) private(set) var registration: TimerTargetID!

    init(scheduler: Scheduler, seed: UInt64, budget: Int, closures: Bool) {
        self.scheduler = scheduler
        self.generator = SeededGenerator(seed: seed)
        self.budget = budget
        self.closures = closures
        super.init()
        registration = scheduler.register(self)
    }

    override func timerFires(_ token: Int) {
        fire()
    }

    func randomTime(upTo span: UInt64) -> VirtualTime {
        scheduler.now + .nanoseconds(Int64(generator.below(span)))
    }

    func arm(at time: VirtualTime) {
        guard armed < budget else { return }
        armed += 1
        let handle = closures ? scheduler.schedule(at: time) { self.fire() } : scheduler.schedule(at: time, target: registration, token: 0)
        if armed & 7 == 0 { recent.append(handle) }
    }

    func fire() {
        fired += 1
        arm(at: scheduler.now + .nanoseconds(1_000 + Int64(generator.below(10_000_000))))
        if fired & 7 == 0, let victim = recent.popLast(), scheduler.cancel(victim) {
            armed -= 1
            arm(at: randomTime(upTo: 10_000_000))
        }
    }
}

/// Sends one frame per interval from a link's A side.
private final class FrameSender {
    let link: Link
    let frame: [UInt8]
    var remaining: Int
    let interval: VirtualDuration
    let scheduler: Scheduler

    init(link: Link, frame: [UInt8], remaining: Int, interval: VirtualDuration, scheduler: Scheduler) {
        self.link = link
        self.frame = frame
        self.remaining = remaining
        self.interval = interval
        self.scheduler = scheduler
    }

    func sendNext() {
        guard remaining > 0 else { return }
        remaining -= 1
        link.send(frame, from: .a)
        scheduler.schedule(after: interval) { [unowned self] in self.sendNext() }
    }
}

/// Counts delivered and dropped frames.
private final class OutcomeCounter: LinkObserver {
    var delivered = 0
    var dropped = 0

    func record(_ event: LinkEvent) {
        switch event.kind {
        case .delivered: delivered += 1
        case .dropped: dropped += 1
        case .sent, .duplicated, .reordered, .corrupted: break
        }
    }
}
