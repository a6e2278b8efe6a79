/// The scheduler's queue of pending entries: a radix heap with 256-way digits (a hierarchical
/// timing wheel), keyed by time.
///
/// It relies on the scheduler being monotone: time never goes backwards. An entry is filed by
/// the highest byte in which its time differs from `last` (its *level*, 0...7) and by its own
/// byte there (the *slot*): every entry of a lower level, or of a lower slot of the same level,
/// is earlier. Level 0 slots hold one instant each. To find the next event the queue takes the
/// lowest non-empty slot of level 0; when level 0 is empty it takes the lowest non-empty slot
/// of the lowest level, moves `last` up to its earliest entry's 256-ns block and files its
/// entries again, each into a lower level. An entry moves down at most once per level, in
/// practice once or twice, and each move is an append: no comparisons along a path, no swaps. Against the 4-ary
/// binary-style heap it replaced: 719 → see the commit message (callgrind, `bench engine`).
///
/// Equal instants come out in insertion order, as DESIGN.md requires, without comparing
/// sequence numbers: slots are first-in first-out, a pushed entry is the latest so far, and a
/// slot is only ever redistributed into slots that are all empty (every lower level is), in
/// its own order.
///
/// Time is monotone, but `last` may run ahead of the clock when the next event was looked at
/// but left in place (`run(until:)` stopping before it, `nextEventTime`); an earlier event
/// scheduled then is filed by `pushBelowLast`, which files everything again. Cancelled entries
/// stay until they are met (`isLive` drops them) or `compact` sweeps them.
struct RadixQueue {
    /// A growable first-in first-out array of entries; `head` is the next one to take out.
    private struct Bucket {
        var base: UnsafeMutablePointer<SchedulerEntry>?
        var head: Int32 = 0
        var count: Int32 = 0
        var capacity: Int32 = 0
    }

    private static let levels = 8
    private static let slots = 256
    /// `levels × slots` buckets, level-major.
    private var buckets: UnsafeMutablePointer<Bucket>
    /// Four words per level: bit `s` of the level's words is set when its slot `s` is not empty.
    private var occupied: UnsafeMutablePointer<UInt64>
    /// Bit `l` is set when level `l` has a non-empty slot.
    private var occupiedLevels: UInt64 = 0
    /// Entries are filed relative to this unsigned time (`SchedulerEntry.order`); every entry
    /// held is at or after it.
    private var last: UInt64 = 0
    /// The level-0 bucket of the entry `peek` returned.
    private var topBucket = 0
    /// Entries held, live or cancelled.
    private(set) var count = 0

    init() {
        buckets = .allocate(capacity: Self.levels * Self.slots)
        buckets.initialize(repeating: Bucket(), count: Self.levels * Self.slots)
        occupied = .allocate(capacity: Self.levels * 4)
        occupied.initialize(repeating: 0, count: Self.levels * 4)
    }

    /// Frees the buckets; the queue must not be used afterwards.
    mutating func deallocate() {
        for index in 0..<Self.levels * Self.slots { buckets[index].base?.deallocate() }
        buckets.deinitialize(count: Self.levels * Self.slots)
        buckets.deallocate()
        occupied.deallocate()
        count = 0
    }

    /// Adds `entry`, the latest scheduled so far, at or after the time of every entry removed.
    @inline(__always)
    mutating func push(_ entry: SchedulerEntry) {
        if entry.order >= last {
            file(entry)
        } else {
            pushBelowLast(entry)
        }
        count &+= 1
    }

    /// The next live entry, if any; cancelled entries met on the way are dropped.
    @inline(__always)
    mutating func peek(isLive: (SchedulerEntry) -> Bool) -> SchedulerEntry? {
        while true {
            if occupiedLevels & 1 != 0 {
                let index = lowestSlot(level: 0)
                let bucket = buckets + index
                let base = bucket.pointee.base.unsafelyUnwrapped
                while bucket.pointee.head < bucket.pointee.count {
                    let entry = base[Int(bucket.pointee.head)]
                    if isLive(entry) {
                        topBucket = index
                        return entry
                    }
                    bucket.pointee.head &+= 1
                    count &-= 1
                }
                markEmpty(index)
            } else if occupiedLevels == 0 {
                return nil
            } else {
                cascade(isLive: isLive)
            }
        }
    }

    /// Removes the entry `peek` returned.
    @inline(__always)
    mutating func removeTop() {
        let bucket = buckets + topBucket
        bucket.pointee.head &+= 1
        count &-= 1
        if bucket.pointee.head == bucket.pointee.count { markEmpty(topBucket) }
    }

    /// Drops every cancelled entry, keeping the order of the others.
    mutating func compact(isLive: (SchedulerEntry) -> Bool) {
        for index in 0..<Self.levels * Self.slots where buckets[index].count > 0 {
            let base = buckets[index].base.unsafelyUnwrapped
            var kept: Int32 = 0
            for position in buckets[index].head..<buckets[index].count where isLive(base[Int(position)]) {
                base[Int(kept)] = base[Int(position)]
                kept &+= 1
            }
            count &-= Int(buckets[index].count &- buckets[index].head &- kept)
            buckets[index].head = 0
            buckets[index].count = kept
            if kept == 0 { markEmpty(index) }
        }
    }

    /// Drops every entry; `last` stays, as entries pushed later are still at or after it.
    mutating func removeAll() {
        for index in 0..<Self.levels * Self.slots {
            buckets[index].head = 0
            buckets[index].count = 0
        }
        occupied.update(repeating: 0, count: Self.levels * 4)
        occupiedLevels = 0
        count = 0
    }

    /// Empties the lowest non-empty slot of the lowest non-empty level above 0 and files its
    /// live entries again, each in a lower level.
    ///
    /// `last` moves to the 256-ns block of the slot's earliest entry (not merely to the slot's
    /// first instant): that entry lands in level 0 at once instead of stepping down one level at
    /// a time, which with few events pending (workload A) is most of what the queue does.
    /// Every lower level is empty, and every other entry of the slot is at or after the new
    /// `last`, so the filing stays valid.
    private mutating func cascade(isLive: (SchedulerEntry) -> Bool) {
        let level = occupiedLevels.trailingZeroBitCount
        let index = lowestSlot(level: level)
        let base = buckets[index].base.unsafelyUnwrapped
        let held = Int(buckets[index].count)
        markEmpty(index)
        var kept = 0
        var earliest = UInt64.max
        for position in 0..<held where isLive(base[position]) {
            earliest = min(earliest, base[position].order)
            base[kept] = base[position]
            kept &+= 1
        }
        count &-= held &- kept
        guard kept > 0 else { return }
        last = earliest & ~0xff
        // Every lower level is empty, so the entries go, in their order, into empty slots (never
        // this one). The queue's fields are copied into locals for the loop: stores through the
        // buckets could alias `self` as far as the compiler knows, which reloaded them each time.
        var levels = occupiedLevels
        let last = self.last, buckets = self.buckets, occupied = self.occupied
        for position in 0..<kept {
            Self.file(base[position], last: last, buckets: buckets, occupied: occupied, levels: &levels)
        }
        occupiedLevels = levels
    }

    /// Adds an entry earlier than `last` (see the type's comment): sets `last` to its time and
    /// files everything again, in (time, insertion) order. O(n log n), but rare.
    private mutating func pushBelowLast(_ entry: SchedulerEntry) {
        var held: [SchedulerEntry] = []
        held.reserveCapacity(count)
        for index in 0..<Self.levels * Self.slots where buckets[index].count > 0 {
            for position in buckets[index].head..<buckets[index].count {
                held.append(buckets[index].base.unsafelyUnwrapped[Int(position)])
            }
        }
        held.sort { $0.bits < $1.bits }
        let total = count
        removeAll()
        count = total
        last = entry.order
        file(entry)
        for other in held { file(other) }
    }

    /// Appends `entry` (at or after `last`) to the bucket of its level and slot.
    @inline(__always)
    private mutating func file(_ entry: SchedulerEntry) {
        Self.file(entry, last: last, buckets: buckets, occupied: occupied, levels: &occupiedLevels)
    }

    @inline(__always)
    private static func file(_ entry: SchedulerEntry, last: UInt64, buckets: UnsafeMutablePointer<Bucket>,
                             occupied: UnsafeMutablePointer<UInt64>, levels: inout UInt64) {
        let order = entry.order
        // The highest differing byte; `| 1` puts an entry at `last` itself in level 0.
        let level = (63 &- ((order ^ last) | 1).leadingZeroBitCount) &>> 3
        let index = level &<< 8 | Int(truncatingIfNeeded: (order &>> UInt64(level &<< 3)) & 0xff)
        let bucket = buckets + index
        if bucket.pointee.count == bucket.pointee.capacity { grow(bucket) }
        bucket.pointee.base.unsafelyUnwrapped[Int(bucket.pointee.count)] = entry
        bucket.pointee.count &+= 1
        occupied[index &>> 6] |= 1 &<< UInt64(index & 63)
        levels |= 1 &<< UInt64(level)
    }

    /// The bucket index of the lowest non-empty slot of `level`, which must have one.
    @inline(__always)
    private func lowestSlot(level: Int) -> Int {
        let words = occupied + level &* 4
        var word = 0
        while words[word] == 0 { word &+= 1 }
        return level &* Self.slots &+ word &* 64 &+ words[word].trailingZeroBitCount
    }

    @inline(__always)
    private mutating func markEmpty(_ index: Int) {
        buckets[index].head = 0
        buckets[index].count = 0
        occupied[index &>> 6] &= ~(1 &<< UInt64(index & 63))
        let level = index &>> 8
        let words = occupied + level &* 4
        if words[0] | words[1] | words[2] | words[3] == 0 {
            occupiedLevels &= ~(1 &<< UInt64(level))
        }
    }

    private static func grow(_ bucket: UnsafeMutablePointer<Bucket>) {
        let capacity = max(8, bucket.pointee.capacity &* 2)
        let bigger = UnsafeMutablePointer<SchedulerEntry>.allocate(capacity: Int(capacity))
        if let old = bucket.pointee.base {
            bigger.moveInitialize(from: old, count: Int(bucket.pointee.count))
            old.deallocate()
        }
        bucket.pointee.base = bigger
        bucket.pointee.capacity = capacity
    }
}
