import Simulation
import Wire

/// Linux's receive buffer and the window it offers from it (net/ipv4/tcp_input.c
/// `tcp_init_buffer_space`, `tcp_measure_rcv_mss`, `tcp_grow_window`, `tcp_rcv_space_adjust`;
/// tcp_output.c `__tcp_select_window`, `tcp_select_window`).
///
/// RFC 9293 §3.8.6.2 leaves the size of the window to the receiver. Linux accounts its receive queue
/// in memory, not octets: each queued packet costs its `truesize` (payload plus the kernel's
/// bookkeeping), and the window is free memory times `scaling_ratio`, the payload-to-truesize ratio
/// of the last full-sized packet. Three quantities bound what is offered:
/// - `rcv_ssthresh`, which starts at the SYN's window and grows with each packet whose overhead is
///   small enough (`tcp_grow_window`) — the window "grows" in a capture, 65483 → 70173 after one
///   1000-octet segment on loopback;
/// - `window_clamp`, the most the buffer could ever offer;
/// - free space: when less than half the buffer is free, the window follows it down and is 0 when
///   less than a segment (or 1/16 of the buffer) is left — a true zero window.
/// The window never shrinks (`tcp_select_window` keeps the right edge), and with window scaling it
/// is rounded up to the scale unit. Dynamic right-sizing (`tcp_rcv_space_adjust`) raises the buffer
/// itself when the application reads more per round trip than the window allowed, unless the
/// application fixed its size (`SO_RCVBUF`).
struct TCPLinuxReceiveWindow: Sendable, Hashable {
    /// `skb->truesize − skb->len` of a packet that arrives over loopback (Linux 6.18: `ss -m` shows
    /// 1832 octets allocated for one queued 1000-octet segment, 20832 for 20000).
    static let packetOverhead = 832
    /// A packet that joins the tail of the receive queue (`tcp_try_coalesce`) costs only its payload,
    /// while the tail has room for its page fragments (`MAX_SKB_FRAGS`, 32 KiB page fragments).
    static let maximumFragments = 17
    static let fragmentSize = 32768
    /// `TCP_DEFAULT_SCALING_RATIO`: 128/256, half the memory is window (`tcp_adv_win_scale` = 1).
    static let defaultScalingRatio = 128
    /// `tcp_rmem[2]`: the most the buffer grows to.
    static let maximumBuffer = 33_554_432
    /// `TCP_INIT_CWND`: the first right-sizing measure is at most this many segments.
    static let initialSegments = 10
    /// `tcp_grow_window` considers packets of at least this many octets.
    static let growthMinimumLength = 128
    /// `SOCK_MIN_RCVBUF`: 2 × (2048 + the size of an sk_buff), rounded as the kernel does.
    static let minimumBuffer = 4608

    /// Our MSS less the options every segment carries (`tp->advmss`).
    let advmss: Int
    /// A packet joins the queue's tail only once the tail was acknowledged
    /// (`TCPConfiguration.receivesSendersPackets`).
    let coalescesOnlyAcknowledgedTail: Bool
    /// The application set the size (`SO_RCVBUF`, `SOCK_RCVBUF_LOCK`): no right-sizing.
    private(set) var locked: Bool
    /// `sk_rcvbuf`.
    private(set) var buffer: Int
    /// `tp->scaling_ratio`, in 1/256.
    private(set) var scalingRatio = defaultScalingRatio
    /// `tp->window_clamp`.
    private(set) var windowClamp: Int
    /// `tp->rcv_ssthresh`.
    private(set) var growthLimit: Int
    /// `tp->rcv_wnd`: the window last offered, in octets, before scaling.
    private(set) var offered: Int
    /// `sk_rmem_alloc`: what the queued packets cost.
    private(set) var allocated = 0
    /// The in-order receive queue as packets: where each ends, what it costs, its page fragments.
    private var queue: [QueuedPacket] = []
    private var queueHead = 0
    /// Out-of-order packets held (each costs its own truesize).
    private var outOfOrderCost = 0
    /// `tp->rcvq_space`: octets the application read in the last measured round trip, and where and
    /// when that measure started.
    private var measuredSpace: Int
    private var measureStart: SequenceNumber
    private var measureTime: VirtualTime

    private struct QueuedPacket: Sendable, Hashable {
        var end: SequenceNumber
        var cost: Int
        var fragments: Int
    }

    /// The state once the handshake is done (`tcp_init_buffer_space`): `synWindow` is what our SYN
    /// (or SYN,ACK) offered, `readFrom` the first sequence number the application will read.
    init(bufferSize: Int, locked: Bool, advmss: Int, synWindow: Int, readFrom: SequenceNumber, now: VirtualTime,
         coalescesOnlyAcknowledgedTail: Bool = false) {
        self.advmss = max(1, advmss)
        self.coalescesOnlyAcknowledgedTail = coalescesOnlyAcknowledgedTail
        self.locked = locked
        buffer = bufferSize
        offered = synWindow
        let fullSpace = Self.window(fromSpace: bufferSize, ratio: Self.defaultScalingRatio)
        // `tcp_app_win` = 31 keeps the whole space; "force reservation of one segment".
        var clamp = max(fullSpace, 4 * self.advmss)
        if clamp > 2 * self.advmss, clamp + self.advmss > fullSpace {
            clamp = max(2 * self.advmss, fullSpace - self.advmss)
        }
        windowClamp = clamp
        growthLimit = min(synWindow, clamp)
        measuredSpace = min(growthLimit, synWindow, Self.initialSegments * self.advmss)
        measureStart = readFrom
        measureTime = now
    }

    /// `tcp_win_from_space`: the window `space` octets of memory hold.
    static func window(fromSpace space: Int, ratio: Int) -> Int { (space * ratio) >> 8 }

    /// `tcp_space`: the window the free memory holds.
    var freeSpace: Int { Self.window(fromSpace: buffer - allocated, ratio: scalingRatio) }
    /// `tcp_full_space`: the window the whole buffer holds.
    var fullSpace: Int { Self.window(fromSpace: buffer, ratio: scalingRatio) }

    /// In-order data of `length` octets ending at `end` was queued; `receiveMSS` is the peer's segment
    /// size as estimated before it (`icsk_ack.rcv_mss`), `acknowledged` the RCV.NXT of our last ACK.
    mutating func inOrderDataQueued(length: Int, end: SequenceNumber, receiveMSS: Int, acknowledged: SequenceNumber) {
        let truesize = length + Self.packetOverhead
        let fragments = max(1, (length + Self.fragmentSize - 1) / Self.fragmentSize)
        if queueHead < queue.count, queue[queue.count - 1].fragments + fragments <= Self.maximumFragments,
           !coalescesOnlyAcknowledgedTail || !(acknowledged < queue[queue.count - 1].end) {
            queue[queue.count - 1].end = end   // coalesced: the packet's head is freed at once
            queue[queue.count - 1].cost += length
            queue[queue.count - 1].fragments += fragments
            allocated += length
        } else {
            queue.append(QueuedPacket(end: end, cost: truesize, fragments: fragments))
            allocated += truesize
        }
        measureScalingRatio(length: length, truesize: truesize, receiveMSS: receiveMSS)
        if length >= Self.growthMinimumLength { grow(length: length) }
    }

    /// Whether in-order data of `length` octets may be queued (`tcp_try_rmem_schedule`): while the
    /// queued packets cost more than the buffer, the kernel first lets a buffer it tunes grow to
    /// what they cost (`tcp_prune_queue`, `tcp_clamp_window`); a buffer the application sized stays,
    /// and the data is dropped unless the queue is empty. A drop makes the next ACK go at once with
    /// a zero window (`ICSK_ACK_NOMEM`), the one case where Linux takes back window it offered.
    mutating func admits(length: Int) -> Bool {
        guard allocated > buffer else { return true }
        if !locked, buffer < Self.maximumBuffer { buffer = min(allocated, Self.maximumBuffer) }
        if allocated > buffer { growthLimit = min(windowClamp, 2 * advmss) }
        guard allocated > buffer, queueHead < queue.count, length > 0 else { return true }
        memoryShort = true
        return false
    }

    /// A drop for want of memory owes the peer a zero window (`ICSK_ACK_NOMEM`).
    private(set) var memoryShort = false

    /// Out-of-order data was held (`tcp_data_queue_ofo`); it is charged until it becomes in order.
    mutating func outOfOrderDataHeld(length: Int) {
        outOfOrderCost += length + Self.packetOverhead
        allocated += length + Self.packetOverhead
    }

    /// Out-of-order data became in order: its charge moves to the in-order queue (queued next).
    mutating func outOfOrderDataReleased() {
        allocated -= outOfOrderCost
        outOfOrderCost = 0
    }

    /// `tcp_measure_rcv_mss`: a packet at least as long as the estimate, but not equal to it,
    /// measures the payload-to-truesize ratio again; a lower ratio lowers the clamp (and the growth
    /// limit with it), a higher one raises the clamp and lets the limit reach the window offered.
    private mutating func measureScalingRatio(length: Int, truesize: Int, receiveMSS: Int) {
        guard length >= receiveMSS, length != receiveMSS else { return }
        let ratio = max(1, (length << 8) / truesize)
        guard ratio != scalingRatio else { return }
        scalingRatio = ratio
        let clamp = max(Self.minimumBuffer / 2, Self.window(fromSpace: buffer, ratio: ratio))
        if clamp < windowClamp {
            growthLimit = min(growthLimit, clamp)
        } else {
            growthLimit = max(min(offered, clamp), growthLimit)
        }
        windowClamp = clamp
        growthLimit = min(growthLimit, windowClamp)
    }

    /// `tcp_grow_window`: raise `rcv_ssthresh` by two segments (at least twice the packet) when the
    /// packet's overhead still fits the window, never past the clamp or the free space. A loopback
    /// packet's payload sits in page fragments with an empty head, which the kernel leaves out of the
    /// truesize it weighs here (`truesize_adjust`), so the overhead always fits.
    private mutating func grow(length: Int) {
        let room = min(windowClamp, freeSpace) - growthLimit
        guard room > 0 else { return }
        growthLimit += min(room, max(2 * advmss, 2 * length))
    }

    /// `SO_RCVBUF`: the application fixed the buffer at `size` octets (already doubled); no more
    /// right-sizing.
    mutating func fixBuffer(size: Int) {
        buffer = size
        locked = true
    }

    /// The application has read everything before `readUpTo`: packets wholly read are freed; then
    /// dynamic right-sizing (`tcp_rcv_space_adjust`) over the round trip `rtt`.
    mutating func read(upTo readUpTo: SequenceNumber, rtt: VirtualDuration?, now: VirtualTime) {
        while queueHead < queue.count, queue[queueHead].end <= readUpTo {
            allocated -= queue[queueHead].cost
            queueHead += 1
        }
        if queueHead == queue.count {
            queue.removeAll(keepingCapacity: true)
            queueHead = 0
        }
        adjustSpace(readUpTo: readUpTo, rtt: rtt, now: now)
    }

    /// `tcp_rcv_space_adjust`: once per round trip, if the application read more than the last
    /// measure, size the buffer for twice that (losses) plus the sender's growth (slow start doubles
    /// its rate each round trip), up to `tcp_rmem[2]`.
    private mutating func adjustSpace(readUpTo: SequenceNumber, rtt: VirtualDuration?, now: VirtualTime) {
        guard let rtt, rtt > .zero, now - measureTime >= rtt / 8 else { return }
        // More than `tcp_rmem[2]` read in one round trip sizes the buffer at its maximum anyway;
        // bounding it keeps the products below far inside Int (sequence distances reach 2^31).
        let copied = min(Int(readUpTo - measureStart), Self.maximumBuffer)
        if copied > measuredSpace {
            if !locked {
                var window = (copied << 1) + 16 * advmss
                window += (window * (copied - measuredSpace) / max(1, measuredSpace)) << 1
                let space = min((window << 8) / scalingRatio, Self.maximumBuffer)
                if space > buffer {
                    buffer = space
                    windowClamp = Self.window(fromSpace: space, ratio: scalingRatio)
                }
            }
            measuredSpace = copied
        }
        measureStart = readUpTo
        measureTime = now
    }

    /// `__tcp_select_window` and `tcp_select_window`: the window to offer now, in octets, given
    /// `current` (the part of the last offer not yet used), `receiveMSS` and the scale `shift`.
    /// Records it as the offer.
    mutating func select(current: Int, receiveMSS: Int, shift: UInt8) -> Int {
        if memoryShort {   // tcp_select_window under ICSK_ACK_NOMEM
            memoryShort = false
            offered = 0
            return 0
        }
        var window = proposal(receiveMSS: receiveMSS, shift: shift)
        let unit = 1 << Int(shift)
        if window < current {   // never shrink the offered window
            window = (current + unit - 1) / unit * unit
        }
        offered = window
        return window
    }

    /// `__tcp_select_window` alone: what the buffer would offer, without the never-shrink rule.
    func proposal(receiveMSS: Int, shift: UInt8) -> Int {
        var free = freeSpace
        let allowed = fullSpace
        let full = min(windowClamp, allowed)
        var mss = receiveMSS
        if mss > full {
            mss = full
            if mss <= 0 { return 0 }
        }
        let unit = 1 << Int(shift)
        if free < full >> 1 {
            free = free / unit * unit
            // Below a segment, or 1/16 of the buffer: offer nothing, before memory runs out.
            if free < allowed >> 4 || free < mss { return 0 }
        }
        free = min(free, growthLimit)
        if shift > 0 { return (free + unit - 1) / unit * unit }
        // Without scaling: a multiple of the MSS, unless the last offer is within a segment of it.
        if offered <= free - mss || offered > free { return free / max(1, mss) * max(1, mss) }
        if mss == full, free > offered + full >> 1 { return free }
        return offered
    }
}
