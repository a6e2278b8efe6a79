import Protocols
import Sockets
import Tracing

/// An HTTP client on the socket API that fetches one path `count` times, the way the source
/// article contrasts HTTP's short connections with a socket's long one:
///
/// - HTTP/1.0: one connection per request (RFC 1945). The server closes after its response, so
///   the server holds TIME-WAIT; the client waits for that FIN before it closes, and opens the
///   next request's connection as soon as the response is complete.
/// - HTTP/1.1: one persistent connection for every request (RFC 9112 §9.3), each written when the
///   previous response is complete, or up to `pipeline` outstanding (RFC 9112 §9.3.2). The
///   client leaves the connection open, as a browser does, until the server's idle timeout
///   closes it.
///
/// A request is issued when the client first wants it: the first `pipeline` at the start, each
/// later one when a response completes (a closed loop). Its latency, recorded with its response,
/// runs from then to the response's last byte. GETs that a closing connection leaves unanswered
/// are retried on a new connection (RFC 9112 §9.3.1: GET is idempotent).
public final class HTTPClientApplication {
    let host: any SocketHost
    public let settings: HTTPClientSettings
    let trace: ApplicationTrace
    let limits: HTTPLimits
    /// Called when every request has its response (or has failed for good).
    public var onFinished: (() -> Void)?
    /// Responses received, in order.
    public private(set) var responses: [HTTPResponse] = []
    /// Requests that failed for good.
    public private(set) var failures: [HTTPClientError] = []
    private var issued = 0
    private var sessions: [Session] = []
    /// Reconnections in a row that answered nothing: after 3 the client gives up.
    private var fruitlessConnections = 0

    /// One connection and its machine; `ids` maps the machine's request ids to issue times.
    private final class Session {
        let connection: AppConnection
        var machine: HTTPClientConnection
        /// The machine's id → when the request was issued.
        var issuedAt: [Int: Int64] = [:]
        /// The machine's ids in the order their bytes will be written.
        var unwritten: [Int] = []
        var requestLines: [Int: HTTPRequestLine] = [:]
        /// The client is done with it and closes once the server's FIN has arrived.
        var closeOnPeerFinish = false
        var answered = 0
        /// What the machine asked for before the connection opened.
        var pending: [HTTPClientConnection.Action] = []

        init(connection: AppConnection, machine: HTTPClientConnection) {
            self.connection = connection
            self.machine = machine
        }
    }

    public init(host: any SocketHost, settings: HTTPClientSettings, trace: ApplicationTrace,
                limits: HTTPLimits = HTTPLimits()) {
        self.host = host
        self.settings = settings
        self.trace = trace
        self.limits = limits
    }

    private var completed: Int { responses.count + failures.count }
    public var isFinished: Bool { completed >= settings.count }

    /// Opens the first connection and issues the first requests.
    public func start() throws(SocketError) {
        let window = settings.version == .http1_0 ? 1 : min(settings.pipeline, settings.count)
        try openSession(issuing: window, at: host.now)
    }

    /// Aborts every connection still open.
    public func stop() {
        for session in sessions { session.connection.abort() }
        sessions.removeAll()
    }

    // MARK: - Connections

    private func openSession(issuing count: Int, at issueTime: Int64) throws(SocketError) {
        let address = SocketAddress(host: settings.host, port: settings.port)
        let connection = try AppConnection.connect(from: host, to: address, trace: trace)
        let maxInFlight = settings.version == .http1_0 ? 1 : settings.pipeline
        let session = Session(connection: connection, machine: HTTPClientConnection(limits: limits, maxInFlight: maxInFlight))
        sessions.append(session)
        connection.onEvent = { [weak self, weak session] event in
            guard let self, let session else { return }
            self.handle(event, on: session)
        }
        for _ in 0..<count { issue(on: session, at: issueTime) }
    }

    /// Queues the next request on `session`; its bytes go out once the connection is open.
    private func issue(on session: Session, at time: Int64) {
        guard issued < settings.count else { return }
        issued += 1
        let request = makeRequest()
        let (id, actions) = session.machine.enqueue(request)
        session.issuedAt[id] = time
        session.unwritten.append(id)
        session.requestLines[id] = HTTPRequestLine(method: request.method.name, target: settings.path,
                                                   version: request.version.description)
        if session.connection.isOpen {
            perform(actions, on: session)
        } else {
            session.pending += actions
        }
    }

    /// `GET PATH` with `Host` (RFC 9110 §7.2: the port only when not 80), in the chosen version.
    private func makeRequest() -> HTTPRequest {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: settings.port == 80 ? settings.host : "\(settings.host):\(settings.port)")
        headers.add(name: "User-Agent", value: "stacklab/0.1")
        headers.add(name: "Accept", value: "*/*")
        return HTTPRequest(method: .get, target: settings.path,
                           version: settings.version == .http1_0 ? .http1_0 : .http1_1, headers: headers)
    }

    private func handle(_ event: SocketEvent, on session: Session) {
        switch event {
        case .opened:
            let queued = session.pending
            session.pending = []
            perform(queued, on: session)
        case .data(let bytes):
            perform(session.machine.receive(bytes), on: session)
        case .peerFinished:
            if session.closeOnPeerFinish {
                session.connection.close()
            } else {
                perform(session.machine.receiveEndOfStream(), on: session)
            }
        case .error:
            perform(session.machine.receiveEndOfStream(), on: session)
        case .closed:
            session.pending = []
            if !session.machine.isClosed { perform(session.machine.receiveEndOfStream(), on: session) }
            sessions.removeAll { $0 === session }
            if session.answered == 0 && !isFinished { fruitlessConnections += 1 }
            continueAfterLoss()
        }
    }

    private func perform(_ actions: [HTTPClientConnection.Action], on session: Session) {
        for action in actions {
            switch action {
            case .send(let bytes):
                guard !session.unwritten.isEmpty else { continue }
                let id = session.unwritten.removeFirst()
                if let line = session.requestLines[id] {
                    // A GET has no body: the whole message is its header section.
                    session.connection.record(.httpRequestSent(id: id, request: line, headerBytes: bytes.count, bodyBytes: 0))
                }
                session.connection.send(bytes)
            case .interim:
                break
            case .response(let id, let response):
                session.answered += 1
                fruitlessConnections = 0
                let latency = session.connection.now - (session.issuedAt[id] ?? session.connection.now)
                session.connection.record(.httpResponseReceived(id: id, version: response.version.description,
                                                                status: response.status, bodyBytes: response.body.count,
                                                                latency: latency))
                responses.append(response)
                issueNext(after: session)
            case .upgraded(let id, _, _):
                session.connection.record(.httpFailed(id: id, reason: HTTPClientError.unexpectedUpgrade.description))
                failures.append(.unexpectedUpgrade)
                session.connection.abort()
            case .failed(let id, let error):
                session.unwritten.removeAll { $0 == id }
                if error.allowsRetry(of: .get) && fruitlessConnections < 3 {
                    issued -= 1   // issued again on the next connection
                } else {
                    session.connection.record(.httpFailed(id: id, reason: error.description))
                    failures.append(error)
                }
            case .close:
                // HTTP/1.0 and `Connection: close`: the server closes first and holds TIME-WAIT;
                // close once its FIN is here.
                if session.connection.peerFinished || session.connection.isFinished {
                    session.connection.close()
                } else {
                    session.closeOnPeerFinish = true
                }
            }
        }
        if isFinished, completed == settings.count, sessions.allSatisfy({ $0.machine.isIdle }) { finish() }
    }

    /// A response completed: issue the next request, on this connection while it persists,
    /// else on a new one.
    private func issueNext(after session: Session) {
        guard issued < settings.count else { return }
        let now = session.connection.now
        if session.machine.isReusable && settings.version == .http1_1 {
            issue(on: session, at: now)
        } else {
            do {
                try openSession(issuing: 1, at: now)
            } catch {
                failRemaining()
            }
        }
    }

    /// A connection ended with requests still to do: carry on over a new one.
    private func continueAfterLoss() {
        guard issued < settings.count, sessions.isEmpty else { return }
        guard fruitlessConnections < 3 else {
            failRemaining()
            return
        }
        let window = settings.version == .http1_0 ? 1 : min(settings.pipeline, settings.count - issued)
        do {
            try openSession(issuing: window, at: host.now)
        } catch {
            failRemaining()
        }
    }

    /// No connection can be had (or three in a row answered nothing): the requests not yet
    /// issued fail as never sent.
    private func failRemaining() {
        while issued < settings.count {
            issued += 1
            failures.append(.notSent)
        }
        finish()
    }

    private var finished = false

    private func finish() {
        guard !finished else { return }
        finished = true
        onFinished?()
    }
}
