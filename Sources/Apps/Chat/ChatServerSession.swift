import Protocols
import Sockets
import Tracing

/// One connection to the chat server: HTTP first (the page, polls, long polls), and a WebSocket
/// after a successful upgrade (RFC 6455 §4.2).
///
/// HTTP requests and responses are recorded as `http-request` and `http-response`, with the
/// upgrade request and its 101 as `websocket-upgrade` and `websocket-accept`; a held long poll is
/// answered by the room's next message or, after the hold time, with 204.
final class ChatServerSession {
    let connection: AppConnection
    private unowned let server: ChatServerApplication
    private var machine: HTTPServerConnection
    private var lastActivity: Int64
    private var idleTimer: (any Cancellable)?
    /// Responses still to be written, in request order: id, request line (nil for the error
    /// response to input that could not be parsed, and for the 101).
    private var awaiting: [(id: Int, line: HTTPRequestLine)?] = []
    /// A long poll being held: its request id, where it reads from, the room token and the timer.
    private var held: (id: Int, since: Int, token: Int, timer: any Cancellable)?
    private var webSocket: WebSocketSession?
    /// The handshake of an upgrade being answered.
    private var handshake: WebSocketServerHandshake?
    private var roomToken: Int?
    var onClosed: (() -> Void)?

    init(connection: AppConnection, server: ChatServerApplication) {
        self.connection = connection
        self.server = server
        machine = HTTPServerConnection(limits: HTTPLimits(), idleTimeout: ApplicationOperation.defaultIdleTimeout)
        lastActivity = connection.now
    }

    func start() {
        connection.onEvent = { [weak self] event in self?.handle(event) }
        armIdleTimer()
    }

    func abort() {
        release()
        if let webSocket { webSocket.abort() } else { connection.abort() }
    }

    // MARK: - HTTP

    private func handle(_ event: SocketEvent) {
        switch event {
        case .opened, .error:
            break
        case .data(let bytes):
            lastActivity = connection.now
            perform(machine.receive(bytes))
            armIdleTimer()
        case .peerFinished:
            perform(machine.receiveEndOfStream())
        case .closed:
            release()
            onClosed?()
        }
    }

    /// Cancels the timers and leaves the room.
    private func release() {
        idleTimer?.cancel()
        idleTimer = nil
        if let held {
            held.timer.cancel()
            server.room.leave(held.token)
            self.held = nil
        }
        if let roomToken {
            server.room.leave(roomToken)
            self.roomToken = nil
        }
    }

    private func perform(_ actions: [HTTPServerConnection.Action]) {
        for action in actions {
            switch action {
            case .request(let id, let request):
                route(id: id, request)
            case .send(let bytes):
                lastActivity = connection.now
                recordResponse(bytes)
                connection.send(bytes)
            case .close:
                release()
                connection.close()
            case .rejected(let error):
                let reason = String(error.description.unicodeScalars.map {
                    $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0)
                })
                connection.record(.httpRejected(status: error.status, reason: reason))
                awaiting.append(nil)
                server.log("\(connection.socket.remoteAddress) malformed request: \(error.description)")
            case .upgrade(let leftover):
                becomeWebSocket(leftover: leftover)
            }
        }
    }

    private func route(id: Int, _ request: HTTPRequest) {
        let line = HTTPRequestLine(method: request.method.name, target: HTTPServerSession.traceable(request.target),
                                   version: request.version.description)
        if request.isUpgradeRequest {
            upgrade(id: id, request, line: line)
            return
        }
        connection.record(.httpRequestReceived(id: id, request: line, bodyBytes: request.body.count))
        awaiting.append((id, line))
        let path = String(request.target.prefix { $0 != "?" })
        let since = Self.since(request.target)
        guard request.method == .get || request.method == .head else {
            return respond(id, Self.response(405, "text/plain; charset=utf-8", Array("405 Method Not Allowed\n".utf8),
                                             extra: [("Allow", "GET, HEAD")]))
        }
        if server.isEcho {
            return respond(id, Self.response(426, "text/plain; charset=utf-8",
                                             Array("A WebSocket echo endpoint: connect with a WebSocket client.\n".utf8),
                                             extra: [("Upgrade", "websocket")]))
        }
        switch path {
        case "/", "/index.html":
            respond(id, Self.response(200, "text/html; charset=utf-8", Array(ChatPage.html.utf8)))
        case "/poll":
            answerPoll(id: id, since: since)
        case "/longpoll":
            let messages = server.room.messages(since: since)
            if !messages.isEmpty { return answerPoll(id: id, since: since) }
            let token = server.room.listen { [weak self] _ in self?.releaseHeld(answering: true) }
            let timer = connection.host.after(nanoseconds: server.hold) { [weak self] in
                self?.releaseHeld(answering: false)
            }
            held = (id, since, token, timer)
        default:
            respond(id, Self.response(404, "text/plain; charset=utf-8", Array("404 Not Found: \(request.target)\n".utf8)))
        }
    }

    /// Answers a held long poll: with the messages now there, or (timeout) with 204.
    private func releaseHeld(answering: Bool) {
        guard let held else { return }
        self.held = nil
        held.timer.cancel()
        server.room.leave(held.token)
        if answering {
            answerPoll(id: held.id, since: held.since)
        } else {
            respond(held.id, Self.response(204, nil, []))
        }
        armIdleTimer()
    }

    private func answerPoll(id: Int, since: Int) {
        let messages = server.room.messages(since: since)
        guard !messages.isEmpty else { return respond(id, Self.response(204, nil, [])) }
        respond(id, Self.response(200, "application/json", ChatMessage.list(messages)))
    }

    private func respond(_ id: Int, _ response: HTTPResponse) {
        perform(machine.respond(to: id, with: response))
    }

    /// `?since=N` of a target, 0 when absent or not a number.
    static func since(_ target: String) -> Int {
        guard let query = target.split(separator: "?", maxSplits: 1).dropFirst().first else { return 0 }
        for pair in query.split(separator: "&") where pair.hasPrefix("since=") {
            return Int(pair.dropFirst(6)).map { max(0, $0) } ?? 0
        }
        return 0
    }

    /// A response with `Server`, `Cache-Control: no-store` (a poll must reach the server) and,
    /// when there is a body, its type.
    static func response(_ status: Int, _ contentType: String?, _ body: [UInt8],
                         extra: [(String, String)] = []) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Server", value: WebSite.builtIn.serverName)
        headers.add(name: "Cache-Control", value: "no-store")
        if let contentType { headers.add(name: "Content-Type", value: contentType) }
        for (name, value) in extra { headers.add(name: name, value: value) }
        return HTTPResponse(status: status, version: .http1_1, headers: headers, body: body)
    }

    /// Records a final response's sizes, as `HTTPServerSession` does.
    private func recordResponse(_ bytes: [UInt8]) {
        guard let (version, status) = HTTPServerSession.statusLine(bytes), status >= 200 || status == 101,
              !awaiting.isEmpty else { return }
        let head = HTTPServerSession.headerLength(bytes)
        let entry = awaiting.removeFirst()
        if status == 101, let handshake {
            connection.record(.webSocket(.accept(.sent, accept: WebSocket.accept(key: handshake.key), headerBytes: head)))
            return
        }
        guard let request = entry else { return }
        connection.record(.httpResponseSent(id: request.id, version: version, status: status, headerBytes: head,
                                            bodyBytes: bytes.count - head))
        server.log("\(connection.socket.remoteAddress) \"\(request.line)\" \(status) \(bytes.count - head)")
    }

    // MARK: - WebSocket

    /// Checks an upgrade request (RFC 6455 §4.2.1) and answers 101, or 400/426 with the reason.
    private func upgrade(id: Int, _ request: HTTPRequest, line: HTTPRequestLine) {
        let fields = request.headers.map { (name: $0.name, value: $0.value) }
        let handshakeRequest = WebSocketHandshakeRequest(method: request.method.name, target: request.target,
                                                         version: request.version.description, headers: fields)
        let path = String(request.target.prefix { $0 != "?" })
        let key = request.headers.first(name: "Sec-WebSocket-Key") ?? ""
        connection.record(.webSocket(.upgrade(.received, key: TraceWord.encode(key),
                                              headerBytes: HTTPSerializer.serialize(request).count)))
        do {
            guard server.isEcho || path == "/chat" else {
                awaiting.append((id, line))
                return respond(id, Self.response(404, "text/plain; charset=utf-8",
                                                 Array("404 Not Found: the chat is at /chat\n".utf8)))
            }
            let handshake = try WebSocketServerHandshake(request: handshakeRequest)
            self.handshake = handshake
            awaiting.append(nil)
            let response = HTTPResponse(status: 101, reason: "Switching Protocols", version: .http1_1,
                                        headers: HTTPHeaders(handshake.response.headers.map { ($0.name, $0.value) }))
            respond(id, response)
        } catch {
            awaiting.append((id, line))
            server.log("\(connection.socket.remoteAddress) refused a WebSocket handshake: \(error)")
            let rejection = error.rejection
            var response = HTTPResponse(status: rejection.status, reason: rejection.reason, version: .http1_1,
                                        headers: HTTPHeaders(rejection.headers.map { ($0.name, $0.value) }),
                                        body: Array("\(rejection.status) \(rejection.reason): \(error)\n".utf8))
            response.headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
            respond(id, response)
        }
    }

    /// The 101 is out: from here on the connection speaks WebSocket.
    private func becomeWebSocket(leftover: [UInt8]) {
        idleTimer?.cancel()
        idleTimer = nil
        let session = WebSocketSession(connection: connection, machine: .server())
        webSocket = session
        let echo = server.isEcho
        session.onMessage = { [weak self, weak session] message in
            guard let self, let session else { return }
            switch (echo, message) {
            case (true, _), (false, .binary):
                // Binary data is not chat: it goes back to its sender, as the echo endpoint sends everything.
                session.send(message)
            case (false, .text(let text)):
                self.posted(text)
            }
        }
        session.onClose = { [weak self] _, _ in
            guard let self else { return }
            self.server.log("\(self.connection.socket.remoteAddress) WebSocket closed")
        }
        connection.onEvent = nil
        session.start(leftover: leftover)
        // The session took the socket's events over; a closed socket still ends this session.
        let forward = connection.onEvent
        connection.onEvent = { [weak self] event in
            forward?(event)
            if case .closed = event {
                self?.release()
                self?.onClosed?()
            }
        }
        server.log("\(connection.socket.remoteAddress) WebSocket open")
        guard !echo else { return }
        roomToken = server.room.listen { [weak self] message in self?.push(message) }
    }

    /// A text message from this client: `{"from":…,"text":…}` (with `id` and `at` when the
    /// client has a clock in common with the server), or plain text from an anonymous writer.
    private func posted(_ text: String) {
        let bytes = Array(text.utf8)
        if let message = ChatMessage(bytes: bytes) {
            server.post(from: message.from, text: message.text, at: message.at, id: message.id, on: connection)
            return
        }
        if let value = try? JSONParser().parse(bytes: bytes), let words = value["text"]?.stringValue {
            let from = value["from"]?.stringValue ?? "guest"
            server.post(from: String(from.prefix(40)), text: String(words.prefix(2000)), at: connection.now, id: nil,
                        on: connection)
            return
        }
        server.post(from: "guest", text: String(text.prefix(2000)), at: connection.now, id: nil, on: connection)
    }

    /// Pushes a posted message to this WebSocket client.
    private func push(_ message: ChatMessage) {
        guard let webSocket, webSocket.isOpen else { return }
        webSocket.send(.text(String(decoding: message.bytes, as: UTF8.self)))
    }

    // MARK: - Idle timeout

    /// Closes an HTTP connection idle for the idle timeout (RFC 9112 §9.5); never while a long
    /// poll is held, nor once it is a WebSocket.
    private func armIdleTimer() {
        idleTimer?.cancel()
        idleTimer = nil
        guard webSocket == nil, held == nil, let deadline = machine.idleDeadline(lastActivity: lastActivity),
              !connection.isFinished else { return }
        idleTimer = connection.host.at(nanoseconds: deadline) { [weak self] in
            guard let self else { return }
            self.idleTimer = nil
            guard self.held == nil, self.machine.shouldCloseForIdleness(now: self.connection.now,
                                                                        lastActivity: self.lastActivity) else {
                self.armIdleTimer()
                return
            }
            self.connection.record(.httpIdleClose(idle: self.connection.now - self.lastActivity))
            self.connection.close()
        }
    }
}
