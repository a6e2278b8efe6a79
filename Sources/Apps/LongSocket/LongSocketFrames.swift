import Protocols
import Sockets
import Tracing

/// What the long connection's DATA frames carry (the framing itself is `HeartbeatFrame`: a type
/// byte and a 32-bit length before each payload): a payload `GET PATH` asks for a page of the
/// site, and is answered with the page's bytes alone, without any HTTP header; any other payload
/// is echoed back. Each DATA frame is answered by exactly one, in order.
enum LongSocketFrames {
    /// The bytes a client sends to ask for `path`.
    static func request(for path: String) -> [UInt8] {
        Array("GET \(path)".utf8)
    }

    /// The server's answer to a DATA payload.
    static func answer(to payload: [UInt8], site: WebSite) -> [UInt8] {
        let prefix = Array("GET ".utf8)
        guard payload.starts(with: prefix) else { return payload }
        let path = String(decoding: payload.dropFirst(prefix.count), as: UTF8.self)
        return site.page(at: path)?.body ?? Array("404 Not Found: \(path)\n".utf8)
    }

    /// The sequence number a heartbeat's payload carries (`HeartbeatMonitor` sends 8 big-endian
    /// bytes), or 0 for another payload.
    static func sequence(of payload: [UInt8]) -> UInt64 {
        guard payload.count == 8 else { return 0 }
        return payload.reduce(0) { $0 << 8 | UInt64($1) }
    }
}

/// Writes heartbeat-protocol frames, recording PINGs and PONGs (DATA frames are recorded by
/// their senders, who know the request ids).
enum LongSocketWire {
    static func send(_ frame: HeartbeatFrame, on connection: AppConnection) {
        let bytes = frame.encoded()
        switch frame.kind {
        case .ping:
            connection.record(.ping(.sent, sequence: LongSocketFrames.sequence(of: frame.payload), bytes: bytes.count))
        case .pong:
            connection.record(.pong(.sent, sequence: LongSocketFrames.sequence(of: frame.payload), bytes: bytes.count))
        case .data:
            break
        }
        connection.send(bytes)
    }

    /// Records a PING or PONG that arrived.
    static func recordHeartbeat(_ frame: HeartbeatFrame, on connection: AppConnection) {
        let size = HeartbeatFrame.headerLength + frame.payload.count
        let sequence = LongSocketFrames.sequence(of: frame.payload)
        switch frame.kind {
        case .ping: connection.record(.ping(.received, sequence: sequence, bytes: size))
        case .pong: connection.record(.pong(.received, sequence: sequence, bytes: size))
        case .data: break
        }
    }
}
