import Glibc
import Sockets
import Wire

/// A host of the loopback runtime: the socket API over real kernel sockets bound to the host's
/// own address in 127.0.0.0/8.
///
/// Every call returns at once; outcomes arrive as events from the network's loop, as on the
/// simulated runtime. A host whose network has been shut down (or released) refuses new sockets
/// with `invalidState`.
public final class LoopbackHost: SocketHost {
    public let name: String
    public let address: IPv4Address
    weak var network: LoopbackNetwork?

    init(name: String, address: IPv4Address, network: LoopbackNetwork) {
        self.name = name
        self.address = address
        self.network = network
    }

    public var now: Int64 { network?.now ?? 0 }

    /// `socket`, `SO_REUSEADDR`, `bind` (the scenario's port if free, else an ephemeral one) and
    /// `listen(2)` with `backlog`.
    public func listen(port: UInt16, backlog: Int) throws(SocketError) -> any StreamListener {
        let network = try liveNetwork()
        guard !network.holds(host: name, transport: .tcp, scenarioPort: port) || port == 0 else { throw .addressInUse }
        let descriptor = try open(network, "tcp listen \(name):\(port)") { () throws(SyscallError) in
            try Syscall.streamSocket()
        }
        do {
            try Syscall.setReuseAddress(descriptor)
            let real = try network.bind(descriptor, host: self, transport: .tcp, port: port)
            try Syscall.listen(descriptor, backlog: max(1, backlog))
            let listener = LoopbackListener(host: self, descriptor: descriptor, scenarioPort: port, port: real)
            network.add(listener)
            listener.sample()
            return listener
        } catch {
            network.registry.close(descriptor)
            throw SocketError(error)
        }
    }

    /// `socket`, `bind` to the host's address (and `localPort` if given and free), then a
    /// non-blocking `connect(2)` to the target's real port; the outcome arrives as `opened` or
    /// `error` (`timedOut` after `LoopbackOptions.connectTimeout`).
    public func connect(to address: SocketAddress, from localPort: UInt16) throws(SocketError) -> any StreamSocket {
        let network = try liveNetwork()
        let target = try network.resolve(address.host)
        let remotePort = network.realPort(host: target.name, transport: .tcp, scenarioPort: address.port)
        let descriptor = try open(network, "tcp connect \(name)>\(address)") { () throws(SyscallError) in
            try Syscall.streamSocket()
        }
        let socket: LoopbackStreamSocket
        do {
            if localPort != 0 { try Syscall.setReuseAddress(descriptor) }
            let port = try network.bind(descriptor, host: self, transport: .tcp, port: localPort)
            socket = LoopbackStreamSocket(
                host: self, descriptor: descriptor, localPort: port,
                remote: HostAddress(name: target.name, address: target.address), remotePort: remotePort,
                isConnecting: true)
        } catch {
            network.registry.close(descriptor)
            throw SocketError(error)
        }
        network.add(socket)
        socket.startConnecting(timeout: network.options.connectTimeout)
        return socket
    }

    /// `socket(SOCK_DGRAM)`, `bind` to the host's address and `port` (if free). No `IP_RECVERR`: ICMP
    /// errors reach the socket by Linux's default rule (`LoopbackDatagramSocket`).
    public func bindDatagram(port: UInt16) throws(SocketError) -> any DatagramSocket {
        let network = try liveNetwork()
        guard !network.holds(host: name, transport: .udp, scenarioPort: port) || port == 0 else { throw .addressInUse }
        let descriptor = try open(network, "udp \(name):\(port)") { () throws(SyscallError) in
            try Syscall.datagramSocket()
        }
        do {
            let real = try network.bind(descriptor, host: self, transport: .udp, port: port)
            let socket = LoopbackDatagramSocket(host: self, descriptor: descriptor, scenarioPort: port, port: real)
            network.add(socket)
            return socket
        } catch {
            network.registry.close(descriptor)
            throw SocketError(error)
        }
    }

    /// A timer on the network's monotonic clock; after shutdown it never fires.
    @discardableResult
    public func after(nanoseconds delay: Int64, _ action: @escaping () -> Void) -> any Cancellable {
        guard let network, !network.isShutDown else { return LoopbackTimer(deadline: 0, sequence: 0) {} }
        return network.schedule(after: delay, action)
    }

    /// A timer at a fixed instant of the network's monotonic clock; after shutdown it never fires.
    @discardableResult
    public func at(nanoseconds time: Int64, _ action: @escaping () -> Void) -> any Cancellable {
        guard let network, !network.isShutDown else { return LoopbackTimer(deadline: 0, sequence: 0) {} }
        return network.schedule(at: time, action)
    }

    private func liveNetwork() throws(SocketError) -> LoopbackNetwork {
        guard let network, !network.isShutDown else { throw .invalidState("the loopback network is shut down") }
        return network
    }

    /// Creates a descriptor and registers it at once.
    private func open(
        _ network: LoopbackNetwork, _ label: String, _ create: () throws(SyscallError) -> Int32
    ) throws(SocketError) -> Int32 {
        do {
            let descriptor = try create()
            network.registry.register(descriptor, label: label)
            return descriptor
        } catch {
            throw SocketError(error)
        }
    }
}
