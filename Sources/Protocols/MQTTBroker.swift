/// A sans-I/O MQTT 3.1.1 broker serving many clients (§3, §4).
///
/// The glue gives each network connection an opaque handle and reports what happens to it;
/// the broker answers with actions: bytes to send to a handle (one whole packet per action) and
/// handles to close. Time is passed in as nanoseconds; nothing inside reads a clock.
///
/// Determinism: sessions are visited in the order they were created, connections in the order
/// they were opened, retained messages in topic order; dictionaries are used for look-ups only.
///
///     var broker = MQTTBroker()
///     _ = broker.connected(7, now: 0)
///     let actions = broker.receive(connectBytes, from: 7, now: 1)  // [.send(CONNACK, to: 7)]
public struct MQTTBroker: Sendable {
    /// Limits and timing.
    public struct Configuration: Sendable, Equatable {
        /// The largest packet accepted from a client, header included, in octets.
        public var maxPacketSize: Int
        /// How long to wait for a PUBACK before sending a QoS 1 PUBLISH again, with DUP, in ns.
        public var retryInterval: Int64
        /// How long a new connection may take to send CONNECT before it is closed, in ns.
        public var connectTimeout: Int64
        /// How many QoS 1 messages may await PUBACK per client; more are queued.
        public var maxInflight: Int
        /// How many QoS 1 messages may wait per client (offline, or beyond `maxInflight`); the
        /// ones arriving beyond that are dropped and counted.
        public var maxQueued: Int

        /// A configuration; by default 1 MiB packets, 5 s retries, a 10 s CONNECT timeout, 16
        /// messages in flight and 1000 queued per client.
        public init(maxPacketSize: Int = 1 << 20, retryInterval: Int64 = 5_000_000_000,
                    connectTimeout: Int64 = 10_000_000_000, maxInflight: Int = 16, maxQueued: Int = 1000) {
            precondition((1...0xFFFF).contains(maxInflight), "packet identifiers allow 1...65535 messages in flight")
            self.maxPacketSize = maxPacketSize
            self.retryInterval = retryInterval
            self.connectTimeout = connectTimeout
            self.maxInflight = maxInflight
            self.maxQueued = maxQueued
        }
    }

    /// What the broker asks the glue to do.
    public enum Action: Sendable, Equatable {
        /// Write these bytes (one whole packet) to the connection with this handle.
        case send([UInt8], to: Int)
        /// Close the connection with this handle; the broker has forgotten it already.
        case close(Int)
    }

    /// What the broker decided on its own, reported for tracing (`takeNotices()`).
    public enum Notice: Sendable, Equatable {
        /// The client was silent for `silence` nanoseconds, 1.5 times its keepalive or more, and its
        /// connection was closed as if the network had failed (§3.1.2.10).
        case keepAliveExpired(clientID: String, silence: Int64)
        /// The client's will was published on `topic`: its connection ended without DISCONNECT
        /// (§3.1.2.5).
        case willPublished(clientID: String, topic: String)
    }

    /// A network connection, before and after its CONNECT.
    struct Connection: Sendable {
        var parser: MQTTPacketParser
        let openedAt: Int64
        /// When the last whole packet arrived (§3.1.2.10 counts control packets).
        var lastReceived: Int64
        /// The client identifier, once CONNECT has been accepted.
        var clientID: String?
        var keepAlive: UInt16 = 0
        var will: MQTTWill?
    }

    /// A QoS 1 message sent to a client and not yet acknowledged (§4.3.2).
    struct Inflight: Sendable {
        var publish: MQTTPublish
        var sentAt: Int64
    }

    /// The session state of one client identifier (§3.1.2.4).
    struct Session: Sendable {
        let clientID: String
        /// The connection the client is on, or nil while it is offline.
        var handle: Int?
        var cleanSession: Bool
        /// Topic filters with their granted QoS, in the order first subscribed.
        var subscriptions: [MQTTSubscription] = []
        /// Sent, awaiting PUBACK, in the order sent.
        var inflight: [Inflight] = []
        /// Waiting to be sent, in order.
        var queue: [MQTTPublish] = []
        var nextPacketID: UInt16 = 1
        /// Messages dropped because the queue was full.
        var dropped = 0
    }

    /// Limits and timing.
    public let configuration: Configuration
    var connections: [Int: Connection] = [:]
    /// Open connections, in the order they were opened.
    var connectionOrder: [Int] = []
    var sessions: [String: Session] = [:]
    /// Client identifiers with a session, in the order the sessions were created.
    var sessionOrder: [String] = []
    /// Retained messages by topic (§3.3.1.3).
    var retained: [String: MQTTPublish] = [:]
    /// How many client identifiers have been assigned (§3.1.3.1).
    var assignedIdentifiers = 0
    /// The actions of the call under way.
    var pending: [Action] = []
    /// Notices not yet taken.
    var notices: [Notice] = []

    /// A broker with no clients.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    // MARK: - Input from the glue

    /// A network connection was accepted; it must send CONNECT within `connectTimeout`.
    public mutating func connected(_ handle: Int, now: Int64) -> [Action] {
        guard connections[handle] == nil else { return [] }
        connections[handle] = Connection(parser: MQTTPacketParser(maxPacketSize: configuration.maxPacketSize),
                                         openedAt: now, lastReceived: now)
        connectionOrder.append(handle)
        return []
    }

    /// Bytes arrived on a connection. Unknown handles are ignored.
    public mutating func receive<Bytes: Collection<UInt8>>(_ bytes: Bytes, from handle: Int, now: Int64) -> [Action] {
        guard connections[handle] != nil else { return [] }
        var packets: [MQTTPacket] = []
        var failure: MQTTDecodingError?
        do {
            try connections[handle]?.parser.parse(bytes) { packets.append($0) }
        } catch {
            failure = error
        }
        for packet in packets {
            guard connections[handle] != nil else { break }
            connections[handle]?.lastReceived = now
            dispatch(packet, from: handle, now: now)
        }
        // §4.8: a malformed packet closes the connection, as a lost one (the will is published).
        if failure != nil { drop(handle, publishingWill: true, now: now) }
        return takeActions()
    }

    /// The connection closed without the broker asking (§3.1.2.5: the will is published).
    public mutating func disconnected(_ handle: Int, now: Int64) -> [Action] {
        drop(handle, publishingWill: true, closing: false, now: now)
        return takeActions()
    }

    /// Lets time pass: closes connections that never sent CONNECT or fell silent for 1.5 times
    /// their keepalive (§3.1.2.10), and resends unacknowledged QoS 1 messages (§4.4).
    public mutating func tick(now: Int64) -> [Action] {
        for handle in connectionOrder {
            guard let connection = connections[handle] else { continue }
            if connection.clientID == nil {
                if now >= connection.openedAt + configuration.connectTimeout {
                    drop(handle, publishingWill: false, now: now)
                }
            } else if let deadline = Self.keepAliveDeadline(connection), now >= deadline {
                // §3.1.2.10: "disconnect the Network Connection to the Client as if the network had failed".
                notices.append(.keepAliveExpired(clientID: connection.clientID ?? "",
                                                 silence: now - connection.lastReceived))
                drop(handle, publishingWill: true, now: now)
            }
        }
        retransmit(now: now)
        return takeActions()
    }

    /// The earliest time at which `tick(now:)` has something to do, if any.
    public var nextDeadline: Int64? {
        var deadlines: [Int64] = []
        for handle in connectionOrder {
            guard let connection = connections[handle] else { continue }
            if connection.clientID == nil {
                deadlines.append(connection.openedAt + configuration.connectTimeout)
            } else if let deadline = Self.keepAliveDeadline(connection) {
                deadlines.append(deadline)
            }
        }
        for clientID in sessionOrder {
            guard let session = sessions[clientID], session.handle != nil else { continue }
            deadlines += session.inflight.map { $0.sentAt + configuration.retryInterval }
        }
        return deadlines.min()
    }

    /// One and a half keepalive periods after the last packet (§3.1.2.10); nil when keepalive is off.
    static func keepAliveDeadline(_ connection: Connection) -> Int64? {
        guard connection.keepAlive > 0 else { return nil }
        return connection.lastReceived + Int64(connection.keepAlive) * 1_500_000_000
    }

    // MARK: - Inspection

    /// What the broker decided on its own since the last call (keepalive expiries, wills
    /// published), in order; the glue reports them.
    public mutating func takeNotices() -> [Notice] {
        defer { notices = [] }
        return notices
    }

    /// The client identifier on a connection, once its CONNECT is accepted.
    public func clientID(of handle: Int) -> String? {
        connections[handle]?.clientID
    }

    /// The handles of open connections, in the order they were opened.
    public var openHandles: [Int] { connectionOrder }

    /// The client identifiers that have a session, connected or not, in creation order.
    public var sessionClientIDs: [String] { sessionOrder }

    /// A client's subscriptions with their granted QoS, in the order first subscribed.
    public func subscriptions(of clientID: String) -> [MQTTSubscription] {
        sessions[clientID]?.subscriptions ?? []
    }

    /// How many QoS 1 messages to a client await PUBACK, and how many wait to be sent.
    public func pendingMessages(of clientID: String) -> (inflight: Int, queued: Int) {
        (sessions[clientID]?.inflight.count ?? 0, sessions[clientID]?.queue.count ?? 0)
    }

    /// The retained messages, in topic order.
    public var retainedMessages: [MQTTPublish] {
        retained.keys.sorted().compactMap { retained[$0] }
    }

    // MARK: - Packets

    private mutating func dispatch(_ packet: MQTTPacket, from handle: Int, now: Int64) {
        guard let clientID = connections[handle]?.clientID else {
            // §3.1.0-1: the first packet from a client must be CONNECT.
            if case .connect(let connect) = packet {
                accept(connect, on: handle, now: now)
            } else {
                drop(handle, publishingWill: false, now: now)
            }
            return
        }
        switch packet {
        case .publish(let publish):
            // QoS 2 is refused (see MQTT.swift); the connection is closed as for a protocol error.
            guard publish.qos != .exactlyOnce else { return drop(handle, publishingWill: true, now: now) }
            if let packetID = publish.packetID { send(.puback(packetID: packetID), to: handle) }  // §4.3.2
            self.publish(topic: publish.topic, payload: publish.payload, qos: publish.qos, retain: publish.retain,
                         now: now)
        case .puback(let packetID):
            acknowledge(packetID, from: clientID, now: now)
        case .subscribe(let packetID, let subscriptions):
            subscribe(clientID, packetID: packetID, to: subscriptions, on: handle, now: now)
        case .unsubscribe(let packetID, let filters):
            sessions[clientID]?.subscriptions.removeAll { filters.contains($0.topicFilter) }
            send(.unsuback(packetID: packetID), to: handle)  // §3.10.4
        case .pingreq:
            send(.pingresp, to: handle)  // §3.12.4
        case .disconnect:
            // §3.14.4: discard the will (close without publishing it), and close the connection.
            drop(handle, publishingWill: false, now: now)
        case .connect:
            drop(handle, publishingWill: true, now: now)  // §3.1.0-2: a second CONNECT
        case .pubrec, .pubrel, .pubcomp:
            drop(handle, publishingWill: true, now: now)  // QoS 2 is refused
        case .connack, .suback, .unsuback, .pingresp:
            drop(handle, publishingWill: true, now: now)  // packets only a server sends
        }
    }

    /// Forgets a connection: asks the glue to close it (unless it is closed already), ends or
    /// keeps its session (§3.1.2.4), and publishes its will if the close was not clean (§3.1.2.5).
    mutating func drop(_ handle: Int, publishingWill: Bool, closing: Bool = true, now: Int64) {
        guard let connection = connections.removeValue(forKey: handle) else { return }
        connectionOrder.removeAll { $0 == handle }
        if closing { pending.append(.close(handle)) }
        if let clientID = connection.clientID, let session = sessions[clientID], session.handle == handle {
            if session.cleanSession {
                removeSession(clientID)
            } else {
                sessions[clientID]?.handle = nil
            }
        }
        if publishingWill, let will = connection.will {
            notices.append(.willPublished(clientID: connection.clientID ?? "", topic: will.topic))
            publish(topic: will.topic, payload: will.payload, qos: will.qos, retain: will.retain, now: now)
        }
    }

    /// Queues one packet for a connection.
    mutating func send(_ packet: MQTTPacket, to handle: Int) {
        pending.append(.send(packet.encoded(), to: handle))
    }

    private mutating func takeActions() -> [Action] {
        defer { pending = [] }
        return pending
    }
}
