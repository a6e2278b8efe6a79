import Testing
@testable import Simulation

@Suite struct SchedulerTests {
    @Test func startsAtZeroAndIsEmpty() {
        let scheduler = Scheduler()
        #expect(scheduler.now == .zero)
        #expect(scheduler.pendingCount == 0)
        #expect(!scheduler.runNext())
    }

    @Test func equalTimesRunInSchedulingOrder() {
        let scheduler = Scheduler()
        var order: [Int] = []
        for index in 0..<100 {
            scheduler.schedule(at: VirtualTime(nanoseconds: 5)) { order.append(index) }
        }
        scheduler.schedule(at: VirtualTime(nanoseconds: 1)) { order.append(-1) }
        #expect(scheduler.run() == 101)
        #expect(order == [-1] + Array(0..<100))
    }

    @Test func eventScheduledForNowFromAnEventRunsAfterOthersAtNow() {
        let scheduler = Scheduler()
        var order: [String] = []
        scheduler.schedule(at: VirtualTime(nanoseconds: 10)) {
            order.append("first")
            scheduler.schedule(after: .zero) { order.append("nested") }
        }
        scheduler.schedule(at: VirtualTime(nanoseconds: 10)) { order.append("second") }
        scheduler.run()
        #expect(order == ["first", "second", "nested"])
    }

    @Test func cancellation() {
        let scheduler = Scheduler()
        var fired: [Int] = []
        let handles = (0..<10).map { index in
            scheduler.schedule(after: .milliseconds(Int64(index))) { fired.append(index) }
        }
        #expect(scheduler.cancel(handles[3]))
        #expect(scheduler.cancel(handles[0]))
        #expect(!scheduler.cancel(handles[3]), "second cancel is a no-op")
        #expect(scheduler.pendingCount == 8)
        #expect(!scheduler.isPending(handles[3]))
        scheduler.run()
        #expect(fired == [1, 2, 4, 5, 6, 7, 8, 9])
        #expect(!scheduler.cancel(handles[5]), "cannot cancel what already ran")
    }

    @Test func staleHandleDoesNotCancelReusedSlot() {
        let scheduler = Scheduler()
        var fired = 0
        let old = scheduler.schedule(after: .seconds(1)) {}
        scheduler.cancel(old)
        scheduler.schedule(after: .seconds(1)) { fired += 1 }   // reuses the slot
        #expect(!scheduler.cancel(old))
        scheduler.run()
        #expect(fired == 1)
    }

    @Test func manyCancellationsCompactAndKeepOrder() {
        let scheduler = Scheduler()
        var generator = SeededGenerator(seed: 5)
        var fired: [VirtualTime] = []
        var handles: [TimerHandle] = []
        for _ in 0..<20_000 {
            let at = VirtualTime(nanoseconds: generator.uniform(0...1_000_000))
            handles.append(scheduler.schedule(at: at) { fired.append(scheduler.now) })
        }
        for (index, handle) in handles.enumerated() where index % 10 != 0 { scheduler.cancel(handle) }
        #expect(scheduler.pendingCount == 2_000)
        #expect(scheduler.run() == 2_000)
        #expect(fired.count == 2_000)
        #expect(fired == fired.sorted())
    }

    @Test func timeNeverGoesBackwards() {
        let scheduler = Scheduler()
        var seen: [VirtualTime] = []
        scheduler.schedule(at: VirtualTime(nanoseconds: 100)) {
            seen.append(scheduler.now)
            // In the past: clamped to now.
            scheduler.schedule(at: VirtualTime(nanoseconds: 10)) { seen.append(scheduler.now) }
        }
        scheduler.run()
        #expect(seen == [VirtualTime(nanoseconds: 100), VirtualTime(nanoseconds: 100)])
        scheduler.run(until: VirtualTime(nanoseconds: 50))
        #expect(scheduler.now == VirtualTime(nanoseconds: 100))
    }

    @Test func runUntilStopsAtTheLimitInclusiveAndAdvancesTheClock() {
        let scheduler = Scheduler()
        var fired: [Int64] = []
        for ms in [1, 2, 3, 4, 5] as [Int64] {
            scheduler.schedule(at: .zero + .milliseconds(ms)) { fired.append(ms) }
        }
        #expect(scheduler.run(until: .zero + .milliseconds(3)) == 3)
        #expect(fired == [1, 2, 3])
        #expect(scheduler.now == .zero + .milliseconds(3))
        #expect(scheduler.run(until: .zero + .microseconds(3_500)) == 0)
        #expect(scheduler.now == .zero + .microseconds(3_500))
        #expect(scheduler.nextEventTime == .zero + .milliseconds(4))
        #expect(scheduler.run(maxEvents: 1) == 1)
        #expect(scheduler.now == .zero + .milliseconds(4))
        #expect(scheduler.pendingCount == 1)
        #expect(scheduler.run(until: .zero + .seconds(2)) == 1)
        #expect(scheduler.now == .zero + .seconds(2))
    }

    @Test func hundredThousandRandomTimersFireInNondecreasingOrder() {
        let scheduler = Scheduler()
        var generator = SeededGenerator(seed: 2024)
        var times: [Int64] = []
        times.reserveCapacity(100_000)
        var fired = 0
        for _ in 0..<100_000 {
            let at = generator.uniform(0...10_000_000)
            scheduler.schedule(at: VirtualTime(nanoseconds: at)) {
                times.append(scheduler.now.nanoseconds)
                fired += 1
            }
        }
        #expect(scheduler.run() == 100_000)
        #expect(fired == 100_000)
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(scheduler.pendingCount == 0)
    }

    @Test func randomInterleavingMatchesSortedReference() {
        // Events scheduled from inside events, with ties, against a sort by (time, sequence).
        let scheduler = Scheduler()
        var generator = SeededGenerator(seed: 99)
        var log: [(time: Int64, sequence: UInt64)] = []
        var scheduled: [(time: Int64, sequence: UInt64)] = []
        func add(_ delay: Int64) {
            var handle: TimerHandle?
            handle = scheduler.schedule(after: .nanoseconds(delay)) {
                log.append((scheduler.now.nanoseconds, handle!.sequence))
                if log.count < 5_000 { add(generator.uniform(0...20)); add(generator.uniform(0...20)) }
            }
            scheduled.append((scheduler.now.nanoseconds + delay, handle!.sequence))
        }
        add(0)
        scheduler.run(maxEvents: 5_000)
        // Later events never precede earlier ones (delays are nonnegative, sequences grow), so
        // the run order is the first 5,000 of everything scheduled, sorted by (time, sequence).
        let reference = scheduled.sorted { ($0.time, $0.sequence) < ($1.time, $1.sequence) }.prefix(5_000)
        #expect(log.map(\.time) == reference.map(\.time))
        #expect(log.map(\.sequence) == reference.map(\.sequence))
        let runTimes = log.map(\.time)
        #expect(zip(runTimes, runTimes.dropFirst()).allSatisfy { $0 <= $1 })
        for (earlier, later) in zip(log, log.dropFirst()) where earlier.time == later.time {
            #expect(earlier.sequence < later.sequence)
        }
        scheduler.run()   // drain: pending closures capture the scheduler
    }

    @Test func farFutureSaturatesInsteadOfWrapping() {
        let scheduler = Scheduler()
        scheduler.schedule(at: VirtualTime(nanoseconds: 10)) {
            scheduler.schedule(after: .nanoseconds(.max)) {}
        }
        scheduler.runNext()
        #expect(scheduler.nextEventTime == VirtualTime(nanoseconds: .max))
        #expect(scheduler.run(until: VirtualTime(nanoseconds: 1_000)) == 0)
        #expect(scheduler.pendingCount == 1)
    }

    /// The queue files events relative to the last one it looked at; looking at the next event
    /// without running it (a bounded run, `nextEventTime`) and then scheduling earlier ones must
    /// still run everything in (time, scheduling) order.
    @Test func eventsScheduledBeforeAPeekedEventStillRunInOrder() {
        let scheduler = Scheduler()
        var order: [Int64] = []
        func record() { order.append(scheduler.now.nanoseconds) }
        for time: Int64 in [1_000_000, 70_000, 70_000, 300] { scheduler.schedule(at: VirtualTime(nanoseconds: time), record) }
        #expect(scheduler.run(until: VirtualTime(nanoseconds: 299)) == 0)
        #expect(scheduler.nextEventTime == VirtualTime(nanoseconds: 300))
        #expect(scheduler.run(until: VirtualTime(nanoseconds: 400)) == 1)
        #expect(scheduler.nextEventTime == VirtualTime(nanoseconds: 70_000))
        for time: Int64 in [500, 69_999, 70_000, 400] { scheduler.schedule(at: VirtualTime(nanoseconds: time), record) }
        var sequences: [UInt64] = []
        for time: Int64 in [70_000, 70_000] {
            sequences.append(scheduler.schedule(at: VirtualTime(nanoseconds: time)) { order.append(-time) }.sequence)
        }
        #expect(sequences[0] < sequences[1])
        scheduler.run()
        #expect(order == [300, 400, 500, 69_999, 70_000, 70_000, 70_000, -70_000, -70_000, 1_000_000])
    }

    /// Random scheduling (ties, nanosecond to hour spans, the far future), cancellation, peeks and
    /// bounded runs, against a model that keeps every pending event and runs the least
    /// (time, sequence) first: the order the radix queue must give whatever it has looked at.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func randomOperationsMatchAModel(seed: UInt64) {
        let scheduler = Scheduler()
        var generator = SeededGenerator(seed: seed)
        var model: [(time: Int64, sequence: UInt64, handle: TimerHandle)] = []
        func modelNext() -> (time: Int64, sequence: UInt64, handle: TimerHandle)? {
            model.min { ($0.time, $0.sequence) < ($1.time, $1.sequence) }
        }
        for _ in 0..<8_000 {
            switch generator.below(10) {
            case 0...4:
                let span: Int64 = [0, 3, 1_000, 1 << 24, 1 << 42, .max][Int(generator.below(6))]
                let delay = span == .max ? Int64.max : generator.uniform(0...span)
                let handle = scheduler.schedule(after: .nanoseconds(delay)) {}
                let (sum, overflow) = scheduler.now.nanoseconds.addingReportingOverflow(delay)
                model.append((overflow ? .max : sum, handle.sequence, handle))
            case 5:
                guard !model.isEmpty else { continue }
                let victim = model.remove(at: Int(generator.below(UInt64(model.count))))
                #expect(scheduler.cancel(victim.handle))
            case 6:
                #expect(scheduler.nextEventTime?.nanoseconds == modelNext()?.time)
            case 7:
                let bound = scheduler.now.nanoseconds &+ generator.uniform(0...(1 << 30))
                let due = model.filter { $0.time <= bound }.sorted { ($0.time, $0.sequence) < ($1.time, $1.sequence) }
                var order: [UInt64] = []
                while let next = scheduler.nextEventTime, next.nanoseconds <= bound {
                    let expected = modelNext()!
                    #expect(scheduler.isPending(expected.handle))
                    scheduler.runNext()
                    #expect(!scheduler.isPending(expected.handle))
                    order.append(expected.sequence)
                    model.removeAll { $0.sequence == expected.sequence }
                }
                #expect(order == due.map(\.sequence))
                scheduler.run(until: VirtualTime(nanoseconds: bound))
                #expect(scheduler.now.nanoseconds == max(bound, scheduler.now.nanoseconds))
            default:
                guard let expected = modelNext() else { #expect(!scheduler.runNext()); continue }
                #expect(scheduler.runNext())
                #expect(scheduler.now.nanoseconds == expected.time)
                #expect(!scheduler.isPending(expected.handle))
                model.removeAll { $0.sequence == expected.sequence }
            }
            #expect(scheduler.pendingCount == model.count)
        }
        scheduler.removeAll()
    }
}
