/// The client side of one HTTP/1.x connection, sans I/O: requests in, bytes out; bytes in,
/// responses out, matched to requests in order (RFC 9112 §9.3.2).
///
/// Requests get ids 0, 1, 2, ... in `enqueue` order. With `maxInFlight` above 1 requests are
/// pipelined, but only idempotent ones (RFC 9112 §9.3.2): a non-idempotent or upgrade request
/// waits until nothing is in flight, and nothing follows it until its response arrives. A
/// request that ends persistence (`Connection: close`, or HTTP/1.0 without `keep-alive`) is the
/// last one written. When the connection closes, every request without a response fails with
/// `closedBeforeResponse` (written) or `notSent` (never written), so the glue can retry them on
/// a new connection.
public struct HTTPClientConnection: Sendable {
    /// What the glue code must do, in order.
    public enum Action: Sendable, Hashable {
        /// Write these bytes to the peer.
        case send([UInt8])
        /// An interim (1xx) response to request `id`; its final response follows.
        case interim(id: Int, HTTPResponse)
        /// The final response to request `id`.
        case response(id: Int, HTTPResponse)
        /// A 101 answered upgrade request `id`: the connection now speaks another protocol,
        /// starting with `leftover`, the bytes received after the 101 (RFC 9110 §7.8).
        case upgraded(id: Int, HTTPResponse, leftover: [UInt8])
        /// Request `id` will get no response.
        case failed(id: Int, HTTPClientError)
        /// Close the connection.
        case close
    }

    private struct Queued: Sendable {
        var id: Int
        var request: HTTPRequest
        var framing: HTTPBodyFraming
    }

    private struct InFlight: Sendable {
        var id: Int
        var method: HTTPMethod
        var blocksPipelining: Bool
        var isUpgrade: Bool
    }

    /// The most requests written and still awaiting their final response; 1 means no pipelining.
    public let maxInFlight: Int
    private var parser: HTTPResponseParser
    private var queued: [Queued] = []
    private var inFlight: [InFlight] = []
    private var nextID = 0
    /// Set once a request that ends persistence has been written.
    private var lastRequestWritten = false
    /// Whether the connection has been closed or handed to another protocol; nothing more happens.
    public private(set) var isClosed = false

    /// A connection enforcing `limits` on responses, with up to `maxInFlight` requests outstanding.
    public init(limits: HTTPLimits = HTTPLimits(), maxInFlight: Int = 1) {
        parser = HTTPResponseParser(limits: limits)
        self.maxInFlight = max(1, maxInFlight)
    }

    /// Whether the glue may give this connection more requests: it is open and has not written a
    /// request that ends persistence, nor received a response that does.
    public var isReusable: Bool {
        !isClosed && !lastRequestWritten
    }

    /// Whether no request is queued or in flight.
    public var isIdle: Bool {
        queued.isEmpty && inFlight.isEmpty
    }

    /// Requests written and awaiting their final response.
    public var inFlightCount: Int { inFlight.count }

    /// Requests not yet written.
    public var queuedCount: Int { queued.count }

    /// The bytes the response parser holds.
    public var bufferedByteCount: Int { parser.bufferedByteCount }

    // MARK: Requests

    /// Queues `request`; returns its id and the actions (its bytes, if it can be written now).
    /// On a closed connection the request fails at once with `notSent`.
    public mutating func enqueue(
        _ request: HTTPRequest,
        framing: HTTPBodyFraming = .contentLength
    ) -> (id: Int, actions: [Action]) {
        let id = nextID
        nextID += 1
        guard !isClosed else { return (id, [.failed(id: id, .notSent)]) }
        queued.append(Queued(id: id, request: request, framing: framing))
        return (id, writeQueued())
    }

    // MARK: Input

    /// Bytes arrived from the peer. Bytes when no request is in flight (or left over after the
    /// last expected response) are unsolicited: the connection closes.
    public mutating func receive<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> [Action] {
        guard !isClosed else { return [] }
        let bytes = Array(bytes)
        if bytes.isEmpty { return [] }
        if inFlight.isEmpty {
            return shutDown()
        }
        return handle(parser.feed(bytes))
    }

    /// The peer closed: a response delimited by the close completes (RFC 9112 §6.3 rule 8), a
    /// response cut short fails with `incompleteResponse`, and the connection closes.
    public mutating func receiveEndOfStream() -> [Action] {
        guard !isClosed else { return [] }
        var actions = handle(parser.finish())
        if !isClosed {
            actions += shutDown()
        }
        return actions
    }

    // MARK: Internals

    /// Whether `request` may be written now (RFC 9112 §9.3.2).
    private func mayWrite(_ request: HTTPRequest) -> Bool {
        if isClosed || lastRequestWritten || inFlight.count >= maxInFlight {
            return false
        }
        if inFlight.isEmpty {
            return true
        }
        return !inFlight.contains { $0.blocksPipelining } && !blocksPipelining(request)
    }

    /// Non-idempotent and upgrade requests are never pipelined, nor followed until answered.
    private func blocksPipelining(_ request: HTTPRequest) -> Bool {
        !request.method.isIdempotent || request.isUpgradeRequest
    }

    private mutating func writeQueued() -> [Action] {
        var actions: [Action] = []
        while let next = queued.first, mayWrite(next.request) {
            queued.removeFirst()
            parser.expectResponse(to: next.request.method)
            inFlight.append(InFlight(id: next.id, method: next.request.method,
                                     blocksPipelining: blocksPipelining(next.request),
                                     isUpgrade: next.request.isUpgradeRequest))
            if !next.request.keepsConnectionAlive {
                lastRequestWritten = true
            }
            actions.append(.send(HTTPSerializer.serialize(next.request, framing: next.framing)))
        }
        return actions
    }

    private mutating func handle(_ result: HTTPParseResult<HTTPResponse>) -> [Action] {
        var actions: [Action] = []
        for response in result.messages {
            guard let head = inFlight.first else {
                return actions + shutDown()  // A response nobody asked for.
            }
            if response.status == 101 {
                inFlight.removeFirst()
                guard head.isUpgrade else {
                    actions.append(.failed(id: head.id, .unexpectedUpgrade))
                    return actions + shutDown()
                }
                actions.append(.upgraded(id: head.id, response, leftover: result.unparsed))
                isClosed = true
                return actions + failRemaining()
            }
            if response.isInformational {
                actions.append(.interim(id: head.id, response))
                continue
            }
            inFlight.removeFirst()
            actions.append(.response(id: head.id, response))
            if !response.keepsConnectionAlive || (lastRequestWritten && inFlight.isEmpty) {
                return actions + shutDown()  // RFC 9112 §9.6: close after the last response.
            }
        }
        if result.error == nil && inFlight.isEmpty && !parser.isIdle {
            return actions + shutDown()  // Bytes after the last expected response: unsolicited.
        }
        if let error = result.error {
            if let head = inFlight.first {
                inFlight.removeFirst()
                let failure: HTTPClientError = error.kind == .unexpectedEndOfStream
                    ? .incompleteResponse(error) : .malformedResponse(error)
                actions.append(.failed(id: head.id, failure))
            }
            return actions + shutDown()
        }
        return actions + writeQueued()
    }

    /// Fails every request still waiting, written ones first.
    private mutating func failRemaining() -> [Action] {
        let written = inFlight.map { Action.failed(id: $0.id, .closedBeforeResponse) }
        let unwritten = queued.map { Action.failed(id: $0.id, .notSent) }
        inFlight = []
        queued = []
        return written + unwritten
    }

    private mutating func shutDown() -> [Action] {
        isClosed = true
        return failRemaining() + [.close]
    }
}
