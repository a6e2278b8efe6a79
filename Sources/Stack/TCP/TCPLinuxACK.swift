import Simulation

/// Which rule decides when a received segment is acknowledged.
public enum TCPACKModel: Sendable, Hashable {
    /// RFC 1122 §4.2.3.2 and RFC 5681 §4.2 as written: with `delayedACK` set, an ACK at least every
    /// second full segment and at most `delayedACK` late, after `quickACKSegments` immediate ACKs;
    /// without it, every segment at once.
    case rfc1122
    /// Linux's adaptive delayed ACK (`TCPLinuxACK`): quick-ACK mode at the start and after idle,
    /// ping-pong (interactive) mode, an ato that adapts to the arrival rate, the ACK of a FIN delayed
    /// so that the application's close carries it.
    case linux
}

/// Linux's delayed-ACK engine, the state the kernel keeps in `inet_connection_sock.icsk_ack`
/// (net/ipv4/tcp_input.c `tcp_event_data_recv`, `__tcp_ack_snd_check`, `tcp_fin`; tcp_output.c
/// `tcp_send_delayed_ack`, `tcp_event_data_sent`, `tcp_event_ack_sent`; tcp_timer.c
/// `tcp_delack_timer_handler`; tcp.c `tcp_cleanup_rbuf`).
///
/// RFC 9293 §3.8.6.3 and RFC 1122 §4.2.3.2 let a receiver delay an ACK ("SHOULD implement a delayed
/// ACK, but an ACK should not be excessively delayed; in particular, the delay MUST be less than 0.5
/// seconds"). Linux chooses the delay, the ato, per connection:
/// - quick-ACK mode: the first data of a connection (and data after a gap longer than the RTO) is
///   acknowledged at once, for up to 16 segments (fewer when the window holds fewer);
/// - ping-pong mode: when the application answers within the ato of the last data received, the
///   connection is interactive and ACKs wait for the answer (the response carries the ACK of the
///   request); a FIN enters it too, so an application that closes on end-of-file sends FIN,ACK;
/// - the ato starts at 40 ms (`TCP_ATO_MIN`) with the first data, follows the arrival interval,
///   doubles when the delayed-ACK timer fires outside ping-pong mode, and is 0 before any data: a
///   lone ACK of a FIN that comes before any data waits one timer tick only.
struct TCPLinuxACK: Sendable, Hashable {
    /// `TCP_DELACK_MAX` (HZ/5): no ACK waits longer.
    static let delayMaximum = VirtualDuration.milliseconds(200)
    /// The "slow path" bound of `tcp_send_delayed_ack` outside ping-pong mode (HZ/2).
    static let slowPathMaximum = VirtualDuration.milliseconds(500)
    /// One jiffy of the kernel this was measured on (CONFIG_HZ=250): a timer set to fire "now" (an
    /// ato of 0) fires at the next tick, 4 ms later at most.
    static let tick = VirtualDuration.milliseconds(4)
    /// `TCP_PINGPONG_THRESH`: one answer within the ato makes the connection interactive.
    static let pingpongThreshold = 1
    /// `TCP_MSS_DEFAULT`: the first estimate of the peer's segment size (`tcp_initialize_rcv_mss`).
    static let defaultReceiveMSS = 536

    /// `TCP_ATO_MIN` and `TCP_DELACK_MIN`: 40 ms (the profile's `delayedACK`).
    let atoMinimum: VirtualDuration
    /// `TCP_MAX_QUICKACKS`: 16 (the profile's `quickACKSegments`).
    let maximumQuickACKs: Int

    /// `icsk_ack.quick`: immediate ACKs left in quick-ACK mode.
    private(set) var quick = 0
    /// `icsk_ack.pingpong`: answers sent within the ato of the data they follow.
    private(set) var pingpong = 0
    /// `icsk_ack.ato`: the delay of the next delayed ACK; 0 until the first data arrives.
    private(set) var ato = VirtualDuration.zero
    /// `icsk_ack.lrcvtime`: when the last data arrived.
    private(set) var lastDataReceived = VirtualTime.zero
    /// `icsk_ack.rcv_mss`: the peer's segment size as seen so far.
    private(set) var receiveMSS: Int
    /// `ICSK_ACK_PUSHED` / `ICSK_ACK_PUSHED2`: one, then two, segments shorter than `receiveMSS`
    /// arrived since the last ACK.
    private(set) var pushed = 0
    /// `ICSK_ACK_SCHED`: an ACK is owed.
    private(set) var scheduled = false

    init(atoMinimum: VirtualDuration, maximumQuickACKs: Int, ourMSS: Int) {
        self.atoMinimum = atoMinimum
        self.maximumQuickACKs = maximumQuickACKs
        receiveMSS = min(Self.defaultReceiveMSS, ourMSS)
    }

    var inPingpongMode: Bool { pingpong >= Self.pingpongThreshold }
    /// `tcp_in_quickack_mode`: quick ACKs left and not interactive.
    var inQuickACKMode: Bool { quick > 0 && !inPingpongMode }

    /// `tcp_event_data_recv`: `length` octets of in-order data arrived; `window` is the receive
    /// window last advertised (`tp->rcv_wnd`), `ourMSS` the MSS we advertised, `rto` the current RTO.
    mutating func dataReceived(length: Int, window: Int, ourMSS: Int, rto: VirtualDuration, now: VirtualTime) {
        scheduled = true
        measureReceiveMSS(length, ourMSS: ourMSS)
        if ato == .zero {   // the first data: start the engine in quick-ACK mode
            increaseQuickACKs(window: window)
            ato = atoMinimum
        } else {
            let gap = now - lastDataReceived
            if gap <= atoMinimum / 2 {   // "the fastest case is the first"
                ato = ato / 2 + atoMinimum / 2
            } else if gap < ato {
                ato = min(ato / 2 + gap, rto)
            } else if rto < gap {   // idle longer than the RTO: quick-ACK mode again
                increaseQuickACKs(window: window)
            }
        }
        lastDataReceived = now
    }

    /// `tcp_measure_rcv_mss`: a full-size segment raises the estimate; a shorter one is "pushed".
    private mutating func measureReceiveMSS(_ length: Int, ourMSS: Int) {
        if length >= receiveMSS {
            receiveMSS = min(length, ourMSS)
        } else {
            pushed = min(pushed + 1, 2)
        }
    }

    /// `tcp_incr_quickack`: up to window / (2 × rcv_mss) quick ACKs, at least 2, at most 16.
    private mutating func increaseQuickACKs(window: Int) {
        var quickACKs = window / (2 * max(1, receiveMSS))
        if quickACKs == 0 { quickACKs = 2 }
        quick = max(quick, min(quickACKs, maximumQuickACKs))
    }

    /// `tcp_fin` in ESTABLISHED: an ACK is owed, and ping-pong mode lets our own FIN carry it.
    mutating func finReceived() {
        scheduled = true
        pingpong = max(pingpong, Self.pingpongThreshold)
    }

    /// `tcp_enter_quickack_mode`: a duplicate segment says the peer may have missed our ACK. Quick
    /// ACKs again (at least two), not interactive, the ato back at its minimum.
    mutating func enterQuickACKMode(window: Int) {
        increaseQuickACKs(window: window)
        pingpong = 0
        ato = atoMinimum
    }

    /// Something else owes the peer an ACK (`inet_csk_schedule_ack`).
    mutating func schedule() { scheduled = true }

    /// `__tcp_ack_snd_check`: whether the owed ACK goes now. `unacknowledged` is RCV.NXT minus
    /// the RCV.NXT of our last ACK (`rcv_nxt − rcv_wup`); more than a full segment of it is acknowledged
    /// at once only if `windowAdvances` (else the application's read will send the ACK).
    func acknowledgesNow(unacknowledged: Int, windowAdvances: Bool = true) -> Bool {
        (unacknowledged > receiveMSS && windowAdvances) || inQuickACKMode
    }

    /// `tcp_send_delayed_ack`: how long the owed ACK may wait, from the ato bounded by the RTT.
    func delay(srtt: VirtualDuration?) -> VirtualDuration {
        var delay = ato
        if atoMinimum < delay {
            var bound = inPingpongMode || pushed > 0 ? Self.delayMaximum : Self.slowPathMaximum
            if let srtt { bound = min(bound, max(srtt, atoMinimum)) }
            delay = min(delay, bound)
        }
        return max(min(delay, Self.delayMaximum), Self.tick)
    }

    /// `tcp_event_ack_sent` → `tcp_dec_quickack_mode`: an ACK left; one quick ACK is spent if it
    /// was owed, and leaving quick-ACK mode deflates the ato.
    mutating func ackSent() {
        if quick > 0, scheduled {
            quick -= 1
            if quick == 0 { ato = atoMinimum }
        }
        scheduled = false
        pushed = 0
    }

    /// `TCP_QUICKACK` set to 0: the connection counts as interactive (`inet_csk_enter_pingpong_mode`).
    mutating func enterPingpongMode() { pingpong = max(pingpong, Self.pingpongThreshold) }

    /// `TCP_QUICKACK` set to 1 with an ACK owed: marked "pushed", so `readAcknowledges` may send it.
    mutating func markPushed() { if scheduled { pushed = max(pushed, 1) } }

    /// `tcp_event_data_sent`: data leaving within the ato of the last data received is an answer.
    mutating func dataSent(now: VirtualTime) {
        if now - lastDataReceived < ato { pingpong += 1 }
    }

    /// `tcp_delack_timer_handler`: the ACK waited in vain for data to ride on. Outside ping-pong
    /// mode the ato doubles (up to the RTO); in it, the connection stops being interactive.
    mutating func timerFired(rto: VirtualDuration) {
        if inPingpongMode {
            pingpong = 0
            ato = atoMinimum
        } else {
            ato = min(ato * 2, rto)
        }
    }

    /// `tcp_cleanup_rbuf`: after a read that emptied the receive queue, the owed ACK goes at once if
    /// short ("pushed") segments came and the connection is not interactive (two of them: even if
    /// it is), or if more than a full segment is unacknowledged.
    func readAcknowledges(unacknowledged: Int, queueEmpty: Bool) -> Bool {
        guard scheduled else { return false }
        if unacknowledged > receiveMSS { return true }
        return queueEmpty && (pushed >= 2 || (pushed == 1 && !inPingpongMode))
    }
}
