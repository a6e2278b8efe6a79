import Protocols
import Sockets
import Tracing

/// An MQTT 3.1.1 chat client on the socket API: the sans-I/O `MQTTClient` glued to a socket.
///
/// It connects (with its will, if any), subscribes to its filters, publishes `publishes` chat
/// messages (`ChatMessage` JSON, so readers measure delivery latency) at the client's QoS, keeps
/// the connection alive with PINGREQ, and records every packet each way as `mqtt-TYPE` and every
/// chat message as `chat-message`. When the connection is lost and `reconnect` is set it connects
/// again after a seeded backoff; with a persistent session the broker then resends what it had
/// not had acknowledged, and the client does too, both with DUP (§4.4). Messages it could not
/// publish while away are published once it is back.
public final class MQTTClientApplication {
    let host: any SocketHost
    public let settings: MQTTClientSettings
    let trace: ApplicationTrace
    private var random: ApplicationRandom
    private var client: MQTTClient
    private var connection: AppConnection?
    /// Connections given up, kept so that their sockets' last events are still recorded.
    private var retired: [AppConnection] = []
    private var reader = MQTTTraceReader()
    private var timer: (any Cancellable)?
    private var reconnectTimer: (any Cancellable)?
    private var publishTimers: [any Cancellable] = []
    private var backoff: ReconnectBackoff?
    private var waiting: [ChatMessage] = []
    private var published = 0
    private var stopped = false
    /// The chat messages read, in order.
    public private(set) var received: [ChatMessage] = []

    public init(host: any SocketHost, settings: MQTTClientSettings, random: ApplicationRandom, trace: ApplicationTrace) {
        self.host = host
        self.settings = settings
        self.random = random
        self.trace = trace
        let qos: MQTTQoS = settings.qos == 0 ? .atMostOnce : .atLeastOnce
        let will = settings.willTopic.map {
            MQTTWill(topic: $0, payload: Array("\(settings.clientID) went offline".utf8), qos: qos)
        }
        client = MQTTClient(options: MQTTClient.Options(
            clientID: settings.clientID, keepAlive: UInt16(settings.keepAlive), cleanSession: !settings.persistent,
            will: will, retryInterval: settings.retryInterval))
        backoff = settings.reconnect.map { ReconnectBackoff(base: $0.base, cap: $0.cap, jitter: .full) }
    }

    /// The connection, by name, while it is open.
    public var openConnection: String? { connection.flatMap { $0.isFinished ? nil : $0.name } }

    /// Connects, and schedules the publications.
    public func start() throws(SocketError) {
        try open()
        guard settings.publishes > 0 else { return }
        let first = settings.publishFrom ?? settings.publishInterval
        for number in 0..<settings.publishes {
            publishTimers.append(host.after(nanoseconds: first + Int64(number) * settings.publishInterval) { [weak self] in
                self?.publishNext()
            })
        }
    }

    /// DISCONNECT, then close: the broker discards the will (§3.14.4). No reconnection follows.
    public func disconnect() {
        stopped = true
        for timer in publishTimers { timer.cancel() }
        publishTimers = []
        perform(client.disconnect(now: host.now))
    }

    /// Aborts the connection; no reconnection.
    public func stop() {
        stopped = true
        timer?.cancel()
        timer = nil
        reconnectTimer?.cancel()
        reconnectTimer = nil
        for timer in publishTimers { timer.cancel() }
        publishTimers = []
        connection?.abort()
    }

    // MARK: - Connection

    private func open() throws(SocketError) {
        let address = SocketAddress(host: settings.host, port: settings.port)
        let connection = try AppConnection.connect(from: host, to: address, trace: trace)
        self.connection = connection
        reader = MQTTTraceReader()
        connection.onEvent = { [weak self, weak connection] event in
            guard let self, let connection, connection === self.connection else { return }
            self.handle(event, on: connection)
        }
    }

    private func handle(_ event: SocketEvent, on connection: AppConnection) {
        switch event {
        case .opened:
            perform(client.connect(now: host.now))
            if !settings.subscriptions.isEmpty {
                let qos: MQTTQoS = settings.qos == 0 ? .atMostOnce : .atLeastOnce
                if let output = try? client.subscribe(settings.subscriptions.map { MQTTSubscription($0, qos: qos) },
                                                      now: host.now) {
                    perform(output)
                }
            }
        case .data(let bytes):
            for packet in reader.packets(bytes) { connection.record(.mqtt(.packet(.received, packet))) }
            perform(client.receive(bytes, now: host.now))
        case .peerFinished:
            connection.close()
            ended(connection)
        case .error, .closed:
            ended(connection)
        }
    }

    /// The connection is over for MQTT (the broker closed it, it failed, or the client closed
    /// it): tell the machine, and connect again after the backoff (not after TIME-WAIT).
    private func ended(_ ended: AppConnection) {
        guard ended === connection else { return }
        connection = nil
        retired.append(ended)
        if client.state != .disconnected { perform(client.transportClosed(now: host.now)) }
        reconnectLater()
    }

    private func reconnectLater() {
        guard !stopped, var backoff else { return }
        let delay = backoff.nextDelay(random: random.next())
        self.backoff = backoff
        trace.record(host, .application(socket: host.name, event: .reconnect(attempt: backoff.attempt, delay: delay)))
        reconnectTimer?.cancel()
        reconnectTimer = host.after(nanoseconds: delay) { [weak self] in
            guard let self, !self.stopped else { return }
            self.reconnectTimer = nil
            do {
                try self.open()
            } catch {
                self.reconnectLater()
            }
        }
    }

    private func perform(_ output: MQTTClientOutput) {
        for action in output.actions {
            switch action {
            case .send(let bytes):
                guard let connection else { continue }
                if let packet = try? MQTTPacket.decode(bytes) {
                    connection.record(.mqtt(.packet(.sent, packet.summary(size: bytes.count))))
                }
                connection.send(bytes)
            case .closeTransport:
                if let connection {
                    connection.close()
                    ended(connection)
                }
            }
        }
        for event in output.events {
            switch event {
            case .connected:
                backoff?.reset()
                let queued = waiting
                waiting = []
                for message in queued { publish(message) }
            case .message(_, let payload, _, _, _):
                guard let connection, let message = ChatMessage(bytes: payload) else { continue }
                received.append(message)
                connection.record(.chatMessage(.received, id: message.id, from: TraceWord.encode(message.from),
                                               payloadBytes: payload.count, latency: host.now - message.at))
            case .subscribed, .unsubscribed, .published, .pong, .error, .closed:
                break
            }
        }
        schedule()
    }

    // MARK: - Publishing

    private func publishNext() {
        let message = ChatMessage(from: settings.clientID, id: published, at: host.now,
                                  text: "message \(published + 1) from \(settings.clientID)")
        published += 1
        trace.record(host, .application(socket: connection?.name ?? host.name, event: .chatMessage(
            .sent, id: message.id, from: TraceWord.encode(message.from), payloadBytes: message.bytes.count,
            latency: nil)))
        publish(message)
    }

    /// Publishes now, or once connected again.
    private func publish(_ message: ChatMessage) {
        guard client.state != .disconnected else { return waiting.append(message) }
        let qos: MQTTQoS = settings.qos == 0 ? .atMostOnce : .atLeastOnce
        do {
            perform(try client.publish(topic: settings.publishTopic, payload: message.bytes, qos: qos, now: host.now))
        } catch {
            waiting.append(message)
        }
    }

    /// Wakes the machine at its next deadline (keepalive, retransmission, answer timeouts).
    private func schedule() {
        timer?.cancel()
        timer = nil
        guard let deadline = client.nextDeadline else { return }
        timer = host.at(nanoseconds: deadline) { [weak self] in
            guard let self else { return }
            self.timer = nil
            self.perform(self.client.tick(now: self.host.now))
        }
    }
}
