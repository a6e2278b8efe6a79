/// What an application exchange cost, computed from a trace alone (its packets, states and
/// application events), so it means the same for a simulated run and a kernel capture: what
/// `stacklab compare` tabulates.
///
/// Bytes on the wire are the IPv4 packets of every TCP segment sent, split into the IP and TCP
/// headers, the application's own headers (HTTP header sections, the long connection's frame
/// headers, heartbeat frames, WebSocket handshakes and frame headers, MQTT packet headers), the
/// application's payload (HTTP bodies, frame payloads, MQTT application messages), and what
/// TCP sent again. The first three come from what was sent once; the last is whatever TCP put on
/// the wire beyond the applications' bytes (retransmissions), so the four add up to the total.
public struct ExchangeCost: Hashable, Sendable {
    /// Connections opened: SYN segments without ACK, each four-tuple and initial sequence number
    /// counted once (a retransmitted SYN is the same opening).
    public var handshakes = 0
    /// TCP segments sent, retransmissions included.
    public var segments = 0
    /// Segments the sender marked as sent again (timeout, fast retransmit); a kernel trace marks none.
    public var retransmissions = 0
    /// Bytes of every TCP segment's IPv4 packet.
    public var wireBytes = 0
    /// IPv4 and TCP headers, options included.
    public var ipTCPHeaderBytes = 0
    /// Application headers sent: HTTP header sections (request and status lines included), the
    /// long connection's 5-byte frame headers, whole heartbeat frames, the WebSocket handshake and
    /// frame headers (2 to 14 bytes), and MQTT packets but for a PUBLISH's message.
    public var applicationHeaderBytes = 0
    /// Application payload sent: HTTP bodies, DATA frames' payloads, WebSocket frames' payloads
    /// and MQTT PUBLISH messages.
    public var payloadBytes = 0
    /// TCP payload beyond the applications' bytes: what was sent again (never negative).
    public var resentBytes = 0
    /// Latency of every answered request, nanoseconds, in the order the answers arrived.
    public var latencies: [Int64] = []
    /// Requests that got no answer (`http-failed`).
    public var failedRequests = 0
    /// Requests a client made: HTTP requests written, WebSocket upgrade requests included.
    public var requestsMade = 0
    /// Final HTTP responses a client read with an empty body (a poll that found nothing new).
    public var emptyResponses = 0
    /// Chat messages posted (`chat-message sent`).
    public var messagesPosted = 0
    /// Delivery latency of every chat message delivered (`chat-message received`), nanoseconds,
    /// in delivery order: from when it was posted to when a reader had it.
    public var deliveries: [Int64] = []
    /// From the first request's issue to the last answer, nanoseconds; nil without answers.
    public var totalTime: Int64?
    /// Connections that entered TIME-WAIT, per host that held them, hosts in the trace's order
    /// (hosts with none left out).
    public var timeWait: [HostCount] = []

    /// A number of connections on one host.
    public struct HostCount: Hashable, Sendable {
        public var host: String
        public var count: Int

        public init(host: String, count: Int) {
            self.host = host
            self.count = count
        }
    }

    public init() {}

    public init(_ trace: Trace) {
        var openings: Set<[UInt8]> = []
        var tcpPayload = 0
        var applicationBytes = 0
        var firstIssue: Int64?
        var lastAnswer: Int64?
        var timeWaitCount: [String: Int] = [:]
        for event in trace.events {
            switch event.kind {
            case .packetSent(let bytes, let cause):
                guard let sizes = Self.tcpSizes(bytes) else { break }
                segments += 1
                if cause.isRetransmission { retransmissions += 1 }
                wireBytes += sizes.total
                ipTCPHeaderBytes += sizes.headers
                tcpPayload += sizes.total - sizes.headers
                if sizes.isOpening { openings.insert(sizes.openingKey) }
            case .stateChanged(let connection, _, let to, _) where to == .timeWait:
                timeWaitCount[Self.host(of: connection, default: event.node), default: 0] += 1
            case .application(_, let application):
                switch application {
                case .httpRequestSent(_, _, let header, let body):
                    requestsMade += 1
                    applicationHeaderBytes += header
                    payloadBytes += body
                    applicationBytes += header + body
                case .httpResponseSent(_, _, _, let header, let body):
                    applicationHeaderBytes += header
                    payloadBytes += body
                    applicationBytes += header + body
                case .messageSent(_, let header, let payload):
                    applicationHeaderBytes += header
                    payloadBytes += payload
                    applicationBytes += header + payload
                case .ping(.sent, _, let size), .pong(.sent, _, let size):
                    applicationHeaderBytes += size
                    applicationBytes += size
                case .httpResponseReceived(_, _, _, let body, let latency):
                    if body == 0 { emptyResponses += 1 }
                    latencies.append(latency)
                    firstIssue = min(firstIssue ?? event.time - latency, event.time - latency)
                    lastAnswer = max(lastAnswer ?? event.time, event.time)
                case .messageReceived(_, _, let latency?):
                    latencies.append(latency)
                    firstIssue = min(firstIssue ?? event.time - latency, event.time - latency)
                    lastAnswer = max(lastAnswer ?? event.time, event.time)
                case .httpFailed:
                    failedRequests += 1
                case .chatMessage(.sent, _, _, _, _):
                    messagesPosted += 1
                case .chatMessage(.received, _, _, _, let latency):
                    if let latency { deliveries.append(latency) }
                case .webSocket(let webSocket):
                    let sent = Self.sentBytes(webSocket)
                    if case .upgrade(.sent, _, _) = webSocket { requestsMade += 1 }
                    applicationHeaderBytes += sent.header
                    payloadBytes += sent.payload
                    applicationBytes += sent.header + sent.payload
                case .mqtt(.packet(.sent, let packet)):
                    applicationHeaderBytes += packet.headerBytes
                    payloadBytes += packet.payloadBytes
                    applicationBytes += packet.headerBytes + packet.payloadBytes
                case .httpRequestReceived, .httpRejected, .httpIdleClose, .messageReceived, .ping, .pong, .peerDead,
                     .reconnect, .mqtt:
                    break
                }
            case .stateChanged, .packetReceived, .packetDropped, .packetDuplicated, .timer, .socketCall, .socketEvent,
                 .congestion, .variables, .note:
                break
            }
        }
        handshakes = openings.count
        resentBytes = max(0, tcpPayload - applicationBytes)
        if let firstIssue, let lastAnswer { totalTime = lastAnswer - firstIssue }
        let order = trace.header.hosts.map(\.name)
        func rank(_ host: String) -> Int { order.firstIndex(of: host) ?? order.count }
        timeWait = timeWaitCount.map { HostCount(host: $0.key, count: $0.value) }
            .sorted { (rank($0.host), $0.host) < (rank($1.host), $1.host) }
    }

    /// Answered requests.
    public var requests: Int { latencies.count }

    /// The header and payload bytes a WebSocket event put on the wire, when it was this side's.
    static func sentBytes(_ event: WebSocketTraceEvent) -> (header: Int, payload: Int) {
        switch event {
        case .upgrade(.sent, _, let header), .accept(.sent, _, let header): (header, 0)
        case .frame(.sent, _, _, _, let header, let payload): (header, payload)
        case .upgrade, .accept, .frame, .open, .message, .error, .close: (0, 0)
        }
    }

    /// The mean delivery latency of chat messages, rounded down; nil without deliveries.
    public var meanDelivery: Int64? {
        deliveries.isEmpty ? nil : deliveries.reduce(0, +) / Int64(deliveries.count)
    }

    /// The 99th-percentile delivery latency (nearest rank); nil without deliveries.
    public var p99Delivery: Int64? { Self.percentile(99, of: deliveries) }

    /// The mean latency, rounded down to the nanosecond; nil without answers.
    public var meanLatency: Int64? {
        latencies.isEmpty ? nil : latencies.reduce(0, +) / Int64(latencies.count)
    }

    /// The 99th-percentile latency by the nearest-rank method (the smallest latency that at
    /// least 99% of the requests do not exceed); nil without answers.
    public var p99Latency: Int64? { Self.percentile(99, of: latencies) }

    /// The `p`th percentile (1 to 100) of `values` by nearest rank; nil when empty.
    public static func percentile(_ p: Int, of values: [Int64]) -> Int64? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = (p * sorted.count + 99) / 100   // ⌈p·n/100⌉
        return sorted[max(1, min(sorted.count, rank)) - 1]
    }

    /// Connections that entered TIME-WAIT, all hosts together.
    public var timeWaitTotal: Int { timeWait.reduce(0) { $0 + $1.count } }

    /// `client` of `client:49152>server:80`; `fallback` for a name without a port.
    static func host(of connection: String, default fallback: String) -> String {
        guard let colon = connection.firstIndex(of: ":") else { return fallback }
        return String(connection[..<colon])
    }

    /// A TCP/IPv4 packet's total and header sizes, and whether it opens a connection (SYN
    /// without ACK) with the key that identifies the opening; nil for anything else.
    static func tcpSizes(_ bytes: [UInt8]) -> (total: Int, headers: Int, isOpening: Bool, openingKey: [UInt8])? {
        guard bytes.count >= 20, bytes[0] >> 4 == 4, bytes[9] == 6 else { return nil }
        let ipHeader = Int(bytes[0] & 0x0F) * 4
        let total = min(bytes.count, Int(bytes[2]) << 8 | Int(bytes[3]))
        guard ipHeader >= 20, total >= ipHeader + 20 else { return nil }
        let tcpHeader = Int(bytes[ipHeader + 12] >> 4) * 4
        let flags = bytes[ipHeader + 13]
        let isOpening = flags & 0x02 != 0 && flags & 0x10 == 0
        // Addresses, ports and sequence number: the four-tuple and the ISN.
        let key = isOpening ? Array(bytes[12..<20]) + Array(bytes[ipHeader..<(ipHeader + 8)]) : []
        return (total, min(total, ipHeader + tcpHeader), isOpening, key)
    }
}
