import Sockets

/// An application timer (`SocketHost.after`) or one of the runtime's own, in the timer heap.
final class LoopbackTimer: Cancellable {
    let deadline: Int64
    let sequence: UInt64
    private(set) var action: (() -> Void)?

    init(deadline: Int64, sequence: UInt64, action: @escaping () -> Void) {
        self.deadline = deadline
        self.sequence = sequence
        self.action = action
    }

    var isCancelled: Bool { action == nil }

    func cancel() { action = nil }

    /// Runs the action once; a fired timer counts as cancelled afterwards.
    func fire() {
        let action = self.action
        self.action = nil
        action?()
    }
}

/// A binary min-heap of timers ordered by (deadline, insertion order), so timers due at the same
/// nanosecond fire in the order they were set. Cancelled timers stay in the heap until they reach
/// the top and are discarded there.
struct TimerQueue {
    private var heap: [LoopbackTimer] = []
    private var nextSequence: UInt64 = 0

    /// Timers not cancelled.
    var pendingCount: Int { heap.count(where: { !$0.isCancelled }) }

    mutating func schedule(at deadline: Int64, _ action: @escaping () -> Void) -> LoopbackTimer {
        let timer = LoopbackTimer(deadline: deadline, sequence: nextSequence, action: action)
        nextSequence += 1
        heap.append(timer)
        siftUp(heap.count - 1)
        return timer
    }

    /// The earliest deadline of a timer not cancelled.
    mutating func nextDeadline() -> Int64? {
        discardCancelled()
        return heap.first?.deadline
    }

    /// Removes and returns the earliest timer if it is due at `now`.
    mutating func popDue(now: Int64) -> LoopbackTimer? {
        discardCancelled()
        guard let first = heap.first, first.deadline <= now else { return nil }
        return pop()
    }

    mutating func removeAll() {
        for timer in heap { timer.cancel() }
        heap.removeAll()
    }

    private mutating func discardCancelled() {
        while let first = heap.first, first.isCancelled { _ = pop() }
    }

    private mutating func pop() -> LoopbackTimer {
        let first = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            siftDown(0)
        }
        return first
    }

    private static func precedes(_ a: LoopbackTimer, _ b: LoopbackTimer) -> Bool {
        (a.deadline, a.sequence) < (b.deadline, b.sequence)
    }

    private mutating func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.precedes(heap[child], heap[parent]) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ index: Int) {
        var parent = index
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count && Self.precedes(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count && Self.precedes(heap[right], heap[smallest]) { smallest = right }
            guard smallest != parent else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
