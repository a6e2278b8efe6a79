import Protocols
import Sockets
import Tracing

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
        timer = connection.host.at(nanoseconds: monitor.nextTick) { [weak self] in self?.tick() }
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
