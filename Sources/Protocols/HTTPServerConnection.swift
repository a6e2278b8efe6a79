/// The server side of one HTTP/1.x connection, sans I/O: bytes in, requests out; responses in,
/// bytes out, in request order (RFC 9112 §9.3.2), and when to close.
///
/// The glue code performs the actions in order. Each request gets an id (0, 1, 2, ... in arrival
/// order); the application answers with `respond(to:with:)` in any order, and the bytes are
/// released in request order, as pipelining requires. After each final response the connection
/// decides whether it persists (RFC 9112 §9.3, §9.6): it closes after a request or response with
/// `Connection: close`, and after an HTTP/1.0 request without `keep-alive`. It stops reading at
/// the request that ends persistence, so no later request is reported. A parse error becomes an
/// error response (400, 413, 414, 431, 501, 505) with `Connection: close`, sent in its turn.
public struct HTTPServerConnection: Sendable {
    /// What the glue code must do, in order.
    public enum Action: Sendable, Hashable {
        /// The application must answer this request with `respond(to:with:)`.
        case request(id: Int, HTTPRequest)
        /// Write these bytes to the peer.
        case send([UInt8])
        /// Close the connection (after writing everything before this action).
        case close
        /// The input could not be parsed; the error response is queued behind earlier responses.
        case rejected(HTTPParseError)
        /// A 101 response was sent: the connection now speaks another protocol, starting with
        /// `leftover`, the bytes received after the upgrade request (RFC 9110 §7.8).
        case upgrade(leftover: [UInt8])
    }

    /// What happens after a final response is written.
    private enum Continuation: Sendable {
        case keepOpen
        case close
        case upgrade
    }

    /// A response slot, one per request (or for the error response), in request order.
    private struct Slot: Sendable {
        var id: Int?
        var method: HTTPMethod
        var version: HTTPVersion
        var requestPersists: Bool
        var isUpgradeRequest: Bool
        var interim: [[UInt8]] = []
        var final: [UInt8]?
        var continuation = Continuation.keepOpen
    }

    /// Whether new bytes are parsed.
    private enum Reading: Sendable {
        case reading
        /// Waiting for the answer to an upgrade request; later bytes are kept for the new protocol.
        case awaitingUpgradeDecision
        /// After a request that ends persistence, or an error: later bytes are ignored.
        case stopped
    }

    /// How long the connection may stay idle, in nanoseconds, before the glue closes it (RFC 9112 §9.5).
    public let idleTimeout: Int64
    private var parser: HTTPRequestParser
    private var slots: [Slot] = []
    private var nextID = 0
    private var reading = Reading.reading
    private var upgradeLeftover: [UInt8] = []
    private var peerEnded = false
    /// Whether the connection has been closed or handed to another protocol; nothing more happens.
    public private(set) var isClosed = false

    /// A connection enforcing `limits`, closed by the glue after `idleTimeout` nanoseconds idle.
    public init(limits: HTTPLimits = HTTPLimits(), idleTimeout: Int64 = 60_000_000_000) {
        parser = HTTPRequestParser(limits: limits)
        self.idleTimeout = idleTimeout
    }

    /// Requests reported and not yet answered with a final response.
    public var pendingRequestCount: Int {
        slots.count { $0.id != nil }
    }

    /// The bytes the connection holds for the parser and for a pending upgrade.
    public var bufferedByteCount: Int {
        parser.bufferedByteCount + upgradeLeftover.count
    }

    // MARK: Input

    /// Bytes arrived from the peer.
    ///
    /// While an upgrade request awaits its answer, later bytes are held for the next protocol, up
    /// to `maxBodySize` of the limits; beyond that the connection closes.
    public mutating func receive<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> [Action] {
        guard !isClosed, !peerEnded else { return [] }
        switch reading {
        case .stopped:
            return []
        case .awaitingUpgradeDecision:
            upgradeLeftover.append(contentsOf: bytes)
            if upgradeLeftover.count > parser.limits.maxBodySize {
                // The peer sends too much before the switch: give up rather than hold it all.
                return shutDown()
            }
            return []
        case .reading:
            var actions = handle(parser.feed(bytes))
            actions += flush()
            return actions
        }
    }

    /// The peer closed its sending side: answer what is pending, then close. A request cut short
    /// is answered with 400 like any parse error.
    public mutating func receiveEndOfStream() -> [Action] {
        guard !isClosed else { return [] }
        peerEnded = true
        var actions: [Action] = []
        if case .reading = reading {
            actions += handle(parser.finish())
        }
        actions += flush()
        return actions
    }

    /// The application's answer to request `id`; interim (1xx) responses may precede the final one.
    ///
    /// Responses to an HTTP/1.0 request are sent with `Content-Length`, never chunked. A 101 is
    /// sent only in answer to an upgrade request (otherwise it is dropped); unknown or already
    /// answered ids are ignored. A `Connection: close` or `keep-alive` field is added when the
    /// connection's fate needs saying (RFC 9112 §9.6, §C.2.2).
    public mutating func respond(
        to id: Int,
        with response: HTTPResponse,
        framing: HTTPBodyFraming = .contentLength
    ) -> [Action] {
        guard !isClosed, let index = slots.firstIndex(where: { $0.id == id && $0.final == nil }) else { return [] }
        let slot = slots[index]
        let upgrades = response.status == 101 && slot.isUpgradeRequest
        if response.status == 101 && !upgrades {
            return []
        }
        if response.isInformational && !upgrades {
            slots[index].interim.append(HTTPSerializer.serialize(response, requestMethod: slot.method))
            return flush()
        }
        var response = response
        let persists = upgrades || (slot.requestPersists && response.keepsConnectionAlive)
        if !persists && !response.headers.hasToken("close", in: "Connection") {
            response.headers.add(name: "Connection", value: "close")
        }
        if persists && !upgrades && slot.version == .http1_0
            && !response.headers.hasToken("keep-alive", in: "Connection") {
            response.headers.add(name: "Connection", value: "keep-alive")
        }
        let effectiveFraming = slot.version == .http1_0 ? .contentLength : framing
        slots[index].final = HTTPSerializer.serialize(response, requestMethod: slot.method, framing: effectiveFraming)
        slots[index].continuation = upgrades ? .upgrade : (persists ? .keepOpen : .close)
        return flush()
    }

    // MARK: Idle timeout

    /// Whether the glue should close now: nothing is awaiting the application and no byte has
    /// moved for `idleTimeout` since `lastActivity` (the glue's time of the last byte received or
    /// sent). A partial request does not keep a connection alive (slow senders time out).
    public func shouldCloseForIdleness(now: Int64, lastActivity: Int64) -> Bool {
        guard let deadline = idleDeadline(lastActivity: lastActivity) else { return false }
        return now >= deadline
    }

    /// When the idle timeout expires, or nil while a request awaits its answer (or when closed).
    public func idleDeadline(lastActivity: Int64) -> Int64? {
        guard !isClosed, slots.isEmpty else { return nil }
        let (deadline, overflowed) = lastActivity.addingReportingOverflow(idleTimeout)
        return overflowed ? Int64.max : deadline
    }

    // MARK: Internals

    /// Reports parsed requests and queues an error response; stops reading where persistence ends.
    private mutating func handle(_ result: HTTPParseResult<HTTPRequest>) -> [Action] {
        var actions: [Action] = []
        for request in result.messages {
            let id = nextID
            nextID += 1
            let persists = request.keepsConnectionAlive
            slots.append(Slot(id: id, method: request.method, version: request.version,
                              requestPersists: persists, isUpgradeRequest: request.isUpgradeRequest))
            actions.append(.request(id: id, request))
            if request.isUpgradeRequest {
                reading = .awaitingUpgradeDecision
                upgradeLeftover = result.unparsed
                return actions
            }
            if !persists {
                reading = .stopped  // RFC 9112 §9.6: nothing after a request that says close.
                return actions
            }
        }
        if let error = result.error {
            actions.append(.rejected(error))
            var slot = Slot(id: nil, method: .get, version: .http1_1, requestPersists: false, isUpgradeRequest: false)
            slot.final = HTTPSerializer.serialize(Self.errorResponse(for: error))
            slot.continuation = .close
            slots.append(slot)
            reading = .stopped
        }
        return actions
    }

    /// Sends whatever the head of the line allows, in request order.
    private mutating func flush() -> [Action] {
        var actions: [Action] = []
        while !slots.isEmpty {
            actions += slots[0].interim.map(Action.send)
            slots[0].interim = []
            guard let final = slots[0].final else { break }
            let slot = slots.removeFirst()
            actions.append(.send(final))
            switch slot.continuation {
            case .keepOpen:
                if slot.isUpgradeRequest {
                    // The upgrade was declined: the bytes held for it are HTTP after all.
                    reading = .reading
                    parser.resumeAfterDeclinedUpgrade()
                    let held = upgradeLeftover
                    upgradeLeftover = []
                    actions += handle(parser.feed(held))
                }
            case .close:
                return actions + shutDown()
            case .upgrade:
                let leftover = upgradeLeftover
                upgradeLeftover = []
                isClosed = true
                slots = []
                actions.append(.upgrade(leftover: leftover))
                return actions
            }
        }
        if slots.isEmpty && peerEnded {
            actions += shutDown()
        }
        return actions
    }

    private mutating func shutDown() -> [Action] {
        isClosed = true
        slots = []
        upgradeLeftover = []
        return [.close]
    }

    /// A short text response naming the error, with `Connection: close` (RFC 9112 §9.6).
    static func errorResponse(for error: HTTPParseError) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        headers.add(name: "Connection", value: "close")
        let text = "\(error.status) \(HTTPStatus.reasonPhrase(error.status)): \(error.field): \(error.summary)\n"
        return HTTPResponse(status: error.status, headers: headers, body: Array(text.utf8))
    }
}
