import Simulation
import Tracing
import Wire

/// One TCP connection as a pure state machine (RFC 9293 §3.10): events in, `TCPAction`s out.
///
/// The host calls `listen`, `connect`, `send`, `read`, `close`, `abort` for the application,
/// `segmentArrives` for each segment addressed to this connection, and `timerFires` when a timer
/// it was asked to run expires. Time is passed in; nothing here reads a clock.
public struct TCPConnection: Sendable {
    public let configuration: TCPConfiguration
    public let local: TCPEndpoint
    public internal(set) var remote: TCPEndpoint?
    public internal(set) var state: TCPState = .closed

    // MARK: Send sequence variables (RFC 9293 §3.3.1)

    /// `ISS`: our initial sequence number.
    public internal(set) var iss: SequenceNumber
    /// `SND.UNA`: oldest unacknowledged sequence number.
    public internal(set) var sndUNA: SequenceNumber
    /// `SND.NXT`: next sequence number to send (moves back to `SND.UNA` after an RTO).
    public internal(set) var sndNXT: SequenceNumber
    /// The highest `SND.NXT` so far: anything below it that is sent again is a retransmission.
    public internal(set) var sndMax: SequenceNumber
    /// `SND.WND`: the peer's receive window in octets (already scaled).
    public internal(set) var sndWND: Int = 0
    var sndWL1 = SequenceNumber(0)
    var sndWL2 = SequenceNumber(0)
    var maxSndWND = 0
    /// The window (scaled) of the last acceptable incoming ACK, for RFC 5681 §2 (e).
    var lastIncomingWindow: Int?

    // MARK: Receive sequence variables

    /// `IRS`: the peer's initial sequence number.
    public internal(set) var irs = SequenceNumber(0)
    /// `RCV.NXT`: next sequence number expected.
    public internal(set) var rcvNXT = SequenceNumber(0)
    /// The right edge of the window we last advertised; it never moves left (RFC 9293 §3.8.6.2.2).
    var rcvAdvertisedEdge = SequenceNumber(0)
    /// The window our own SYN offered (an active open), which the edge starts from.
    var sentSYNWindow: UInt16?

    // MARK: Negotiated options

    var peerMSS: Int? {
        didSet { effectiveMSS = Self.sendMSS(peerMSS: peerMSS, ourMSS: configuration.mss, timestamps: timestampsEnabled) }
    }
    var sndScale: UInt8 = 0
    var rcvScale: UInt8 = 0
    public internal(set) var timestampsEnabled = false {
        didSet { effectiveMSS = Self.sendMSS(peerMSS: peerMSS, ourMSS: configuration.mss, timestamps: timestampsEnabled) }
    }
    public internal(set) var sackPermitted = false
    var windowScalingEnabled = false
    var tsRecent: UInt32 = 0

    // MARK: Queues

    var sendBuffer = TCPByteQueue()
    /// The sequence number of `sendBuffer`'s first octet.
    var sendBufferStart: SequenceNumber
    var receiveBuffer = TCPByteQueue()
    var reassembly = TCPReassemblyQueue()
    /// SACK blocks to report (RFC 2018 §4), the most recently changed first.
    var sackBlocks: [SACKBlock] = []
    /// Where each write not yet acknowledged ends (the sequence number after its last octet), under
    /// `pushAtWriteEnds`: the segment that carries such an end has PSH.
    var writeEnds: [SequenceNumber] = []
    /// CLOSE was called: a FIN follows the queued data.
    var finQueued = false
    /// LISTEN → SYN-RECEIVED (so a RST returns to LISTEN).
    var passiveOpen = false
    /// The peer's SYN has been accepted (`IRS` and `RCV.NXT` are set).
    var receivedSYN = false

    // MARK: Timing, congestion, acknowledgments

    var rtoEstimator: TCPRTOEstimator
    var timedSegment: (sequence: SequenceNumber, sentAt: VirtualTime)?
    /// Total segments sent again (for panels and tests).
    public internal(set) var retransmissionCount = 0
    /// RTO expiries since the last forward progress.
    var consecutiveTimeouts = 0
    var congestionControl: TCPCongestionControl
    /// What the peer's SACK blocks report (RFC 6675 §3), kept under `usesSACKRecovery`.
    var sackScoreboard = TCPSACKScoreboard()
    /// HighRxt and RescueRxt of the current (or last) RFC 6675 recovery phase.
    var sackRecovery = TCPSACKRecovery(highRetransmitted: SequenceNumber(0), rescueRetransmitted: SequenceNumber(0))
    var retransmitReason: TCPRetransmission?
    /// The tail loss probe's state (RFC 8985 §7), under `tailLossProbe`.
    var tailLossProbe: TCPTailLossProbe
    /// The D-SACK (RFC 2883) the next ACK reports first: a duplicate segment that arrived.
    var duplicateSACK: SACKBlock?
    /// When an out-of-window segment without data was last answered, under `outOfWindowACKInterval`.
    var lastOutOfWindowACK: VirtualTime?
    var ackNeeded = false
    var unacknowledgedSegments = 0
    var quickACKsLeft: Int
    /// RFC 896 Nagle: the configuration's until the application sets `TCP_NODELAY`.
    var nagle: Bool
    /// The end of the last new segment shorter than the segment size then (`snd_sml`), for
    /// `minshallNagle`.
    var shortSegmentEnd: SequenceNumber
    /// The end of the last segment sent with PSH (`pushed_seq`), for `pushesEveryHalfWindow`.
    var pushedSequence: SequenceNumber
    /// Linux's delayed-ACK state (used under `TCPACKModel.linux`).
    var linuxACK: TCPLinuxACK
    /// `SO_SNDBUF` and `SO_RCVBUF` as the application set them (see `setBufferSize`).
    var sendBufferOverride: Int?
    var receiveBufferOverride: Int?
    /// Added to every `TSval` (`perConnectionRandomNumbers`; Linux's `tsoffset`).
    let timestampOffset: UInt32
    /// Linux's receive-buffer accounting, under `TCPReceiveWindowRule.linux` once the peer's SYN is in.
    var linuxWindow: TCPLinuxReceiveWindow?
    /// Whether `linuxWindow` is in use, tested without copying it: `linuxWindow != nil` went through
    /// the unspecialised generic comparison, which copied and destroyed the whole window (its
    /// queue array retained and released) at every segment: ~360 instructions a packet of workload
    /// A, where the window is not even used (callgrind).
    var usesLinuxWindow: Bool {
        if case .some = linuxWindow { true } else { false }
    }
    /// `RCV.NXT` when we last sent an ACK (Linux's `rcv_wup`).
    var rcvWUP = SequenceNumber(0)
    var persistBackoff = 0
    var lastReceived = VirtualTime.zero
    /// Keepalive timings: the configuration's until the application sets its own (`SO_KEEPALIVE`).
    public internal(set) var keepalive: TCPKeepalive?
    var keepaliveProbesSent = 0
    var timerDeadlines: [VirtualTime?] = Array(repeating: nil, count: TCPTimer.allCases.count)
    /// Where the machine's helpers append actions during a call (see `exchangeActions`); empty between calls.
    var actions = TCPActionList()

    public init(configuration: TCPConfiguration, local: TCPEndpoint, remote: TCPEndpoint?,
                initialSequenceNumber: SequenceNumber) {
        self.configuration = configuration
        self.local = local
        self.remote = remote
        let iss = configuration.ablations.contains(.zeroISN) ? SequenceNumber(0) : initialSequenceNumber
        self.iss = iss
        timestampOffset = configuration.perConnectionRandomNumbers ? Self.perConnectionNumber(iss, salt: 0) : 0
        sndUNA = iss
        sndNXT = iss
        sndMax = iss
        sendBufferStart = iss + 1
        rtoEstimator = TCPRTOEstimator(
            initial: configuration.initialRTO, minimum: configuration.minimumRTO,
            maximum: configuration.maximumRTO, granularity: configuration.clockGranularity)
        congestionControl = TCPCongestionControl(
            smss: min(536, configuration.mss), initialWindowSegments: configuration.initialWindowSegments, iss: iss)
        quickACKsLeft = configuration.quickACKSegments
        nagle = configuration.nagle
        shortSegmentEnd = iss
        tailLossProbe = TCPTailLossProbe(lastSegmentStart: iss)
        pushedSequence = iss + 1
        linuxACK = TCPLinuxACK(atoMinimum: configuration.delayedACK ?? .milliseconds(40),
                               maximumQuickACKs: configuration.quickACKSegments, ourMSS: configuration.mss)
        keepalive = configuration.keepalive
        effectiveMSS = Self.sendMSS(peerMSS: nil, ourMSS: configuration.mss, timestamps: false)
    }

    // MARK: Read-only state for panels and invariant checks

    /// `RCV.WND`: octets we accept beyond `RCV.NXT`, as last advertised.
    public var rcvWND: Int { max(0, Int(rcvAdvertisedEdge - rcvNXT)) }
    /// The send MSS: min(peer's MSS option or 536, our MSS), less 12 octets when timestamps are on.
    /// Kept, not computed when read: it is read several times a packet, and changes only when the
    /// options it depends on do (~20 instructions a packet; callgrind, workload A).
    public private(set) var effectiveMSS = 1

    /// `effectiveMSS` from what it depends on.
    static func sendMSS(peerMSS: Int?, ourMSS: Int, timestamps: Bool) -> Int {
        max(1, min(peerMSS ?? 536, ourMSS) - (timestamps ? 12 : 0))
    }
    public var cwnd: Int { congestionControl.cwnd }
    public var ssthresh: Int { congestionControl.ssthresh }
    public var inFastRecovery: Bool { congestionControl.inFastRecovery }
    /// RFC 6675 SACK-based loss recovery is in progress.
    public var inSACKRecovery: Bool { congestionControl.inSACKRecovery }
    public var srtt: VirtualDuration? { rtoEstimator.srtt }
    public var rttvar: VirtualDuration? { rtoEstimator.rttvar }
    public var rto: VirtualDuration { rtoEstimator.rto }
    /// Octets sent and not yet acknowledged (`SND.NXT − SND.UNA`).
    public var bytesInFlight: Int { Int(sndNXT - sndUNA) }
    /// The variables a trace records (RFC 9293 §3.3.1 names), as they stand now.
    public var variables: TCPVariables {
        TCPVariables(iss: iss.rawValue, irs: irs.rawValue, sndUNA: sndUNA.rawValue, sndNXT: sndNXT.rawValue,
                     sndWND: sndWND, rcvNXT: rcvNXT.rawValue, rcvWND: rcvWND, cwnd: cwnd, ssthresh: ssthresh,
                     srtt: srtt?.nanoseconds, rto: rto.nanoseconds, bytesInFlight: bytesInFlight)
    }
    public var sendQueueCount: Int { sendBuffer.count }
    /// The send buffer's size: the configuration's until the application sets its own (`SO_SNDBUF`).
    public var sendBufferSize: Int { sendBufferOverride ?? configuration.sendBufferSize }
    /// The receive buffer's size: the configuration's until the application sets its own (`SO_RCVBUF`).
    public var receiveBufferSize: Int { linuxWindow?.buffer ?? receiveBufferOverride ?? configuration.receiveBufferSize }
    public var receiveQueueCount: Int { receiveBuffer.count }
    /// Octets held out of order, waiting for a gap to be filled.
    public var outOfOrderCount: Int { reassembly.byteCount }
    /// The peer's and our window-scale shifts, once negotiated (RFC 7323).
    public var windowScales: (send: UInt8, receive: UInt8)? { windowScalingEnabled ? (sndScale, rcvScale) : nil }
    /// Running timers and their deadlines, in `TCPTimer.allCases` order.
    public var runningTimers: [(timer: TCPTimer, deadline: VirtualTime)] {
        TCPTimer.allCases.compactMap { timer in timerDeadlines[timer.index].map { (timer, $0) } }
    }
    public func deadline(of timer: TCPTimer) -> VirtualTime? { timerDeadlines[timer.index] }

    // MARK: Plumbing

    /// Every state change goes through here and is reported as `A → B` with its cause.
    mutating func setState(_ next: TCPState, cause: StateChangeCause) {
        guard next != state else { return }
        actions.append(.stateChanged(from: state, to: next, cause: cause))
        state = next
    }

    mutating func setTimer(_ timer: TCPTimer, at deadline: VirtualTime) {
        guard timerDeadlines[timer.index] != deadline else { return }
        timerDeadlines[timer.index] = deadline
        actions.append(.setTimer(timer, at: deadline))
    }

    mutating func cancelTimer(_ timer: TCPTimer) {
        guard timerDeadlines[timer.index] != nil else { return }
        timerDeadlines[timer.index] = nil
        actions.append(.cancelTimer(timer))
    }

    func isRunning(_ timer: TCPTimer) -> Bool { timerDeadlines[timer.index] != nil }

    /// Makes `buffer` the list the machine appends its actions to, for the `into:` variants of the
    /// calls: call it once before the work and once after, which hands the actions back in
    /// `buffer` (and leaves `actions` empty again). The host passes the same few buffers again
    /// and again, so carrying out a segment allocates no action array; returning a fresh array
    /// from every call cost an allocation and its growth per call.
    mutating func exchangeActions(with buffer: inout TCPActionList) {
        swap(&actions, &buffer)
    }

    /// Enters CLOSED from anywhere: stops every timer, reports the error if any, then `closed`.
    mutating func enterClosed(cause: StateChangeCause, error: TCPError? = nil) {
        for timer in TCPTimer.allCases { cancelTimer(timer) }
        setState(.closed, cause: cause)
        if let error { actions.append(.failed(error)) }
        actions.append(.closed)
    }

    mutating func reportCongestion(_ reason: CongestionReason) {
        actions.append(.congestion(cwnd: congestionControl.cwnd, ssthresh: congestionControl.ssthresh, reason: reason))
    }

    /// A synchronized pair's one side, for fixtures and property tests: ESTABLISHED without a handshake.
    ///
    /// Options are as negotiated by two endpoints with `configuration` (MSS `peerMSS`, window scale and
    /// timestamps when the configuration offers them).
    public static func established(
        configuration: TCPConfiguration, local: TCPEndpoint, remote: TCPEndpoint,
        iss: SequenceNumber, irs: SequenceNumber, peerWindow: Int, peerMSS: Int, now: VirtualTime = .zero
    ) -> TCPConnection {
        var connection = TCPConnection(configuration: configuration, local: local, remote: remote,
                                       initialSequenceNumber: iss)
        connection.state = .established
        connection.sndUNA = connection.iss + 1
        connection.sndNXT = connection.sndUNA
        connection.sndMax = connection.sndUNA
        connection.irs = irs
        connection.receivedSYN = true
        connection.rcvNXT = irs + 1
        connection.rcvWUP = connection.rcvNXT
        connection.peerMSS = peerMSS
        if let shift = configuration.windowScale {
            connection.windowScalingEnabled = true
            connection.sndScale = shift
            connection.rcvScale = shift
        }
        connection.timestampsEnabled = configuration.offersTimestamps
        connection.sackPermitted = configuration.offersSACKPermitted
        connection.sndWND = peerWindow
        connection.maxSndWND = peerWindow
        connection.lastIncomingWindow = peerWindow
        connection.sndWL1 = irs
        connection.sndWL2 = connection.sndUNA
        connection.rcvAdvertisedEdge = connection.rcvNXT + UInt32(min(connection.receiveWindowSpace,
                                                                       65535 << connection.rcvScale))
        connection.congestionControl.start(smss: connection.effectiveMSS,
                                           initialWindowSegments: configuration.initialWindowSegments)
        connection.lastReceived = now
        return connection
    }
}
