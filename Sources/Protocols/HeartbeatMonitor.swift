/// Application-level liveness for a long connection, sans I/O: when to PING, and when to give
/// the peer up for dead.
///
/// TCP alone notices a vanished peer (an unplugged cable, no FIN) only when it next sends, or
/// after keepalive's default idle time of two hours; heartbeats notice within a few intervals.
///
/// The rule, exactly (k = `missLimit`, T = `interval`): the glue calls `tick(now:)` when
/// `nextTick` is reached; ticks fall on the grid `start + n·T` (n ≥ 0, so the first tick, at the
/// start, sends the first PING and even k = 1 gives the peer one interval to answer). At each
/// tick the peer is declared dead if `now − lastHeard ≥ k·T`, where `lastHeard` is the time of the
/// last frame of any kind received (or `start`); otherwise a PING is sent. Because ticks are T
/// apart, the peer is declared dead at the first tick at least k·T after its last sign of life:
/// between k·T (inclusive) and (k+1)·T (exclusive) after it, and exactly k·T after it when the
/// last sign of life fell on a tick. With T = 1 s and k = 3, a peer last heard at 2.5 s is
/// declared dead at 6 s. A live peer answers each PING with a PONG within the round-trip time,
/// so it is never declared dead while RTT < T. Once dead, the monitor stays dead and does
/// nothing more.
public struct HeartbeatMonitor: Sendable {
    /// What the glue must do.
    public enum Action: Sendable, Hashable {
        /// Send this frame to the peer (a PING on a tick, a PONG answering a PING).
        case send(HeartbeatFrame)
        /// The peer showed no sign of life for `missLimit` intervals: tear the connection down.
        case peerDead(lastHeard: Int64, now: Int64)
    }

    /// T, the time between ticks, in nanoseconds.
    public let interval: Int64
    /// k, the number of silent intervals after which the peer is declared dead.
    public let missLimit: Int
    /// The time of the last frame received from the peer (or the start).
    public private(set) var lastHeard: Int64
    /// When the glue must next call `tick(now:)`.
    public private(set) var nextTick: Int64
    /// Whether the peer has been declared dead.
    public private(set) var isPeerDead = false
    private var pingsSent: UInt64 = 0

    /// A monitor started at `now`, ticking every `interval` nanoseconds (> 0) from `now` on,
    /// declaring the peer dead after `missLimit` (≥ 1) silent intervals. Call `tick(now:)` at
    /// once: the first tick is due at the start.
    public init(interval: Int64, missLimit: Int, now: Int64) {
        precondition(interval > 0, "heartbeat interval must be positive")
        precondition(missLimit >= 1, "heartbeat miss limit must be at least 1")
        self.interval = interval
        self.missLimit = missLimit
        self.lastHeard = now
        self.nextTick = now
    }

    /// The silence after which a tick declares the peer dead: `missLimit · interval`.
    public var deadAfter: Int64 {
        interval.multipliedReportingOverflow(by: Int64(missLimit)).overflow ? Int64.max : interval * Int64(missLimit)
    }

    /// The timer fired. Does nothing before `nextTick`; a late call acts once and moves `nextTick`
    /// to the next grid point after `now`.
    public mutating func tick(now: Int64) -> [Action] {
        guard !isPeerDead, now >= nextTick else { return [] }
        nextTick += interval * ((now - nextTick) / interval + 1)
        if now - lastHeard >= deadAfter {
            isPeerDead = true
            return [.peerDead(lastHeard: lastHeard, now: now)]
        }
        pingsSent += 1
        let sequence = (0..<8).map { UInt8(truncatingIfNeeded: pingsSent >> (56 - 8 * UInt64($0))) }
        return [.send(.ping(sequence))]
    }

    /// A frame arrived from the peer: it is alive; a PING is answered with a PONG echoing its payload.
    public mutating func received(_ frame: HeartbeatFrame, now: Int64) -> [Action] {
        guard !isPeerDead else { return [] }
        lastHeard = max(lastHeard, now)
        switch frame.kind {
        case .ping: return [.send(.pong(frame.payload))]
        case .pong, .data: return []
        }
    }
}
