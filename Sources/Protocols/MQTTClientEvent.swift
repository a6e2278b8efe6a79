/// What an MQTT client tells its application.
public enum MQTTClientEvent: Sendable, Equatable {
    /// CONNACK accepted the connection (§3.2); `sessionPresent` says the broker kept a session.
    case connected(sessionPresent: Bool)
    /// SUBACK answered the SUBSCRIBE with this identifier (§3.9), one code per filter.
    case subscribed(packetID: UInt16, returnCodes: [MQTTSubackReturnCode])
    /// UNSUBACK answered the UNSUBSCRIBE with this identifier (§3.11).
    case unsubscribed(packetID: UInt16)
    /// A PUBLISH arrived (§3.3). At QoS 1 the same message may arrive more than once (§4.3.2);
    /// `dup` says the broker was sending it again.
    case message(topic: String, payload: [UInt8], qos: MQTTQoS, retain: Bool, dup: Bool)
    /// PUBACK acknowledged the QoS 1 PUBLISH with this identifier (§3.4).
    case published(packetID: UInt16)
    /// PINGRESP answered a PINGREQ (§3.13).
    case pong
    /// Something went wrong; the client is closing the transport.
    case error(MQTTClientError)
    /// The connection is over (closed by either side, or lost).
    case closed
}

/// What an MQTT client asks its transport to do.
public enum MQTTClientAction: Sendable, Equatable {
    /// Write these bytes (one whole packet) to the connection.
    case send([UInt8])
    /// Close the connection.
    case closeTransport
}

/// The result of one call into an `MQTTClient`.
public struct MQTTClientOutput: Sendable, Equatable {
    /// What to do with the transport, in order.
    public var actions: [MQTTClientAction] = []
    /// What to tell the application, in order.
    public var events: [MQTTClientEvent] = []
    /// The packet identifier given to the PUBLISH (QoS 1), SUBSCRIBE or UNSUBSCRIBE just sent.
    public var packetID: UInt16?

    /// An output with these actions and events.
    public init(actions: [MQTTClientAction] = [], events: [MQTTClientEvent] = [], packetID: UInt16? = nil) {
        self.actions = actions
        self.events = events
        self.packetID = packetID
    }
}

/// Why a client closed its connection (§4.8).
public enum MQTTClientError: Error, Sendable, Equatable {
    /// The server sent bytes that are not a valid packet.
    case malformedPacket(MQTTDecodingError)
    /// CONNACK refused the connection (§3.2.2.3).
    case connectionRefused(MQTTConnectReturnCode)
    /// The server sent a packet that it may not send, or not now (e.g. anything before CONNACK).
    case unexpectedPacket(MQTTPacketType)
    /// The server sent a QoS 2 PUBLISH, which this client does not support.
    case unsupportedQoS
    /// No answer in time: to CONNECT (no CONNACK) or to PINGREQ (no PINGRESP, §3.1.2.10).
    case timeout(waitingFor: MQTTPacketType)
}

/// A request that the client refuses before sending anything.
public enum MQTTClientUsageError: Error, Sendable, Equatable {
    /// `connect(now:)` has not been called, or the connection has closed since.
    case notConnected
    /// The topic name or filter breaks §4.7.
    case invalidTopic(String, MQTTTopicProblem)
    /// QoS 2 publishing is not supported (see MQTT.swift).
    case unsupportedQoS
    /// A SUBSCRIBE or UNSUBSCRIBE needs at least one topic filter (§3.8.3, §3.10.3).
    case emptyRequest
    /// All 65 535 packet identifiers are in use (§2.3.1).
    case noFreePacketID
}
