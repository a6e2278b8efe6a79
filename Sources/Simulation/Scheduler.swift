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
/// Implementation: a 4-ary min-heap of 16-byte plain structs `(time, sequence|slot)`, with the
/// events kept in a side array indexed by slot; freed slots are reused, so the steady state
/// allocates nothing (but the closures of `.action` events). Cancellation is lazy: it frees the slot at
/// once, and the heap entry is skipped when it surfaces (its sequence no longer matches the
/// slot's). When stale entries outnumber live ones the heap is rebuilt, so a workload that
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
        _ = storage.pointee.insertUrgent(time: storage.pointee.now,
                                         event: .arrival(link: link, frame: frame, direction: direction, frameID: frameID))
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

/// The scheduler's state: the heap, the action slots and the clock (see `Scheduler`).
///
/// The heap is 4-ary (children of `i` are `4i+1...4i+4`): half the depth of a binary heap,
/// and the four 16-byte children of a node share one or two cache lines. Each entry packs the
/// time, the insertion sequence (40 bits) and the slot (24 bits) into one `UInt128` whose
/// unsigned order is (time, sequence) order.
@usableFromInline
struct SchedulerStorage {
    @usableFromInline var now: Int64 = 0
    /// Registered timer targets and links, by number (`Scheduler.register`).
    var targets = Registry<TimerTarget>()
    var links = Registry<Link>()
    var pendingCount = 0
    var eventsRun = 0
    private var heap: UnsafeMutablePointer<Entry>
    private var heapCount = 0
    private var heapCapacity = 256
    /// `heap[0]` is the entry `popNext` just returned, left in place (stale, as its slot is
    /// freed): the next `push` takes its place with one sift instead of a removal and an
    /// insertion, and since an event mostly schedules another, most pops are fused so.
    private var topIsPopped = false
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
    /// (`insertUrgent`) from the lower half, so at one instant every urgent event sorts first.
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

    /// A heap entry as one 128-bit integer, so that ordering is a single unsigned comparison:
    /// the high word is the time with its sign bit flipped (so unsigned order is signed order),
    /// the low word is `sequence << 24 | slot`.
    private struct Entry {
        var bits: UInt128

        @inline(__always)
        init(time: Int64, key: UInt64) {
            bits = UInt128(UInt64(bitPattern: time) ^ (1 << 63)) << 64 | UInt128(key)
        }

        @inline(__always) var time: Int64 { Int64(bitPattern: UInt64(truncatingIfNeeded: bits >> 64) ^ (1 << 63)) }
        @inline(__always) var key: UInt64 { UInt64(truncatingIfNeeded: bits) }
        /// The time part of `bits`, as it orders.
        @inline(__always) var high: UInt64 { UInt64(truncatingIfNeeded: bits >> 64) }
        @inline(__always) var slot: Int { Int(truncatingIfNeeded: key & SchedulerStorage.slotMask) }
        @inline(__always) var sequence: UInt64 { key >> SchedulerStorage.slotBits }

        @inline(__always)
        func precedes(_ other: Entry) -> Bool { bits < other.bits }
    }

    init() {
        heap = Self.allocateHeap(capacity: heapCapacity)
        slots = .allocate(capacity: slotCapacity)
        events = .allocate(capacity: slotCapacity)
    }

    /// Entries the heap's first element is placed after, so that the four children of every node
    /// (`4i+1...4i+4`, 64 bytes) start on a 64-byte cache-line boundary: one miss per level.
    private static let alignmentPad = 3

    /// Room for `capacity` entries, with `heap[4i+1]` 64-byte aligned for every `i`.
    private static func allocateHeap(capacity: Int) -> UnsafeMutablePointer<Entry> {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: (capacity + alignmentPad) * MemoryLayout<Entry>.stride,
                                                   alignment: 64)
        return raw.bindMemory(to: Entry.self, capacity: capacity + alignmentPad) + alignmentPad
    }

    private static func deallocateHeap(_ heap: UnsafeMutablePointer<Entry>) {
        UnsafeMutableRawPointer(heap - alignmentPad).deallocate()
    }

    /// Frees the heap buffer; called once from `Scheduler.deinit`.
    mutating func deallocate() {
        targets.deallocate()
        links.deallocate()
        Self.deallocateHeap(heap)
        heapCount = 0
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
        return insert(time: time, event: event, sequence: sequence)
    }

    /// Inserts an event that runs before every ordinary event due at the same instant (after the
    /// urgent ones inserted before it): its sequence comes from the lower half of the range.
    mutating func insertUrgent(time: Int64, event: consuming SchedulerEvent) -> TimerHandle {
        let sequence = nextUrgentSequence
        precondition(sequence < Self.ordinarySequenceBase, "scheduler sequence numbers exhausted")
        nextUrgentSequence &+= 1
        return insert(time: time, event: event, sequence: sequence)
    }

    @inline(__always)
    private mutating func insert(time: Int64, event: consuming SchedulerEvent, sequence: UInt64) -> TimerHandle {
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
        push(Entry(time: instant, key: sequence << Self.slotBits | UInt64(slot)))
        return TimerHandle(slot: Int32(slot), sequence: sequence)
    }

    mutating func cancel(_ handle: TimerHandle) -> Bool {
        guard isPending(handle) else { return false }
        release(slot: Int(handle.slot))
        let stale = heapCount - pendingCount
        if stale > 1024 && stale > pendingCount { compact() }
        return true
    }

    func isPending(_ handle: TimerHandle) -> Bool {
        let slot = Int(handle.slot)
        return slot >= 0 && slot < slotCount && slots[slot].sequence == handle.sequence
    }

    mutating func nextTime() -> Int64? {
        discardStaleTop()
        return heapCount > 0 ? heap[0].time : nil
    }

    /// Removes the next live event if it is an urgent one (`insertUrgent`) due now.
    mutating func popUrgentNow() -> SchedulerEvent? {
        discardStaleTop()
        guard heapCount > 0, heap[0].time == now, heap[0].sequence < Self.ordinarySequenceBase else { return nil }
        return popNext(notAfter: now)
    }

    /// Removes the next live event if its time is at most `bound`, sets the clock to its time and
    /// returns the event (for the caller to run after this mutation has ended).
    @inline(__always)
    mutating func popNext(notAfter bound: Int64) -> SchedulerEvent? {
        discardStaleTop()
        guard heapCount > 0, heap[0].time <= bound else { return nil }
        let top = heap[0]
        topIsPopped = true
        let slot = top.slot
        let event = (events + slot).move()
        slots[slot].sequence = 0
        slots[slot].nextFree = freeHead
        freeHead = Int32(truncatingIfNeeded: slot)
        pendingCount -= 1
        now = top.time
        eventsRun += 1
        return event
    }

    /// Frees every slot and empties the heap; the clock stays where it is.
    mutating func removeAll() {
        for slot in 0..<slotCount where slots[slot].sequence != 0 { release(slot: slot) }
        heapCount = 0
        topIsPopped = false
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

    @inline(__always)
    private mutating func discardStaleTop() {
        topIsPopped = false   // a popped top is stale: the loop removes it
        while heapCount > 0 && slots[heap[0].slot].sequence != heap[0].sequence {
            removeTop()
        }
    }

    private mutating func push(_ entry: Entry) {
        if topIsPopped {
            topIsPopped = false
            fillHole(with: entry, count: heapCount)
            return
        }
        if heapCount == heapCapacity {
            let bigger = Self.allocateHeap(capacity: heapCapacity * 2)
            bigger.moveInitialize(from: heap, count: heapCount)
            Self.deallocateHeap(heap)
            heap = bigger
            heapCapacity *= 2
        }
        var child = heapCount
        heapCount += 1
        while child > 0 {
            let parent = (child - 1) >> 2
            if !entry.precedes(heap[parent]) { break }
            heap[child] = heap[parent]
            child = parent
        }
        heap[child] = entry
    }

    /// Removes the minimum entry; the heap must not be empty.
    @inline(__always)
    private mutating func removeTop() {
        heapCount -= 1
        guard heapCount > 0 else { return }
        fillHole(with: heap[heapCount], count: heapCount)
    }

    /// Replaces the entry at the top of the `count` entries with `entry`.
    ///
    /// Floyd's bottom-up variant: the hole at the top moves down to a leaf along the least
    /// children without comparing them with `entry` (on removal the last entry, which belongs
    /// near the bottom anyway; a newly scheduled event mostly does too), then `entry` sifts up
    /// the few levels it needs: one comparison a level less than sifting it down from the top
    /// (callgrind, `bench engine`: 844 → 719 instructions an event with 10,000 pending).
    @inline(__always)
    private mutating func fillHole(with entry: Entry, count: Int) {
        var hole = 0
        while true {
            let first = 4 &* hole &+ 1
            if first &+ 3 < count {
                // All four children exist: the least moves up into the hole, found by comparing
                // their times alone (the high words) with conditional moves; only when times tie,
                // which is rare, are whole entries compared (`leastOfFour`). Half the loads and
                // shorter dependency chains than 128-bit comparisons (`leastChild`): bench engine
                // ~10 → ~12.5 M events/s wall clock, for about as many instructions (callgrind).
                let children = heap + first
                let t0 = children[0].high, t1 = children[1].high, t2 = children[2].high, t3 = children[3].high
                let (left, leftIndex) = t1 < t0 ? (t1, 1) : (t0, 0)
                let (right, rightIndex) = t3 < t2 ? (t3, 3) : (t2, 2)
                let best: Int
                if _slowPath(t0 == t1 || t2 == t3 || left == right) {
                    best = first &+ Self.leastOfFour(children)
                } else {
                    best = first &+ (right < left ? rightIndex : leftIndex)
                }
                heap[hole] = heap[best]
                hole = best
                continue
            }
            if first >= count { break }
            let best = leastChild(from: first, count: count)
            heap[hole] = heap[best]
            hole = best
        }
        while hole > 0 {
            let parent = (hole &- 1) >> 2
            if !entry.precedes(heap[parent]) { break }
            heap[hole] = heap[parent]
            hole = parent
        }
        heap[hole] = entry
    }

    /// The index (0...3) of the least of four entries, whole entries compared: out of line, so
    /// that the common case does not load the low words, and static, so that the storage is not
    /// copied to call it.
    @inline(never)
    private static func leastOfFour(_ entries: UnsafeMutablePointer<Entry>) -> Int {
        let left = entries[1].bits < entries[0].bits ? 1 : 0
        let right = entries[3].bits < entries[2].bits ? 3 : 2
        return entries[right].bits < entries[left].bits ? right : left
    }

    /// The least of the children `first..<first + 4` of a node (those below `count`).
    @inline(__always)
    private func leastChild(from first: Int, count: Int) -> Int {
        if first &+ 3 < count {
            // All four exist: pick the least with conditional moves, no loop.
            let left = heap[first &+ 1].bits < heap[first].bits ? first &+ 1 : first
            let right = heap[first &+ 3].bits < heap[first &+ 2].bits ? first &+ 3 : first &+ 2
            return heap[right].bits < heap[left].bits ? right : left
        }
        var best = first
        var child = first &+ 1
        while child < count {
            if heap[child].precedes(heap[best]) { best = child }
            child &+= 1
        }
        return best
    }

    /// Places `entry` at `hole` or below, moving smaller children up (to rebuild the heap).
    private func siftDown(_ entry: Entry, from start: Int) {
        let count = heapCount
        var hole = start
        while true {
            let first = 4 &* hole &+ 1
            if first >= count { break }
            let best = leastChild(from: first, count: count)
            if !heap[best].precedes(entry) { break }
            heap[hole] = heap[best]
            hole = best
        }
        heap[hole] = entry
    }

    /// Drops stale (cancelled) entries and restores the heap property in O(n).
    private mutating func compact() {
        topIsPopped = false   // a popped top is stale: dropped below
        var kept = 0
        for index in 0..<heapCount where slots[heap[index].slot].sequence == heap[index].sequence {
            heap[kept] = heap[index]
            kept += 1
        }
        heapCount = kept
        var start = (kept - 2) / 4
        while start >= 0 {
            siftDown(heap[start], from: start)
            start -= 1
        }
    }
}
