/// The 4-bit packet type in the first octet of every MQTT control packet (§2.2.1).
public enum MQTTPacketType: UInt8, Sendable, Hashable {
    case connect = 1, connack, publish, puback, pubrec, pubrel, pubcomp, subscribe, suback, unsubscribe, unsuback,
         pingreq, pingresp, disconnect

    /// The flags that the fixed header must carry for this type (§2.2.2, Table 2.2); nil for
    /// PUBLISH, whose flags are DUP, QoS and RETAIN.
    public var requiredFlags: UInt8? {
        switch self {
        case .publish: nil
        case .pubrel, .subscribe, .unsubscribe: 0b0010
        case .connect, .connack, .puback, .pubrec, .pubcomp, .suback, .unsuback, .pingreq, .pingresp,
             .disconnect: 0
        }
    }
}

/// An MQTT 3.1.1 control packet (§3).
public enum MQTTPacket: Sendable, Equatable {
    /// §3.1: a client asks to connect.
    case connect(MQTTConnect)
    /// §3.2: the server's answer to CONNECT.
    case connack(sessionPresent: Bool, returnCode: MQTTConnectReturnCode)
    /// §3.3: an application message.
    case publish(MQTTPublish)
    /// §3.4: acknowledges a QoS 1 PUBLISH.
    case puback(packetID: UInt16)
    /// §3.5: first acknowledgement of a QoS 2 PUBLISH.
    case pubrec(packetID: UInt16)
    /// §3.6: QoS 2, second step.
    case pubrel(packetID: UInt16)
    /// §3.7: QoS 2, last step.
    case pubcomp(packetID: UInt16)
    /// §3.8: subscribe to topic filters, each with a requested QoS.
    case subscribe(packetID: UInt16, subscriptions: [MQTTSubscription])
    /// §3.9: the server's answer to SUBSCRIBE, one return code per filter, in order.
    case suback(packetID: UInt16, returnCodes: [MQTTSubackReturnCode])
    /// §3.10: unsubscribe from topic filters.
    case unsubscribe(packetID: UInt16, topicFilters: [String])
    /// §3.11: the server's answer to UNSUBSCRIBE.
    case unsuback(packetID: UInt16)
    /// §3.12: a client's keepalive probe.
    case pingreq
    /// §3.13: the server's answer to PINGREQ.
    case pingresp
    /// §3.14: the client disconnects cleanly.
    case disconnect

    /// The packet type.
    public var type: MQTTPacketType {
        switch self {
        case .connect: .connect
        case .connack: .connack
        case .publish: .publish
        case .puback: .puback
        case .pubrec: .pubrec
        case .pubrel: .pubrel
        case .pubcomp: .pubcomp
        case .subscribe: .subscribe
        case .suback: .suback
        case .unsubscribe: .unsubscribe
        case .unsuback: .unsuback
        case .pingreq: .pingreq
        case .pingresp: .pingresp
        case .disconnect: .disconnect
        }
    }
}

/// The contents of a CONNECT packet (§3.1.2, §3.1.3).
public struct MQTTConnect: Sendable, Equatable {
    /// §3.1.3.1: identifies the client (and its session) to the server.
    public var clientID: String
    /// §3.1.2.4: discard any previous session and start a new one that ends with the connection.
    public var cleanSession: Bool
    /// §3.1.2.10: the longest silence allowed between client packets, in seconds; 0 turns the
    /// mechanism off.
    public var keepAlive: UInt16
    /// §3.1.2.5: the message the server publishes if the connection is lost.
    public var will: MQTTWill?
    /// §3.1.3.4: the user name, if the flag is set.
    public var username: String?
    /// §3.1.3.5: the password (binary data), if the flag is set; requires a user name (§3.1.2.9).
    public var password: [UInt8]?
    /// §3.1.2.2: 4 for MQTT 3.1.1; kept so that a server can answer other levels with CONNACK 1.
    public var protocolLevel: UInt8

    /// A CONNECT for MQTT 3.1.1.
    public init(clientID: String, cleanSession: Bool = true, keepAlive: UInt16 = 60, will: MQTTWill? = nil,
                username: String? = nil, password: [UInt8]? = nil, protocolLevel: UInt8 = MQTT.protocolLevel) {
        self.clientID = clientID
        self.cleanSession = cleanSession
        self.keepAlive = keepAlive
        self.will = will
        self.username = username
        self.password = password
        self.protocolLevel = protocolLevel
    }
}

/// A will message (§3.1.2.5-§3.1.2.7): published by the server when the client's connection
/// ends without DISCONNECT.
public struct MQTTWill: Sendable, Equatable {
    /// §3.1.3.2: where the will is published.
    public var topic: String
    /// §3.1.3.3: the will's payload.
    public var payload: [UInt8]
    /// §3.1.2.6: the QoS it is published with.
    public var qos: MQTTQoS
    /// §3.1.2.7: whether it is published as a retained message.
    public var retain: Bool

    /// A will message.
    public init(topic: String, payload: [UInt8], qos: MQTTQoS = .atMostOnce, retain: Bool = false) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retain = retain
    }
}

/// The contents of a PUBLISH packet (§3.3).
public struct MQTTPublish: Sendable, Equatable {
    /// §3.3.1.1: set on a retransmission of a QoS 1 or 2 message; always clear at QoS 0.
    public var dup: Bool
    /// §3.3.1.2: the delivery guarantee.
    public var qos: MQTTQoS
    /// §3.3.1.3: from a client, "store this as the topic's retained message"; from the server,
    /// "this is a retained message, sent because you just subscribed".
    public var retain: Bool
    /// §3.3.2.1: the topic name, without wildcards.
    public var topic: String
    /// §3.3.2.2: present exactly when QoS is 1 or 2, and not 0.
    public var packetID: UInt16?
    /// §3.3.3: the application message.
    public var payload: [UInt8]

    /// A PUBLISH; give a packet identifier exactly when `qos` is above 0.
    public init(topic: String, payload: [UInt8], qos: MQTTQoS = .atMostOnce, packetID: UInt16? = nil,
                retain: Bool = false, dup: Bool = false) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.packetID = packetID
        self.retain = retain
        self.dup = dup
    }
}

/// One topic filter of a SUBSCRIBE with its requested QoS (§3.8.3).
public struct MQTTSubscription: Sendable, Equatable {
    /// The topic filter, possibly with wildcards (§4.7.1).
    public var topicFilter: String
    /// The highest QoS the client wants messages delivered with.
    public var qos: MQTTQoS

    /// A subscription request.
    public init(_ topicFilter: String, qos: MQTTQoS = .atMostOnce) {
        self.topicFilter = topicFilter
        self.qos = qos
    }
}

/// The CONNACK return code (§3.2.2.3, Table 3.1).
public enum MQTTConnectReturnCode: UInt8, Sendable, Hashable {
    /// 0: connection accepted.
    case accepted = 0
    /// 1: the server does not support the requested protocol level.
    case unacceptableProtocolVersion = 1
    /// 2: the client identifier is not allowed.
    case identifierRejected = 2
    /// 3: the MQTT service is unavailable.
    case serverUnavailable = 3
    /// 4: the user name or password is malformed.
    case badUsernameOrPassword = 4
    /// 5: the client is not authorised to connect.
    case notAuthorized = 5
}

/// A SUBACK return code (§3.9.3): the QoS granted, or failure.
public enum MQTTSubackReturnCode: Sendable, Hashable {
    /// 0x00, 0x01, 0x02: success, with the maximum QoS granted.
    case granted(MQTTQoS)
    /// 0x80: the subscription failed.
    case failure

    /// The code for an octet on the wire; nil for the reserved values.
    public init?(rawValue: UInt8) {
        if rawValue == 0x80 {
            self = .failure
        } else if let qos = MQTTQoS(rawValue: rawValue) {
            self = .granted(qos)
        } else {
            return nil
        }
    }

    /// The octet on the wire.
    public var rawValue: UInt8 {
        switch self {
        case .granted(let qos): qos.rawValue
        case .failure: 0x80
        }
    }
}
