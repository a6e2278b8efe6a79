import Simulation

/// RFC 6298 retransmission-timeout computation: SRTT, RTTVAR, K = 4, clock granularity G,
/// exponential backoff bounded by the maximum, and the configured minimum.
struct TCPRTOEstimator: Sendable {
    private(set) var srtt: VirtualDuration?
    private(set) var rttvar: VirtualDuration?
    /// The current timeout, backoff included.
    private(set) var rto: VirtualDuration
    private let minimum: VirtualDuration
    private let maximum: VirtualDuration
    private let granularity: VirtualDuration

    init(initial: VirtualDuration, minimum: VirtualDuration, maximum: VirtualDuration, granularity: VirtualDuration) {
        rto = min(initial, maximum)
        self.minimum = minimum
        self.maximum = maximum
        self.granularity = granularity
    }

    /// RFC 6298 §2.2 and §2.3: folds one round-trip measurement in and recomputes RTO (clearing backoff).
    mutating func sample(_ r: VirtualDuration) {
        let r = max(r, .zero)
        if let s = srtt, let v = rttvar {
            let delta = VirtualDuration(nanoseconds: abs(s.nanoseconds - r.nanoseconds))
            rttvar = VirtualDuration(nanoseconds: (3 * v.nanoseconds + delta.nanoseconds) / 4)
            srtt = VirtualDuration(nanoseconds: (7 * s.nanoseconds + r.nanoseconds) / 8)
        } else {
            srtt = r
            rttvar = r / 2
        }
        let base = srtt! + max(granularity, rttvar! * 4)
        rto = min(max(base, minimum), maximum)   // §2.4 minimum, §2.5 maximum
    }

    /// RFC 6298 §5.5: doubles RTO, up to the maximum.
    mutating func backOff() {
        rto = min(rto * 2, maximum)
    }

    /// RFC 6298 §5.7: after the SYN was retransmitted and no RTT was measured, start data at 3 s.
    mutating func resetAfterSYNTimeout() {
        if srtt == nil { rto = min(max(.seconds(3), minimum), maximum) }
    }
}
