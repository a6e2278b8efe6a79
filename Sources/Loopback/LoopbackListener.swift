import Glibc
import Tracing
import Sockets
import Wire

/// A listening TCP socket of the loopback runtime: `accept(2)` runs in the loop whenever `poll`
/// says a connection is waiting, and each one reaches `onAccept` already established.
final class LoopbackListener: StreamListener, LoopbackPollable {
    let host: LoopbackHost
    private var descriptor: Int32
    /// The port the scenario asked for; `localAddress` has the real one.
    let scenarioPort: UInt16
    let localAddress: SocketAddress
    var onAccept: ((any StreamSocket) -> Void)?
    private var isClosed = false
    private var lastState = TCPState.closed

    init(host: LoopbackHost, descriptor: Int32, scenarioPort: UInt16, port: UInt16) {
        self.host = host
        self.descriptor = descriptor
        self.scenarioPort = scenarioPort
        localAddress = SocketAddress(host: host.name, port: port)
    }

    /// Stops listening; connections the kernel completed but nobody accepted are reset by it.
    func close() {
        guard !isClosed else { return }
        record(.closed, source: .descriptorClosed)
        isClosed = true
        host.network?.remove(self, descriptor: descriptor)
        descriptor = -1
    }

    var openDescriptor: Int32? { isClosed ? nil : descriptor }
    var pollDescriptor: Int32? { openDescriptor }
    var pollEvents: Int16 { Int16(POLLIN) }
    var hasPendingWork: Bool { false }

    func handle(_ returnedEvents: Int16) {
        guard let network = host.network else { return }
        for _ in 0..<64 {
            guard !isClosed else { return }
            let accepted: (descriptor: Int32, address: IPv4Address, port: UInt16)?
            do {
                accepted = try Syscall.accept(descriptor)
            } catch {
                return   // ECONNABORTED and the like: the connection is gone before we took it
            }
            guard let accepted else { return }
            network.registry.register(accepted.descriptor, label: "tcp accepted \(localAddress)")
            let socket = LoopbackStreamSocket(
                host: host, descriptor: accepted.descriptor, localPort: localAddress.port,
                remote: HostAddress(name: network.hostName(of: accepted.address), address: accepted.address),
                remotePort: accepted.port, isConnecting: false)
            network.add(socket)
            socket.sample()
            onAccept?(socket)
        }
    }

    func release() {
        isClosed = true
        descriptor = -1
    }

    /// Reads the listener's state (LISTEN) with `TCP_INFO` and records it.
    func sample() {
        guard !isClosed, let bytes = try? Syscall.tcpInfo(descriptor), let info = TCPInfo(bytes: bytes) else { return }
        if let state = info.state?.rfcState { record(state, source: .tcpInfo) }
    }

    private func record(_ state: TCPState, source: KernelStateChange.Source) {
        guard state != lastState, let network = host.network else { return }
        network.record(KernelStateChange(time: network.nanosecondsNow, host: host.name,
                                         socket: localAddress.description, from: lastState, to: state,
                                         source: source))
        lastState = state
    }
}
