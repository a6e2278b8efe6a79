/// The discrete-event engine: a virtual clock and a queue of closures to run at virtual instants.
///
/// - The clock starts at zero and only moves when an event runs or `run(until:)` reaches its
///   limit; it never goes backwards.
/// - Events run in order of (time, insertion sequence): events at the same instant run in the
///   order they were scheduled (DESIGN.md, determinism rules).
/// - Scheduling at an instant earlier than `now` is **clamped to `now`**: the event runs after
///   every event already scheduled for `now`. This keeps "deliver after a computed delay" code
///   simple when a delay rounds below zero, and can never move the clock backwards.
///
/// Implementation: a binary min-heap of small plain structs `(time, sequence, slot)` kept in an
/// array, with the closures stored in a side array indexed by slot; freed slots are reused, so
/// the steady state allocates nothing but the closures themselves. Cancellation is lazy: it
/// frees the slot at once and the heap entry is skipped when it surfaces (its sequence no longer
/// matches the slot's). When stale entries outnumber live ones the heap is rebuilt, so a
/// workload that cancels most of its timers (retransmission timers) stays bounded in memory.
public final class Scheduler {
    /// The current virtual time.
    public private(set) var now: VirtualTime = .zero

    /// Number of scheduled events that have neither run nor been cancelled.
    public private(set) var pendingCount: Int = 0

    /// Total number of events run since the scheduler was created.
    public private(set) var eventsRun: Int = 0

    private var heap: [Entry] = []
    private var actions: [(() -> Void)?] = []
    /// Sequence number of the event occupying each slot; 0 when the slot is free.
    private var slotSequence: [UInt64] = []
    private var freeSlots: [Int32] = []
    private var nextSequence: UInt64 = 1

    private struct Entry {
        var time: Int64
        var sequence: UInt64
        var slot: Int32

        @inline(__always)
        func precedes(_ other: Entry) -> Bool {
            time < other.time || (time == other.time && sequence < other.sequence)
        }
    }

    public init() {}

    // MARK: Scheduling

    /// Schedules `action` to run at `time` (clamped to `now` if earlier) and returns its handle.
    @discardableResult
    public func schedule(at time: VirtualTime, _ action: @escaping () -> Void) -> TimerHandle {
        let instant = time.nanoseconds < now.nanoseconds ? now.nanoseconds : time.nanoseconds
        let sequence = nextSequence
        nextSequence &+= 1
        let slot: Int32
        if let reused = freeSlots.popLast() {
            slot = reused
            actions[Int(slot)] = action
            slotSequence[Int(slot)] = sequence
        } else {
            slot = Int32(actions.count)
            actions.append(action)
            slotSequence.append(sequence)
        }
        pendingCount += 1
        push(Entry(time: instant, sequence: sequence, slot: slot))
        return TimerHandle(slot: slot, sequence: sequence)
    }

    /// Schedules `action` to run `delay` after `now` (a negative delay is clamped to zero).
    @discardableResult
    public func schedule(after delay: VirtualDuration, _ action: @escaping () -> Void) -> TimerHandle {
        schedule(at: now + delay, action)
    }

    /// Cancels a pending event. Returns `false` if it already ran or was already cancelled.
    @discardableResult
    public func cancel(_ handle: TimerHandle) -> Bool {
        let slot = Int(handle.slot)
        guard slot < slotSequence.count, slotSequence[slot] == handle.sequence else { return false }
        release(slot: slot)
        let stale = heap.count - pendingCount
        if stale > 1024 && stale > pendingCount { compact() }
        return true
    }

    /// Whether the event named by `handle` is still waiting to run.
    public func isPending(_ handle: TimerHandle) -> Bool {
        let slot = Int(handle.slot)
        return slot < slotSequence.count && slotSequence[slot] == handle.sequence
    }

    /// The time of the next event that will run, if any.
    public var nextEventTime: VirtualTime? {
        discardStaleTop()
        return heap.first.map { VirtualTime(nanoseconds: $0.time) }
    }

    // MARK: Running

    /// Runs the next pending event, advancing `now` to its time. Returns `false` if none is left.
    @discardableResult
    public func runNext() -> Bool {
        discardStaleTop()
        guard !heap.isEmpty else { return false }
        fireTop()
        return true
    }

    /// Runs events in order until none is left, the next one lies after `limit`, or `maxEvents`
    /// have run; returns the number run.
    ///
    /// When it stops because the next event lies after `limit` (or none is left) and `limit` is
    /// later than `now`, the clock is advanced to `limit`, like a wall clock that kept ticking.
    /// When it stops because of `maxEvents`, the clock stays at the last event run.
    @discardableResult
    public func run(until limit: VirtualTime? = nil, maxEvents: Int = .max) -> Int {
        var count = 0
        let bound = limit?.nanoseconds ?? Int64.max
        while count < maxEvents {
            discardStaleTop()
            guard let top = heap.first, top.time <= bound else {
                if let limit, limit > now { now = limit }
                return count
            }
            fireTop()
            count += 1
        }
        return count
    }

    // MARK: Heap

    /// Pops the top entry (which must be live), frees its slot, and runs its action.
    @inline(__always)
    private func fireTop() {
        let top = popTop()
        let slot = Int(top.slot)
        let action = actions[slot].unsafelyUnwrapped
        release(slot: slot)
        now = VirtualTime(nanoseconds: top.time)
        eventsRun += 1
        action()
    }

    @inline(__always)
    private func release(slot: Int) {
        actions[slot] = nil
        slotSequence[slot] = 0
        freeSlots.append(Int32(truncatingIfNeeded: slot))
        pendingCount -= 1
    }

    @inline(__always)
    private func discardStaleTop() {
        while let top = heap.first, slotSequence[Int(top.slot)] != top.sequence {
            _ = popTop()
        }
    }

    private func push(_ entry: Entry) {
        heap.append(entry)
        heap.withUnsafeMutableBufferPointer { h in
            var child = h.count - 1
            while child > 0 {
                let parent = (child - 1) >> 1
                if !entry.precedes(h[parent]) { break }
                h[child] = h[parent]
                child = parent
            }
            h[child] = entry
        }
    }

    /// Removes and returns the minimum entry; the heap must not be empty.
    private func popTop() -> Entry {
        let last = heap.removeLast()
        if heap.isEmpty { return last }
        return heap.withUnsafeMutableBufferPointer { h in
            let top = h[0]
            // Floyd's variant: move the hole to a leaf along smaller children, then sift the
            // former last element up from there (it usually belongs near the bottom).
            let count = h.count
            var hole = 0
            var child = 1
            while child < count {
                let right = child + 1
                if right < count && h[right].precedes(h[child]) { child = right }
                h[hole] = h[child]
                hole = child
                child = 2 * hole + 1
            }
            while hole > 0 {
                let parent = (hole - 1) >> 1
                if !last.precedes(h[parent]) { break }
                h[hole] = h[parent]
                hole = parent
            }
            h[hole] = last
            return top
        }
    }

    /// Drops stale (cancelled) entries and restores the heap property in O(n).
    private func compact() {
        heap.removeAll { slotSequence[Int($0.slot)] != $0.sequence }
        heap.withUnsafeMutableBufferPointer { h in
            let count = h.count
            var start = count / 2 - 1
            while start >= 0 {
                let entry = h[start]
                var hole = start
                while true {
                    var child = 2 * hole + 1
                    if child >= count { break }
                    if child + 1 < count && h[child + 1].precedes(h[child]) { child += 1 }
                    if !h[child].precedes(entry) { break }
                    h[hole] = h[child]
                    hole = child
                }
                h[hole] = entry
                start -= 1
            }
        }
    }
}
