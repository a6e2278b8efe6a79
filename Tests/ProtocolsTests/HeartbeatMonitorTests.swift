import Protocols
import Testing

@Suite("Heartbeat monitor")
struct HeartbeatMonitorTests {
    static let second: Int64 = 1_000_000_000
    static let millisecond: Int64 = 1_000_000

    /// Runs a monitor from time 0 (T = 1 s) against a peer that sends DATA every 300 ms up to
    /// `lastSign`, once exactly at `lastSign`, then falls silent. Frames at the same instant as a
    /// tick are delivered first. Returns when the peer was declared dead, and the PINGs sent.
    private func detectionTime(lastSign: Int64, missLimit: Int) -> (dead: Int64?, pings: [Int64]) {
        var monitor = HeartbeatMonitor(interval: Self.second, missLimit: missLimit, now: 0)
        var arrivals = Array(stride(from: 300 * Self.millisecond, to: lastSign, by: Int(300 * Self.millisecond)))
        arrivals.append(lastSign)
        var pings: [Int64] = []
        while monitor.nextTick < 100 * Self.second {
            let tick = monitor.nextTick
            while let next = arrivals.first, next <= tick {
                arrivals.removeFirst()
                #expect(monitor.received(.data([1]), now: next).isEmpty)
            }
            for action in monitor.tick(now: tick) {
                switch action {
                case .send(let frame):
                    #expect(frame.kind == .ping)
                    pings.append(tick)
                case .peerDead(let lastHeard, let now):
                    #expect(lastHeard == lastSign)
                    #expect(now == tick)
                    return (tick, pings)
                }
            }
        }
        return (nil, pings)
    }

    /// The documented rule: dead at the first tick at least k·T after the last sign of life,
    /// hence between k·T (inclusive) and (k+1)·T (exclusive) after it.
    @Test(arguments: [1, 3])
    func detectsBetweenKAndKPlusOneIntervals(missLimit: Int) throws {
        let k = Int64(missLimit)
        for tenth in 0..<40 as Range<Int64> {
            let lastSign = tenth * 100 * Self.millisecond
            let dead = try #require(detectionTime(lastSign: lastSign, missLimit: missLimit).dead)
            let delay = dead - lastSign
            #expect(delay >= k * Self.second && delay < (k + 1) * Self.second, "last sign at \(lastSign)")
            // The first whole second at or after lastSign + k·T.
            let expected = (lastSign + k * Self.second + Self.second - 1) / Self.second * Self.second
            #expect(dead == expected, "last sign at \(lastSign)")
        }
    }

    /// T = 1 s, k = 3: silent from 2.5 s means dead at 6 s (3.5 s later); from 2 s, dead at 5 s.
    @Test func workedExamples() {
        let fromHalf = detectionTime(lastSign: 2500 * Self.millisecond, missLimit: 3)
        #expect(fromHalf.dead == 6 * Self.second)
        #expect(fromHalf.pings == [0, 1, 2, 3, 4, 5].map { $0 * Self.second })
        #expect(detectionTime(lastSign: 2 * Self.second, missLimit: 3).dead == 5 * Self.second)
        var monitor = HeartbeatMonitor(interval: Self.second, missLimit: 3, now: 0)
        #expect(monitor.deadAfter == 3 * Self.second)
        #expect(monitor.nextTick == 0)
        #expect(monitor.tick(now: 0).count == 1)
        #expect(monitor.tick(now: 999 * Self.millisecond).isEmpty)
        #expect(monitor.nextTick == Self.second)
    }

    /// A peer that answers every PING within the RTT (< T) is never declared dead.
    @Test(arguments: [1, 2, 5])
    func livePeerAnsweringPingsStaysAlive(missLimit: Int) {
        let rtt = 900 * Self.millisecond
        var monitor = HeartbeatMonitor(interval: Self.second, missLimit: missLimit, now: 0)
        var pending: [(Int64, HeartbeatFrame)] = []
        var sequence: [[UInt8]] = []
        for _ in 0..<200 {
            let tick = monitor.nextTick
            pending.filter { $0.0 <= tick }.forEach { _ = monitor.received($0.1, now: $0.0) }
            pending.removeAll { $0.0 <= tick }
            for action in monitor.tick(now: tick) {
                guard case .send(let ping) = action else {
                    Issue.record("declared dead at \(tick) with missLimit \(missLimit)")
                    return
                }
                sequence.append(ping.payload)
                pending.append((tick + rtt, .pong(ping.payload)))
            }
        }
        #expect(!monitor.isPeerDead)
        // Each PING carries the next 64-bit big-endian sequence number.
        #expect(sequence.first == [0, 0, 0, 0, 0, 0, 0, 1])
        #expect(sequence.count == 200 && Set(sequence).count == 200)
    }

    /// The monitor answers a PING with a PONG that echoes its payload; PONG and DATA need no answer.
    @Test func answersPings() {
        var monitor = HeartbeatMonitor(interval: Self.second, missLimit: 2, now: 0)
        #expect(monitor.received(.ping([4, 2]), now: 10) == [.send(.pong([4, 2]))])
        #expect(monitor.received(.pong([1]), now: 20).isEmpty)
        #expect(monitor.received(.data([1]), now: 30).isEmpty)
        #expect(monitor.lastHeard == 30)
    }

    /// A late tick acts once and moves to the next grid point; a dead monitor stays dead and quiet.
    @Test func lateTicksAndDeath() {
        var monitor = HeartbeatMonitor(interval: Self.second, missLimit: 2, now: 0)
        #expect(monitor.tick(now: 1500 * Self.millisecond).count == 1)
        #expect(monitor.nextTick == 2 * Self.second)
        let dead = monitor.tick(now: 4200 * Self.millisecond)
        #expect(dead == [.peerDead(lastHeard: 0, now: 4200 * Self.millisecond)])
        #expect(monitor.isPeerDead)
        #expect(monitor.tick(now: 10 * Self.second).isEmpty)
        #expect(monitor.received(.ping(), now: 11 * Self.second).isEmpty)
    }
}
