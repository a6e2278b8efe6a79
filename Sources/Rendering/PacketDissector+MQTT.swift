/// MQTT 3.1.1 control packets inside a TCP segment to or from port 1883 (MQTT §4.2, the IANA
/// port), when the payload is a whole number of them: the fixed header (type and flags,
/// Remaining Length, §2.2) and the fields a reader follows: CONNECT's keepalive and client
/// identifier, CONNACK's return code, a PUBLISH's topic, packet identifier and message, the
/// packet identifier of the acknowledgements, SUBSCRIBE's filter.
extension PacketDissector {
    static let mqttFieldNames = ["mqtt.type", "mqtt.length", "mqtt.keepalive", "mqtt.client", "mqtt.code", "mqtt.topic",
                                 "mqtt.id", "mqtt.payload"]

    static let mqttTypes = ["", "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "PUBREC", "PUBREL", "PUBCOMP", "SUBSCRIBE",
                            "SUBACK", "UNSUBSCRIBE", "UNSUBACK", "PINGREQ", "PINGRESP", "DISCONNECT", ""]

    static let mqttPort = 1883

    static func mqttLayers(_ bytes: [UInt8], _ range: Range<Int>) -> [PacketLayer]? {
        var layers: [PacketLayer] = []
        var index = range.lowerBound
        while index < range.upperBound {
            let type = Int(bytes[index] >> 4)
            guard (1...14).contains(type) else { return nil }
            // The Remaining Length: 1 to 4 octets, 7 bits each, least significant first (§2.2.3).
            var length = 0
            var cursor = index + 1
            var more = true
            while more {
                guard cursor < range.upperBound, cursor - index <= 4 else { return nil }
                length |= Int(bytes[cursor] & 0x7F) << (7 * (cursor - index - 1))
                more = bytes[cursor] & 0x80 != 0
                cursor += 1
            }
            guard cursor + length <= range.upperBound else { return nil }
            let body = cursor..<(cursor + length)
            let flags = bytes[index] & 0x0F
            let name = mqttTypes[type]
            var title = "MQ Telemetry Transport, \(name)"
            var flagText = "\(type) (\(name))"
            if type == 3 {
                let qos = Int(flags >> 1 & 3)
                flagText += ", DUP \(flags >> 3), QoS \(qos), RETAIN \(flags & 1)"
                title += ", QoS \(qos)" + (flags & 0x08 != 0 ? ", DUP" : "")
            }
            var fields = [
                PacketField(name: "mqtt.type", label: "Packet type, flags", value: flagText, range: index..<(index + 1)),
                PacketField(name: "mqtt.length", label: "Remaining length", value: "\(length)", range: (index + 1)..<cursor),
            ]
            fields += mqttBodyFields(type: type, flags: flags, bytes, body)
            layers.append(PacketLayer(title: title, fields: fields))
            index = body.upperBound
        }
        return layers.isEmpty ? nil : layers
    }

    /// The variable header and payload fields worth showing, as far as the body holds them.
    private static func mqttBodyFields(type: Int, flags: UInt8, _ bytes: [UInt8], _ body: Range<Int>) -> [PacketField] {
        func u16(_ at: Int) -> Int { Int(bytes[at]) << 8 | Int(bytes[at + 1]) }
        /// A length-prefixed UTF-8 string at `at` (§1.5.3): its text and the range it covers.
        func string(_ at: Int) -> (String, Range<Int>)? {
            guard at + 2 <= body.upperBound, at + 2 + u16(at) <= body.upperBound else { return nil }
            let end = at + 2 + u16(at)
            return (String(decoding: bytes[(at + 2)..<end], as: UTF8.self), at..<end)
        }
        var fields: [PacketField] = []
        switch type {
        case 1:  // CONNECT: "MQTT", level, flags, keepalive, client identifier
            guard let (_, protocolName) = string(body.lowerBound), protocolName.upperBound + 4 <= body.upperBound else { break }
            let keepAlive = protocolName.upperBound + 2
            fields.append(PacketField(name: "mqtt.keepalive", label: "Keep alive", value: "\(u16(keepAlive)) s",
                                      range: keepAlive..<(keepAlive + 2)))
            if let (client, clientRange) = string(keepAlive + 2) {
                fields.append(PacketField(name: "mqtt.client", label: "Client identifier", value: client, range: clientRange))
            }
        case 2:  // CONNACK: session present, return code
            guard body.count >= 2 else { break }
            fields.append(PacketField(name: "mqtt.code", label: "Return code",
                                      value: bytes[body.lowerBound + 1] == 0 ? "0 (accepted)" : "\(bytes[body.lowerBound + 1])",
                                      range: (body.lowerBound + 1)..<(body.lowerBound + 2)))
        case 3:  // PUBLISH: topic, packet identifier when QoS > 0, message
            guard let (topic, topicRange) = string(body.lowerBound) else { break }
            fields.append(PacketField(name: "mqtt.topic", label: "Topic", value: topic, range: topicRange))
            var start = topicRange.upperBound
            if flags >> 1 & 3 > 0, start + 2 <= body.upperBound {
                fields.append(PacketField(name: "mqtt.id", label: "Packet identifier", value: "\(u16(start))",
                                          range: start..<(start + 2)))
                start += 2
            }
            if start < body.upperBound {
                let message = start..<body.upperBound
                let preview = String(bytes[start..<min(body.upperBound, start + 24)].map {
                    (0x20..<0x7F).contains($0) ? Character(Unicode.Scalar($0)) : "."
                })
                fields.append(PacketField(name: "mqtt.payload", label: "Message",
                                          value: "\(message.count) bytes \"\(preview)" + (message.count > 24 ? "\"…" : "\""),
                                          range: message))
            }
        case 4, 5, 6, 7, 9, 11:  // the acknowledgements: the packet identifier they answer
            guard body.count >= 2 else { break }
            fields.append(PacketField(name: "mqtt.id", label: "Packet identifier", value: "\(u16(body.lowerBound))",
                                      range: body.lowerBound..<(body.lowerBound + 2)))
        case 8, 10:  // SUBSCRIBE, UNSUBSCRIBE: packet identifier, then the filters
            guard body.count >= 2 else { break }
            fields.append(PacketField(name: "mqtt.id", label: "Packet identifier", value: "\(u16(body.lowerBound))",
                                      range: body.lowerBound..<(body.lowerBound + 2)))
            if let (filter, filterRange) = string(body.lowerBound + 2) {
                fields.append(PacketField(name: "mqtt.topic", label: "Topic filter", value: filter, range: filterRange))
            }
        default:  // PINGREQ, PINGRESP, DISCONNECT: nothing but the fixed header
            break
        }
        return fields
    }
}
