import Sockets

/// Something the host tells an application, as a value: the host queues these while it carries
/// out a batch of protocol actions (`SimulatedHost.callApplication`). A closure per callback was
/// an allocation per received segment on the per-packet path.
enum ApplicationCallback {
    /// A listener's connection is established: hand it to the application.
    case accept(SimulatedListener, SimulatedStreamSocket)
    /// Something happened to a connection (`SimulatedStreamSocket.emit`).
    case event(SimulatedStreamSocket, SocketEvent)
    /// Data may be read. The socket is unretained: its connection's slot keeps it for the run,
    /// and a retain and release per received segment cost ~20 instructions a packet (callgrind,
    /// workload A).
    case readable(Unmanaged<SimulatedStreamSocket>)
    /// The send buffer has room for what the application still has to write (loopback links).
    case writable(SimulatedStreamSocket)
    /// A UDP datagram arrived from `sender`.
    case datagram(SimulatedDatagramSocket, [UInt8], from: SocketAddress)
    /// An ICMP error came back for a datagram the socket sent.
    case datagramError(SimulatedDatagramSocket, SocketError)

    func run() {
        switch self {
        case .accept(let listener, let socket): listener.deliver(socket)
        case .event(let socket, let event): socket.emit(event)
        case .readable(let socket): socket._withUnsafeGuaranteedRef { $0.readAvailable() }
        case .writable(let socket): socket.writable()
        case .datagram(let socket, let bytes, let sender): socket.onDatagram?(bytes, sender)
        case .datagramError(let socket, let error): socket.onError?(error)
        }
    }
}
