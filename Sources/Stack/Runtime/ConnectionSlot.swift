import Simulation
import Tracing
import Wire

/// Identifies a TCP connection on a host: local port, remote address and port (RFC 9293 §3.3.1).
struct ConnectionKey: Hashable, Comparable {
    var localPort: UInt16
    var remoteAddress: IPv4Address
    var remotePort: UInt16

    static func < (lhs: ConnectionKey, rhs: ConnectionKey) -> Bool {
        (lhs.localPort, lhs.remoteAddress.rawValue, lhs.remotePort) < (rhs.localPort, rhs.remoteAddress.rawValue, rhs.remotePort)
    }
}

/// One TCP connection on a simulated host: the state machine, its running timers, and the socket
/// the application holds (if any yet). The slot holds the socket and the socket holds the slot;
/// the host breaks that cycle when the run ends (`SimulatedHost.tearDown`).
///
/// Hot stored properties are `@exclusivity(unchecked)`: each access is short and never overlaps
/// another, and the dynamic exclusivity check (a runtime call that walks the accesses in flight)
/// cost more than the work on the simulation's per-segment path.
public final class ConnectionSlot {
    let key: ConnectionKey
    /// The connection's index in its host's `connectionHistory`, which its timer events carry.
    let number: Int
    /// The local port, for summaries.
    public var localPort: UInt16 { key.localPort }
    /// The trace's name for this connection: `host:port>peer:port`, local end first.
    public let name: String
    @exclusivity(unchecked) public internal(set) var connection: TCPConnection
    /// The next IP identification of this connection's packets, under `perConnectionRandomNumbers`
    /// (Linux's `inet_id`, from a random start); nil uses the host's counter.
    @exclusivity(unchecked) var nextIdentification: UInt16?
    /// Running timers, indexed by `TCPTimer.index`.
    @exclusivity(unchecked) var timers: [RunningTimer?] = Array(repeating: nil, count: TCPTimer.allCases.count)
    @exclusivity(unchecked) var socket: SimulatedStreamSocket? {
        didSet { unretainedSocket = socket.map { Unmanaged.passUnretained($0) } }
    }
    /// `socket`, unretained (`socket` holds it): the host tells it after every batch of actions
    /// that the send buffer may have room, which retained and released it each time (~35
    /// instructions a packet; callgrind, workload A).
    @exclusivity(unchecked) private(set) var unretainedSocket: Unmanaged<SimulatedStreamSocket>?
    /// The listener that spawned this connection, until it is accepted.
    @exclusivity(unchecked) var listener: SimulatedListener?
    /// The state after the last change, kept after the host forgets the connection.
    @exclusivity(unchecked) public internal(set) var lastState: TCPState
    @exclusivity(unchecked) public internal(set) var segmentsSent = 0
    @exclusivity(unchecked) public internal(set) var retransmissions = 0
    /// The variables the trace last recorded for this connection.
    var tracedVariables: TCPVariables?

    init(key: ConnectionKey, number: Int, name: String, connection: TCPConnection) {
        self.key = key
        self.number = number
        self.name = name
        self.connection = connection
        lastState = connection.state
    }
}

/// A protocol timer as the host runs it: the deadline TCP asked for, and the scheduler event that
/// will look at it. Moving a deadline later (as every ACK does to the retransmission timer) only
/// updates `deadline`; the event, when it comes early, schedules itself again.
struct RunningTimer {
    var deadline: VirtualTime
    var scheduledAt: VirtualTime
    var handle: TimerHandle
}
