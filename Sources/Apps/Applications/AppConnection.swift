import Sockets
import Tracing

/// One connection an application uses, with every call and event recorded in the trace under the
/// connection's name (`host:port>peer:port`), as the scenario runner records its own sockets, so
/// `SocketActivity` reads application connections like any other.
///
/// The application sees the socket's events through `onEvent`, after they are recorded. Bytes
/// are recorded as intact: the application protocol, not the byte pattern, judges them.
final class AppConnection {
    let host: any SocketHost
    let socket: any StreamSocket
    let trace: ApplicationTrace
    /// `host:port>peer:port`.
    let name: String
    var onEvent: ((SocketEvent) -> Void)?
    /// The connection opened (an accepted one is open from the start).
    private(set) var isOpen: Bool
    /// The peer's FIN arrived.
    private(set) var peerFinished = false
    /// `close` or `abort` was called, or the connection failed or closed.
    private(set) var isFinished = false
    /// `onclose` was delivered.
    private(set) var isClosed = false

    /// Wraps a socket from `connect` (not yet open) or `accept` (open).
    init(host: any SocketHost, socket: any StreamSocket, trace: ApplicationTrace, isOpen: Bool) {
        self.host = host
        self.socket = socket
        self.trace = trace
        self.isOpen = isOpen
        name = "\(socket.localAddress)>\(socket.remoteAddress)"
        socket.onEvent = { [weak self] event in self?.handle(event) }
    }

    /// `connect()` recorded as the runner records it (on the host, before the local port exists),
    /// then the connection.
    static func connect(
        from host: any SocketHost, to address: SocketAddress, trace: ApplicationTrace
    ) throws(SocketError) -> AppConnection {
        trace.record(host, .socketCall(socket: host.name, call: .connect(to: address.description)))
        let socket = try host.connect(to: address, from: 0)
        return AppConnection(host: host, socket: socket, trace: trace, isOpen: false)
    }

    /// `accept()` on a listener returned `socket`.
    static func accepted(
        _ socket: any StreamSocket, on host: any SocketHost, trace: ApplicationTrace
    ) -> AppConnection {
        trace.record(host, .socketCall(socket: socket.localAddress.description,
                                       call: .accept(from: socket.remoteAddress.description)))
        return AppConnection(host: host, socket: socket, trace: trace, isOpen: true)
    }

    var now: Int64 { host.now }

    func send(_ bytes: [UInt8]) {
        guard !isFinished else { return }
        trace.record(host, .socketCall(socket: name, call: .send(bytes: bytes.count)))
        socket.send(bytes)
    }

    func close() {
        guard !isFinished else { return }
        isFinished = true
        trace.record(host, .socketCall(socket: name, call: .close))
        socket.close()
    }

    func abort() {
        guard !isFinished else { return }
        isFinished = true
        trace.record(host, .socketCall(socket: name, call: .abort))
        socket.abort()
    }

    func setKeepalive(_ keepalive: SocketKeepalive?) {
        guard !isFinished else { return }
        trace.record(host, .socketCall(socket: name, call: .setKeepalive(keepalive)))
        socket.setKeepalive(keepalive)
    }

    /// Records what the application protocol did on this connection.
    func record(_ event: ApplicationEvent) {
        trace.record(host, .application(socket: name, event: event))
    }

    private func handle(_ event: SocketEvent) {
        switch event {
        case .opened:
            isOpen = true
            trace.record(host, .socketEvent(socket: name, event: .open(remote: socket.remoteAddress.description)))
        case .data(let bytes):
            trace.record(host, .socketEvent(socket: name, event: .message(bytes: bytes.count, intact: true)))
        case .peerFinished:
            peerFinished = true
            trace.record(host, .socketEvent(socket: name, event: .end))
        case .error(let error):
            isFinished = true
            trace.record(host, .socketEvent(socket: name, event: .error(error)))
        case .closed:
            isFinished = true
            isClosed = true
            trace.record(host, .socketEvent(socket: name, event: .close))
        }
        onEvent?(event)
    }
}
