import Protocols
import Tracing

extension MQTTPacket {
    /// The packet as the trace summarises it, with its size on the wire (`size`, fixed header
    /// included) split into header and payload: a PUBLISH's application message is payload,
    /// everything else is the protocol's.
    func summary(size: Int) -> MQTTPacketSummary {
        func word(_ text: String) -> String { TraceWord.encode(text) }
        switch self {
        case .connect(let connect):
            return MQTTPacketSummary(kind: .connect, clientID: word(connect.clientID), keepAlive: Int(connect.keepAlive),
                                     cleanSession: connect.cleanSession, willTopic: connect.will.map { word($0.topic) },
                                     headerBytes: size, payloadBytes: 0)
        case .connack(_, let code):
            return MQTTPacketSummary(kind: .connack, returnCode: Int(code.rawValue), headerBytes: size, payloadBytes: 0)
        case .publish(let publish):
            return MQTTPacketSummary(kind: .publish, packetID: publish.packetID.map(Int.init), qos: Int(publish.qos.rawValue),
                                     dup: publish.dup, retain: publish.retain, topic: word(publish.topic),
                                     headerBytes: size - publish.payload.count, payloadBytes: publish.payload.count)
        case .puback(let id), .pubrec(let id), .pubrel(let id), .pubcomp(let id), .unsuback(let id):
            return MQTTPacketSummary(kind: MQTTPacketKind(type), packetID: Int(id), headerBytes: size, payloadBytes: 0)
        case .subscribe(let id, let subscriptions):
            return MQTTPacketSummary(kind: .subscribe, packetID: Int(id), qos: subscriptions.first.map { Int($0.qos.rawValue) },
                                     topic: word(subscriptions.map(\.topicFilter).joined(separator: ",")),
                                     headerBytes: size, payloadBytes: 0)
        case .suback(let id, let codes):
            return MQTTPacketSummary(kind: .suback, packetID: Int(id), returnCode: codes.first.map { Int($0.rawValue) },
                                     headerBytes: size, payloadBytes: 0)
        case .unsubscribe(let id, let filters):
            return MQTTPacketSummary(kind: .unsubscribe, packetID: Int(id), topic: word(filters.joined(separator: ",")),
                                     headerBytes: size, payloadBytes: 0)
        case .pingreq, .pingresp, .disconnect:
            return MQTTPacketSummary(kind: MQTTPacketKind(type), headerBytes: size, payloadBytes: 0)
        }
    }
}

extension MQTTPacketKind {
    /// The trace's name for a packet type.
    init(_ type: MQTTPacketType) {
        switch type {
        case .connect: self = .connect
        case .connack: self = .connack
        case .publish: self = .publish
        case .puback: self = .puback
        case .pubrec: self = .pubrec
        case .pubrel: self = .pubrel
        case .pubcomp: self = .pubcomp
        case .subscribe: self = .subscribe
        case .suback: self = .suback
        case .unsubscribe: self = .unsubscribe
        case .unsuback: self = .unsuback
        case .pingreq: self = .pingreq
        case .pingresp: self = .pingresp
        case .disconnect: self = .disconnect
        }
    }
}

/// Reads the packets in a stream of MQTT bytes for the trace, apart from the protocol machine
/// that acts on them: what was received, summarised. A packet's size is that of its encoding
/// (exact for every sender that encodes Remaining Length minimally, as §2.2.3 implies).
struct MQTTTraceReader {
    private var parser = MQTTPacketParser(maxPacketSize: 1 << 20)

    /// The packets completed by `bytes`; nothing after the first malformed byte.
    mutating func packets(_ bytes: [UInt8]) -> [MQTTPacketSummary] {
        var packets: [MQTTPacket] = []
        try? parser.parse(bytes) { packets.append($0) }
        return packets.map { $0.summary(size: $0.encoded().count) }
    }
}
