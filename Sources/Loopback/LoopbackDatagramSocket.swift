import Glibc
import Sockets
import Wire

/// A UDP socket of the loopback runtime.
///
/// ICMP errors: Linux reports an ICMP error for an *unconnected* UDP socket only when
/// `IP_RECVERR` is set (otherwise the error is dropped; a connected socket would see it as the
/// `errno` of its next call). This socket sets `IP_RECVERR`, so each error is queued with the
/// destination of the datagram that caused it; the loop reads the queue (`recvmsg` with
/// `MSG_ERRQUEUE`) when `poll` reports `POLLERR` and calls `onError` once per ICMP message. Every
/// ICMP destination-unreachable is reported as `unreachable`, as the simulated runtime does (for
/// port unreachable the C error is `ECONNREFUSED`).
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
                // An earlier ICMP error is still pending on the socket (`sk_err`): report it, retry once.
                retried = true
                readErrors(insideApplicationCall: insideApplicationCall)
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
        if !isClosed { _ = Syscall.pendingError(descriptor) }   // clear `sk_err` left by the ICMP error
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
