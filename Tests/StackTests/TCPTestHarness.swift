import Tracing
import Simulation
import Stack
import Wire

/// Two TCPConnections joined by a link with a fixed one-way delay, on a virtual clock the test drives.
///
/// Pending deliveries and timers sit in one list ordered by (time, scheduling order). A `filter`
/// decides, for each segment sent, whether it is delivered, dropped or delayed further.
final class TCPPair {
    enum Side: Int, CustomStringConvertible {
        case client = 0, server = 1
        var other: Side { self == .client ? .server : .client }
        var description: String { self == .client ? "client" : "server" }
    }

    enum Verdict { case deliver, drop, delay(VirtualDuration) }

    struct Record {
        var time: VirtualTime
        var side: Side
        var action: TCPAction
    }

    private enum Kind {
        case deliver(TCPSegment, to: Side)
        case timer(TCPTimer, Side)
    }

    private struct Event {
        var time: VirtualTime
        var order: Int
        var kind: Kind
    }

    var connections: [TCPConnection]
    let delay: VirtualDuration
    private(set) var now = VirtualTime.zero
    private var events: [Event] = []
    private var order = 0
    private var timers: [[TCPTimer: VirtualTime]] = [[:], [:]]
    /// Everything every side did, in order.
    private(set) var log: [Record] = []
    /// Bytes read by the application on each side (when `autoRead` is on for it).
    var received: [[UInt8]] = [[], []]
    var autoRead = [true, true]
    /// Called for every segment sent, with the sender and the number of segments that side sent before.
    var filter: ((Side, TCPSegment, Int) -> Verdict)?
    private var sentCount = [0, 0]

    init(client: TCPConnection, server: TCPConnection, delay: VirtualDuration) {
        connections = [client, server]
        self.delay = delay
    }

    /// A client in CLOSED and a server in LISTEN (remote unset), for handshake scenarios.
    static func unconnected(client: TCPConfiguration = .textbook, server: TCPConfiguration = .textbook,
                            delay: VirtualDuration = .milliseconds(50)) -> TCPPair {
        var listener = TCPConnection(configuration: server, local: serverEndpoint, remote: nil,
                                     initialSequenceNumber: serverISS)
        _ = listener.listen(now: .zero)
        let connector = TCPConnection(configuration: client, local: clientEndpoint, remote: serverEndpoint,
                                      initialSequenceNumber: clientISS)
        return TCPPair(client: connector, server: listener, delay: delay)
    }

    /// Both sides already ESTABLISHED (STYLE.md: start from a fixture, not a replayed handshake).
    static func established(_ configuration: TCPConfiguration = .textbook, server: TCPConfiguration? = nil,
                            delay: VirtualDuration = .milliseconds(50)) -> TCPPair {
        let serverConfiguration = server ?? configuration
        let window = { (c: TCPConfiguration) in min(c.receiveBufferSize, 65535 << Int(c.windowScale ?? 0)) }
        let client = TCPConnection.established(
            configuration: configuration, local: clientEndpoint, remote: serverEndpoint, iss: clientISS,
            irs: serverISS, peerWindow: window(serverConfiguration), peerMSS: serverConfiguration.mss)
        let server = TCPConnection.established(
            configuration: serverConfiguration, local: serverEndpoint, remote: clientEndpoint, iss: serverISS,
            irs: clientISS, peerWindow: window(configuration), peerMSS: configuration.mss)
        return TCPPair(client: client, server: server, delay: delay)
    }

    subscript(side: Side) -> TCPConnection { connections[side.rawValue] }

    var client: TCPConnection { connections[0] }
    var server: TCPConnection { connections[1] }

    /// Runs one user call on a side at the current time and carries out its actions.
    func perform(_ side: Side, _ call: (inout TCPConnection, VirtualTime) -> [TCPAction]) {
        let actions = call(&connections[side.rawValue], now)
        apply(actions, side: side)
    }

    @discardableResult
    func send(_ side: Side, _ bytes: [UInt8]) -> Int {
        var accepted = 0
        perform(side) { connection, now in
            let result = connection.send(bytes, now: now)
            accepted = result.accepted
            return result.actions
        }
        return accepted
    }

    func read(_ side: Side, maxBytes: Int = .max) {
        perform(side) { connection, now in
            let result = connection.read(maxBytes: maxBytes, now: now)
            received[side.rawValue] += result.bytes
            return result.actions
        }
    }

    private func schedule(_ kind: Kind, at time: VirtualTime) {
        let event = Event(time: time, order: order, kind: kind)
        order += 1
        let index = events.firstIndex { $0.time > time }   // same instant: in scheduling order
        events.insert(event, at: index ?? events.count)
    }

    private func apply(_ actions: [TCPAction], side: Side) {
        for action in actions {
            log.append(Record(time: now, side: side, action: action))
            switch action {
            case .send(let segment, _):
                let verdict = filter?(side, segment, sentCount[side.rawValue]) ?? .deliver
                sentCount[side.rawValue] += 1
                switch verdict {
                case .deliver: schedule(.deliver(segment, to: side.other), at: now + delay)
                case .drop: break
                case .delay(let extra): schedule(.deliver(segment, to: side.other), at: now + delay + extra)
                }
            case .setTimer(let timer, let at):
                timers[side.rawValue][timer] = at
                schedule(.timer(timer, side), at: at)
            case .cancelTimer(let timer):
                timers[side.rawValue][timer] = nil
            case .dataAvailable:
                if autoRead[side.rawValue] { read(side) }
            case .stateChanged, .connected, .peerFinished, .failed, .closed, .dropped, .congestion:
                break
            }
        }
    }

    /// Runs events up to and including `limit`; the clock ends at `limit`.
    func run(until limit: VirtualTime) {
        while let first = events.first, first.time <= limit {
            events.removeFirst()
            now = first.time
            switch first.kind {
            case .deliver(let segment, let side):
                let source = connections[side.other.rawValue].local.address
                let actions = connections[side.rawValue].segmentArrives(segment, from: source, now: now)
                apply(actions, side: side)
            case .timer(let timer, let side):
                guard timers[side.rawValue][timer] == first.time else { continue }
                timers[side.rawValue][timer] = nil
                apply(connections[side.rawValue].timerFires(timer, now: now), side: side)
            }
        }
        if now < limit { now = limit }
    }

    func run(for duration: VirtualDuration) { run(until: now + duration) }

    /// Runs until nothing is pending or `limit` is reached.
    func runUntilIdle(limit: VirtualTime = VirtualTime(nanoseconds: 3_600_000_000_000)) {
        while let first = events.first, first.time <= limit {
            run(until: first.time)
        }
    }

    // MARK: Queries

    func actions(of side: Side) -> [TCPAction] { log.filter { $0.side == side }.map(\.action) }

    /// When `side` entered `state` first, if it did.
    func time(_ side: Side, entered state: TCPState) -> VirtualTime? {
        log.first {
            guard $0.side == side, case .stateChanged(_, let to, _) = $0.action else { return false }
            return to == state
        }?.time
    }

    func states(_ side: Side) -> [TCPState] {
        log.compactMap {
            guard $0.side == side, case .stateChanged(_, let to, _) = $0.action else { return nil }
            return to
        }
    }

    /// Segments `side` sent, with the time and retransmission reason.
    func sent(by side: Side) -> [(time: VirtualTime, segment: TCPSegment, retransmission: TCPRetransmission?)] {
        log.compactMap {
            guard $0.side == side, case .send(let segment, let reason) = $0.action else { return nil }
            return ($0.time, segment, reason)
        }
    }
}
