import Protocols
import Sockets
import Tracing

/// The long connection's server: accepts connections that stay open, answers each DATA frame
/// (`LongSocketFrames`), answers each PING with a PONG, and with heartbeat settings also pings
/// its clients and gives a silent one up for dead (aborting its connection).
public final class LongSocketServerApplication {
    let host: any SocketHost
    public let port: UInt16
    let heartbeat: HeartbeatSettings?
    let site: WebSite
    let trace: ApplicationTrace
    private var listener: (any StreamListener)?
    private var sessions: [Session] = []

    private final class Session {
        let connection: AppConnection
        var decoder = HeartbeatFrameDecoder()
        var driver: HeartbeatDriver?
        var received = 0

        init(connection: AppConnection) {
            self.connection = connection
        }
    }

    public init(host: any SocketHost, port: UInt16, heartbeat: HeartbeatSettings?, site: WebSite = .builtIn,
                trace: ApplicationTrace) {
        self.host = host
        self.port = port
        self.heartbeat = heartbeat
        self.site = site
        self.trace = trace
    }

    public func start(backlog: Int = 128) throws(SocketError) {
        listener = try trace.listen(on: host, port: port, backlog: backlog) { [weak self] socket in self?.accept(socket) }
    }

    /// Stops listening and aborts every open connection.
    public func stop() {
        listener?.close()
        listener = nil
        for session in sessions {
            session.driver?.stop()
            session.connection.abort()
        }
        sessions.removeAll()
    }

    /// The connections still open, by name.
    public var openConnections: [String] { sessions.map(\.connection.name) }

    private func accept(_ socket: any StreamSocket) {
        let session = Session(connection: AppConnection.accepted(socket, on: host, trace: trace))
        sessions.append(session)
        session.connection.onEvent = { [weak self, weak session] event in
            guard let self, let session else { return }
            self.handle(event, on: session)
        }
        if let heartbeat {
            let driver = HeartbeatDriver(connection: session.connection, settings: heartbeat)
            driver.onPeerDead = { [weak session] in session?.connection.abort() }
            session.driver = driver
            driver.start()
        }
    }

    private func handle(_ event: SocketEvent, on session: Session) {
        switch event {
        case .opened, .error:
            break
        case .data(let bytes):
            let result = session.decoder.feed(bytes)
            for frame in result.frames { handle(frame, on: session) }
            if result.error != nil {
                session.driver?.stop()
                session.connection.abort()   // not our protocol: drop the connection
            }
        case .peerFinished:
            session.driver?.stop()
            session.connection.close()
        case .closed:
            session.driver?.stop()
            sessions.removeAll { $0 === session }
        }
    }

    private func handle(_ frame: HeartbeatFrame, on session: Session) {
        let connection = session.connection
        switch frame.kind {
        case .data:
            let id = session.received
            session.received += 1
            connection.record(.messageReceived(id: id, payloadBytes: frame.payload.count, latency: nil))
            let answer = LongSocketFrames.answer(to: frame.payload, site: site)
            connection.record(.messageSent(id: id, headerBytes: HeartbeatFrame.headerLength, payloadBytes: answer.count))
            connection.send(HeartbeatFrame.data(answer).encoded())
            session.driver?.received(frame)
        case .ping, .pong:
            LongSocketWire.recordHeartbeat(frame, on: connection)
            if let driver = session.driver {
                driver.received(frame)
            } else if frame.kind == .ping {
                LongSocketWire.send(.pong(frame.payload), on: connection)
            }
        }
    }
}
