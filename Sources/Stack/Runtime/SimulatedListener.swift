import Sockets

/// A listening TCP socket on the simulated runtime: connections it spawned and that are not yet
/// established count against the backlog.
final class SimulatedListener: StreamListener {
    unowned let host: SimulatedHost
    let port: UInt16
    let backlog: Int
    var pending = 0
    var onAccept: ((any StreamSocket) -> Void)?
    private var isClosed = false

    init(host: SimulatedHost, port: UInt16, backlog: Int) {
        self.host = host
        self.port = port
        self.backlog = backlog
    }

    var localAddress: SocketAddress { SocketAddress(host: host.name, port: port) }

    func deliver(_ socket: SimulatedStreamSocket) {
        guard !isClosed else {
            socket.abort()
            return
        }
        onAccept?(socket)
        socket.readAvailable()
    }

    func close() {
        isClosed = true
        if host.listeners[port] === self { host.listeners[port] = nil }
    }
}
