import Protocols
import Sockets
import Tracing

/// An MQTT 3.1.1 broker on the socket API: the sans-I/O `MQTTBroker` glued to a listener.
///
/// Each accepted connection gets a handle; bytes, closes and the passing of time go to the
/// machine, and its actions (one whole packet to send, a connection to close) to the sockets.
/// Every packet each way is recorded as `mqtt-TYPE`, and the machine's own decisions as
/// `mqtt-timeout` (a client silent for 1.5 × its keepalive) and `mqtt-will`.
public final class MQTTBrokerApplication {
    let host: any SocketHost
    public let port: UInt16
    let trace: ApplicationTrace
    private var broker: MQTTBroker
    private var listener: (any StreamListener)?
    /// Open connections by handle, in the order they were accepted.
    private var connections: [(handle: Int, connection: AppConnection)] = []
    private var readers: [Int: MQTTTraceReader] = [:]
    /// The connection each client identifier last connected on, for the verdicts' socket name.
    private var clientConnections: [String: String] = [:]
    private var nextHandle = 1
    private var timer: (any Cancellable)?

    public init(host: any SocketHost, port: UInt16, configuration: MQTTBroker.Configuration = .init(),
                trace: ApplicationTrace) {
        self.host = host
        self.port = port
        self.trace = trace
        broker = MQTTBroker(configuration: configuration)
    }

    public func start(backlog: Int = 128) throws(SocketError) {
        listener = try trace.listen(on: host, port: port, backlog: backlog) { [weak self] socket in self?.accept(socket) }
    }

    /// Stops listening and aborts every connection.
    public func stop() {
        listener?.close()
        listener = nil
        timer?.cancel()
        timer = nil
        for entry in connections { entry.connection.abort() }
        connections = []
    }

    /// The connections still open, by name.
    public var openConnections: [String] { connections.map(\.connection).filter { !$0.isFinished }.map(\.name) }

    private func accept(_ socket: any StreamSocket) {
        let connection = AppConnection.accepted(socket, on: host, trace: trace)
        let handle = nextHandle
        nextHandle += 1
        connections.append((handle, connection))
        readers[handle] = MQTTTraceReader()
        connection.onEvent = { [weak self] event in self?.handle(event, on: handle) }
        perform(broker.connected(handle, now: host.now))
    }

    private func connection(_ handle: Int) -> AppConnection? {
        connections.first { $0.handle == handle }?.connection
    }

    private func handle(_ event: SocketEvent, on handle: Int) {
        guard let connection = connection(handle) else { return }
        switch event {
        case .opened, .error:
            break
        case .data(let bytes):
            for packet in readers[handle]?.packets(bytes) ?? [] {
                connection.record(.mqtt(.packet(.received, packet)))
                if packet.kind == .connect, let client = packet.clientID { clientConnections[client] = connection.name }
            }
            perform(broker.receive(bytes, from: handle, now: host.now))
        case .peerFinished:
            perform(broker.disconnected(handle, now: host.now))
            connection.close()
        case .closed:
            perform(broker.disconnected(handle, now: host.now))
            connections.removeAll { $0.handle == handle }
            readers[handle] = nil
        }
    }

    private func perform(_ actions: [MQTTBroker.Action]) {
        for notice in broker.takeNotices() {
            switch notice {
            case .keepAliveExpired(let client, let silence):
                record(.keepaliveExpired(client: TraceWord.encode(client), silence: silence), client: client)
            case .willPublished(let client, let topic):
                record(.will(client: TraceWord.encode(client), topic: TraceWord.encode(topic)), client: client)
            }
        }
        for action in actions {
            switch action {
            case .send(let bytes, let handle):
                guard let connection = connection(handle) else { continue }
                if let packet = try? MQTTPacket.decode(bytes) {
                    connection.record(.mqtt(.packet(.sent, packet.summary(size: bytes.count))))
                }
                connection.send(bytes)
            case .close(let handle):
                connection(handle)?.close()
            }
        }
        schedule()
    }

    /// A verdict, recorded on the client's connection (or the listener when it has none).
    private func record(_ event: MQTTTraceEvent, client: String) {
        let socket = clientConnections[client] ?? "\(host.name):\(port)"
        trace.record(host, .application(socket: socket, event: .mqtt(event)))
    }

    /// Wakes the machine at its next deadline (keepalives, CONNECT timeouts, retransmissions).
    private func schedule() {
        timer?.cancel()
        timer = nil
        guard let deadline = broker.nextDeadline else { return }
        timer = host.at(nanoseconds: deadline) { [weak self] in
            guard let self else { return }
            self.timer = nil
            self.perform(self.broker.tick(now: self.host.now))
        }
    }
}
