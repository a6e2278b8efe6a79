/// Reading packets: the checks of the fixed header (§2.2) and the decoding of a packet's
/// variable header and payload (§3), with every rule of the standard that a single packet can
/// break.
extension MQTTPacket {
    /// Decodes exactly one whole packet from `bytes`; `offset` is the stream offset of its first
    /// octet, used in errors.
    public static func decode(_ bytes: [UInt8], offset: Int = 0) throws(MQTTDecodingError) -> MQTTPacket {
        guard let first = bytes.first else {
            throw MQTTDecodingError(.truncated, field: .packetType, packetType: nil, offset: offset)
        }
        let type = try checkFirstOctet(first, offset: offset)
        let length: Int
        let lengthOctets: Int
        switch MQTTRemainingLength.decode(bytes.dropFirst()) {
        case .value(let value, let octets): (length, lengthOctets) = (value, octets)
        case .needMoreData:
            throw MQTTDecodingError(.truncated, field: .remainingLength, packetType: type, offset: offset + bytes.count)
        case .malformed:
            throw MQTTDecodingError(.remainingLengthTooLong, field: .remainingLength, packetType: type,
                                    offset: offset + MQTTRemainingLength.maxOctets)
        }
        try checkRemainingLength(length, of: type, offset: offset + 1)
        let bodyStart = 1 + lengthOctets
        guard bytes.count >= bodyStart + length else {
            throw MQTTDecodingError(.truncated, field: .payload, packetType: type, offset: offset + bytes.count)
        }
        guard bytes.count == bodyStart + length else {
            throw MQTTDecodingError(.trailingBytes(bytes.count - bodyStart - length), field: .payload, packetType: type,
                                    offset: offset + bodyStart + length)
        }
        return try decodeBody(type: type, flags: first & 0x0F, body: Array(bytes[bodyStart...]),
                              headerOffset: offset, bodyOffset: offset + bodyStart)
    }

    /// The type of the first octet of a fixed header, after the checks of §2.2.1 and §2.2.2.
    static func checkFirstOctet(_ byte: UInt8, offset: Int) throws(MQTTDecodingError) -> MQTTPacketType {
        guard let type = MQTTPacketType(rawValue: byte >> 4) else {
            throw MQTTDecodingError(.reservedPacketType(byte >> 4), field: .packetType, packetType: nil, offset: offset)
        }
        let flags = byte & 0x0F
        let valid: Bool
        if let required = type.requiredFlags {
            valid = flags == required
        } else {
            let qos = flags >> 1 & 0x3
            valid = qos != 3 && !(qos == 0 && flags & 0x08 != 0)  // §3.3.1.2, §3.3.1.1
        }
        guard valid else {
            throw MQTTDecodingError(.invalidFlags(flags), field: .flags, packetType: type, offset: offset)
        }
        return type
    }

    /// Checks a Remaining Length against the one that packets of this type must have, when it
    /// is fixed (§3.2.1, §3.4.1-§3.7.1, §3.11.1, §3.12.1, §3.13.1, §3.14.1), before the body
    /// is read.
    static func checkRemainingLength(_ length: Int, of type: MQTTPacketType,
                                     offset: Int) throws(MQTTDecodingError) {
        let fixed: Int? = switch type {
        case .connack, .puback, .pubrec, .pubrel, .pubcomp, .unsuback: 2
        case .pingreq, .pingresp, .disconnect: 0
        case .connect, .publish, .subscribe, .suback, .unsubscribe: nil
        }
        if let fixed, length != fixed {
            throw MQTTDecodingError(.wrongRemainingLength(expected: fixed, actual: length), field: .remainingLength,
                                    packetType: type, offset: offset)
        }
    }

    /// Decodes the variable header and payload of a packet whose fixed header has been checked.
    static func decodeBody(type: MQTTPacketType, flags: UInt8, body: [UInt8], headerOffset: Int,
                           bodyOffset: Int) throws(MQTTDecodingError) -> MQTTPacket {
        var reader = MQTTReader(bytes: body, base: bodyOffset, type: type)
        let packet: MQTTPacket
        switch type {
        case .connect:
            packet = .connect(try decodeConnect(&reader))
        case .connack:
            let flagsOffset = reader.offset
            let connackFlags = try reader.byte(.connackFlags)
            guard connackFlags & 0xFE == 0 else {
                throw reader.error(.invalidValue(connackFlags), .connackFlags, at: flagsOffset)
            }
            let codeOffset = reader.offset
            let raw = try reader.byte(.returnCode)
            guard let code = MQTTConnectReturnCode(rawValue: raw) else {
                throw reader.error(.invalidValue(raw), .returnCode, at: codeOffset)
            }
            // §3.2.2.2: a refused connection has no session.
            if code != .accepted && connackFlags != 0 {
                throw reader.error(.invalidValue(connackFlags), .connackFlags, at: flagsOffset)
            }
            packet = .connack(sessionPresent: connackFlags == 1, returnCode: code)
        case .publish:
            packet = .publish(try decodePublish(&reader, flags: flags, headerOffset: headerOffset))
        case .puback: packet = .puback(packetID: try reader.packetID())
        case .pubrec: packet = .pubrec(packetID: try reader.packetID())
        case .pubrel: packet = .pubrel(packetID: try reader.packetID())
        case .pubcomp: packet = .pubcomp(packetID: try reader.packetID())
        case .unsuback: packet = .unsuback(packetID: try reader.packetID())
        case .subscribe:
            let packetID = try reader.packetID()
            var subscriptions: [MQTTSubscription] = []
            while reader.remaining > 0 {
                let filter = try reader.topicFilter()
                let qosOffset = reader.offset
                let raw = try reader.byte(.requestedQoS)
                // §3.8.3.1: the upper six bits are reserved and must be 0.
                guard let qos = MQTTQoS(rawValue: raw) else {
                    throw reader.error(.invalidValue(raw), .requestedQoS, at: qosOffset)
                }
                subscriptions.append(MQTTSubscription(filter, qos: qos))
            }
            // §3.8.3: at least one topic filter and QoS pair.
            guard !subscriptions.isEmpty else { throw reader.error(.emptyPayload, .payload, at: reader.offset) }
            packet = .subscribe(packetID: packetID, subscriptions: subscriptions)
        case .suback:
            let packetID = try reader.packetID()
            var codes: [MQTTSubackReturnCode] = []
            while reader.remaining > 0 {
                let codeOffset = reader.offset
                let raw = try reader.byte(.returnCodes)
                guard let code = MQTTSubackReturnCode(rawValue: raw) else {
                    throw reader.error(.invalidValue(raw), .returnCodes, at: codeOffset)
                }
                codes.append(code)
            }
            guard !codes.isEmpty else { throw reader.error(.emptyPayload, .payload, at: reader.offset) }
            packet = .suback(packetID: packetID, returnCodes: codes)
        case .unsubscribe:
            let packetID = try reader.packetID()
            var filters: [String] = []
            while reader.remaining > 0 { filters.append(try reader.topicFilter()) }
            // §3.10.3: at least one topic filter.
            guard !filters.isEmpty else { throw reader.error(.emptyPayload, .payload, at: reader.offset) }
            packet = .unsubscribe(packetID: packetID, topicFilters: filters)
        case .pingreq: packet = .pingreq
        case .pingresp: packet = .pingresp
        case .disconnect: packet = .disconnect
        }
        try reader.finish()
        return packet
    }

    /// §3.1.2, §3.1.3. A protocol level other than 4 is returned without decoding further, so
    /// that a server can answer CONNACK 1 (§3.1.2.2): other levels lay out the rest differently.
    private static func decodeConnect(_ reader: inout MQTTReader) throws(MQTTDecodingError) -> MQTTConnect {
        let nameOffset = reader.offset
        let name = try reader.string(.protocolName)
        guard name == MQTT.protocolName else {
            throw reader.error(.unsupportedProtocolName(name), .protocolName, at: nameOffset)
        }
        let level = try reader.byte(.protocolLevel)
        guard level == MQTT.protocolLevel else {
            reader.skipRest()
            return MQTTConnect(clientID: "", protocolLevel: level)
        }
        let flagsOffset = reader.offset
        let flags = try reader.byte(.connectFlags)
        let willFlag = flags & 0x04 != 0
        let willQoS = MQTTQoS(rawValue: flags >> 3 & 0x3)
        let badFlags = flags & 0x01 != 0                                  // §3.1.2.3: reserved bit
            || willQoS == nil                                             // §3.1.2.6: QoS 3
            || (!willFlag && flags & 0x38 != 0)                           // §3.1.2.6, §3.1.2.7
            || (flags & 0x40 != 0 && flags & 0x80 == 0)                   // §3.1.2.9: password needs a user
        guard !badFlags, let willQoS else { throw reader.error(.invalidValue(flags), .connectFlags, at: flagsOffset) }
        let keepAlive = try reader.uint16(.keepAlive)
        let clientID = try reader.string(.clientID)
        var will: MQTTWill?
        if willFlag {
            let topic = try reader.topicName(.willTopic)
            let message = try reader.binary(.willMessage)
            will = MQTTWill(topic: topic, payload: message, qos: willQoS, retain: flags & 0x20 != 0)
        }
        let username = flags & 0x80 != 0 ? try reader.string(.username) : nil
        let password = flags & 0x40 != 0 ? try reader.binary(.password) : nil
        return MQTTConnect(clientID: clientID, cleanSession: flags & 0x02 != 0, keepAlive: keepAlive, will: will,
                           username: username, password: password)
    }

    /// §3.3.1-§3.3.3.
    private static func decodePublish(_ reader: inout MQTTReader, flags: UInt8,
                                      headerOffset: Int) throws(MQTTDecodingError) -> MQTTPublish {
        guard let qos = MQTTQoS(rawValue: flags >> 1 & 0x3), !(qos == .atMostOnce && flags & 0x08 != 0) else {
            throw reader.error(.invalidFlags(flags), .flags, at: headerOffset)
        }
        let topic = try reader.topicName(.topicName)
        let packetID = qos == .atMostOnce ? nil : try reader.packetID()
        return MQTTPublish(topic: topic, payload: reader.rest(), qos: qos, packetID: packetID,
                           retain: flags & 0x01 != 0, dup: flags & 0x08 != 0)
    }
}

/// Reads MQTT's field encodings (§1.5) from a packet body, reporting stream offsets.
struct MQTTReader {
    let bytes: [UInt8]
    /// The stream offset of `bytes[0]`.
    let base: Int
    let type: MQTTPacketType
    private var position = 0

    init(bytes: [UInt8], base: Int, type: MQTTPacketType) {
        self.bytes = bytes
        self.base = base
        self.type = type
    }

    /// The stream offset of the next octet.
    var offset: Int { base + position }
    var remaining: Int { bytes.count - position }

    func error(_ problem: MQTTDecodingError.Problem, _ field: MQTTDecodingError.Field,
               at offset: Int) -> MQTTDecodingError {
        MQTTDecodingError(problem, field: field, packetType: type, offset: offset)
    }

    mutating func byte(_ field: MQTTDecodingError.Field) throws(MQTTDecodingError) -> UInt8 {
        guard remaining >= 1 else { throw error(.truncated, field, at: offset) }
        defer { position += 1 }
        return bytes[position]
    }

    /// §1.5.2: a big-endian 16-bit integer.
    mutating func uint16(_ field: MQTTDecodingError.Field) throws(MQTTDecodingError) -> UInt16 {
        guard remaining >= 2 else { throw error(.truncated, field, at: offset) }
        defer { position += 2 }
        return UInt16(bytes[position]) << 8 | UInt16(bytes[position + 1])
    }

    /// §2.3.1: a packet identifier, never 0.
    mutating func packetID() throws(MQTTDecodingError) -> UInt16 {
        let start = offset
        let value = try uint16(.packetID)
        guard value != 0 else { throw error(.zeroPacketID, .packetID, at: start) }
        return value
    }

    /// Octets with a 16-bit length prefix (§3.1.3.3, §3.1.3.5).
    mutating func binary(_ field: MQTTDecodingError.Field) throws(MQTTDecodingError) -> [UInt8] {
        let start = offset
        let length = Int(try uint16(field))
        guard remaining >= length else { throw error(.truncated, field, at: start) }
        defer { position += length }
        return Array(bytes[position..<position + length])
    }

    /// §1.5.3: a UTF-8 string with a 16-bit length prefix: well-formed and without U+0000.
    mutating func string(_ field: MQTTDecodingError.Field) throws(MQTTDecodingError) -> String {
        let textOffset = offset + 2
        let octets = try binary(field)
        var validator = UTF8Validator()
        validator.validate(octets)
        if case .invalid(let at) = validator.finish() { throw error(.invalidUTF8, field, at: textOffset + at) }
        if let null = octets.firstIndex(of: 0) { throw error(.nullCharacter, field, at: textOffset + null) }
        return String(decoding: octets, as: UTF8.self)
    }

    /// A topic name (§3.3.2.1, §4.7).
    mutating func topicName(_ field: MQTTDecodingError.Field) throws(MQTTDecodingError) -> String {
        let start = offset
        let name = try string(field)
        if let problem = MQTTTopic.problem(name: name) { throw error(.invalidTopic(problem), field, at: start) }
        return name
    }

    /// A topic filter (§4.7.1).
    mutating func topicFilter() throws(MQTTDecodingError) -> String {
        let start = offset
        let filter = try string(.topicFilter)
        if let problem = MQTTTopic.problem(filter: filter) {
            throw error(.invalidTopic(problem), .topicFilter, at: start)
        }
        return filter
    }

    /// Everything left, e.g. a PUBLISH payload (§3.3.3).
    mutating func rest() -> [UInt8] {
        defer { position = bytes.count }
        return Array(bytes[position...])
    }

    mutating func skipRest() {
        position = bytes.count
    }

    /// Octets after the last field are an error.
    func finish() throws(MQTTDecodingError) {
        guard remaining == 0 else { throw error(.trailingBytes(remaining), .payload, at: offset) }
    }
}
