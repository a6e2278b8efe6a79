import Glibc
import Sockets
import Wire

/// A UDP socket of the loopback runtime.
///
/// ICMP errors follow Linux's default rule (no `IP_RECVERR`): a port unreachable reaches a
/// *connected* socket as `ECONNREFUSED` (`sk_err`, which `poll` reports as `POLLERR` and the next
/// call returns) and an unconnected one not at all. The loop reads `SO_ERROR` on `POLLERR` and calls
/// `onError` once per error; the error queue (`MSG_ERRQUEUE`) is drained too, for completeness.
final class LoopbackDatagramSocket: DatagramSocket, LoopbackPollable {
    let host: LoopbackHost
    private var descriptor: Int32
    let scenarioPort: UInt16
    let localAddress: SocketAddress
    var onDatagram: (([UInt8], SocketAddress) -> Void)?
    var onError: ((SocketError) -> Void)?
    /// Datagrams the kernel could not take yet (`EAGAIN`), sent when it can.
    private var queue: [(bytes: [UInt8], address: IPv4Address, port: UInt16)] = []
    private var isClosed = false

    init(host: LoopbackHost, descriptor: Int32, scenarioPort: UInt16, port: UInt16) {
        self.host = host
        self.descriptor = descriptor
        self.scenarioPort = scenarioPort
        localAddress = SocketAddress(host: host.name, port: port)
    }

    /// `sendto(2)` to the target's real port.
    func send(_ bytes: [UInt8], to address: SocketAddress) {
        guard !isClosed, let network = host.network else { return }
        let target: HostAddress
        do {
            target = try network.resolve(address.host)
        } catch {
            network.post { [weak self] in self?.onError?(error) }
            return
        }
        let port = network.realPort(host: target.name, transport: .udp, scenarioPort: address.port)
        queue.append((bytes, target.address, port))
        flush(insideApplicationCall: true)
    }

    /// `connect(2)` to the target's real port: the kernel then takes datagrams from it only and
    /// reports its port unreachable as `ECONNREFUSED`.
    func connect(to address: SocketAddress) throws(SocketError) {
        guard !isClosed, let network = host.network else { throw .invalidState("socket closed") }
        let target = try network.resolve(address.host)
        let port = network.realPort(host: target.name, transport: .udp, scenarioPort: address.port)
        do {
            _ = try Syscall.connect(descriptor, address: target.address, port: port)
        } catch {
            throw SocketError(error)
        }
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        host.network?.remove(self, descriptor: descriptor)
        descriptor = -1
    }

    var openDescriptor: Int32? { isClosed ? nil : descriptor }
    var pollDescriptor: Int32? { openDescriptor }
    var pollEvents: Int16 { Int16(POLLIN) | (queue.isEmpty ? 0 : Int16(POLLOUT)) }
    var hasPendingWork: Bool { !queue.isEmpty }

    func handle(_ returnedEvents: Int16) {
        if returnedEvents & Int16(POLLERR) != 0 { readErrors(insideApplicationCall: false) }
        if returnedEvents & Int16(POLLIN) != 0 { readDatagrams() }
        if returnedEvents & Int16(POLLOUT) != 0 { flush(insideApplicationCall: false) }
    }

    func release() {
        isClosed = true
        descriptor = -1
        queue.removeAll()
    }

    private func flush(insideApplicationCall: Bool) {
        var retried = false
        while !isClosed, let first = queue.first {
            do {
                let sent = try Syscall.sendTo(descriptor, first.bytes, address: first.address, port: first.port)
                guard sent else { return }
                queue.removeFirst()
            } catch where error.code == ECONNREFUSED && !retried {
                // An earlier ICMP error was pending on the socket (`sk_err`), and this call took it:
                // report it, retry once.
                retried = true
                report(.refused, insideApplicationCall: insideApplicationCall)
            } catch {
                queue.removeFirst()
                report(SocketError(error), insideApplicationCall: insideApplicationCall)
            }
        }
    }

    private func readDatagrams() {
        guard let network = host.network else { return }
        for _ in 0..<64 {
            guard !isClosed, let datagram = try? Syscall.receiveFrom(descriptor) else { return }
            let sender = SocketAddress(host: network.hostName(of: datagram.address), port: datagram.port)
            onDatagram?(datagram.bytes, sender)
        }
    }

    private func readErrors(insideApplicationCall: Bool) {
        for _ in 0..<64 {
            guard !isClosed, let queued = try? Syscall.receiveQueuedError(descriptor) else { break }
            if queued.origin == LinuxConstant.errorOriginICMP && queued.icmpType == 3 {
                report(.unreachable, insideApplicationCall: insideApplicationCall)
            } else if queued.code != 0 {
                report(SocketError(code: queued.code, call: "recvmsg(MSG_ERRQUEUE)"),
                       insideApplicationCall: insideApplicationCall)
            }
        }
        guard !isClosed else { return }
        switch Syscall.pendingError(descriptor) {   // `sk_err`, set by a hard ICMP error on a connected socket
        case 0: break
        case ECONNREFUSED: report(.refused, insideApplicationCall: insideApplicationCall)
        case let code:
            report(SocketError(code: code, call: "getsockopt(SO_ERROR)"), insideApplicationCall: insideApplicationCall)
        }
    }

    /// Calls `onError` now, or from the loop when inside one of the application's calls.
    private func report(_ error: SocketError, insideApplicationCall: Bool) {
        if insideApplicationCall, let network = host.network {
            network.post { [self] in onError?(error) }
        } else {
            onError?(error)
        }
    }
}
