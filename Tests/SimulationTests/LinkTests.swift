import Testing
@testable import Simulation

/// A world with one link "L" whose arrivals at B are recorded with their time.
final class LinkHarness {
    let world: World
    let link: Link
    let log = LinkEventLog()
    var arrivals: [(time: Int64, frame: [UInt8])] = []

    init(seed: UInt64 = 1, conditions: LinkConditions) {
        world = World(seed: seed)
        world.observer = log
        link = world.addLink("L", conditions: conditions)
        link.onReceive(at: .b) { [unowned self] frame in
            self.arrivals.append((self.world.now.nanoseconds, frame))
        }
    }

    /// A frame of `length` bytes whose first four bytes are `index`, big-endian.
    static func frame(_ index: Int, length: Int = 100) -> [UInt8] {
        var bytes = [UInt8](repeating: 0xA5, count: length)
        for k in 0..<min(4, length) { bytes[k] = UInt8(truncatingIfNeeded: index >> (24 - 8 * k)) }
        return bytes
    }

    static func index(of frame: [UInt8]) -> Int {
        frame.prefix(4).reduce(0) { $0 << 8 | Int($1) }
    }

    /// Sends `count` frames from A, one every `interval`, starting now.
    func sendPeriodically(_ count: Int, every interval: VirtualDuration, length: Int = 100) {
        for index in 0..<count {
            world.scheduler.schedule(after: interval * Int64(index)) { [unowned self] in
                self.link.send(Self.frame(index, length: length), from: .a)
            }
        }
    }

    func count(_ kind: LinkEvent.Kind) -> Int {
        log.events.filter { $0.kind == kind }.count
    }
}

@Suite struct LinkTests {
    @Test func deliversAfterDelayInBothDirections() {
        let harness = LinkHarness(conditions: LinkConditions(delay: .milliseconds(10)))
        var atA: [Int64] = []
        harness.link.onReceive(at: .a) { [unowned harness] _ in atA.append(harness.world.now.nanoseconds) }
        harness.link.send([1, 2, 3], from: .a)
        harness.link.send([4], from: .b)
        harness.world.run()
        #expect(harness.arrivals.map(\.time) == [10_000_000])
        #expect(harness.arrivals.map(\.frame) == [[1, 2, 3]])
        #expect(atA == [10_000_000])
        #expect(harness.count(.delivered) == 2)
    }

    /// An observer that declines routine events gets exactly the drops, duplicates and
    /// corruptions of the full log, in the same order, and the run is otherwise the same.
    @Test func observerWithoutRoutineEventsSeesTheRestUnchanged() {
        final class NonRoutineLog: LinkObserver {
            var events: [LinkEvent] = []
            func record(_ event: LinkEvent) { events.append(event) }
            var recordsRoutineEvents: Bool { false }
        }
        let conditions = LinkConditions(
            delay: .milliseconds(5), jitter: .milliseconds(2), bandwidthBitsPerSecond: 10_000_000,
            queueLimit: .packets(20), mtu: 1400, lossProbability: 0.05,
            duplicationProbability: 0.02, reorderProbability: 0.03, corruptionProbability: 0.02)
        func run(_ observer: any LinkObserver) -> [(Int64, [UInt8])] {
            let harness = LinkHarness(seed: 11, conditions: conditions)
            harness.world.observer = observer
            for index in 0..<1_000 {
                harness.world.scheduler.schedule(after: .microseconds(Int64(index) * 500)) {
                    harness.link.send(LinkHarness.frame(index, length: 200 + index % 1_300), from: .a)
                }
            }
            harness.world.run()
            return harness.arrivals
        }
        let full = LinkEventLog(), partial = NonRoutineLog()
        let fullArrivals = run(full), partialArrivals = run(partial)
        #expect(fullArrivals.map(\.0) == partialArrivals.map(\.0))
        #expect(fullArrivals.map(\.1) == partialArrivals.map(\.1))
        let expected = full.events.filter {
            switch $0.kind {
            case .sent, .delivered, .reordered: false
            case .dropped, .duplicated, .corrupted: true
            }
        }
        #expect(!expected.isEmpty)
        #expect(partial.events == expected)
    }

    @Test func identicalSeedsGiveIdenticalLogsOtherSeedsDiffer() {
        let conditions = LinkConditions(
            delay: .milliseconds(5), jitter: .milliseconds(2), bandwidthBitsPerSecond: 10_000_000,
            queueLimit: .packets(20), mtu: 1400, lossProbability: 0.05,
            burstLoss: GilbertElliott(goodToBad: 0.01, badToGood: 0.3),
            duplicationProbability: 0.02, reorderProbability: 0.03, corruptionProbability: 0.02)
        func run(seed: UInt64) -> (String, [Int]) {
            let harness = LinkHarness(seed: seed, conditions: conditions)
            harness.link.partition(from: .zero + .milliseconds(300), to: .zero + .milliseconds(350))
            for index in 0..<2_000 {
                harness.world.scheduler.schedule(after: .microseconds(Int64(index) * 500)) {
                    harness.link.send(LinkHarness.frame(index, length: 200 + index % 1_300), from: .a)
                    harness.link.send(LinkHarness.frame(index, length: 64), from: .b)
                }
            }
            harness.world.run()
            let lost = harness.log.events.filter { $0.kind == .dropped(.loss) || $0.kind == .dropped(.burstLoss) }
            return (harness.log.text, lost.map { Int($0.frameID) })
        }
        let first = run(seed: 7)
        let second = run(seed: 7)
        let other = run(seed: 8)
        #expect(first.0 == second.0)
        #expect(first.0.split(separator: "\n").count > 8_000)
        #expect(first.1 != other.1)
    }

    @Test(arguments: [0.1, 0.01])
    func bernoulliLossWithinThreeSigma(p: Double) {
        let harness = LinkHarness(seed: 12345, conditions: LinkConditions(lossProbability: p))
        let n = 100_000
        for index in 0..<n { harness.link.send(LinkHarness.frame(index, length: 20), from: .a) }
        harness.world.run()
        let lost = harness.count(.dropped(.loss))
        #expect(lost + harness.arrivals.count == n)
        let sigma = (Double(n) * p * (1 - p)).squareRoot()
        #expect(abs(Double(lost) - Double(n) * p) < 3 * sigma, "lost \(lost) of \(n) at p=\(p)")
    }

    /// Lengths of runs of consecutive lost frames (by frame ID, 1...n).
    static func lossRuns(_ log: LinkEventLog, frames n: Int) -> [Int] {
        var lost = [Bool](repeating: false, count: n + 1)
        for event in log.events {
            if case .dropped = event.kind { lost[Int(event.frameID)] = true }
        }
        var runs: [Int] = []
        var current = 0
        for id in 1...n {
            if lost[id] {
                current += 1
            } else if current > 0 {
                runs.append(current)
                current = 0
            }
        }
        if current > 0 { runs.append(current) }
        return runs
    }

    @Test func gilbertElliottMeanNearStationaryAndBurstierThanBernoulli() {
        let model = GilbertElliott(goodToBad: 0.01, badToGood: 0.2, lossInGood: 0.001, lossInBad: 0.8)
        let mean = model.stationaryLossRate   // (0.2·0.001 + 0.01·0.8) / 0.21 ≈ 0.039
        let n = 100_000
        let bursty = LinkHarness(seed: 77, conditions: LinkConditions(burstLoss: model))
        let independent = LinkHarness(seed: 77, conditions: LinkConditions(lossProbability: mean))
        for index in 0..<n {
            bursty.link.send(LinkHarness.frame(index, length: 20), from: .a)
            independent.link.send(LinkHarness.frame(index, length: 20), from: .a)
        }
        bursty.world.run()
        independent.world.run()
        let burstLost = bursty.count(.dropped(.burstLoss))
        // Correlated losses have a larger variance than binomial; allow ±15 % of the mean.
        #expect(abs(Double(burstLost) / Double(n) - mean) < 0.15 * mean, "lost \(burstLost)")
        let burstRuns = Self.lossRuns(bursty.log, frames: n)
        let independentRuns = Self.lossRuns(independent.log, frames: n)
        let meanBurstRun = Double(burstRuns.reduce(0, +)) / Double(burstRuns.count)
        let meanIndependentRun = Double(independentRuns.reduce(0, +)) / Double(independentRuns.count)
        // Bernoulli runs average 1/(1-p) ≈ 1.04; Gilbert–Elliott's about 1/(1-0.8·(1-r)) ≈ 2.8.
        #expect(meanIndependentRun < 1.1)
        #expect(meanBurstRun > 2 * meanIndependentRun, "burst \(meanBurstRun) vs \(meanIndependentRun)")
    }

    @Test func bandwidthSerialisesAndQueuesFrames() {
        // 1,000 × 1,000 bytes = 8 Mbit at 8 Mbit/s = 1 s, plus 10 ms propagation.
        let harness = LinkHarness(conditions: LinkConditions(delay: .milliseconds(10),
                                                             bandwidthBitsPerSecond: 8_000_000))
        for index in 0..<1_000 { harness.link.send(LinkHarness.frame(index, length: 1_000), from: .a) }
        #expect(harness.link.queuedFrames(.aToB) == 1_000)
        harness.world.run()
        #expect(harness.arrivals.count == 1_000)
        let last = harness.arrivals.last!.time
        #expect(abs(last - 1_010_000_000) <= 1_000_000, "last arrival \(last)")
        #expect(harness.arrivals.first!.time == 11_000_000)
        #expect(harness.arrivals.map { LinkHarness.index(of: $0.frame) } == Array(0..<1_000))
        #expect(harness.link.queuedFrames(.aToB) == 0)
    }

    @Test func frameLargerThanMTUIsDropped() {
        let harness = LinkHarness(conditions: LinkConditions(mtu: 1_500))
        harness.link.send(LinkHarness.frame(0, length: 1_500), from: .a)
        harness.link.send(LinkHarness.frame(1, length: 1_501), from: .a)
        harness.world.run()
        #expect(harness.arrivals.map { LinkHarness.index(of: $0.frame) } == [0])
        let drops = harness.log.events.filter { $0.kind == .dropped(.exceedsMTU) }
        #expect(drops.map(\.frameLength) == [1_501])
    }

    @Test(arguments: [LinkConditions.QueueLimit.packets(10), .bytes(10_000)])
    func dropTailQueue(limit: LinkConditions.QueueLimit) {
        let harness = LinkHarness(conditions: LinkConditions(bandwidthBitsPerSecond: 8_000_000, queueLimit: limit))
        for index in 0..<15 { harness.link.send(LinkHarness.frame(index, length: 1_000), from: .a) }
        // After the first frame's 1 ms serialisation, one slot is free again.
        harness.world.scheduler.schedule(at: .zero + .milliseconds(1)) {
            harness.link.send(LinkHarness.frame(15, length: 1_000), from: .a)
            harness.link.send(LinkHarness.frame(16, length: 1_000), from: .a)
        }
        harness.world.run()
        #expect(harness.arrivals.map { LinkHarness.index(of: $0.frame) } == Array(0..<10) + [15])
        #expect(harness.count(.dropped(.queueFull)) == 6)
    }

    @Test func scheduledPartitionDropsExactlyTheFramesInTheWindow() {
        // One frame per ms from t = 0; delay 2.5 ms; cable out over [20 ms, 30 ms).
        let harness = LinkHarness(conditions: LinkConditions(delay: .microseconds(2_500)))
        let start: Int64 = 20_000_000, end: Int64 = 30_000_000
        harness.link.partition(from: VirtualTime(nanoseconds: start), to: VirtualTime(nanoseconds: end))
        harness.sendPeriodically(50, every: .milliseconds(1))
        harness.world.run()
        let expectedLost = (0..<50).filter { index in
            let sent = Int64(index) * 1_000_000
            let arrives = sent + 2_500_000
            return (start..<end).contains(sent) || (start..<end).contains(arrives)
        }
        // Frames 18, 19 arrive in the window; 20...29 are sent in it.
        #expect(expectedLost == Array(18...29))
        let dropped = harness.log.events.filter { $0.kind == .dropped(.partitioned) }
            .map { Int($0.frameID) - 1 }.sorted()
        #expect(dropped == expectedLost)
        let delivered = harness.arrivals.map { LinkHarness.index(of: $0.frame) }
        #expect(delivered == (0..<50).filter { !expectedLost.contains($0) })
    }

    @Test func downAndUpAtRuntime() {
        let harness = LinkHarness(conditions: LinkConditions(delay: .milliseconds(5)))
        harness.link.send(LinkHarness.frame(0), from: .a)       // in flight when the link goes down
        harness.world.run(until: .zero + .milliseconds(1))
        harness.link.down()
        harness.link.send(LinkHarness.frame(1), from: .a)
        harness.world.run(until: .zero + .milliseconds(10))
        harness.link.setUp(true)
        harness.link.send(LinkHarness.frame(2), from: .a)
        harness.world.run()
        #expect(harness.arrivals.map { LinkHarness.index(of: $0.frame) } == [2])
        #expect(harness.count(.dropped(.linkDown)) == 2)
    }

    @Test func duplicationProducesExtraDeliveries() {
        let harness = LinkHarness(seed: 3, conditions: LinkConditions(delay: .milliseconds(1),
                                                                      duplicationProbability: 0.2))
        harness.sendPeriodically(1_000, every: .microseconds(100))
        harness.world.run()
        let duplicated = harness.count(.duplicated)
        #expect(duplicated > 100 && duplicated < 300)
        #expect(harness.arrivals.count == 1_000 + duplicated)
        #expect(harness.count(.delivered) == 1_000 + duplicated)
        let indices = harness.arrivals.map { LinkHarness.index(of: $0.frame) }
        #expect(Set(indices).count == 1_000)
    }

    @Test func reorderingProducesOutOfOrderArrivals() {
        let harness = LinkHarness(seed: 4, conditions: LinkConditions(
            delay: .milliseconds(1), reorderProbability: 0.1, reorderDelay: .milliseconds(3)))
        harness.sendPeriodically(1_000, every: .microseconds(500))
        harness.world.run()
        let indices = harness.arrivals.map { LinkHarness.index(of: $0.frame) }
        #expect(indices.count == 1_000)
        #expect(indices.sorted() == Array(0..<1_000))
        let inversions = zip(indices, indices.dropFirst()).filter { $0 > $1 }.count
        #expect(inversions > 50)
        #expect(harness.count(.reordered) > 50)
    }

    @Test func jitterWithoutReorderingKeepsFIFO() {
        let harness = LinkHarness(seed: 5, conditions: LinkConditions(delay: .milliseconds(10),
                                                                      jitter: .milliseconds(5)))
        harness.sendPeriodically(2_000, every: .microseconds(100))
        harness.world.run()
        let indices = harness.arrivals.map { LinkHarness.index(of: $0.frame) }
        #expect(indices == Array(0..<2_000))
        let delays = harness.arrivals.map { $0.time - Int64(LinkHarness.index(of: $0.frame)) * 100_000 }
        #expect(delays.min()! >= 5_000_000)
        #expect(Set(delays).count > 100, "delays vary")
    }

    @Test func corruptionFlipsExactlyOneBit() {
        let harness = LinkHarness(seed: 6, conditions: LinkConditions(corruptionProbability: 0.5))
        harness.sendPeriodically(400, every: .microseconds(10), length: 64)
        harness.world.run()
        var reportedBit: [UInt64: Int] = [:]
        for event in harness.log.events {
            if case .corrupted(let bit) = event.kind { reportedBit[event.frameID] = bit }
        }
        #expect(reportedBit.count > 150 && reportedBit.count < 250)
        #expect(harness.arrivals.count == 400)
        // No delay and FIFO: the k-th arrival is frame k, frame ID k + 1.
        for (k, arrival) in harness.arrivals.enumerated() {
            let original = LinkHarness.frame(k, length: 64)
            var differing: [Int] = []
            for bit in 0..<(64 * 8) {
                let mask = UInt8(0x80) >> UInt8(bit & 7)
                if (original[bit >> 3] ^ arrival.frame[bit >> 3]) & mask != 0 { differing.append(bit) }
            }
            if let bit = reportedBit[UInt64(k + 1)] {
                #expect(differing == [bit])
            } else {
                #expect(differing.isEmpty)
            }
        }
    }
}

extension LinkHarness {
    func count(where predicate: (LinkEvent.Kind) -> Bool) -> Int {
        log.events.filter { predicate($0.kind) }.count
    }
}

@Suite struct LinkReentrancyTests {
    @Test func receiverMayReplaceItselfAndSendFromInsideDelivery() {
        let world = World(seed: 1)
        let link = world.addLink("L", conditions: LinkConditions(delay: .milliseconds(1)))
        var log: [String] = []
        // The link keeps its receivers, so they capture it unowned (no reference cycle).
        link.onReceive(at: .b) { [unowned link] frame in
            log.append("first \(frame)")
            link.onReceive(at: .b) { frame in log.append("second \(frame)") }
            link.send([9], from: .b)
        }
        link.onReceive(at: .a) { frame in log.append("A got \(frame)") }
        link.send([1], from: .a)
        link.send([2], from: .a)
        world.run()
        #expect(log == ["first [1]", "second [2]", "A got [9]"])
        #expect(world.now == .zero + .milliseconds(2))
    }
}
