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

/// A heartbeat monitor run on a connection: ticks on the host's timers, sends its PINGs, reports
/// a dead peer. Shared by both ends of the long connection.
final class HeartbeatDriver {
    private let connection: AppConnection
    private(set) var monitor: HeartbeatMonitor
    private var timer: (any Cancellable)?
    /// Called once when the peer is declared dead, after it is recorded.
    var onPeerDead: (() -> Void)?

    init(connection: AppConnection, settings: HeartbeatSettings) {
        self.connection = connection
        monitor = HeartbeatMonitor(interval: settings.interval, missLimit: settings.missLimit, now: connection.now)
    }

    /// The first tick is due at once: it sends the first PING.
    func start() {
        tick()
    }

    func stop() {
        timer?.cancel()
        timer = nil
    }

    /// A frame arrived: the peer lives; a PING is answered.
    func received(_ frame: HeartbeatFrame) {
        perform(monitor.received(frame, now: connection.now))
    }

    private func tick() {
        timer = nil
        perform(monitor.tick(now: connection.now))
        guard !monitor.isPeerDead, !connection.isFinished else { return }
        timer = connection.host.after(nanoseconds: monitor.nextTick - connection.now) { [weak self] in self?.tick() }
    }

    private func perform(_ actions: [HeartbeatMonitor.Action]) {
        for action in actions {
            switch action {
            case .send(let frame):
                LongSocketWire.send(frame, on: connection)
            case .peerDead(let lastHeard, let now):
                connection.record(.peerDead(silence: now - lastHeard))
                stop()
                onPeerDead?()
            }
        }
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
