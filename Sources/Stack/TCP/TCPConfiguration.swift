import Simulation

/// RFC 1122 §4.2.3.6 keepalive: after `idle` without traffic, a probe every `interval`,
/// giving up after `probes` unanswered probes.
public struct TCPKeepalive: Sendable, Hashable {
    public var idle: VirtualDuration
    public var interval: VirtualDuration
    public var probes: Int

    public init(idle: VirtualDuration, interval: VirtualDuration, probes: Int) {
        self.idle = idle
        self.interval = interval
        self.probes = probes
    }

    /// Linux's `tcp_keepalive_time`, `tcp_keepalive_intvl`, `tcp_keepalive_probes`: 7200 s, 75 s, 9.
    public static let linuxDefaults = TCPKeepalive(idle: .seconds(7200), interval: .seconds(75), probes: 9)
}

/// Deliberate protocol bugs, so a learner (or the invariant checker) can see what each rule is for.
public struct TCPAblations: OptionSet, Sendable, Hashable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Never retransmit: no RTO, no fast retransmit, no SYN retries.
    public static let noRetransmission = TCPAblations(rawValue: 1 << 0)
    /// Skip TIME-WAIT: the active closer goes straight to CLOSED.
    public static let noTimeWait = TCPAblations(rawValue: 1 << 1)
    /// Acknowledge one octet too many (`SEG.ACK = RCV.NXT + 1`).
    public static let ackOffByOne = TCPAblations(rawValue: 1 << 2)
    /// Send as much as the congestion window allows, ignoring the peer's receive window.
    public static let ignoreReceiveWindow = TCPAblations(rawValue: 1 << 3)
    /// Skip the sequence-number acceptability test (RFC 9293 §3.10.7.4 first check), RSTs included.
    public static let acceptOutOfWindow = TCPAblations(rawValue: 1 << 4)
    /// Use 0 as the initial sequence number instead of the one the host chose.
    public static let zeroISN = TCPAblations(rawValue: 1 << 5)
    /// Ignore duplicate ACKs: recover from loss by RTO only.
    public static let noFastRetransmit = TCPAblations(rawValue: 1 << 6)
    /// The data sender ignores the SACK blocks it receives: NewReno recovery even with `sackRecovery`.
    public static let sackIgnored = TCPAblations(rawValue: 1 << 7)
}

/// Everything that differs between stacks: the textbook and Linux profiles.
public struct TCPConfiguration: Sendable, Hashable {
    /// The MSS we advertise in our SYN (RFC 9293 §3.7.1).
    public var mss: Int
    /// Offer RFC 7323 timestamps.
    public var offersTimestamps: Bool
    /// Offer SACK-permitted (RFC 2018); once negotiated, pure ACKs report out-of-order blocks.
    public var offersSACKPermitted: Bool
    /// Once SACK is negotiated, the data sender keeps a scoreboard of the blocks it receives and
    /// recovers from loss by RFC 6675 (conservative SACK-based loss recovery: retransmit every hole
    /// the blocks show lost, in one round trip); otherwise by NewReno (RFC 6582), one hole per round trip.
    public var sackRecovery: Bool
    /// The window-scale shift we offer (RFC 7323 §2); nil offers none.
    public var windowScale: UInt8?
    public var receiveBufferSize: Int
    public var sendBufferSize: Int
    /// How much of the receive buffer is window (all of it, or Linux's half) and what a SYN offers.
    public var receiveWindowRule: TCPReceiveWindowRule
    /// RFC 6298 §2.1: 1 s.
    public var initialRTO: VirtualDuration
    public var minimumRTO: VirtualDuration
    public var maximumRTO: VirtualDuration
    /// SYN (or SYN,ACK) retransmissions before the open times out.
    public var synRetries: Int
    /// Data retransmissions (RTO backoffs) without progress before the connection times out.
    public var dataRetries: Int
    /// Maximum segment lifetime; TIME-WAIT lasts 2×MSL.
    public var msl: VirtualDuration
    /// Longest delay of an ACK (RFC 1122 §4.2.3.2); nil acknowledges every segment at once.
    public var delayedACK: VirtualDuration?
    /// Segments acknowledged at once at the start of a connection (Linux quick-ack mode).
    public var quickACKSegments: Int
    /// Which rule times ACKs: RFC 1122's, or Linux's adaptive one (`delayedACK` is then its
    /// 40 ms `TCP_ATO_MIN` and `quickACKSegments` its `TCP_MAX_QUICKACKS`).
    public var ackModel: TCPACKModel
    /// An abort's reset (and a keepalive timeout's) also carries ACK, RCV.NXT and the window, as
    /// Linux's `tcp_send_active_reset` sends it; otherwise `<SEQ=SND.NXT><CTL=RST>` (RFC 9293 §3.10.5).
    public var resetCarriesACK: Bool
    /// Send a reset when data retransmissions give up (the textbook's choice); Linux's
    /// `tcp_write_err` closes the connection silently.
    public var resetsOnRetransmissionGiveUp: Bool
    /// When the retransmission timer fires while the peer's window is zero (it took back window it
    /// had offered, with data in flight), send the first segment anyway, as Linux does; otherwise
    /// the timer only goes back to SND.UNA and the persist timer probes the window.
    public var retransmitsIntoZeroWindow: Bool
    /// Start each connection's timestamp clock (`TSval`) and IP identification at a number drawn
    /// for the connection, as Linux does (`tcp_timestamps` = 1: a random `tsoffset` per connection
    /// since 4.10; `inet_id` from a random start, a SYN,ACK's 0); otherwise TSval counts from 1 and
    /// the IP ID from 1 per host, easier to read on a diagram.
    public var perConnectionRandomNumbers: Bool
    /// RFC 896 Nagle algorithm.
    public var nagle: Bool
    /// Nagle as Linux applies it, Minshall's variant (`tcp_minshall_check`): a short segment waits
    /// only while an earlier short segment is unacknowledged, so the tail of a write may follow full
    /// segments still in flight; otherwise (RFC 896) it waits while anything is in flight.
    public var minshallNagle: Bool
    /// A segment that carries the FIN leaves whatever Nagle says, with the data queued before it,
    /// as Linux's does (`tcp_nagle_test` passes a FIN; `tcp_send_fin` pushes with `TCP_NAGLE_OFF`);
    /// otherwise a last short segment waits for the ACK of what is in flight, FIN and all.
    public var finPassesNagle: Bool
    /// Set PSH on the segment that carries the last octet of each write, as Linux does (`tcp_push`
    /// marks the tail of each `sendmsg`); otherwise only on the segment that empties the send queue.
    public var pushAtWriteEnds: Bool
    /// Also set PSH on a full segment that ends more than half the largest window past the last
    /// octet pushed, and on the data a window probe sends, as Linux does (`forced_push` and
    /// `tcp_mark_push` in `tcp_sendmsg`, `tcp_write_wakeup`).
    public var pushesEveryHalfWindow: Bool
    /// Cut segments to at most half the largest window the peer offered when that is below the MSS
    /// (Linux's `tcp_bound_to_half_wnd`); otherwise segments are a full MSS whatever the window.
    public var boundsSegmentsToHalfWindow: Bool
    /// Send a tail loss probe (RFC 8985 §7) once SACK is negotiated: when a flight goes
    /// unacknowledged for about two round trips, send the next new segment or the last one again, so
    /// that a lost tail is repaired by SACK recovery instead of an RTO (Linux `tcp_early_retrans` = 3).
    public var tailLossProbe: Bool
    /// Report duplicate segments in the first SACK block of the next ACK, a D-SACK (RFC 2883), once
    /// SACK is negotiated (Linux `tcp_dsack` = 1).
    public var reportsDuplicateSACK: Bool
    /// At most one ACK per this interval answers segments without data that fall outside the window
    /// (Linux's `tcp_invalid_ratelimit`, 500 ms, in `tcp_oow_rate_limited`); nil answers every one,
    /// as RFC 9293 §3.10.7.4 says.
    public var outOfWindowACKInterval: VirtualDuration?
    /// The receiver queues the sender's own packet, as on `lo`: a clone of the one the sender keeps
    /// for retransmission. Under `TCPReceiveWindowRule.linux` an in-order packet joins the tail of
    /// the receive queue (`tcp_try_coalesce`) and costs only its payload, but `skb_try_coalesce`
    /// refuses a cloned tail: here the tail takes more only once its octets were acknowledged (the
    /// sender has freed its copy); until then each packet costs its whole truesize.
    public var receivesSendersPackets = false
    /// Keepalive; nil (the default) is off.
    public var keepalive: TCPKeepalive?
    /// Initial congestion window in segments; nil uses RFC 5681's min(4×MSS, max(2×MSS, 4380)).
    public var initialWindowSegments: Int?
    /// Clock granularity G of RFC 6298.
    public var clockGranularity: VirtualDuration
    public var ablations: TCPAblations

    public init(
        mss: Int = 1460, offersTimestamps: Bool = false, offersSACKPermitted: Bool = false, sackRecovery: Bool = false,
        windowScale: UInt8? = nil,
        receiveBufferSize: Int = 65535, sendBufferSize: Int = 65535,
        receiveWindowRule: TCPReceiveWindowRule = .wholeBuffer,
        initialRTO: VirtualDuration = .seconds(1), minimumRTO: VirtualDuration = .seconds(1),
        maximumRTO: VirtualDuration = .seconds(60), synRetries: Int = 5, dataRetries: Int = 12,
        msl: VirtualDuration = .seconds(30), delayedACK: VirtualDuration? = nil, quickACKSegments: Int = 0,
        ackModel: TCPACKModel = .rfc1122, resetCarriesACK: Bool = false, resetsOnRetransmissionGiveUp: Bool = true,
        retransmitsIntoZeroWindow: Bool = false, perConnectionRandomNumbers: Bool = false, nagle: Bool = true,
        minshallNagle: Bool = false, finPassesNagle: Bool = false, pushAtWriteEnds: Bool = false,
        pushesEveryHalfWindow: Bool = false, boundsSegmentsToHalfWindow: Bool = false,
        tailLossProbe: Bool = false, reportsDuplicateSACK: Bool = false,
        outOfWindowACKInterval: VirtualDuration? = nil, keepalive: TCPKeepalive? = nil, initialWindowSegments: Int? = nil,
        clockGranularity: VirtualDuration = .milliseconds(1), ablations: TCPAblations = []
    ) {
        self.mss = mss
        self.offersTimestamps = offersTimestamps
        self.offersSACKPermitted = offersSACKPermitted
        self.sackRecovery = sackRecovery
        self.windowScale = windowScale
        self.receiveBufferSize = receiveBufferSize
        self.sendBufferSize = sendBufferSize
        self.receiveWindowRule = receiveWindowRule
        self.initialRTO = initialRTO
        self.minimumRTO = minimumRTO
        self.maximumRTO = maximumRTO
        self.synRetries = synRetries
        self.dataRetries = dataRetries
        self.msl = msl
        self.delayedACK = delayedACK
        self.quickACKSegments = quickACKSegments
        self.ackModel = ackModel
        self.resetCarriesACK = resetCarriesACK
        self.resetsOnRetransmissionGiveUp = resetsOnRetransmissionGiveUp
        self.perConnectionRandomNumbers = perConnectionRandomNumbers
        self.retransmitsIntoZeroWindow = retransmitsIntoZeroWindow
        self.nagle = nagle
        self.minshallNagle = minshallNagle
        self.finPassesNagle = finPassesNagle
        self.pushAtWriteEnds = pushAtWriteEnds
        self.pushesEveryHalfWindow = pushesEveryHalfWindow
        self.boundsSegmentsToHalfWindow = boundsSegmentsToHalfWindow
        self.tailLossProbe = tailLossProbe
        self.reportsDuplicateSACK = reportsDuplicateSACK
        self.outOfWindowACKInterval = outOfWindowACKInterval
        self.keepalive = keepalive
        self.initialWindowSegments = initialWindowSegments
        self.clockGranularity = clockGranularity
        self.ablations = ablations
    }

    /// The RFCs as written: MSS 1460 and no other option, no delayed ACK, MSL 30 s, RTO 1 s to 60 s,
    /// five SYN retries (backoff 1, 2, 4, 8, 16 s), RFC 5681 initial window.
    public static var textbook: TCPConfiguration { TCPConfiguration() }

    /// Linux defaults: MSS = MTU − 40, timestamps, SACK-permitted and window scale 10 offered (the
    /// shift that fits `tcp_rmem`'s 32 MiB maximum in 16 bits), a 128 KiB receive buffer of which half is
    /// window at first (SYN windows 65495 and 65483 on loopback) and which Linux's accounting then
    /// sizes (`TCPLinuxReceiveWindow`), segments of at most half the peer's largest window, Linux's
    /// adaptive delayed ACK (40 ms ato, up
    /// to 16 quick ACKs, ping-pong mode), RTO 200 ms to 120 s, TIME-WAIT 60 s, six SYN retries,
    /// fifteen data retries, initial window 10 segments, SACK-based loss recovery (RFC 6675; Linux
    /// adds RACK, which is not modelled) with a tail loss probe (RFC 8985 §7), D-SACK (RFC 2883),
    /// and at most one ACK per 500 ms for out-of-window segments without data.
    public static func linux(mtu: Int = 65536) -> TCPConfiguration {
        TCPConfiguration(
            mss: min(mtu - 40, 65535), offersTimestamps: true, offersSACKPermitted: true, sackRecovery: true,
            windowScale: 10,
            receiveBufferSize: 131_072, sendBufferSize: 262_144, receiveWindowRule: .linux,
            initialRTO: .seconds(1), minimumRTO: .milliseconds(200), maximumRTO: .seconds(120),
            synRetries: 6, dataRetries: 15, msl: .seconds(30), delayedACK: .milliseconds(40), quickACKSegments: 16,
            ackModel: .linux, resetCarriesACK: true, resetsOnRetransmissionGiveUp: false,
            retransmitsIntoZeroWindow: true, perConnectionRandomNumbers: true, nagle: true, minshallNagle: true, finPassesNagle: true,
            pushAtWriteEnds: true, pushesEveryHalfWindow: true,
            boundsSegmentsToHalfWindow: true, tailLossProbe: true, reportsDuplicateSACK: true,
            outOfWindowACKInterval: .milliseconds(500), keepalive: nil, initialWindowSegments: 10)
    }
}
