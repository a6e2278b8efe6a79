/// Why received MQTT bytes are not a valid packet, where they went wrong (the stream offset
/// of the offending octet) and in which field. §4.8: the receiver closes the connection.
public struct MQTTDecodingError: Error, Sendable, Equatable {
    /// The part of a packet that is wrong.
    public enum Field: String, Sendable, Hashable {
        case packetType, flags, remainingLength
        case protocolName, protocolLevel, connectFlags, keepAlive, clientID, willTopic, willMessage, username, password
        case connackFlags, returnCode
        case topicName, packetID, payload
        case topicFilter, requestedQoS, returnCodes
    }

    /// What is wrong with the field.
    public enum Problem: Sendable, Equatable {
        /// Packet type 0 or 15 (§2.2.1).
        case reservedPacketType(UInt8)
        /// Fixed-header flags that this packet type may not carry (§2.2.2), a PUBLISH with QoS 3
        /// (§3.3.1.2) or with DUP at QoS 0 (§3.3.1.1).
        case invalidFlags(UInt8)
        /// A Remaining Length of more than four octets (§2.2.3).
        case remainingLengthTooLong
        /// A Remaining Length other than the one this packet type always has.
        case wrongRemainingLength(expected: Int, actual: Int)
        /// A packet larger, header included, than the receiver accepts.
        case packetTooLarge(size: Int, limit: Int)
        /// The field runs past the end of the packet.
        case truncated
        /// Octets are left after the last field.
        case trailingBytes(Int)
        /// A string that is not well-formed UTF-8 (§1.5.3).
        case invalidUTF8
        /// A string containing U+0000 (§1.5.3).
        case nullCharacter
        /// A protocol name other than "MQTT" (§3.1.2.1).
        case unsupportedProtocolName(String)
        /// A value outside the ones the field allows: reserved bits set, a QoS of 3, a
        /// reserved return code, a password without a user name and the like.
        case invalidValue(UInt8)
        /// A packet identifier of 0 (§2.3.1).
        case zeroPacketID
        /// A topic name or filter that breaks §4.7.
        case invalidTopic(MQTTTopicProblem)
        /// A SUBSCRIBE, SUBACK or UNSUBSCRIBE with nothing in its payload (§3.8.3, §3.10.3).
        case emptyPayload
    }

    /// The type of the packet, once known.
    public var packetType: MQTTPacketType?
    /// The field at fault.
    public var field: Field
    /// What is wrong.
    public var problem: Problem
    /// The stream offset of the offending octet.
    public var offset: Int

    /// An error in `field` of a packet of `packetType`, at `offset`.
    public init(_ problem: Problem, field: Field, packetType: MQTTPacketType?, offset: Int) {
        self.problem = problem
        self.field = field
        self.packetType = packetType
        self.offset = offset
    }
}
