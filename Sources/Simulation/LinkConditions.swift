/// The impairments of one direction of a link: delay, bandwidth, queueing and faults.
///
/// Every probability is in [0, 1]; 0 (the default) disables the fault and draws no random
/// numbers for it. The defaults describe a perfect link: no delay, infinite bandwidth, no
/// queue limit, no MTU, no faults.
public struct LinkConditions: Hashable, Sendable {
    /// One-way propagation delay, added after serialisation.
    public var delay: VirtualDuration
    /// Maximum jitter: each frame's delay varies uniformly in ±`jitter` (never below zero).
    /// Jitter never reorders frames: a frame's arrival is clamped to be no earlier than the
    /// previous frame's in the same direction (unless that one was deliberately reordered).
    public var jitter: VirtualDuration
    /// Transmission rate in bits per second, or `nil` for infinite (no serialisation delay).
    /// A frame takes `bytes × 8 / bandwidth` seconds to send and frames queue behind each other.
    public var bandwidthBitsPerSecond: Int64?
    /// Drop-tail limit on frames waiting for or undergoing serialisation (reason `queueFull`).
    public var queueLimit: QueueLimit
    /// Largest frame the link carries, in bytes; larger frames are dropped (reason `exceedsMTU`).
    public var mtu: Int?
    /// Independent (Bernoulli) loss probability per frame (reason `loss`).
    public var lossProbability: Double
    /// Bursty loss after the Gilbert–Elliott model (reason `burstLoss`), or `nil`.
    public var burstLoss: GilbertElliott?
    /// Probability that a delivered frame is delivered twice.
    public var duplicationProbability: Double
    /// Probability that a frame is held back by `reorderDelay`, so later frames overtake it.
    public var reorderProbability: Double
    /// The extra delay of a reordered frame.
    public var reorderDelay: VirtualDuration
    /// Probability that one uniformly chosen bit of the frame is flipped.
    public var corruptionProbability: Double
    /// Whether a frame that takes no time to cross (no delay, no serialisation) is delivered
    /// within the sending event, before anything else due at that instant, as Linux's loopback
    /// device hands a packet to the receiving stack inside the sender's system call
    /// (`loopback_xmit` → `netif_rx`, processed when the sender re-enables softirqs). Otherwise it
    /// waits behind the events already due at that instant.
    public var deliversWithinSendingCall = false

    public init(
        delay: VirtualDuration = .zero,
        jitter: VirtualDuration = .zero,
        bandwidthBitsPerSecond: Int64? = nil,
        queueLimit: QueueLimit = .unlimited,
        mtu: Int? = nil,
        lossProbability: Double = 0,
        burstLoss: GilbertElliott? = nil,
        duplicationProbability: Double = 0,
        reorderProbability: Double = 0,
        reorderDelay: VirtualDuration = .milliseconds(5),
        corruptionProbability: Double = 0
    ) {
        precondition(delay >= .zero && jitter >= .zero && reorderDelay >= .zero, "durations must not be negative")
        precondition((bandwidthBitsPerSecond ?? 1) > 0, "bandwidth must be positive")
        self.delay = delay
        self.jitter = jitter
        self.bandwidthBitsPerSecond = bandwidthBitsPerSecond
        self.queueLimit = queueLimit
        self.mtu = mtu
        self.lossProbability = lossProbability
        self.burstLoss = burstLoss
        self.duplicationProbability = duplicationProbability
        self.reorderProbability = reorderProbability
        self.reorderDelay = reorderDelay
        self.corruptionProbability = corruptionProbability
    }

    /// A perfect link.
    public static let ideal = LinkConditions()

    /// How much a direction's transmit queue may hold (including the frame being serialised).
    public enum QueueLimit: Hashable, Sendable {
        case unlimited
        case bytes(Int)
        case packets(Int)
    }

    /// The time to serialise `bytes` at this link's bandwidth, rounded up to a nanosecond.
    public func serialisationTime(bytes: Int) -> VirtualDuration {
        guard let bandwidth = bandwidthBitsPerSecond else { return .zero }
        let bits = Int64(bytes) * 8 * 1_000_000_000
        return .nanoseconds((bits + bandwidth - 1) / bandwidth)
    }
}

/// The Gilbert–Elliott two-state Markov loss model.
///
/// The channel is either *good* or *bad*. Before each frame it moves good→bad with probability
/// `goodToBad` (p) and bad→good with probability `badToGood` (r); the frame is then lost with
/// `lossInGood` or `lossInBad`. In the long run the channel is bad a fraction p/(p+r) of the
/// time, so the mean loss rate is (r·lossInGood + p·lossInBad)/(p+r), and bad periods last
/// 1/r frames on average: losses come in bursts. With lossInGood = 0 and lossInBad = 1 this is
/// the simple Gilbert model. (E. N. Gilbert, "Capacity of a burst-noise channel", 1960;
/// E. O. Elliott, "Estimates of error rates for codes on burst-noise channels", 1963.)
public struct GilbertElliott: Hashable, Sendable {
    public var goodToBad: Double
    public var badToGood: Double
    public var lossInGood: Double
    public var lossInBad: Double

    public init(goodToBad: Double, badToGood: Double, lossInGood: Double = 0, lossInBad: Double = 1) {
        self.goodToBad = goodToBad
        self.badToGood = badToGood
        self.lossInGood = lossInGood
        self.lossInBad = lossInBad
    }

    /// The long-run fraction of frames lost.
    public var stationaryLossRate: Double {
        let total = goodToBad + badToGood
        guard total > 0 else { return lossInGood }
        return (badToGood * lossInGood + goodToBad * lossInBad) / total
    }
}
