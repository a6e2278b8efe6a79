/// A point-to-point, full-duplex link between ends A and B, with impairments per direction.
///
/// Each direction has its own `LinkConditions`, transmit queue, serialiser and Gilbert–Elliott
/// state. Frames are byte arrays (IPv4 packets); a frame arriving at an end is passed to the node
/// attached there (or to a receive closure) from a typed scheduler event (`SchedulerEvent.arrival`).
///
/// Ownership: a link holds the nodes attached to it and the nodes hold their links, so the world
/// that owns both detaches them when it ends (`detachAll`).
///
/// What happens to a frame sent at time `t` (the order of random draws is fixed, so a seed
/// always gives the same run):
/// 1. `sent` is reported; the frame gets the next frame ID.
/// 2. Dropped if the link is down (`linkDown`), `t` lies in a partition (`partitioned`), the
///    frame exceeds the MTU (`exceedsMTU`) or the transmit queue is full (`queueFull`).
/// 3. It occupies the serialiser from max(t, end of previous frame) for bytes×8/bandwidth.
/// 4. Random loss: Bernoulli (`loss`), then Gilbert–Elliott (`burstLoss`). A lost frame still
///    used its serialisation time (it was lost on the wire); the drop is reported at `t`.
/// 5. Arrival = end of serialisation + delay + uniform jitter in ±jitter (at least the end of
///    serialisation), clamped to be no earlier than the previous frame's arrival, so jitter
///    never reorders. With `reorderProbability` the frame is instead held back by
///    `reorderDelay` after that and does not hold back later frames (`reordered`).
/// 6. With `corruptionProbability` one uniformly chosen bit of a copy is flipped (`corrupted`).
/// 7. With `duplicationProbability` a second copy arrives right after the first (`duplicated`).
///    A duplicate costs no bandwidth or queue space (a simplification).
/// 8. On arrival it is dropped if the link is down or partitioned then; otherwise `delivered`.
///    A frame that arrives the instant it was sent, on a link that `deliversWithinSendingCall`,
///    arrives before every other event due then (a loopback device).
///
/// Simplifications: queue occupancy counts frames until their serialisation ends; no
/// propagation-time dependence on frame size; no corruption of more than one bit.
public final class Link {
    /// The link's name, used in every event it reports.
    public let name: String

    /// Receives every event; usually the world's observer.
    @exclusivity(unchecked) public var observer: (any LinkObserver)? {
        didSet { reportsRoutineEvents = observer?.recordsRoutineEvents ?? false }
    }
    /// The observer's `recordsRoutineEvents`, read once when it is set.
    @exclusivity(unchecked) private var reportsRoutineEvents = false

    /// Whether the link is up (see `setUp(_:)`).
    public var isUp: Bool { state.pointee.isUp }

    /// Scheduled partitions, as half-open windows [start, end) of virtual time.
    public var partitions: [Range<VirtualTime>] { state.pointee.partitions }

    private let scheduler: Scheduler
    /// The link's number in the scheduler's registry, which its frames' arrivals carry.
    private var registration: Int32 = -1
    private let random: RandomSource
    /// All mutable state, behind a pointer for the reason given in `Scheduler`'s documentation.
    /// Every access is momentary: none spans a call to an observer or receiver.
    private let state: UnsafeMutablePointer<LinkState>
    /// The two directions' state (`LinkDirection.rawValue` indexes it), behind a pointer of their
    /// own: as an array in `LinkState`, every write to them checked the array's uniqueness, four
    /// times a frame (callgrind, workload A).
    private let directions: UnsafeMutablePointer<DirectionState>

    private struct LinkState {
        var isUp = true
        var partitions: [Range<VirtualTime>] = []
        /// Frame numbers to drop on purpose.
        var scriptedDrops: [UInt64] = []
        var nextFrameID: UInt64 = 1
        var receivers: [Receiver] = [.none, .none]
    }

    /// What is attached at one end.
    private enum Receiver {
        case none
        /// A node's interface: frames go to `node.receive(_:on:)`.
        case node(Node, interface: Int)
        /// A closure (tests, benchmarks).
        case closure(([UInt8]) -> Void)
    }

    /// State of one direction.
    private struct DirectionState {
        var conditions: LinkConditions
        /// The node attached at this direction's destination, also held (strongly) in `receivers`:
        /// called without a retain and release around each frame (callgrind, workload A; an
        /// `unowned(unsafe)` reference was still retained for the call). Its world owns it while
        /// frames arrive, and it is cleared whenever the receiver changes.
        var receivingNode: Unmanaged<Node>?
        var receivingInterface = 0
        /// When the serialiser becomes free.
        var transmitFreeAt: Int64 = 0
        /// Arrival time of the last frame that was not deliberately reordered.
        var lastArrival: Int64 = 0
        /// Frames still occupying the transmit queue: (end of serialisation, bytes), in order.
        var queue: [(end: Int64, bytes: Int)] = []
        var queueHead = 0
        var queuedBytes = 0
        /// Gilbert–Elliott channel state.
        var inBadState = false

        init(conditions: LinkConditions) {
            self.conditions = conditions
        }

        /// Forgets frames whose serialisation has ended by `now`.
        mutating func drainQueue(now: Int64) {
            while queueHead < queue.count && queue[queueHead].end <= now {
                queuedBytes -= queue[queueHead].bytes
                queueHead += 1
            }
            if queueHead >= 1024 && queueHead * 2 >= queue.count {
                queue.removeFirst(queueHead)
                queueHead = 0
            }
        }

        var queuedPackets: Int { queue.count - queueHead }
    }

    /// Creates a link with the same conditions in both directions.
    public init(name: String, conditions: LinkConditions = .ideal, scheduler: Scheduler, random: RandomSource,
                observer: (any LinkObserver)? = nil) {
        self.name = name
        self.scheduler = scheduler
        self.random = random
        self.observer = observer
        reportsRoutineEvents = observer?.recordsRoutineEvents ?? false   // didSet does not run in init
        state = .allocate(capacity: 1)
        state.initialize(to: LinkState())
        directions = .allocate(capacity: 2)
        directions.initialize(repeating: DirectionState(conditions: conditions), count: 2)
        registration = scheduler.register(self)
    }

    deinit {
        state.deinitialize(count: 1)
        state.deallocate()
        directions.deinitialize(count: 2)
        directions.deallocate()
    }

    /// The scheduler's current time.
    public var currentTime: VirtualTime { scheduler.now }

    // MARK: Configuration

    /// The conditions of one direction.
    public func conditions(_ direction: LinkDirection) -> LinkConditions {
        directions[direction.rawValue].conditions
    }

    /// Changes the conditions of one direction; frames already in flight keep their timing.
    public func setConditions(_ conditions: LinkConditions, for direction: LinkDirection) {
        directions[direction.rawValue].conditions = conditions
    }

    /// Changes the conditions of both directions.
    public func setConditions(_ conditions: LinkConditions) {
        for direction in LinkDirection.allCases { setConditions(conditions, for: direction) }
    }

    /// Sets the closure that receives frames arriving at `side`.
    ///
    /// The link keeps the closure: capture the link, or anything that owns it, `unowned` or
    /// `weak` inside it, or the two keep each other alive.
    public func onReceive(at side: LinkSide, _ receiver: @escaping ([UInt8]) -> Void) {
        state.pointee.receivers[side.rawValue] = .closure(receiver)
        arrivals(at: side).pointee.receivingNode = nil
    }

    /// Delivers frames arriving at `side` to `node`'s interface `interface` (`Node.attach`).
    func attach(_ node: Node, interface: Int, at side: LinkSide) {
        state.pointee.receivers[side.rawValue] = .node(node, interface: interface)
        arrivals(at: side).pointee.receivingNode = Unmanaged.passUnretained(node)
        arrivals(at: side).pointee.receivingInterface = interface
    }

    /// Lets go of whatever is attached at either end (the world does this when it ends).
    public func detachAll() {
        state.pointee.receivers = [.none, .none]
        for side in LinkSide.allCases { arrivals(at: side).pointee.receivingNode = nil }
    }

    /// The state of the direction whose frames arrive at `side`.
    private func arrivals(at side: LinkSide) -> UnsafeMutablePointer<DirectionState> {
        directions + LinkDirection(from: side.opposite).rawValue
    }

    /// One end of this link, to attach an interface to.
    public func end(_ side: LinkSide) -> LinkEnd {
        LinkEnd(link: self, side: side)
    }

    /// Plugs the cable in (`true`) or pulls it out (`false`) now. While down, frames sent or
    /// arriving are dropped with reason `linkDown`.
    public func setUp(_ up: Bool) {
        state.pointee.isUp = up
    }

    /// Pulls the cable out now (`setUp(false)`).
    public func down() {
        setUp(false)
    }

    /// Pulls the cable out from `start` until `end` (half-open): frames sent or arriving in that
    /// window are dropped with reason `partitioned`.
    public func partition(from start: VirtualTime, to end: VirtualTime) {
        precondition(start <= end, "partition must not end before it starts")
        state.pointee.partitions.append(start..<end)
    }

    /// Drops the frames with these numbers (`LinkEvent.frameID`: sends counted from 1 in both
    /// directions) with reason `scripted`, whatever else happens on the link.
    public func dropFrames(numbered numbers: [UInt64]) {
        state.pointee.scriptedDrops += numbers
    }

    /// Whether a scheduled partition is in force at `time`.
    public func isPartitioned(at time: VirtualTime) -> Bool {
        state.pointee.partitions.contains { $0.contains(time) }
    }

    /// Number of frames currently in the transmit queue of `direction` (including the one being
    /// serialised).
    public func queuedFrames(_ direction: LinkDirection) -> Int {
        directions[direction.rawValue].drainQueue(now: scheduler.now.nanoseconds)
        return directions[direction.rawValue].queuedPackets
    }

    // MARK: Sending

    /// Sends `frame` from `side` towards the other end, now.
    public func send(_ frame: consuming [UInt8], from side: LinkSide) {
        let direction = LinkDirection(from: side)
        // This direction's state, read and written in place: its conditions are not copied out
        // whole (~20 fields a frame), only the few read below.
        let lane = directions + direction.rawValue
        let now = scheduler.now.nanoseconds
        let id = state.pointee.nextFrameID
        state.pointee.nextFrameID += 1
        let length = frame.count
        report(.sent, direction, id, frame)

        if !state.pointee.isUp { return report(.dropped(.linkDown), direction, id, frame) }
        if !state.pointee.partitions.isEmpty && isPartitioned(at: scheduler.now) {
            return report(.dropped(.partitioned), direction, id, frame)
        }
        if !state.pointee.scriptedDrops.isEmpty && state.pointee.scriptedDrops.contains(id) {
            return report(.dropped(.scripted), direction, id, frame)
        }
        if let mtu = lane.pointee.conditions.mtu, length > mtu {
            return report(.dropped(.exceedsMTU), direction, id, frame)
        }

        lane.pointee.drainQueue(now: now)
        switch lane.pointee.conditions.queueLimit {
        case .unlimited:
            break
        case .bytes(let limit):
            if lane.pointee.queuedBytes + length > limit {
                return report(.dropped(.queueFull), direction, id, frame)
            }
        case .packets(let limit):
            if lane.pointee.queuedPackets + 1 > limit {
                return report(.dropped(.queueFull), direction, id, frame)
            }
        }

        // Serialisation.
        let start = max(now, lane.pointee.transmitFreeAt)
        let transmitted = start + lane.pointee.conditions.serialisationTime(bytes: length).nanoseconds
        lane.pointee.transmitFreeAt = transmitted
        if transmitted > now {
            lane.pointee.queue.append((transmitted, length))
            lane.pointee.queuedBytes += length
        }

        // Loss on the wire.
        if random.bernoulli(lane.pointee.conditions.lossProbability) {
            return report(.dropped(.loss), direction, id, frame)
        }
        if let model = lane.pointee.conditions.burstLoss {
            let bad = lane.pointee.inBadState
            let nowBad = bad ? !random.bernoulli(model.badToGood) : random.bernoulli(model.goodToBad)
            lane.pointee.inBadState = nowBad
            if random.bernoulli(nowBad ? model.lossInBad : model.lossInGood) {
                return report(.dropped(.burstLoss), direction, id, frame)
            }
        }

        // Arrival time.
        var arrival = transmitted + lane.pointee.conditions.delay.nanoseconds
        let jitter = lane.pointee.conditions.jitter.nanoseconds
        if jitter > 0 {
            arrival = max(transmitted, arrival + random.uniform(-jitter...jitter))
        }
        arrival = max(arrival, lane.pointee.lastArrival)
        if random.bernoulli(lane.pointee.conditions.reorderProbability) {
            arrival += lane.pointee.conditions.reorderDelay.nanoseconds
            report(.reordered, direction, id, frame)
        } else {
            lane.pointee.lastArrival = arrival
        }

        // The frame travels on as it is (no retain) unless a bit of it is flipped; a duplicate is
        // reported as sent, so the corrupted frame is a copy.
        let payload: [UInt8]
        let duplicate: Bool
        if length > 0 && random.bernoulli(lane.pointee.conditions.corruptionProbability) {
            var corrupted = copy frame
            let bit = Int(random.uniform(0...Int64(length * 8 - 1)))
            corrupted[bit >> 3] ^= UInt8(0x80) >> UInt8(bit & 7)
            report(.corrupted(bit: bit), direction, id, corrupted)
            duplicate = random.bernoulli(lane.pointee.conditions.duplicationProbability)
            if duplicate { report(.duplicated, direction, id, frame) }
            payload = corrupted
        } else {
            duplicate = random.bernoulli(lane.pointee.conditions.duplicationProbability)
            if duplicate { report(.duplicated, direction, id, frame) }
            payload = consume frame
        }

        if arrival == now && lane.pointee.conditions.deliversWithinSendingCall {
            if duplicate {
                scheduler.scheduleFirst(arrivalOn: registration, payload, direction: direction, frameID: id)
            }
            return scheduler.scheduleFirst(arrivalOn: registration, payload, direction: direction, frameID: id)
        }
        let at = VirtualTime(nanoseconds: arrival)
        if duplicate {
            scheduler.schedule(at: at, arrivalOn: registration, payload, direction: direction, frameID: id)
        }
        scheduler.schedule(at: at, arrivalOn: registration, payload, direction: direction, frameID: id)
    }

    /// A frame's scheduler event: it reached the far end, unless the cable is out by now.
    /// The frame is handed on, not copied: a host gives it back to its pool when done with it.
    func arrive(_ frame: consuming [UInt8], direction: LinkDirection, frameID id: UInt64) {
        if !state.pointee.isUp { return report(.dropped(.linkDown), direction, id, frame) }
        if !state.pointee.partitions.isEmpty && isPartitioned(at: scheduler.now) {
            return report(.dropped(.partitioned), direction, id, frame)
        }
        report(.delivered, direction, id, frame)
        let lane = directions + direction.rawValue
        if let node = lane.pointee.receivingNode {
            let interface = lane.pointee.receivingInterface
            var handedOn: [UInt8]? = consume frame   // moved into the call below, not copied
            node._withUnsafeGuaranteedRef { $0.receive(handedOn.take()!, on: interface) }
            return
        }
        // An owned copy: the receiver may replace itself while it runs.
        switch state.pointee.receivers[direction.destination.rawValue] {
        case .node(let node, let interface): node.receive(frame, on: interface)
        case .closure(let deliver): deliver(frame)
        case .none: break
        }
    }

    @inline(__always)
    private func report(_ kind: LinkEvent.Kind, _ direction: LinkDirection, _ id: UInt64, _ frame: [UInt8]) {
        guard let observer else { return }
        switch kind {
        case .sent, .delivered, .reordered: guard reportsRoutineEvents else { return }
        case .dropped, .duplicated, .corrupted: break
        }
        observer.record(LinkEvent(time: scheduler.now, link: name, direction: direction, frameID: id,
                                  frameLength: frame.count, kind: kind, frame: frame))
    }
}
