import Sockets

/// A listening TCP socket on the simulated runtime: the listening machine (`TCPListener`) and the
/// application's `onAccept`. It holds its host, which holds it until it closes or the run ends.
final class SimulatedListener: StreamListener {
    let host: SimulatedHost
    var machine: TCPListener
    var onAccept: ((any StreamSocket) -> Void)?
    private var isClosed = false

    init(host: SimulatedHost, machine: TCPListener) {
        self.host = host
        self.machine = machine
    }

    var port: UInt16 { machine.local.port }
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
