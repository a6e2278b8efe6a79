/// The discrete-event engine: a virtual clock and a queue of events (`SchedulerEvent`: typed
/// frame arrivals and timers, or closures) to run at virtual instants.
///
/// - The clock starts at zero and only moves when an event runs or `run(until:)` reaches its
///   limit; it never goes backwards.
/// - Events run in order of (time, insertion sequence): events at the same instant run in the
///   order they were scheduled (DESIGN.md, determinism rules), except that the arrivals a
///   loopback link schedules with `scheduleFirst` run before the ordinary events of their instant.
/// - Scheduling at an instant earlier than `now` is **clamped to `now`**: the event runs after
///   every event already scheduled for `now`. This keeps "deliver after a computed delay" code
///   simple when a delay rounds below zero, and can never move the clock backwards.
///
/// Implementation: a radix heap of 16-byte plain entries `(time, sequence|slot)` (`RadixQueue`),
/// with the events kept in a side array indexed by slot; freed slots are reused, so the steady
/// state allocates nothing (but the closures of `.action` events). Cancellation is lazy: it frees
/// the slot at once, and the entry is skipped when it surfaces (its sequence no longer matches
/// the slot's). When stale entries outnumber live ones they are dropped, so a workload that
/// cancels most of its timers (retransmission timers) stays bounded in memory.
///
/// For speed, all mutable state lives in one `SchedulerStorage` behind a pointer the class
/// owns: accesses to it are not subject to the dynamic exclusivity checks that every access to
/// a class's stored `var` pays, which otherwise cost a third of the time per event. The storage
/// is never mutated while an event's closure runs, so re-entrant scheduling is safe.
public final class Scheduler {
    @usableFromInline let storage: UnsafeMutablePointer<SchedulerStorage>

    public init() {
        storage = .allocate(capacity: 1)
        storage.initialize(to: SchedulerStorage())
    }

    deinit {
        storage.pointee.deallocate()
        storage.deinitialize(count: 1)
        storage.deallocate()
    }

    /// The current virtual time. Inlinable: the stack reads it several times a packet, and a
    /// call into this module for it cost ~40 instructions a packet (callgrind, workload A).
    @inlinable public var now: VirtualTime { VirtualTime(nanoseconds: storage.pointee.now) }

    /// Number of scheduled events that have neither run nor been cancelled.
    public var pendingCount: Int { storage.pointee.pendingCount }

    /// Total number of events run since the scheduler was created.
    public var eventsRun: Int { storage.pointee.eventsRun }

    // MARK: Scheduling

    /// Schedules `action` to run at `time` (clamped to `now` if earlier) and returns its handle.
    @discardableResult
    public func schedule(at time: VirtualTime, _ action: @escaping () -> Void) -> TimerHandle {
        storage.pointee.insert(time: time.nanoseconds, event: .action(action))
    }

    /// Schedules `action` to run `delay` after `now` (a negative delay is clamped to zero; an
    /// instant beyond the end of time saturates to `Int64.max` nanoseconds).
    @discardableResult
    public func schedule(after delay: VirtualDuration, _ action: @escaping () -> Void) -> TimerHandle {
        let (sum, overflow) = storage.pointee.now.addingReportingOverflow(delay.nanoseconds)
        return storage.pointee.insert(time: overflow ? (delay.nanoseconds > 0 ? .max : .min) : sum, event: .action(action))
    }

    /// Keeps `target` (a strong reference, until `removeAll`) so that events can name it by number.
    public func register(_ target: TimerTarget) -> TimerTargetID {
        TimerTargetID(index: storage.pointee.targets.append(target))
    }

    /// Keeps `link` (until `removeAll`) so that its frames' arrivals can name it by number.
    func register(_ link: Link) -> Int32 {
        storage.pointee.links.append(link)
    }

    /// Schedules `timerFires(token)` of the registered `target` at `time` (clamped to `now` if
    /// earlier), allocating nothing and taking no reference.
    @discardableResult
    public func schedule(at time: VirtualTime, target: TimerTargetID, token: Int) -> TimerHandle {
        storage.pointee.insert(time: time.nanoseconds, event: .timer(target: target.index, token: token))
    }

    /// Schedules a frame's arrival at the far end of the registered link `link`.
    func schedule(at time: VirtualTime, arrivalOn link: Int32, _ frame: consuming [UInt8], direction: LinkDirection,
                  frameID: UInt64) {
        _ = storage.pointee.insert(time: time.nanoseconds,
                                   event: .arrival(link: link, frame: frame, direction: direction, frameID: frameID))
    }

    /// Schedules a frame's arrival now, ahead of every ordinary event due now (after arrivals
    /// scheduled so before it): a link that delivers within the sending call, as loopback does.
    func scheduleFirst(arrivalOn link: Int32, _ frame: consuming [UInt8], direction: LinkDirection, frameID: UInt64) {
        _ = storage.pointee.insertUrgent(event: .arrival(link: link, frame: frame, direction: direction, frameID: frameID))
    }

    /// Drops every pending event and every registered target and link, and with them whatever
    /// they hold: what a world does when it ends, so that nothing it scheduled keeps its parts alive.
    public func removeAll() {
        storage.pointee.removeAll()
        storage.pointee.targets.removeAll()
        storage.pointee.links.removeAll()
    }

    /// Cancels a pending event. Returns `false` if it already ran or was already cancelled.
    @discardableResult
    public func cancel(_ handle: TimerHandle) -> Bool {
        storage.pointee.cancel(handle)
    }

    /// Whether the event named by `handle` is still waiting to run.
    public func isPending(_ handle: TimerHandle) -> Bool {
        storage.pointee.isPending(handle)
    }

    /// The time of the next event that will run, if any.
    public var nextEventTime: VirtualTime? {
        storage.pointee.nextTime().map { VirtualTime(nanoseconds: $0) }
    }

    // MARK: Running

    /// Runs the next pending event, advancing `now` to its time. Returns `false` if none is left.
    @discardableResult
    public func runNext() -> Bool {
        guard let event = storage.pointee.popNext(notAfter: .max) else { return false }
        perform(event)
        return true
    }

    /// Runs the urgent events due now (`scheduleFirst`: frames a loopback link delivers within the
    /// sending call), and those they schedule in turn, from within the event that is running: what
    /// a socket call on a loopback link does before it returns. At most `limit` run, so that two
    /// stacks answering each other forever at one instant cannot hang the caller (the rest run
    /// as ordinary events). Returns the number run.
    @discardableResult
    public func runUrgentEvents(limit: Int = 1_000_000) -> Int {
        var count = 0
        while count < limit, let event = storage.pointee.popUrgentNow() {
            perform(event)
            count += 1
        }
        return count
    }

    /// Runs events in order until none is left, the next one lies after `limit`, or `maxEvents`
    /// have run; returns the number run.
    ///
    /// When it stops because the next event lies after `limit` (or none is left) and `limit` is
    /// later than `now`, the clock is advanced to `limit`, as if time kept passing.
    /// When it stops because of `maxEvents`, the clock stays at the last event run.
    @discardableResult
    public func run(until limit: VirtualTime? = nil, maxEvents: Int = .max) -> Int {
        let bound = limit?.nanoseconds ?? .max
        var count = 0
        while count < maxEvents {
            guard let event = storage.pointee.popNext(notAfter: bound) else {
                if bound != .max && bound > storage.pointee.now { storage.pointee.now = bound }
                return count
            }
            perform(event)
            count += 1
        }
        return count
    }

    /// Runs an event. The registered links and targets are called in place, without taking a
    /// reference to them: the registry holds them, and only `removeAll` lets them go.
    @inline(__always)
    private func perform(_ event: consuming SchedulerEvent) {
        switch consume event {
        case .arrival(let link, let frame, let direction, let frameID):
            // Moved into the call through an optional, as a closure cannot consume a capture: the
            // frame reaches its receiver without being retained and released (callgrind, workload A).
            var moving = Optional(frame)
            storage.pointee.links.withElement(link) { $0.arrive(moving.take()!, direction: direction, frameID: frameID) }
        case .timer(let target, let token):
            storage.pointee.targets.withElement(target) { $0.timerFires(token) }
        case .action(let action):
            action()
        }
    }
}

/// The scheduler's state: the queues of pending entries, the event slots and the clock (see
/// `Scheduler`).
///
/// Ordinary events wait in a radix heap (`RadixQueue`); urgent ones (`insertUrgent`), which are
/// all due now and run before every ordinary event of their instant, in a first-in-first-out
/// queue. Each entry packs the time, the insertion sequence (40 bits) and the slot (24 bits)
/// into one `UInt128` whose unsigned order is (time, sequence) order (`SchedulerEntry`).
@usableFromInline
struct SchedulerStorage {
    @usableFromInline var now: Int64 = 0
    /// Registered timer targets and links, by number (`Scheduler.register`).
    var targets = Registry<TimerTarget>()
    var links = Registry<Link>()
    var pendingCount = 0
    var eventsRun = 0
    private var queue = RadixQueue()
    /// Urgent entries `urgentHead..<urgent.count`, in the order they were inserted.
    private var urgent = EntryBuffer()
    private var urgentHead = 0
    /// Event slots `0..<slotCount`, reused through a free list threaded through `nextFree`.
    private var slots: UnsafeMutablePointer<Slot>
    /// The events of the slots, initialized exactly where the slot's sequence is not 0: moved in
    /// and out rather than kept as optionals, which cost an outlined copy and destroy of the enum
    /// per event (callgrind).
    private var events: UnsafeMutablePointer<SchedulerEvent>
    private var slotCount = 0
    private var slotCapacity = 256
    private var freeHead: Int32 = -1
    /// Ordinary events take sequences from the upper half of the 40-bit range, urgent ones
    /// (`insertUrgent`) from the lower half.
    private var nextSequence: UInt64 = ordinarySequenceBase
    private var nextUrgentSequence: UInt64 = 1

    static let slotBits: UInt64 = 24
    static let slotMask: UInt64 = (1 << slotBits) - 1
    /// At most 2^24 - 1 (16.7 million) events may be pending at once.
    static let maxSlots = Int(slotMask)
    static let maxSequence: UInt64 = 1 << (64 - slotBits)
    /// The first ordinary sequence: 2^39 (550 billion) events of each kind over a scheduler's life.
    static let ordinarySequenceBase: UInt64 = maxSequence >> 1

    /// The event occupying a slot.
    private struct Slot {
        /// Sequence number of the event in the slot; 0 when the slot is free.
        var sequence: UInt64
        /// The next free slot when this one is free, or -1.
        var nextFree: Int32
    }

    init() {
        slots = .allocate(capacity: slotCapacity)
        events = .allocate(capacity: slotCapacity)
    }

    /// Frees the queues and slots; called once from `Scheduler.deinit`.
    mutating func deallocate() {
        targets.deallocate()
        links.deallocate()
        queue.deallocate()
        urgent.deallocate()
        for slot in 0..<slotCount where slots[slot].sequence != 0 { (events + slot).deinitialize(count: 1) }
        events.deallocate()
        slots.deinitialize(count: slotCount)
        slots.deallocate()
        slotCount = 0
    }

    mutating func insert(time: Int64, event: consuming SchedulerEvent) -> TimerHandle {
        let sequence = nextSequence
        precondition(sequence < Self.maxSequence, "scheduler sequence numbers exhausted")
        nextSequence &+= 1
        let (entry, handle) = occupySlot(time: time, event: event, sequence: sequence)
        queue.insert(entry)
        return handle
    }

    /// Inserts an event due now that runs before every ordinary event due now (after the urgent
    /// ones inserted before it).
    mutating func insertUrgent(event: consuming SchedulerEvent) -> TimerHandle {
        let sequence = nextUrgentSequence
        precondition(sequence < Self.ordinarySequenceBase, "scheduler sequence numbers exhausted")
        nextUrgentSequence &+= 1
        let (entry, handle) = occupySlot(time: now, event: event, sequence: sequence)
        urgent.append(entry)
        return handle
    }

    /// Puts `event` in a slot and returns the entry that names it, at `time` clamped to `now`.
    @inline(__always)
    private mutating func occupySlot(time: Int64, event: consuming SchedulerEvent,
                                     sequence: UInt64) -> (SchedulerEntry, TimerHandle) {
        let instant = time < now ? now : time
        let slot: Int
        if freeHead >= 0 {
            slot = Int(freeHead)
            freeHead = slots[slot].nextFree
            slots[slot].sequence = sequence
        } else {
            slot = slotCount
            precondition(slot < Self.maxSlots, "too many pending events")
            if slotCount == slotCapacity {
                let bigger = UnsafeMutablePointer<Slot>.allocate(capacity: slotCapacity * 2)
                let biggerEvents = UnsafeMutablePointer<SchedulerEvent>.allocate(capacity: slotCapacity * 2)
                for index in 0..<slotCount where slots[index].sequence != 0 {
                    (biggerEvents + index).moveInitialize(from: events + index, count: 1)
                }
                bigger.moveInitialize(from: slots, count: slotCount)
                slots.deallocate()
                events.deallocate()
                slots = bigger
                events = biggerEvents
                slotCapacity *= 2
            }
            (slots + slot).initialize(to: Slot(sequence: sequence, nextFree: -1))
            slotCount += 1
        }
        (events + slot).initialize(to: consume event)
        pendingCount += 1
        return (SchedulerEntry(time: instant, key: sequence << Self.slotBits | UInt64(slot)),
                TimerHandle(slot: Int32(slot), sequence: sequence))
    }

    /// Entries in the queues, cancelled ones included.
    private var entryCount: Int { queue.count + urgent.count - urgentHead }

    mutating func cancel(_ handle: TimerHandle) -> Bool {
        guard isPending(handle) else { return false }
        release(slot: Int(handle.slot))
        let stale = entryCount - pendingCount
        if stale > 1024 && stale > pendingCount { compact() }
        return true
    }

    func isPending(_ handle: TimerHandle) -> Bool {
        let slot = Int(handle.slot)
        return slot >= 0 && slot < slotCount && slots[slot].sequence == handle.sequence
    }

    @inline(__always)
    private func isLive(_ entry: SchedulerEntry) -> Bool {
        slots[entry.slot].sequence == entry.sequence
    }

    /// The time of the next live event.
    mutating func nextTime() -> Int64? {
        if let entry = liveUrgent() { return entry.time }
        while let entry = queue.least(notAfter: .max) {
            if isLive(entry) { return entry.time }
            _ = queue.removeLeast(notAfter: .max)
        }
        return nil
    }

    /// The first live urgent entry; cancelled ones before it are dropped.
    @inline(__always)
    private mutating func liveUrgent() -> SchedulerEntry? {
        while urgentHead < urgent.count {
            let entry = urgent[urgentHead]
            if isLive(entry) { return entry }
            dropUrgent()
        }
        return nil
    }

    @inline(__always)
    private mutating func dropUrgent() {
        urgentHead &+= 1
        if urgentHead == urgent.count {
            urgentHead = 0
            urgent.count = 0
        }
    }

    /// Removes the next live event if it is an urgent one (`insertUrgent`) due now.
    mutating func popUrgentNow() -> SchedulerEvent? {
        guard let entry = liveUrgent(), entry.time == now else { return nil }
        dropUrgent()
        return take(entry)
    }

    /// Removes the next live event if its time is at most `bound`, sets the clock to its time and
    /// returns the event (for the caller to run after this mutation has ended).
    @inline(__always)
    mutating func popNext(notAfter bound: Int64) -> SchedulerEvent? {
        // Urgent entries are due at the instant they were inserted, no later than any ordinary one.
        if _slowPath(urgentHead < urgent.count), let entry = liveUrgent() {
            guard entry.time <= bound else { return nil }
            dropUrgent()
            return take(entry)
        }
        while let entry = queue.removeLeast(notAfter: bound) {
            if isLive(entry) { return take(entry) }
        }
        return nil
    }

    /// Frees the slot of `entry`, a live one just removed from its queue, runs the clock to its
    /// time and returns its event.
    @inline(__always)
    private mutating func take(_ entry: SchedulerEntry) -> SchedulerEvent {
        let slot = entry.slot
        let event = (events + slot).move()
        slots[slot].sequence = 0
        slots[slot].nextFree = freeHead
        freeHead = Int32(truncatingIfNeeded: slot)
        pendingCount -= 1
        now = entry.time
        eventsRun += 1
        return event
    }

    /// Frees every slot and empties the queues; the clock stays where it is.
    mutating func removeAll() {
        for slot in 0..<slotCount where slots[slot].sequence != 0 { release(slot: slot) }
        queue.removeAll()
        urgent.count = 0
        urgentHead = 0
    }

    @inline(__always)
    private mutating func release(slot: Int) {
        let event = (events + slot).move()
        slots[slot].sequence = 0
        slots[slot].nextFree = freeHead
        freeHead = Int32(truncatingIfNeeded: slot)
        pendingCount -= 1
        _ = consume event   // released last: what it held may go away now
    }

    /// Drops the entries of cancelled events, so that a workload that cancels most of its timers
    /// (retransmission timers) stays bounded in memory.
    private mutating func compact() {
        let slots = self.slots
        let isLive = { (entry: SchedulerEntry) in slots[entry.slot].sequence == entry.sequence }
        queue.filter(isLive)
        var kept = EntryBuffer()
        for index in urgentHead..<urgent.count where isLive(urgent[index]) { kept.append(urgent[index]) }
        urgent.deallocate()
        urgent = kept
        urgentHead = 0
    }
}
