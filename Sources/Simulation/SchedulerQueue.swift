/// A pending event as the scheduler orders it: one 128-bit integer whose unsigned order is
/// (time, sequence) order. The high word is the time with its sign bit flipped (so that unsigned
/// order is signed order); the low word is `sequence << 24 | slot`.
struct SchedulerEntry {
    var bits: UInt128

    @inline(__always)
    init(time: Int64, key: UInt64) {
        bits = UInt128(UInt64(bitPattern: time) ^ (1 << 63)) &<< 64 | UInt128(key)
    }

    @inline(__always) var time: Int64 { Int64(bitPattern: UInt64(truncatingIfNeeded: bits &>> 64) ^ (1 << 63)) }
    @inline(__always) var key: UInt64 { UInt64(truncatingIfNeeded: bits) }
    @inline(__always) var slot: Int { Int(truncatingIfNeeded: key & SchedulerStorage.slotMask) }
    @inline(__always) var sequence: UInt64 { key >> SchedulerStorage.slotBits }
}

/// A growable run of entries in memory the scheduler owns (entries are plain integers: nothing
/// to initialize or destroy).
struct EntryBuffer {
    private(set) var base: UnsafeMutablePointer<SchedulerEntry>?
    var count = 0
    private(set) var capacity = 0

    @inline(__always)
    mutating func append(_ entry: SchedulerEntry) {
        if count == capacity { grow() }
        base.unsafelyUnwrapped[count] = entry
        count &+= 1
    }

    @inline(__always)
    subscript(index: Int) -> SchedulerEntry {
        get { base.unsafelyUnwrapped[index] }
        set { base.unsafelyUnwrapped[index] = newValue }
    }

    private mutating func grow() {
        let bigger = UnsafeMutablePointer<SchedulerEntry>.allocate(capacity: Swift.max(16, capacity * 2))
        if let base {
            bigger.moveInitialize(from: base, count: count)
            base.deallocate()
        }
        base = bigger
        capacity = Swift.max(16, capacity * 2)
    }

    /// Keeps only the entries `isKept` accepts, in their order.
    mutating func filter(_ isKept: (SchedulerEntry) -> Bool) {
        var kept = 0
        for index in 0..<count where isKept(self[index]) {
            self[kept] = self[index]
            kept += 1
        }
        count = kept
    }

    mutating func deallocate() {
        base?.deallocate()
        base = nil
        count = 0
        capacity = 0
    }
}

/// The scheduler's ordinary pending entries, least first: a radix heap (Ahuja, Mehlhorn, Orlin
/// and Tarjan, "Faster algorithms for the shortest path problem", JACM 1990) with 8-bit digits.
///
/// A radix heap needs what a discrete-event clock guarantees: nothing is inserted below the last
/// entry taken out (`last`), because the clock never goes back and sequences only grow. An entry
/// lives, unordered, in the bucket named by the highest 8-bit digit in which it differs from
/// `last` (the level, 0...15) and its own value of that digit (0...255). Taking the least entry
/// scans the lowest non-empty bucket for its least, makes that the new `last` and deals the
/// bucket's other entries into lower levels. An entry only ever moves to a lower level: events
/// due within 2^24 ns (16 ms) of the clock move at most three times in their life, against a
/// comparison of four children at each of the ~7 levels of a 4-ary heap of 10,000 entries, each
/// level a likely cache miss and a hard-to-predict branch. `bench engine` (10,000 pending):
/// 12.0–13.3 M events/s with the 4-ary heap, 13.7–15.9 M with this queue, for about as many
/// instructions; workload A, with a handful pending, costs 12 instructions a packet more
/// (callgrind). Single-bit buckets moved each entry about 13 times: slower than the 4-ary heap.
struct RadixQueue {
    private static let digitBits = 8
    private static let levels = 128 / digitBits
    private static let digits = 1 << digitBits
    private static let bucketCount = levels * digits

    /// Bucket `level << 8 | digit`, initialized where its bit in `initialized` is set: a run uses
    /// a few dozen of the 4,096, and a scheduler is made for every `check` case. (Initializing
    /// all of them up front cost 6% of `check`'s instructions; callgrind.)
    private var buckets: UnsafeMutablePointer<EntryBuffer>
    /// Bit `index & 63` of word `index >> 6` is set when bucket `index` is initialized.
    private var initialized: UnsafeMutablePointer<UInt64>
    /// Bit `index & 63` of word `index >> 6` is set when bucket `index` is not empty.
    private var occupied: UnsafeMutablePointer<UInt64>
    /// Bit `word` is set when word `word` of `occupied` is not 0: the lowest non-empty bucket is
    /// two trailing-zero counts away.
    private var occupiedWords: UInt64 = 0
    /// The least entry once `least(notAfter:)` has found it, until `removeLeast(notAfter:)` takes
    /// it; its bits are `last`.
    private var front: SchedulerEntry?
    /// No entry in the queue is below this. The key of the last entry brought to the front.
    private var last: UInt128 = 0
    private(set) var count = 0

    init() {
        buckets = .allocate(capacity: Self.bucketCount)
        initialized = .allocate(capacity: Self.bucketCount / 64)
        initialized.initialize(repeating: 0, count: Self.bucketCount / 64)
        occupied = .allocate(capacity: Self.bucketCount / 64)
        occupied.initialize(repeating: 0, count: Self.bucketCount / 64)
    }

    /// Frees the buckets; the queue must not be used again.
    mutating func deallocate() {
        for word in 0..<Self.bucketCount / 64 {
            var bits = initialized[word]
            while bits != 0 {
                let index = word &<< 6 | bits.trailingZeroBitCount
                bits &= bits &- 1
                buckets[index].deallocate()
                (buckets + index).deinitialize(count: 1)
            }
        }
        buckets.deallocate()
        initialized.deallocate()
        occupied.deallocate()
        count = 0
    }

    /// The bucket of an entry other than `last`. On 64-bit halves with masking shifts: the 128-bit
    /// shift by a variable count, and the checks of Swift's smart shifts, cost about 25
    /// instructions an entry (callgrind, `bench engine`).
    @inline(__always)
    private func bucketIndex(_ bits: UInt128) -> Int {
        let high = UInt64(truncatingIfNeeded: bits &>> 64)
        let highDifference = high ^ UInt64(truncatingIfNeeded: last &>> 64)
        if highDifference != 0 {
            let level = (63 &- highDifference.leadingZeroBitCount) &>> 3
            return (8 &+ level) &<< 8 | Int(truncatingIfNeeded: high &>> UInt64(level &* 8)) & 0xFF
        }
        let low = UInt64(truncatingIfNeeded: bits)
        let level = (63 &- (low ^ UInt64(truncatingIfNeeded: last)).leadingZeroBitCount) &>> 3
        return level &<< 8 | Int(truncatingIfNeeded: low &>> UInt64(level &* 8)) & 0xFF
    }

    /// Bucket `index`, an initialized one.
    @inline(__always)
    private func bucket(_ index: Int) -> UnsafeMutablePointer<EntryBuffer> {
        buckets + index
    }

    @inline(__always)
    private mutating func add(_ entry: SchedulerEntry, to index: Int) {
        let bit: UInt64 = 1 &<< UInt64(truncatingIfNeeded: index & 63)
        if _slowPath(initialized[index &>> 6] & bit == 0) {
            (buckets + index).initialize(to: EntryBuffer())
            initialized[index &>> 6] |= bit
        }
        bucket(index).pointee.append(entry)
        occupied[index &>> 6] |= bit
        occupiedWords |= 1 &<< UInt64(truncatingIfNeeded: index &>> 6)
    }

    @inline(__always)
    mutating func insert(_ entry: SchedulerEntry) {
        if _slowPath(entry.bits <= last) { lowerLast(to: entry.bits) }
        add(entry, to: bucketIndex(entry.bits))
        count &+= 1
    }

    /// The lowest non-empty bucket; some bucket must be non-empty.
    @inline(__always)
    private func lowestBucket() -> Int {
        let word = occupiedWords.trailingZeroBitCount
        return word &<< 6 | occupied[word].trailingZeroBitCount
    }

    /// Removes and returns the least entry, if there is one and its time is at most `bound`.
    /// `last` becomes that entry, never an instant the clock may not reach.
    @inline(__always)
    mutating func removeLeast(notAfter bound: Int64) -> SchedulerEntry? {
        if _slowPath(front != nil) {
            guard let least = least(notAfter: bound) else { return nil }
            front = nil
            count &-= 1
            if count == 0 { last = 0 }
            return least
        }
        guard occupiedWords != 0 else { return nil }
        let index = lowestBucket()
        let bucket = bucket(index).pointee
        var least = bucket[0]
        if bucket.count > 1 {
            for position in 1..<bucket.count where bucket[position].bits < least.bits { least = bucket[position] }
        }
        guard least.time <= bound else { return nil }
        empty(index)
        last = least.bits
        if bucket.count > 1 { dealOut(bucket, from: index, except: least) }
        count &-= 1
        // Empty, the queue has no entry to stay above: `last` may start again from nothing, so
        // that a cancelled entry taken out cannot keep the clock's later instants out.
        if count == 0 { last = 0 }
        return least
    }

    /// The least entry, if there is one and its time is at most `bound`, without removing it: it
    /// stays at the front, and `last`, until `removeLeast(notAfter:)` takes it.
    mutating func least(notAfter bound: Int64) -> SchedulerEntry? {
        if let front { return front.time <= bound ? front : nil }
        guard occupiedWords != 0 else { return nil }
        let index = lowestBucket()
        let bucket = bucket(index).pointee
        var least = bucket[0]
        for position in 1..<bucket.count where bucket[position].bits < least.bits { least = bucket[position] }
        guard least.time <= bound else { return nil }
        empty(index)
        last = least.bits
        front = least
        dealOut(bucket, from: index, except: least)
        return least
    }

    /// Marks bucket `index` empty.
    @inline(__always)
    private mutating func empty(_ index: Int) {
        bucket(index).pointee.count = 0
        let word = index &>> 6
        occupied[word] &= ~(1 &<< UInt64(truncatingIfNeeded: index & 63))
        if occupied[word] == 0 { occupiedWords &= ~(1 &<< UInt64(truncatingIfNeeded: word)) }
    }

    /// Deals the entries of `bucket`, just emptied from bucket `index`, all but `least` (the new
    /// `last`) into the lower levels their difference from `last` now names.
    private mutating func dealOut(_ bucket: EntryBuffer, from index: Int, except least: SchedulerEntry) {
        for position in 0..<bucket.count {
            let entry = bucket[position]
            if entry.bits != least.bits { add(entry, to: bucketIndex(entry.bits)) }
        }
        // A high bucket collects every event of a stretch of time once and is dealt out once; kept,
        // such buffers would add up to every event ever pending (41 MB in `bench engine`).
        if bucket.capacity > Self.keptCapacity { self.bucket(index).pointee.deallocate() }
    }

    /// The largest buffer an emptied bucket keeps for reuse: 1 KiB.
    private static let keptCapacity = 64

    /// Starts the buckets again from below `bits`: for an insertion at or below `last`, which the
    /// scheduler's clock rules out but which must not break the order if it happens.
    private mutating func lowerLast(to bits: UInt128) {
        var entries: [SchedulerEntry] = []
        entries.reserveCapacity(count)
        if let front { entries.append(front) }
        forEachBucket { index in
            let bucket = bucket(index).pointee
            for position in 0..<bucket.count { entries.append(bucket[position]) }
        }
        removeAll()
        last = bits &- 1
        for entry in entries {
            add(entry, to: bucketIndex(entry.bits))
            count &+= 1
        }
    }

    /// Keeps only the entries `isKept` accepts.
    mutating func filter(_ isKept: (SchedulerEntry) -> Bool) {
        if let entry = front, !isKept(entry) { front = nil }
        var remaining = front == nil ? 0 : 1
        var emptied: [Int] = []
        forEachBucket { index in
            bucket(index).pointee.filter(isKept)
            remaining += bucket(index).pointee.count
            if bucket(index).pointee.count == 0 { emptied.append(index) }
        }
        for index in emptied { empty(index) }
        count = remaining
        if count == 0 { last = 0 }
    }

    /// Removes every entry (keeping the buckets' memory for reuse).
    mutating func removeAll() {
        var emptied: [Int] = []
        forEachBucket { emptied.append($0) }
        for index in emptied { empty(index) }
        front = nil
        last = 0
        count = 0
    }

    /// Calls `body` with the index of each bucket that is not empty, in order (emptying buckets
    /// as it goes is allowed: the bits are read first).
    private func forEachBucket(_ body: (Int) -> Void) {
        var words = occupiedWords
        while words != 0 {
            let word = words.trailingZeroBitCount
            words &= words &- 1
            var bits = occupied[word]
            while bits != 0 {
                body(word &<< 6 | bits.trailingZeroBitCount)
                bits &= bits &- 1
            }
        }
    }
}
