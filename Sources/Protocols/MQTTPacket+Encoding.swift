/// Writing packets: fixed header (§2.2), variable header and payload (§3).
extension MQTTPacket {
    /// The packet on the wire.
    ///
    /// - Precondition: strings and binary fields fit their 16-bit length prefix (§1.5.3), the
    ///   packet fits a Remaining Length (§2.2.3), and a PUBLISH has a packet identifier exactly
    ///   when its QoS is above 0 (§3.3.2.2). Packets produced by the parser always do.
    public func encoded() -> [UInt8] {
        var body = MQTTWriter()
        var flags: UInt8 = type.requiredFlags ?? 0
        switch self {
        case .connect(let connect):
            body.string(MQTT.protocolName)
            body.byte(connect.protocolLevel)
            var connectFlags: UInt8 = 0
            if connect.cleanSession { connectFlags |= 0x02 }
            if let will = connect.will {
                connectFlags |= 0x04 | will.qos.rawValue << 3
                if will.retain { connectFlags |= 0x20 }
            }
            if connect.password != nil { connectFlags |= 0x40 }
            if connect.username != nil { connectFlags |= 0x80 }
            body.byte(connectFlags)
            body.uint16(connect.keepAlive)
            body.string(connect.clientID)
            if let will = connect.will {
                body.string(will.topic)
                body.binary(will.payload)
            }
            if let username = connect.username { body.string(username) }
            if let password = connect.password { body.binary(password) }
        case .connack(let sessionPresent, let returnCode):
            body.byte(sessionPresent ? 1 : 0)
            body.byte(returnCode.rawValue)
        case .publish(let publish):
            precondition((publish.qos == .atMostOnce) == (publish.packetID == nil),
                         "a PUBLISH has a packet identifier exactly when QoS > 0 (§3.3.2.2)")
            flags = publish.qos.rawValue << 1
            if publish.dup { flags |= 0x08 }
            if publish.retain { flags |= 0x01 }
            body.string(publish.topic)
            if let packetID = publish.packetID { body.uint16(packetID) }
            body.raw(publish.payload)
        case .puback(let packetID), .pubrec(let packetID), .pubrel(let packetID), .pubcomp(let packetID),
             .unsuback(let packetID):
            body.uint16(packetID)
        case .subscribe(let packetID, let subscriptions):
            body.uint16(packetID)
            for subscription in subscriptions {
                body.string(subscription.topicFilter)
                body.byte(subscription.qos.rawValue)
            }
        case .suback(let packetID, let returnCodes):
            body.uint16(packetID)
            for code in returnCodes { body.byte(code.rawValue) }
        case .unsubscribe(let packetID, let topicFilters):
            body.uint16(packetID)
            for filter in topicFilters { body.string(filter) }
        case .pingreq, .pingresp, .disconnect:
            break
        }
        return [type.rawValue << 4 | flags] + MQTTRemainingLength.encode(body.bytes.count) + body.bytes
    }
}

/// Appends MQTT's field encodings (§1.5) to a byte array.
struct MQTTWriter {
    var bytes: [UInt8] = []

    mutating func byte(_ value: UInt8) {
        bytes.append(value)
    }

    /// §1.5.2: a 16-bit integer, big-endian.
    mutating func uint16(_ value: UInt16) {
        bytes += [UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }

    /// §1.5.3: a UTF-8 string with a 16-bit length prefix.
    mutating func string(_ value: String) {
        binary(Array(value.utf8))
    }

    /// §3.1.3.3, §3.1.3.5: binary data with a 16-bit length prefix.
    mutating func binary(_ value: [UInt8]) {
        precondition(value.count <= 0xFFFF, "a length-prefixed field holds at most 65 535 octets (§1.5.3)")
        uint16(UInt16(value.count))
        bytes += value
    }

    /// Octets as they are, e.g. a PUBLISH payload (§3.3.3).
    mutating func raw(_ value: [UInt8]) {
        bytes += value
    }
}
