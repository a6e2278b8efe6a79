/// What an MQTT 3.1.1 client or broker did, as the trace records it: every control packet sent or
/// received (named `mqtt-` and its type, so a lesson can bind to `mqtt-publish` or `mqtt-pingreq`),
/// and the broker's two verdicts on a silent client: given up at 1.5 × its keepalive, its will
/// published (§3.1.2.10, §3.1.2.5).
public enum MQTTTraceEvent: Hashable, Sendable {
    /// A control packet, summarised.
    case packet(ApplicationEvent.Direction, MQTTPacketSummary)
    /// The broker heard nothing from `client` for `silence` nanoseconds, 1.5 times its keepalive or
    /// more, and closed its connection as if the network had failed (§3.1.2.10).
    case keepaliveExpired(client: String, silence: Int64)
    /// The broker published `client`'s will on `topic`: its connection ended without DISCONNECT
    /// (§3.1.2.5).
    case will(client: String, topic: String)

    /// Every event name: one per packet type, then the verdicts.
    public static let names = MQTTPacketKind.allCases.map { "mqtt-" + $0.rawValue } + ["mqtt-timeout", "mqtt-will"]

    public var name: String {
        switch self {
        case .packet(_, let summary): "mqtt-" + summary.kind.rawValue
        case .keepaliveExpired: "mqtt-timeout"
        case .will: "mqtt-will"
        }
    }

    public var direction: ApplicationEvent.Direction? {
        switch self {
        case .packet(let direction, _): direction
        case .keepaliveExpired, .will: nil
        }
    }

    /// `sent #3 qos 1 dup topic chat/room1 header 16 payload 60`, `client carol silent 15000000000 ns`,
    /// `client carol topic chat/room1/presence`.
    public var detail: String {
        switch self {
        case .packet(let direction, let summary): "\(direction.rawValue) \(summary.fields)"
        case .keepaliveExpired(let client, let silence): "client \(client) silent \(silence) ns"
        case .will(let client, let topic): "client \(client) topic \(topic)"
        }
    }

    /// The event named `name` with `detail` as `detail` writes it, or nil.
    init?(name: String, detail: String) {
        var reader = DetailReader(detail)
        switch name {
        case "mqtt-timeout":
            guard let client = reader.text(after: "client"), let silence = reader.nanoseconds(after: "silent") else {
                return nil
            }
            self = .keepaliveExpired(client: client, silence: silence)
        case "mqtt-will":
            guard let client = reader.text(after: "client"), let topic = reader.text(after: "topic") else { return nil }
            self = .will(client: client, topic: topic)
        default:
            guard name.hasPrefix("mqtt-"), let kind = MQTTPacketKind(rawValue: String(name.dropFirst(5))),
                  let direction = reader.direction(), let summary = MQTTPacketSummary(kind: kind, reading: &reader) else {
                return nil
            }
            self = .packet(direction, summary)
        }
        guard reader.isAtEnd else { return nil }
    }
}

/// The type of an MQTT control packet (§2.2.1), lower case as event names use it.
public enum MQTTPacketKind: String, Hashable, Sendable, CaseIterable {
    case connect, connack, publish, puback, pubrec, pubrel, pubcomp, subscribe, suback, unsubscribe, unsuback,
         pingreq, pingresp, disconnect
}

/// The fields of an MQTT packet a reader of the trace cares about, and its size split into
/// header (fixed and variable header, §2) and payload (§3.x.3: for PUBLISH the application
/// message; for CONNECT, SUBSCRIBE and the rest, the identifiers and filters count as header,
/// being protocol rather than the application's data).
///
/// Text fields (client identifiers, topics, filters) are trace words (`TraceWord`).
public struct MQTTPacketSummary: Hashable, Sendable {
    public var kind: MQTTPacketKind
    /// §2.3.1: PUBLISH at QoS 1 or 2, its acknowledgements, SUBSCRIBE, UNSUBSCRIBE and their answers.
    public var packetID: Int?
    /// CONNECT: the client identifier (§3.1.3.1).
    public var clientID: String?
    /// CONNECT: the keepalive in seconds (§3.1.2.10).
    public var keepAlive: Int?
    /// CONNECT: clean session (§3.1.2.4).
    public var cleanSession = false
    /// CONNECT: the will topic, when there is a will (§3.1.2.5).
    public var willTopic: String?
    /// CONNACK: the return code (§3.2.2.3); SUBACK: the first return code (§3.9.3).
    public var returnCode: Int?
    /// PUBLISH: its QoS; SUBSCRIBE: the first filter's requested QoS.
    public var qos: Int?
    /// PUBLISH: DUP, a retransmission (§3.3.1.1).
    public var dup = false
    /// PUBLISH: RETAIN (§3.3.1.3).
    public var retain = false
    /// PUBLISH: the topic name; SUBSCRIBE and UNSUBSCRIBE: the filters, joined by commas.
    public var topic: String?
    public var headerBytes: Int
    public var payloadBytes: Int

    public init(kind: MQTTPacketKind, packetID: Int? = nil, clientID: String? = nil, keepAlive: Int? = nil,
                cleanSession: Bool = false, willTopic: String? = nil, returnCode: Int? = nil, qos: Int? = nil,
                dup: Bool = false, retain: Bool = false, topic: String? = nil, headerBytes: Int, payloadBytes: Int) {
        self.kind = kind
        self.packetID = packetID
        self.clientID = clientID
        self.keepAlive = keepAlive
        self.cleanSession = cleanSession
        self.willTopic = willTopic
        self.returnCode = returnCode
        self.qos = qos
        self.dup = dup
        self.retain = retain
        self.topic = topic
        self.headerBytes = headerBytes
        self.payloadBytes = payloadBytes
    }

    /// The fields present, in a fixed order: `#ID client C keepalive K clean will T code N qos Q
    /// dup retain topic T header H payload P`.
    var fields: String {
        var words: [String] = []
        if let packetID { words.append("#\(packetID)") }
        if let clientID { words.append("client \(clientID)") }
        if let keepAlive { words.append("keepalive \(keepAlive)") }
        if cleanSession { words.append("clean") }
        if let willTopic { words.append("will \(willTopic)") }
        if let returnCode { words.append("code \(returnCode)") }
        if let qos { words.append("qos \(qos)") }
        if dup { words.append("dup") }
        if retain { words.append("retain") }
        if let topic { words.append("topic \(topic)") }
        words.append("header \(headerBytes) payload \(payloadBytes)")
        return words.joined(separator: " ")
    }

    /// Reads the fields in the order `fields` writes them.
    init?(kind: MQTTPacketKind, reading reader: inout DetailReader) {
        self.kind = kind
        if reader.peek()?.first == "#" {
            guard let id = reader.id(), id <= 0xFFFF else { return nil }
            packetID = id
        }
        if reader.peek() == "client" {
            guard let client = reader.text(after: "client") else { return nil }
            clientID = client
        }
        if reader.peek() == "keepalive" {
            guard let seconds = reader.count(after: "keepalive"), seconds <= 0xFFFF else { return nil }
            keepAlive = seconds
        }
        cleanSession = reader.flag("clean")
        if reader.peek() == "will" {
            guard let topic = reader.text(after: "will") else { return nil }
            willTopic = topic
        }
        if reader.peek() == "code" {
            guard let code = reader.count(after: "code"), code <= 0xFF else { return nil }
            returnCode = code
        }
        if reader.peek() == "qos" {
            guard let level = reader.count(after: "qos"), level <= 3 else { return nil }
            qos = level
        }
        dup = reader.flag("dup")
        retain = reader.flag("retain")
        if reader.peek() == "topic" {
            guard let topic = reader.text(after: "topic") else { return nil }
            self.topic = topic
        }
        guard let header = reader.count(after: "header"), let payload = reader.count(after: "payload") else { return nil }
        headerBytes = header
        payloadBytes = payload
    }
}
