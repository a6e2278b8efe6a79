import Tracing
import Wire

/// What `stacklab run --json` reports: computed from a trace alone, so it means the same for a
/// simulated run and a kernel one.
public struct RunSummary: Hashable, Sendable {
    public var scenario: String
    public var seed: UInt64
    public var profile: String
    /// Bytes delivered to applications over all connections.
    public var bytesDelivered: Int
    /// Every byte arrived in order and unaltered, every finished stream arrived whole, and every
    /// datagram delivered was intact.
    public var intact: Bool
    public var segmentsSent: Int
    public var retransmissions: Int
    public var datagramsSent: Int
    public var datagramsDelivered: Int
    /// Time of the last trace event, in nanoseconds.
    public var endTime: Int64
    /// Every connection endpoint with its last state, hosts in declaration order.
    public var endpoints: [EndpointSummary]
    public var failures: [String]

    public init(_ trace: Trace, failures: [String] = []) {
        let header = trace.header
        scenario = header.scenario
        seed = header.seed
        profile = header.profile
        let activity = SocketActivity(trace.events)
        bytesDelivered = activity.bytesDelivered
        intact = activity.streamsIntact && activity.datagramSockets.allSatisfy { $0.altered == 0 }
        datagramsSent = activity.datagramSockets.reduce(0) { $0 + $1.sent }
        datagramsDelivered = activity.datagramSockets.reduce(0) { $0 + $1.received }
        var segments = 0
        var retransmissions = 0
        var lastState: [String: TCPState] = [:]
        var order: [(host: String, connection: String)] = []
        for event in trace.events {
            switch event.kind {
            case .packetSent(let bytes, let cause):
                guard bytes.count > 9, bytes[9] == IPProtocol.tcp.rawValue else { break }
                segments += 1
                if cause.isRetransmission { retransmissions += 1 }
            case .stateChanged(let connection, _, let to, _) where connection.contains(">"):
                if lastState[connection] == nil { order.append((event.node, connection)) }
                lastState[connection] = to
            case .stateChanged, .packetReceived, .packetDropped, .packetDuplicated, .timer, .socketCall, .socketEvent,
                 .application, .congestion, .variables, .note:
                break
            }
        }
        segmentsSent = segments
        self.retransmissions = retransmissions
        let hostOrder = header.hosts.map(\.name)
        let rank = { (host: String) in hostOrder.firstIndex(of: host) ?? hostOrder.count }
        endpoints = order.enumerated()
            .sorted { (rank($0.element.host), $0.offset) < (rank($1.element.host), $1.offset) }
            .map { _, entry in
                let ends = entry.connection.split(separator: ">", maxSplits: 1).map(String.init)
                return EndpointSummary(endpoint: ends[0], remote: ends.count > 1 ? ends[1] : "",
                                       finalState: lastState[entry.connection] ?? .closed)
            }
        endTime = trace.events.last?.time ?? 0
        self.failures = failures
    }
}

/// One TCP endpoint at the end of a run.
public struct EndpointSummary: Hashable, Sendable {
    /// `host:port`.
    public var endpoint: String
    /// `peer:port`.
    public var remote: String
    public var finalState: TCPState
}
