/// What an application protocol did on a connection, as the trace records it: HTTP requests and
/// responses, the long connection's messages and heartbeats, a peer given up for dead, chat
/// messages posted and delivered, WebSocket handshakes, frames and events, MQTT packets.
///
/// Socket calls and events say what the socket API saw (bytes); these say what the bytes meant,
/// so lessons can bind steps to them and summaries can count requests, latencies and header bytes
/// from the trace alone. Sizes are exact for what an application sent (it serialized the bytes);
/// what it received is described by its content, the wire form being the sender's business.
///
/// The trace's `name` and `detail` fields are `name` and `detail`; only this type turns an event
/// into text and back. Durations in details are integer nanoseconds.
public enum ApplicationEvent: Hashable, Sendable, CustomStringConvertible {
    /// Whether this side wrote the frame or read it.
    public enum Direction: String, Hashable, Sendable, CaseIterable {
        case sent, received
    }

    /// A client wrote HTTP request `id` (0, 1, ... per connection): its request line, and the bytes
    /// of its header section (request line to the empty line, inclusive) and of its body.
    case httpRequestSent(id: Int, request: HTTPRequestLine, headerBytes: Int, bodyBytes: Int)
    /// A server read request `id` of its connection; `bodyBytes` of content after decoding.
    case httpRequestReceived(id: Int, request: HTTPRequestLine, bodyBytes: Int)
    /// A server wrote its response to request `id`: version, status, header and body bytes.
    case httpResponseSent(id: Int, version: String, status: Int, headerBytes: Int, bodyBytes: Int)
    /// A client read the final response to its request `id`, `latency` nanoseconds after it issued
    /// the request: after it asked for the request's connection (the connection's first request)
    /// or queued the request on an open connection, to the response's last byte.
    case httpResponseReceived(id: Int, version: String, status: Int, bodyBytes: Int, latency: Int64)
    /// A server could not parse a request and answered `status` (400, 413, 414, 431, 501, 505)
    /// with `Connection: close`; `reason` says where and why.
    case httpRejected(status: Int, reason: String)
    /// A client's request `id` got no response, and why.
    case httpFailed(id: Int, reason: String)
    /// A server closed a persistent connection left idle for `idle` nanoseconds (RFC 9112 §9.5).
    case httpIdleClose(idle: Int64)
    /// A DATA frame of the long connection (`id` counts one side's requests; the answer carries
    /// its request's id); `headerBytes` is the framing the sender added.
    case messageSent(id: Int, headerBytes: Int, payloadBytes: Int)
    /// A DATA frame read; for the answer to this side's own request, the request's latency as for
    /// `httpResponseReceived`.
    case messageReceived(id: Int, payloadBytes: Int, latency: Int64?)
    /// A heartbeat PING (`sequence` from its payload) and its whole frame's size.
    case ping(Direction, sequence: UInt64, bytes: Int)
    /// The PONG answering PING `sequence`.
    case pong(Direction, sequence: UInt64, bytes: Int)
    /// Nothing was heard from the peer for `silence` nanoseconds, k heartbeat intervals or more:
    /// the application gives it up for dead and aborts the connection.
    case peerDead(silence: Int64)
    /// The application will connect again, attempt `attempt` (from 1), after `delay` nanoseconds.
    case reconnect(attempt: Int, delay: Int64)
    /// A chat message: `sent` where it was posted (its author's application, or the server for
    /// messages that arrive from elsewhere), `received` where it was delivered to a reader,
    /// `latency` nanoseconds after it was posted. `from` is its author (a trace word), `id` its
    /// number from that author (0, 1, ...), `payloadBytes` the size of its encoded form.
    case chatMessage(Direction, id: Int, from: String, payloadBytes: Int, latency: Int64?)
    /// A WebSocket endpoint's handshake, frame or event (`WebSocketTraceEvent`).
    case webSocket(WebSocketTraceEvent)
    /// An MQTT packet or a broker's verdict (`MQTTTraceEvent`).
    case mqtt(MQTTTraceEvent)

    /// `http-request`, `http-response`, `http-rejected`, `http-failed`, `http-idle-close`,
    /// `message`, `ping`, `pong`, `peer-dead`, `reconnect`, `chat-message`, `websocket-…`, `mqtt-…`.
    public var name: String {
        switch self {
        case .httpRequestSent, .httpRequestReceived: "http-request"
        case .httpResponseSent, .httpResponseReceived: "http-response"
        case .httpRejected: "http-rejected"
        case .httpFailed: "http-failed"
        case .httpIdleClose: "http-idle-close"
        case .messageSent, .messageReceived: "message"
        case .ping: "ping"
        case .pong: "pong"
        case .peerDead: "peer-dead"
        case .reconnect: "reconnect"
        case .chatMessage: "chat-message"
        case .webSocket(let event): event.name
        case .mqtt(let event): event.name
        }
    }

    /// Every event name, in the order above.
    public static let names = ["http-request", "http-response", "http-rejected", "http-failed", "http-idle-close",
                               "message", "ping", "pong", "peer-dead", "reconnect", "chat-message"]
        + WebSocketTraceEvent.names + MQTTTraceEvent.names

    /// Whether the application wrote or read what the event describes; nil for events that are
    /// neither (a rejection, a failure, a verdict, a plan).
    public var direction: Direction? {
        switch self {
        case .httpRequestSent, .httpResponseSent, .messageSent: .sent
        case .httpRequestReceived, .httpResponseReceived, .messageReceived: .received
        case .ping(let direction, _, _), .pong(let direction, _, _), .chatMessage(let direction, _, _, _, _): direction
        case .webSocket(let event): event.direction
        case .mqtt(let event): event.direction
        case .httpRejected, .httpFailed, .httpIdleClose, .peerDead, .reconnect: nil
        }
    }

    /// The detail as text, e.g. `sent #0 GET /index.html HTTP/1.1 header 78 body 0`,
    /// `received #0 HTTP/1.1 200 body 512 latency 40000000 ns`, `sent #3 13 bytes`, `silent 3000000000 ns`.
    public var detail: String {
        switch self {
        case .httpRequestSent(let id, let line, let header, let body):
            "sent #\(id) \(line) header \(header) body \(body)"
        case .httpRequestReceived(let id, let line, let body):
            "received #\(id) \(line) body \(body)"
        case .httpResponseSent(let id, let version, let status, let header, let body):
            "sent #\(id) \(version) \(status) header \(header) body \(body)"
        case .httpResponseReceived(let id, let version, let status, let body, let latency):
            "received #\(id) \(version) \(status) body \(body) latency \(latency) ns"
        case .httpRejected(let status, let reason):
            reason.isEmpty ? "\(status)" : "\(status) \(reason)"
        case .httpFailed(let id, let reason):
            "#\(id) \(reason)"
        case .httpIdleClose(let idle):
            "idle \(idle) ns"
        case .messageSent(let id, let header, let payload):
            "sent #\(id) header \(header) payload \(payload)"
        case .messageReceived(let id, let payload, let latency):
            "received #\(id) payload \(payload)" + (latency.map { " latency \($0) ns" } ?? "")
        case .ping(let direction, let sequence, let bytes), .pong(let direction, let sequence, let bytes):
            "\(direction.rawValue) #\(sequence) \(bytes) bytes"
        case .peerDead(let silence):
            "silent \(silence) ns"
        case .reconnect(let attempt, let delay):
            "attempt \(attempt) in \(delay) ns"
        case .chatMessage(let direction, let id, let from, let payload, let latency):
            "\(direction.rawValue) #\(id) from \(from) payload \(payload)" + (latency.map { " latency \($0) ns" } ?? "")
        case .webSocket(let event):
            event.detail
        case .mqtt(let event):
            event.detail
        }
    }

    public var description: String { detail.isEmpty ? name : "\(name) \(detail)" }

    /// The event named `name` with `detail` as `detail` writes it, or nil.
    public init?(name: String, detail: String) {
        var reader = DetailReader(detail)
        switch name {
        case "http-request":
            guard let direction = reader.direction(), let id = reader.id(), let line = reader.requestLine() else { return nil }
            switch direction {
            case .sent:
                guard let header = reader.count(after: "header"), let body = reader.count(after: "body") else { return nil }
                self = .httpRequestSent(id: id, request: line, headerBytes: header, bodyBytes: body)
            case .received:
                guard let body = reader.count(after: "body") else { return nil }
                self = .httpRequestReceived(id: id, request: line, bodyBytes: body)
            }
        case "http-response":
            guard let direction = reader.direction(), let id = reader.id(), let version = reader.version(),
                  let status = reader.status() else { return nil }
            switch direction {
            case .sent:
                guard let header = reader.count(after: "header"), let body = reader.count(after: "body") else { return nil }
                self = .httpResponseSent(id: id, version: version, status: status, headerBytes: header, bodyBytes: body)
            case .received:
                guard let body = reader.count(after: "body"), let latency = reader.nanoseconds(after: "latency") else {
                    return nil
                }
                self = .httpResponseReceived(id: id, version: version, status: status, bodyBytes: body, latency: latency)
            }
        case "http-rejected":
            guard let status = reader.status() else { return nil }
            self = .httpRejected(status: status, reason: reader.rest())
            return
        case "http-failed":
            guard let id = reader.id() else { return nil }
            let reason = reader.rest()
            guard !reason.isEmpty else { return nil }
            self = .httpFailed(id: id, reason: reason)
            return
        case "http-idle-close":
            guard let idle = reader.nanoseconds(after: "idle") else { return nil }
            self = .httpIdleClose(idle: idle)
        case "message":
            guard let direction = reader.direction(), let id = reader.id() else { return nil }
            switch direction {
            case .sent:
                guard let header = reader.count(after: "header"), let payload = reader.count(after: "payload") else {
                    return nil
                }
                self = .messageSent(id: id, headerBytes: header, payloadBytes: payload)
            case .received:
                guard let payload = reader.count(after: "payload") else { return nil }
                var latency: Int64?
                if !reader.isAtEnd {
                    guard let value = reader.nanoseconds(after: "latency") else { return nil }
                    latency = value
                }
                self = .messageReceived(id: id, payloadBytes: payload, latency: latency)
            }
        case "ping", "pong":
            guard let direction = reader.direction(), let sequence = reader.sequence(), let bytes = reader.count(),
                  reader.word() == "bytes" else { return nil }
            self = name == "ping" ? .ping(direction, sequence: sequence, bytes: bytes)
                : .pong(direction, sequence: sequence, bytes: bytes)
        case "peer-dead":
            guard let silence = reader.nanoseconds(after: "silent") else { return nil }
            self = .peerDead(silence: silence)
        case "reconnect":
            guard let attempt = reader.count(after: "attempt"), let delay = reader.nanoseconds(after: "in") else {
                return nil
            }
            self = .reconnect(attempt: attempt, delay: delay)
        case "chat-message":
            guard let direction = reader.direction(), let id = reader.id(), let from = reader.text(after: "from"),
                  let payload = reader.count(after: "payload") else { return nil }
            var latency: Int64?
            if !reader.isAtEnd {
                guard let value = reader.nanoseconds(after: "latency") else { return nil }
                latency = value
            }
            self = .chatMessage(direction, id: id, from: from, payloadBytes: payload, latency: latency)
        default:
            if let event = WebSocketTraceEvent(name: name, detail: detail) {
                self = .webSocket(event)
                return
            }
            if let event = MQTTTraceEvent(name: name, detail: detail) {
                self = .mqtt(event)
                return
            }
            return nil
        }
        guard reader.isAtEnd else { return nil }
    }
}
