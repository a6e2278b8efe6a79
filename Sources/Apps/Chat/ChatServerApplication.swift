import Protocols
import Sockets
import Tracing

/// The chat server: one room delivered three ways, over StackLab's own HTTP and WebSocket code.
///
/// - `GET /poll?since=N` (HTTP polling) answers at once: the messages from place N on as a JSON
///   array, or `204 No Content` when there are none.
/// - `GET /longpoll?since=N` (long polling, "comet") answers at once when there is something new,
///   else holds the request until a message arrives (then answers) or the hold time passes
///   (then answers 204); the client asks again as soon as it has the answer.
/// - `GET /chat` with `Upgrade: websocket` (RFC 6455 §4) turns the connection into a WebSocket:
///   every message is pushed as a text frame the moment it is posted, and a text message from the
///   client (`{"from":…,"text":…}`) is posted to the room. Binary data is not chat: a binary
///   message goes back to its sender.
/// - `GET /` is the chat page (`ChatPage`), for `stacklab serve chat`.
///
/// Messages come from WebSocket clients, and in scenarios from a seeded feed (`ChatFeed`): the
/// same messages at the same times whichever way a reader gets them. In echo mode
/// (`stacklab serve websocket`, `serve websocket` in scenarios) every WebSocket message is sent
/// back to its sender instead, and there is no room.
public final class ChatServerApplication {
    public enum Mode: Sendable {
        case chat(ChatServerSettings)
        case echo(port: UInt16)
    }

    let host: any SocketHost
    public let mode: Mode
    let trace: ApplicationTrace
    let room = ChatRoom()
    private let feed: ChatFeed?
    private var listener: (any StreamListener)?
    private var sessions: [ChatServerSession] = []
    private var feedTimers: [any Cancellable] = []
    /// Called with a line for the server's log (connections, handshakes, messages).
    public var onLog: ((String) -> Void)?

    public init(host: any SocketHost, mode: Mode, trace: ApplicationTrace, seed: UInt64 = 0) {
        self.host = host
        self.mode = mode
        self.trace = trace
        if case .chat(let settings) = mode, let feed = settings.feed {
            self.feed = ChatFeed(settings: feed, random: ApplicationRandom(seed: seed, label: ChatFeed.label(host: host.name)))
        } else {
            feed = nil
        }
    }

    var port: UInt16 {
        switch mode {
        case .chat(let settings): settings.port
        case .echo(let port): port
        }
    }

    var hold: Int64 {
        switch mode {
        case .chat(let settings): settings.hold
        case .echo: ChatServerSettings.defaultHold
        }
    }

    var isEcho: Bool {
        if case .echo = mode { return true }
        return false
    }

    /// The listening address (the real port on loopback, which may differ from `port`).
    public var localAddress: SocketAddress? { listener?.localAddress }

    /// Every message posted so far, in order.
    public var messages: [ChatMessage] { room.messages }

    /// `listen()` on the port, and the feed's messages scheduled.
    public func start(backlog: Int = 128) throws(SocketError) {
        listener = try trace.listen(on: host, port: port, backlog: backlog) { [weak self] socket in self?.accept(socket) }
        for entry in feed?.entries ?? [] {
            feedTimers.append(host.after(nanoseconds: entry.offset) { [weak self] in
                guard let self else { return }
                // The feed is one source: its messages are numbered in the order they come.
                self.post(from: entry.from, text: entry.text, at: self.host.now, id: self.room.messages.count)
            })
        }
    }

    /// Stops listening, cancels the feed and aborts every open connection.
    public func stop() {
        listener?.close()
        listener = nil
        for timer in feedTimers { timer.cancel() }
        feedTimers = []
        for session in sessions { session.abort() }
        sessions.removeAll()
    }

    /// The connections still open, by name (WebSockets and HTTP alike).
    public var openConnections: [String] { sessions.map(\.connection).filter { !$0.isFinished }.map(\.name) }

    /// Posts a message to the room: recorded where it was posted, then pushed to every reader.
    @discardableResult
    func post(from: String, text: String, at: Int64, id: Int?, on connection: AppConnection? = nil) -> ChatMessage {
        let message = room.post(from: from, text: text, at: at, id: id)
        if connection == nil {
            trace.record(host, .application(socket: "\(host.name):\(port)", event: .chatMessage(
                .sent, id: message.id, from: TraceWord.encode(message.from), payloadBytes: message.bytes.count,
                latency: nil)))
        }
        onLog?("message #\(message.seq ?? 0) from \(message.from): \(message.text)")
        room.announce(message)
        return message
    }

    private func accept(_ socket: any StreamSocket) {
        let connection = AppConnection.accepted(socket, on: host, trace: trace)
        let session = ChatServerSession(connection: connection, server: self)
        session.onClosed = { [weak self, weak session] in
            self?.sessions.removeAll { $0 === session }
        }
        sessions.append(session)
        onLog?("\(socket.remoteAddress) connected")
        session.start()
    }

    func log(_ line: String) {
        onLog?(line)
    }
}
