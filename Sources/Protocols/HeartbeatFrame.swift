/// One message of StackLab's heartbeat protocol: a 5-byte header, then the payload.
///
/// Wire format (all big-endian, in the style of length-prefixed framing):
///
///     +--------+--------+--------+--------+--------+---------------- - -
///     |  type  |          payload length (UInt32)  |  payload ...
///     +--------+--------+--------+--------+--------+---------------- - -
///
/// `type` is 0x01 DATA (application bytes), 0x02 PING, 0x03 PONG (the answer to a PING, echoing
/// its payload). Any frame received is a sign that the peer is alive.
public struct HeartbeatFrame: Sendable, Hashable {
    /// The frame type byte.
    public enum Kind: UInt8, Sendable, Hashable {
        case data = 0x01
        case ping = 0x02
        case pong = 0x03
    }

    /// Bytes before the payload: the type and the 32-bit length.
    public static let headerLength = 5

    public var kind: Kind
    public var payload: [UInt8]

    public init(kind: Kind, payload: [UInt8] = []) {
        self.kind = kind
        self.payload = payload
    }

    /// A DATA frame carrying `payload`.
    public static func data(_ payload: [UInt8]) -> HeartbeatFrame {
        HeartbeatFrame(kind: .data, payload: payload)
    }

    /// A PING frame; the peer echoes `payload` in its PONG.
    public static func ping(_ payload: [UInt8] = []) -> HeartbeatFrame {
        HeartbeatFrame(kind: .ping, payload: payload)
    }

    /// A PONG frame answering a PING with `payload`.
    public static func pong(_ payload: [UInt8] = []) -> HeartbeatFrame {
        HeartbeatFrame(kind: .pong, payload: payload)
    }

    /// The frame's bytes. The payload must be shorter than 2³² bytes.
    public func encoded() -> [UInt8] {
        precondition(UInt64(payload.count) <= UInt64(UInt32.max), "heartbeat payload longer than 2^32 - 1 bytes")
        let length = UInt32(payload.count)
        var bytes: [UInt8] = [kind.rawValue]
        bytes.reserveCapacity(Self.headerLength + payload.count)
        for shift in [24, 16, 8, 0] as [UInt32] {
            bytes.append(UInt8(truncatingIfNeeded: length >> shift))
        }
        bytes.append(contentsOf: payload)
        return bytes
    }
}
