import Testing
@testable import Simulation

/// A link that delivers within the sending call (`LinkConditions.deliversWithinSendingCall`), as
/// Linux's loopback device does, and the scheduler's urgent events behind it.
@Suite("Loopback delivery")
struct LoopbackDeliveryTests {
    /// A loopback link whose arrivals at B, like everything else, are written to `log`.
    static func loopback(log: Log) -> LinkHarness {
        var conditions = LinkConditions()
        conditions.deliversWithinSendingCall = true
        let harness = LinkHarness(conditions: conditions)
        harness.link.onReceive(at: .b) { frame in log.lines.append("frame \(LinkHarness.index(of: frame))") }
        return harness
    }

    final class Log {
        var lines: [String] = []
    }

    @Test func aZeroDelayFrameArrivesBeforeWhatElseIsDueThatInstant() {
        let log = Log()
        let harness = Self.loopback(log: log)
        let scheduler = harness.world.scheduler
        scheduler.schedule(at: .zero) {
            harness.link.send(LinkHarness.frame(1), from: .a)
            harness.link.send(LinkHarness.frame(2), from: .a)
            log.lines.append("sender returns")
        }
        scheduler.schedule(at: .zero) { log.lines.append("next event") }
        scheduler.run()
        // Within the sending event's instant, ahead of the event scheduled before the frames were sent.
        #expect(log.lines == ["sender returns", "frame 1", "frame 2", "next event"])
        #expect(scheduler.now == .zero)
    }

    @Test func withoutItAZeroDelayFrameWaitsItsTurn() {
        let harness = LinkHarness(conditions: LinkConditions())
        var order: [String] = []
        harness.link.onReceive(at: .b) { _ in order.append("frame") }
        harness.world.scheduler.schedule(at: .zero) { harness.link.send(LinkHarness.frame(1), from: .a) }
        harness.world.scheduler.schedule(at: .zero) { order.append("next event") }
        harness.world.scheduler.run()
        #expect(order == ["next event", "frame"])
    }

    @Test func aSocketCallCanRunTheDeliveriesItCausedBeforeItReturns() {
        let log = Log()
        let harness = Self.loopback(log: log)
        let scheduler = harness.world.scheduler
        scheduler.schedule(at: .zero) {
            harness.link.send(LinkHarness.frame(1), from: .a)
            #expect(scheduler.runUrgentEvents() == 1)
            log.lines.append("call returns")
        }
        scheduler.schedule(at: .zero) { log.lines.append("next event") }
        scheduler.run()
        #expect(log.lines == ["frame 1", "call returns", "next event"])
    }

    @Test func runningUrgentEventsLeavesOrdinaryOnesAndLaterInstantsAlone() {
        let scheduler = Scheduler()
        var ran: [String] = []
        scheduler.schedule(at: .zero) { ran.append("ordinary now") }
        scheduler.schedule(at: VirtualTime(nanoseconds: 5)) { ran.append("later") }
        #expect(scheduler.runUrgentEvents() == 0)
        #expect(ran.isEmpty)
        scheduler.run()
        #expect(ran == ["ordinary now", "later"])
    }

    @Test func aDelayedFrameIsNotHurriedEvenOnALoopbackLink() {
        var conditions = LinkConditions(delay: .microseconds(10))
        conditions.deliversWithinSendingCall = true
        let harness = LinkHarness(conditions: conditions)
        harness.world.scheduler.schedule(at: .zero) { harness.link.send(LinkHarness.frame(1), from: .a) }
        harness.world.scheduler.run()
        #expect(harness.arrivals.map(\.time) == [10_000])
    }
}
