import Protocols
import Sockets
import Tracing

/// A WebSocket client on the socket API, as a browser page would be one: it connects, sends the
/// opening handshake (an HTTP/1.1 GET with `Upgrade: websocket` and a fresh `Sec-WebSocket-Key`,
/// RFC 6455 §4.1), checks the server's `Sec-WebSocket-Accept`, and then speaks frames: it reads
/// chat messages pushed by the server, writes `sends` of its own (masked, §5.3), pings every
/// `pingInterval`, and after `count` messages starts the close handshake with 1000.
///
/// The key and the masking keys come from the run's seed (`ApplicationRandom`), so a scenario
/// masks with the same keys on the simulator and on the kernel.
public final class WebSocketClientApplication {
    let host: any SocketHost
    public let settings: WebSocketClientSettings
    let trace: ApplicationTrace
    private var random: ApplicationRandom
    private var connection: AppConnection?
    private var http = HTTPClientConnection()
    private var handshake: WebSocketClientHandshake?
    private var session: WebSocketSession?
    private var timers: [any Cancellable] = []
    /// Messages read so far.
    public private(set) var received = 0
    private var sent = 0
    /// How the connection ended: the close code, and whether the close handshake completed.
    public private(set) var closed: (code: Int, clean: Bool)?

    public init(host: any SocketHost, settings: WebSocketClientSettings, random: ApplicationRandom,
                trace: ApplicationTrace) {
        self.host = host
        self.settings = settings
        self.random = random
        self.trace = trace
    }

    /// The connection, by name, while it is open.
    public var openConnection: String? { connection.flatMap { $0.isFinished ? nil : $0.name } }

    public func start() throws(SocketError) {
        let address = SocketAddress(host: settings.host, port: settings.port)
        let connection = try AppConnection.connect(from: host, to: address, trace: trace)
        self.connection = connection
        connection.onEvent = { [weak self] event in self?.handle(event) }
    }

    public func stop() {
        for timer in timers { timer.cancel() }
        timers = []
        if let session { session.abort() } else { connection?.abort() }
    }

    // MARK: - The opening handshake

    private func handle(_ event: SocketEvent) {
        guard let connection else { return }
        switch event {
        case .opened:
            sendHandshake(on: connection)
        case .data(let bytes):
            perform(http.receive(bytes), on: connection)
        case .peerFinished:
            perform(http.receiveEndOfStream(), on: connection)
            connection.close()
        case .error, .closed:
            break
        }
    }

    private func sendHandshake(on connection: AppConnection) {
        let keyBytes = (0..<2).flatMap { _ in
            let value = random.next()
            return (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
        }
        let portSuffix = settings.port == 80 ? "" : ":\(settings.port)"
        let handshake = WebSocketClientHandshake(host: settings.host + portSuffix, path: settings.path,
                                                 keyBytes: keyBytes, origin: "http://\(settings.host)\(portSuffix)")
        self.handshake = handshake
        var headers = HTTPHeaders()
        for field in handshake.request.headers { headers.add(name: field.name, value: field.value) }
        let request = HTTPRequest(method: .get, target: handshake.request.target, version: .http1_1, headers: headers)
        let (_, actions) = http.enqueue(request)
        for case .send(let bytes) in actions {
            connection.record(.webSocket(.upgrade(.sent, key: handshake.key, headerBytes: bytes.count)))
            connection.send(bytes)
        }
    }

    private func perform(_ actions: [HTTPClientConnection.Action], on connection: AppConnection) {
        for action in actions {
            switch action {
            case .upgraded(_, let response, let leftover):
                upgraded(response, leftover: leftover, on: connection)
            case .response(let id, let response):
                // Anything but 101: the server refused; the WebSocket connection fails (§4.1).
                connection.record(.httpResponseReceived(id: id, version: response.version.description,
                                                        status: response.status, bodyBytes: response.body.count,
                                                        latency: 0))
                connection.record(.webSocket(.close(code: 1006, clean: false)))
                closed = (1006, false)
                connection.close()
            case .failed(let id, let error):
                connection.record(.httpFailed(id: id, reason: error.description))
            case .send, .interim, .close:
                break
            }
        }
    }

    private func upgraded(_ response: HTTPResponse, leftover: [UInt8], on connection: AppConnection) {
        guard let handshake else { return }
        let fields = response.headers.map { (name: $0.name, value: $0.value) }
        let answer = WebSocketHandshakeResponse(status: response.status, reason: response.reason,
                                                version: response.version.description, headers: fields)
        let accept = response.headers.first(name: "Sec-WebSocket-Accept") ?? ""
        connection.record(.webSocket(.accept(.received, accept: TraceWord.encode(accept),
                                             headerBytes: HTTPSerializer.serialize(response).count)))
        do {
            _ = try handshake.validate(answer)
        } catch {
            // §4.1: _Fail the WebSocket Connection_.
            connection.record(.webSocket(.error(code: 1002, reason: "\(error)")))
            connection.record(.webSocket(.close(code: 1006, clean: false)))
            closed = (1006, false)
            connection.abort()
            return
        }
        let keys = GeneratorMaskingKeys(random)
        let session = WebSocketSession(connection: connection, machine: .client(maskingKeys: keys))
        self.session = session
        session.onMessage = { [weak self] message in self?.read(message) }
        session.onClose = { [weak self] code, clean in
            guard let self else { return }
            self.closed = (Int(code.rawValue), clean)
            for timer in self.timers { timer.cancel() }
            self.timers = []
        }
        session.start(leftover: leftover)
        scheduleSends()
        schedulePings()
    }

    // MARK: - Messages

    private func read(_ message: WebSocketMessage) {
        guard let connection, let session else { return }
        received += 1
        if case .text(let text) = message, let chat = ChatMessage(bytes: Array(text.utf8)) {
            connection.record(.chatMessage(.received, id: chat.id, from: TraceWord.encode(chat.from),
                                           payloadBytes: chat.bytes.count, latency: connection.now - chat.at))
        }
        if settings.count > 0 && received == settings.count { session.close(code: .normalClosure) }
    }

    private func scheduleSends() {
        guard settings.sends > 0 else { return }
        for number in 1...settings.sends {
            timers.append(host.after(nanoseconds: Int64(number) * settings.sendInterval) { [weak self] in
                self?.write()
            })
        }
    }

    /// Writes the next chat message, stamped with this client's name, number and clock.
    private func write() {
        guard let connection, let session, session.isOpen else { return }
        let message = ChatMessage(from: host.name, id: sent, at: connection.now,
                                  text: "message \(sent + 1) from \(host.name)")
        sent += 1
        connection.record(.chatMessage(.sent, id: message.id, from: TraceWord.encode(message.from),
                                       payloadBytes: message.bytes.count, latency: nil))
        session.send(.text(String(decoding: message.bytes, as: UTF8.self)))
    }

    private func schedulePings() {
        guard let interval = settings.pingInterval else { return }
        timers.append(host.after(nanoseconds: interval) { [weak self] in
            guard let self, let session = self.session, session.isOpen else { return }
            session.ping(Array("ping".utf8))
            self.schedulePings()
        })
    }
}
