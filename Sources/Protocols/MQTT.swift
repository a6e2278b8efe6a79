// MQTT 3.1.1 (OASIS Standard, 29 October 2014): the packet codec and its incremental parser,
// topic names and filters, and two sans-I/O machines, a broker and a client.
//
// Files: MQTTPacket*.swift (§2, §3), MQTTRemainingLength (§2.2.3), MQTTPacketParser,
// MQTTDecodingError, MQTTTopic (§4.7), MQTTBroker* and MQTTClient* (§3.1.2.10, §4.3, §4.4).
// Section numbers (§) below are those of the OASIS standard.
//
// Deliberate simplifications:
// - QoS 2 is not supported: PUBREC, PUBREL and PUBCOMP are encoded and parsed, but a QoS 2
//   PUBLISH is refused (the broker and the client close the connection), and subscriptions
//   requesting QoS 2 are granted QoS 1 (§3.9.3 lets the server grant less).
// - Sessions live as long as the broker value: no persistence across broker restarts. An
//   offline session keeps its subscriptions and queues QoS 1 messages, up to a bound; QoS 0
//   messages for an offline client are dropped (§3.1.2.4 makes queuing them optional).
// - No authentication or authorisation: user names and passwords are carried but not
//   checked, every topic is open to everyone, and `$`-topics may be published by clients.
// - Client identifiers may be any valid UTF-8 string (§3.1.3.1 lets servers allow more than
//   23 alphanumerics); an empty identifier with clean session gets `stacklab-N`.
// - QoS 1 messages are retransmitted, with DUP set, after a retry interval as well as on
//   reconnection (§4.4 requires only the latter; 3.1.1 still allows the former).
// - When a client identifier connects again while connected, the old connection is closed as
//   a lost one, and its will is published (§3.1.4 item 2 says only "disconnect").
// - Only U+0000 is refused in UTF-8 strings; the control characters and non-characters that
//   §1.5.3 says "SHOULD NOT" be sent are accepted.

/// Constants of MQTT 3.1.1.
public enum MQTT {
    /// The protocol name in CONNECT (§3.1.2.1).
    public static let protocolName = "MQTT"
    /// The protocol level of MQTT 3.1.1 in CONNECT (§3.1.2.2).
    public static let protocolLevel: UInt8 = 4
    /// The largest Remaining Length: four 7-bit groups (§2.2.3).
    public static let maxRemainingLength = 268_435_455
}

/// A quality of service level (§4.3).
public enum MQTTQoS: UInt8, Sendable, Hashable, Comparable {
    /// 0: at most once, fire and forget (§4.3.1).
    case atMostOnce = 0
    /// 1: at least once, acknowledged by PUBACK (§4.3.2).
    case atLeastOnce = 1
    /// 2: exactly once (§4.3.3); parsed, never delivered by this module.
    case exactlyOnce = 2

    public static func < (lhs: MQTTQoS, rhs: MQTTQoS) -> Bool { lhs.rawValue < rhs.rawValue }
}
