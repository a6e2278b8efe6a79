import Protocols
import Sockets
import Tracing

/// An HTTP/1.x server on the socket API: `WebSite` behind a listener, one `HTTPServerSession`
/// per connection. The same code serves scenarios on the simulated stack and real clients
/// (`stacklab serve http`, curl) on loopback.
public final class HTTPServerApplication {
    /// One line of the server's log: who asked what, and the answer.
    public struct LogEntry: Hashable, Sendable {
        /// Nanoseconds since the runtime started.
        public var time: Int64
        /// The client, `host:port`.
        public var client: String
        /// `GET /index.html HTTP/1.1`, or for a request that could not be parsed, what was wrong.
        public var request: String
        public var status: Int
        /// Content bytes of the response (0 for HEAD).
        public var bodyBytes: Int

        /// `127.0.0.1:43210 "GET / HTTP/1.1" 200 412`, after the Common Log Format without its date.
        public var description: String { "\(client) \"\(request)\" \(status) \(bodyBytes)" }
    }

    let host: any SocketHost
    public let port: UInt16
    let idleTimeout: Int64
    let site: WebSite
    let limits: HTTPLimits
    let trace: ApplicationTrace
    /// Called with each request answered (and each request rejected).
    public var onLog: ((LogEntry) -> Void)?
    private var listener: (any StreamListener)?
    private var sessions: [HTTPServerSession] = []

    public init(host: any SocketHost, port: UInt16, idleTimeout: Int64 = ApplicationOperation.defaultIdleTimeout,
                site: WebSite = .builtIn, limits: HTTPLimits = HTTPLimits(), trace: ApplicationTrace) {
        self.host = host
        self.port = port
        self.idleTimeout = idleTimeout
        self.site = site
        self.limits = limits
        self.trace = trace
    }

    /// The listening address (the real port on loopback, which may differ from `port`).
    public var localAddress: SocketAddress? { listener?.localAddress }

    /// `listen()` on the port.
    public func start(backlog: Int = 128) throws(SocketError) {
        listener = try trace.listen(on: host, port: port, backlog: backlog) { [weak self] socket in self?.accept(socket) }
    }

    /// Stops listening and aborts every open connection.
    public func stop() {
        listener?.close()
        listener = nil
        for session in sessions { session.connection.abort() }
        sessions.removeAll()
    }

    /// Connections that have not closed yet.
    public var openConnectionCount: Int { sessions.count }

    private func accept(_ socket: any StreamSocket) {
        let connection = AppConnection.accepted(socket, on: host, trace: trace)
        let session = HTTPServerSession(connection: connection, site: site, limits: limits, idleTimeout: idleTimeout)
        session.onLog = { [weak self] entry in self?.onLog?(entry) }
        session.onClosed = { [weak self, weak session] in
            self?.sessions.removeAll { $0 === session }
        }
        sessions.append(session)
        session.start()
    }
}
