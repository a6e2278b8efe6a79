import Protocols
import Sockets
import Tracing

/// A chat reader over plain HTTP/1.1, on one persistent connection:
///
/// - polling (`interval` set): `GET /poll?since=N` at the start and every interval after it,
///   whether or not anything is new (a tick that finds the previous poll unanswered sends the
///   next one as soon as the answer is in);
/// - long polling (`interval` nil): `GET /longpoll?since=N`, which the server holds until there
///   is something new, and the next request as soon as each answer is in.
///
/// Each message read is recorded as `chat-message received` with its delivery latency (from
/// when it was posted to now); each request and response as `http-request` and `http-response`.
/// After `count` messages the client closes. A connection that closes first (the server's idle
/// timeout, a failure) is replaced by a new one.
public final class PollClientApplication {
    let host: any SocketHost
    public let settings: PollClientSettings
    let trace: ApplicationTrace
    private var connection: AppConnection?
    private var machine = HTTPClientConnection()
    private var since = 0
    /// Messages read so far.
    public private(set) var received = 0
    private var inFlight: (id: Int, issuedAt: Int64, line: HTTPRequestLine)?
    /// A poll is due but the previous one is unanswered.
    private var due = false
    private var pendingBytes: [[UInt8]] = []
    private var timer: (any Cancellable)?
    private var startedAt: Int64 = 0
    private var ticks: Int64 = 0
    private var finished = false
    private var fruitlessConnections = 0
    private var answeredOnConnection = 0

    public init(host: any SocketHost, settings: PollClientSettings, trace: ApplicationTrace) {
        self.host = host
        self.settings = settings
        self.trace = trace
    }

    var path: String { settings.interval == nil ? "/longpoll" : "/poll" }

    /// Connects and sends the first poll; a polling client then polls on its clock.
    public func start() throws(SocketError) {
        startedAt = host.now
        try open()
        poll()
        if settings.interval != nil { scheduleTick() }
    }

    /// Aborts the connection and stops polling.
    public func stop() {
        finished = true
        timer?.cancel()
        timer = nil
        connection?.abort()
        connection = nil
    }

    /// The connection, by name, while it is open.
    public var openConnection: String? { connection.flatMap { $0.isFinished ? nil : $0.name } }

    // MARK: - Polls

    private func scheduleTick() {
        guard let interval = settings.interval, !finished else { return }
        ticks += 1
        let next = startedAt + ticks * interval
        timer = host.at(nanoseconds: next) { [weak self] in
            guard let self else { return }
            self.timer = nil
            if self.inFlight == nil { self.poll() } else { self.due = true }
            self.scheduleTick()
        }
    }

    /// Writes the next request: `GET PATH?since=N` with `Host`, as a browser's script would.
    private func poll() {
        guard !finished, inFlight == nil, let connection else { return }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: settings.port == 80 ? settings.host : "\(settings.host):\(settings.port)")
        headers.add(name: "User-Agent", value: "stacklab/0.1")
        headers.add(name: "Accept", value: "application/json")
        let target = "\(path)?since=\(since)"
        let request = HTTPRequest(method: .get, target: target, version: .http1_1, headers: headers)
        let (id, actions) = machine.enqueue(request)
        inFlight = (id, host.now, HTTPRequestLine(method: "GET", target: target, version: "HTTP/1.1"))
        due = false
        if connection.isOpen {
            perform(actions)
        } else {
            pendingBytes += actions.compactMap { if case .send(let bytes) = $0 { bytes } else { nil } }
        }
    }

    // MARK: - Connection

    private func open() throws(SocketError) {
        let address = SocketAddress(host: settings.host, port: settings.port)
        let connection = try AppConnection.connect(from: host, to: address, trace: trace)
        self.connection = connection
        machine = HTTPClientConnection()
        answeredOnConnection = 0
        connection.onEvent = { [weak self, weak connection] event in
            guard let self, let connection, connection === self.connection else { return }
            self.handle(event)
        }
    }

    private func handle(_ event: SocketEvent) {
        guard let connection else { return }
        switch event {
        case .opened:
            let bytes = pendingBytes
            pendingBytes = []
            for chunk in bytes { send(chunk) }
        case .data(let bytes):
            perform(machine.receive(bytes))
        case .peerFinished:
            perform(machine.receiveEndOfStream())
            connection.close()
        case .error:
            perform(machine.receiveEndOfStream())
        case .closed:
            self.connection = nil
            reconnect()
        }
    }

    /// The connection is gone with messages still to read: ask again on a new one (three that
    /// answer nothing in a row end the attempt).
    private func reconnect() {
        guard !finished else { return }
        if answeredOnConnection == 0 { fruitlessConnections += 1 }
        inFlight = nil
        pendingBytes = []
        guard fruitlessConnections < 3 else { return stop() }
        do {
            try open()
            poll()
        } catch {
            stop()
        }
    }

    private func send(_ bytes: [UInt8]) {
        guard let connection, let request = inFlight else { return }
        connection.record(.httpRequestSent(id: request.id, request: request.line, headerBytes: bytes.count, bodyBytes: 0))
        connection.send(bytes)
    }

    private func perform(_ actions: [HTTPClientConnection.Action]) {
        for action in actions {
            switch action {
            case .send(let bytes):
                send(bytes)
            case .interim, .upgraded, .failed:
                break
            case .response(let id, let response):
                answered(id: id, response)
            case .close:
                connection?.close()
            }
        }
    }

    private func answered(id: Int, _ response: HTTPResponse) {
        guard let connection, let request = inFlight, request.id == id else { return }
        inFlight = nil
        answeredOnConnection += 1
        fruitlessConnections = 0
        connection.record(.httpResponseReceived(id: id, version: response.version.description, status: response.status,
                                                bodyBytes: response.body.count, latency: connection.now - request.issuedAt))
        if response.status == 200, let messages = ChatMessage.list(from: response.body) {
            for message in messages where (message.seq ?? 0) >= since {
                received += 1
                connection.record(.chatMessage(.received, id: message.id, from: TraceWord.encode(message.from),
                                               payloadBytes: message.bytes.count, latency: connection.now - message.at))
                since = (message.seq ?? since) + 1
            }
        }
        if settings.count > 0 && received >= settings.count {
            finished = true
            timer?.cancel()
            timer = nil
            connection.close()
            return
        }
        if settings.interval == nil || due { poll() }
    }
}
