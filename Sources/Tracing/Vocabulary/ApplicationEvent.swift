/// What an application protocol did on a connection, as the trace records it: HTTP requests and
/// responses, the long connection's messages and heartbeats, a peer given up for dead.
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

    /// `http-request`, `http-response`, `http-rejected`, `http-failed`, `http-idle-close`,
    /// `message`, `ping`, `pong`, `peer-dead`, `reconnect`.
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
        }
    }

    /// Every event name, in the order above.
    public static let names = ["http-request", "http-response", "http-rejected", "http-failed", "http-idle-close",
                               "message", "ping", "pong", "peer-dead", "reconnect"]

    /// Whether the application wrote or read what the event describes; nil for events that are
    /// neither (a rejection, a failure, a verdict, a plan).
    public var direction: Direction? {
        switch self {
        case .httpRequestSent, .httpResponseSent, .messageSent: .sent
        case .httpRequestReceived, .httpResponseReceived, .messageReceived: .received
        case .ping(let direction, _, _), .pong(let direction, _, _): direction
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
        }
    }

    public var description: String { "\(name) \(detail)" }

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
        default:
            return nil
        }
        guard reader.isAtEnd else { return nil }
    }
}

/// Reads the words of an application event's detail, strictly: decimal numbers without signs or
/// leading zeros, exact keywords.
private struct DetailReader {
    private var words: [Substring]
    private var index = 0

    init(_ detail: String) {
        words = detail.split(separator: " ", omittingEmptySubsequences: false)
        if detail.isEmpty { words = [] }
    }

    var isAtEnd: Bool { index == words.count }

    mutating func word() -> Substring? {
        guard index < words.count else { return nil }
        index += 1
        return words[index - 1]
    }

    /// The remaining words joined by spaces (possibly empty).
    mutating func rest() -> String {
        defer { index = words.count }
        return words[index...].joined(separator: " ")
    }

    mutating func direction() -> ApplicationEvent.Direction? {
        word().flatMap { ApplicationEvent.Direction(rawValue: String($0)) }
    }

    private static func decimal(_ text: Substring) -> UInt64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              text == "0" || text.first != "0" else { return nil }
        return UInt64(text)
    }

    mutating func count() -> Int? {
        word().flatMap(Self.decimal).flatMap { $0 <= UInt64(Int.max) ? Int($0) : nil }
    }

    mutating func count(after keyword: String) -> Int? {
        guard word() == Substring(keyword) else { return nil }
        return count()
    }

    /// `#N`.
    mutating func id() -> Int? {
        guard let text = word(), text.first == "#", let value = Self.decimal(text.dropFirst()),
              value <= UInt64(Int.max) else { return nil }
        return Int(value)
    }

    /// `#N` as an unsigned 64-bit sequence number.
    mutating func sequence() -> UInt64? {
        guard let text = word(), text.first == "#" else { return nil }
        return Self.decimal(text.dropFirst())
    }

    /// `KEYWORD N ns`.
    mutating func nanoseconds(after keyword: String) -> Int64? {
        guard word() == Substring(keyword), let value = word().flatMap(Self.decimal), value <= UInt64(Int64.max),
              word() == "ns" else { return nil }
        return Int64(value)
    }

    /// `HTTP/D.D`.
    mutating func version() -> String? {
        guard let text = word(), text.utf8.count == 8, text.hasPrefix("HTTP/"),
              text.utf8.enumerated().allSatisfy({ offset, byte in
                  offset < 5 || (offset == 6 ? byte == 0x2E : byte >= 0x30 && byte <= 0x39)
              }) else { return nil }
        return String(text)
    }

    /// A three-digit status code, 100 to 999.
    mutating func status() -> Int? {
        guard let text = word(), text.utf8.count == 3, let value = Self.decimal(text), value >= 100 else { return nil }
        return Int(value)
    }

    /// `METHOD TARGET HTTP/D.D`: a method of visible characters, a non-empty target without spaces.
    mutating func requestLine() -> HTTPRequestLine? {
        guard let method = word(), !method.isEmpty, let target = word(), !target.isEmpty,
              let version = version() else { return nil }
        return HTTPRequestLine(method: String(method), target: String(target), version: version)
    }
}
