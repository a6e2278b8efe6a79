import Protocols
import Sockets
import Tracing

/// A client holding one long connection (the source article's "socket long connection"):
/// length-framed messages both ways over a connection that stays open, optionally
///
/// - a series of requests for a page (`get PATH count N`), each sent when the previous answer
///   is complete, as the HTTP client does, but without HTTP's header on either side;
/// - heartbeats: a PING every T answered by PONG; after k silent intervals the peer is declared
///   dead and the connection aborted (`HeartbeatMonitor`);
/// - TCP keepalive on the socket (`SO_KEEPALIVE`), for comparison;
/// - reconnection after the connection is lost, with exponential backoff and full jitter drawn
///   from `ApplicationRandom` (the run's seed and the application's label).
///
/// The latency recorded with each answer runs from when the request was issued (for the first
/// request, when the connection was asked for) to the answer's last byte.
public final class LongSocketClientApplication {
    let host: any SocketHost
    public let settings: LongSocketClientSettings
    let trace: ApplicationTrace
    private var random: ApplicationRandom
    private var backoff: ReconnectBackoff?
    private var connection: AppConnection?
    private var decoder = HeartbeatFrameDecoder()
    private var driver: HeartbeatDriver?
    private var reconnectTimer: (any Cancellable)?
    private var isStopped = false
    /// DATA frames sent and not yet answered: the id and when the request was issued.
    private var outstanding: [(id: Int, issuedAt: Int64, isRequest: Bool)] = []
    private var nextID = 0
    /// Page requests answered so far.
    public private(set) var requestsAnswered = 0
    /// When the next request (the first, or the one after a lost connection) was issued.
    private var requestIssuedAt: Int64?
    /// `message` sizes asked for before the connection opened.
    private var queuedMessages: [Int] = []
    /// Bytes of pattern sent in messages so far, so each message continues the pattern.
    private var messageOffset = 0
    private var attempts = 0

    public init(host: any SocketHost, settings: LongSocketClientSettings, random: ApplicationRandom,
                trace: ApplicationTrace) {
        self.host = host
        self.settings = settings
        self.random = random
        self.trace = trace
        backoff = settings.reconnect.map { ReconnectBackoff(base: $0.base, cap: $0.cap, jitter: .full) }
    }

    /// The connection's name while one is open.
    public var openConnection: String? {
        guard let connection, !connection.isFinished else { return nil }
        return connection.name
    }

    public func start() throws(SocketError) {
        if settings.path != nil && settings.count > 0 { requestIssuedAt = host.now }
        try connect()
    }

    /// Aborts the connection and stops reconnecting.
    public func stop() {
        isStopped = true
        reconnectTimer?.cancel()
        reconnectTimer = nil
        driver?.stop()
        connection?.abort()
    }

    /// Sends one DATA frame of `bytes` pattern bytes (echoed by the server); queued while connecting.
    public func sendMessage(bytes: Int) {
        guard let connection, connection.isOpen, !connection.isFinished else {
            queuedMessages.append(bytes)
            return
        }
        let payload = PayloadPattern.bytes(from: messageOffset, count: bytes)
        messageOffset += bytes
        send(payload, isRequest: false, issuedAt: connection.now, on: connection)
    }

    // MARK: - Connection

    private func connect() throws(SocketError) {
        decoder = HeartbeatFrameDecoder()
        let connection = try AppConnection.connect(from: host, to: SocketAddress(host: settings.host, port: settings.port),
                                                   trace: trace)
        self.connection = connection
        connection.onEvent = { [weak self, weak connection] event in
            guard let self, let connection, connection === self.connection else { return }
            self.handle(event, on: connection)
        }
    }

    private func handle(_ event: SocketEvent, on connection: AppConnection) {
        switch event {
        case .opened:
            backoff?.reset()
            attempts = 0
            if let keepalive = settings.keepalive { connection.setKeepalive(keepalive) }
            if let heartbeat = settings.heartbeat {
                let driver = HeartbeatDriver(connection: connection, settings: heartbeat)
                driver.onPeerDead = { [weak connection] in connection?.abort() }
                self.driver = driver
                driver.start()
            }
            issueRequestIfDue(on: connection)
            let messages = queuedMessages
            queuedMessages = []
            for size in messages { sendMessage(bytes: size) }
        case .data(let bytes):
            let result = decoder.feed(bytes)
            for frame in result.frames { handle(frame, on: connection) }
            if result.error != nil {
                driver?.stop()
                connection.abort()
            }
        case .peerFinished:
            driver?.stop()
            connection.close()
        case .error:
            break
        case .closed:
            driver?.stop()
            driver = nil
            lost()
        }
    }

    private func handle(_ frame: HeartbeatFrame, on connection: AppConnection) {
        if frame.kind != .data { LongSocketWire.recordHeartbeat(frame, on: connection) }
        driver?.received(frame)
        switch frame.kind {
        case .data:
            guard !outstanding.isEmpty else { return }
            let request = outstanding.removeFirst()
            connection.record(.messageReceived(id: request.id, payloadBytes: frame.payload.count,
                                               latency: connection.now - request.issuedAt))
            if request.isRequest {
                requestsAnswered += 1
                if requestsAnswered < settings.count { requestIssuedAt = connection.now }
                issueRequestIfDue(on: connection)
            }
        case .ping, .pong:
            if driver == nil && frame.kind == .ping { LongSocketWire.send(.pong(frame.payload), on: connection) }
        }
    }

    /// Sends the next page request if one is issued and none is outstanding.
    private func issueRequestIfDue(on connection: AppConnection) {
        guard let path = settings.path, requestsAnswered < settings.count, let issuedAt = requestIssuedAt,
              !outstanding.contains(where: \.isRequest) else { return }
        requestIssuedAt = nil
        send(LongSocketFrames.request(for: path), isRequest: true, issuedAt: issuedAt, on: connection)
    }

    private func send(_ payload: [UInt8], isRequest: Bool, issuedAt: Int64, on connection: AppConnection) {
        let id = nextID
        nextID += 1
        outstanding.append((id, issuedAt, isRequest))
        connection.record(.messageSent(id: id, headerBytes: HeartbeatFrame.headerLength, payloadBytes: payload.count))
        connection.send(HeartbeatFrame.data(payload).encoded())
    }

    /// The connection is gone: a request that was in flight is issued again on the next one,
    /// which comes after the backoff's delay (if reconnecting at all).
    private func lost() {
        if outstanding.contains(where: \.isRequest) || (settings.path != nil && requestsAnswered < settings.count
                                                         && requestIssuedAt == nil) {
            requestIssuedAt = host.now
        }
        outstanding.removeAll()
        nextID = 0
        guard !isStopped, var backoff else { return }
        let delay = backoff.nextDelay(random: random.next())
        self.backoff = backoff
        attempts += 1
        trace.record(host, .application(socket: connection?.name ?? host.name,
                                        event: .reconnect(attempt: attempts, delay: delay)))
        reconnectTimer = host.after(nanoseconds: delay) { [weak self] in
            guard let self, !self.isStopped else { return }
            self.reconnectTimer = nil
            do {
                try self.connect()
            } catch {
                self.lost()
            }
        }
    }
}
