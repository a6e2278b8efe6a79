import Simulation
import Tracing
import Wire

/// A listening TCP endpoint: what a passive OPEN leaves behind (RFC 9293 §3.10.1), and what turns
/// each arriving SYN into a connection of its own in SYN-RECEIVED (§3.10.7.2).
///
/// Every segment for the listening port that matches no connection comes here. The RFC's LISTEN
/// processing itself (ignore a RST, answer an ACK with a RST, drop anything without a SYN, accept a
/// SYN) is `TCPConnection`'s, run on a fresh connection in LISTEN; the listener keeps that
/// connection only when it reached SYN-RECEIVED, and counts it against the backlog until it is
/// established or gone. The host only demultiplexes.
public struct TCPListener: Sendable {
    public let configuration: TCPConfiguration
    public let local: TCPEndpoint
    /// At most this many connections are spawned and not yet established.
    public let backlog: Int
    /// Connections spawned and not yet established.
    public private(set) var pending = 0

    public init(configuration: TCPConfiguration, local: TCPEndpoint, backlog: Int) {
        self.configuration = configuration
        self.local = local
        self.backlog = max(1, backlog)
    }

    /// Passive OPEN (§3.10.1): the listening endpoint goes from CLOSED to LISTEN.
    public func open() -> [TCPAction] {
        [.stateChanged(from: .closed, to: .listen, cause: .passiveOpen)]
    }

    /// What became of a segment that reached the listener.
    public enum Arrival {
        /// A SYN made a new connection, now in SYN-RECEIVED; carry out its actions for it.
        case spawned(TCPConnection, [TCPAction])
        /// The segment was answered (an ACK gets a RST) or dropped; no connection exists.
        case answered([TCPAction])
    }

    /// SEGMENT ARRIVES in LISTEN (§3.10.7.2). `isn` is asked for an initial sequence number only
    /// when a connection may be created.
    public mutating func segmentArrives(
        _ segment: TCPSegment, from source: IPv4Address, now: VirtualTime, isn: () -> SequenceNumber
    ) -> Arrival {
        let flags = segment.header.flags
        let requestsConnection = flags.contains(.syn) && !flags.contains(.ack) && !flags.contains(.rst)
        if requestsConnection && pending >= backlog {
            // Not the RFC's rule but Linux's (tcp_conn_request): a full queue drops the SYN
            // silently, and the client's retransmission may find room later.
            return .answered([.dropped(segment, reason: .listenBacklogFull)])
        }
        var connection = TCPConnection(
            configuration: configuration, local: local,
            remote: TCPEndpoint(address: source, port: segment.header.sourcePort),
            initialSequenceNumber: requestsConnection ? isn() : SequenceNumber(0))
        connection.state = .listen
        let actions = connection.segmentArrives(segment, from: source, now: now)
        guard connection.state == .synReceived else { return .answered(actions) }
        pending += 1
        return .spawned(connection, actions)
    }

    /// A spawned connection was established, or went away before it was.
    public mutating func connectionLeftQueue() {
        pending = max(0, pending - 1)
    }
}
