/// One thing that happened in a run, at an integer time in nanoseconds.
///
/// A trace is the one record of a run (DESIGN.md): everything downstream — the text listing,
/// diagrams, pcap export, invariant checks, the lesson stepper — reads these and nothing else.
public struct TraceEvent: Hashable, Sendable {
    /// Nanoseconds since the run started.
    public var time: Int64
    /// The host (or link, for link events) where it happened.
    public var node: String
    public var kind: TraceEventKind

    public init(time: Int64, node: String, kind: TraceEventKind) {
        self.time = time
        self.node = node
        self.kind = kind
    }
}

/// What a trace event records. Packets are kept as their IPv4 bytes, so a trace exports to pcap
/// and every consumer decodes them with the same Wire codecs. Everything else is typed (states,
/// timers, causes, reasons, calls): consumers switch over these and never match text.
public enum TraceEventKind: Hashable, Sendable {
    /// An IPv4 packet left `node`'s IP layer, and why (when it is a reset or a retransmission).
    case packetSent(bytes: [UInt8], cause: SendCause)
    /// An IPv4 packet reached `node`'s IP layer and was accepted by it.
    case packetReceived(bytes: [UInt8])
    /// A packet was dropped by a link, a router or the receiving stack, and why.
    case packetDropped(bytes: [UInt8], reason: PacketDropReason)
    /// A link delivered a second copy of a packet.
    case packetDuplicated(bytes: [UInt8])
    /// A connection changed state, and the event that caused it.
    case stateChanged(connection: String, from: TCPState, to: TCPState, cause: StateChangeCause)
    /// A protocol timer was set (to fire at `at` ns), fired or cancelled.
    case timer(connection: String, timer: TCPTimer, action: TimerAction)
    /// An application called the socket API. `socket` is `host:port` for a listener or UDP socket,
    /// `host:port>peer:port` for a connection (as connections are named), or `host` for a
    /// `connect` whose local port is not chosen yet.
    case socketCall(socket: String, call: SocketCall)
    /// The socket API told an application something: open, message, end, error, close.
    case socketEvent(socket: String, event: SocketNotification)
    /// An application protocol on `socket` (named as for socket events) sent, received or decided
    /// something: an HTTP request or response, a heartbeat, a peer given up for dead.
    case application(socket: String, event: ApplicationEvent)
    /// The congestion window or slow-start threshold changed.
    case congestion(connection: String, cwnd: Int, ssthresh: Int, reason: CongestionReason)
    /// A connection's variables changed (recorded before the events of the step that changed them).
    /// Indirect: the variables are larger than any other kind's payload, and every event would
    /// otherwise carry their size.
    indirect case variables(connection: String, TCPVariables)
    /// Something noted: the cable unplugged, a bit flipped, a segment for a closed port, the time limit.
    case note(TraceNote)
}

/// Receives trace events as they happen.
public protocol TraceObserver: AnyObject {
    func record(_ event: consuming TraceEvent)
    /// False when the observer only counts events: producers may then call `count(at:)`
    /// instead of building each event. Fixed for the observer's life: producers may read it
    /// once, when they are given the observer.
    var wantsEvents: Bool { get }
    /// Notes that an event happened at `time` without describing it.
    func count(at time: Int64)
}

extension TraceObserver {
    public var wantsEvents: Bool { true }
    public func count(at time: Int64) {}
}

/// Keeps every event in order, or just counts them. (The simulated runtime records through its
/// own `SimulationRecorder`, which is this for the engine's per-event path.)
public final class TraceRecorder: TraceObserver {
    public private(set) var events: [TraceEvent] = []
    /// Events recorded, kept or not.
    public private(set) var count = 0
    /// Time of the latest event, in nanoseconds.
    public private(set) var lastTime: Int64 = 0
    public let keepsEvents: Bool

    public init(keepsEvents: Bool = true) {
        self.keepsEvents = keepsEvents
    }

    public func record(_ event: consuming TraceEvent) {
        count += 1
        lastTime = event.time
        if keepsEvents { events.append(event) }
    }

    public var wantsEvents: Bool { keepsEvents }

    public func count(at time: Int64) {
        count += 1
        lastTime = time
    }
}
