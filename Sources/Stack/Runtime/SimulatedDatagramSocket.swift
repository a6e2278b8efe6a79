import Sockets
import Wire

/// A UDP socket on the simulated runtime (RFC 768): no connection, no retransmission, no order.
/// It holds its host, which holds it until it closes or the run ends (`SimulatedHost.tearDown`).
final class SimulatedDatagramSocket: DatagramSocket {
    let host: SimulatedHost
    let port: UInt16
    var onDatagram: (([UInt8], SocketAddress) -> Void)?
    var onError: ((SocketError) -> Void)?
    /// The peer of a connected socket (`connect(2)` on UDP): its address and port.
    var peer: (address: IPv4Address, port: UInt16)?

    init(host: SimulatedHost, port: UInt16) {
        self.host = host
        self.port = port
    }

    var localAddress: SocketAddress { SocketAddress(host: host.name, port: port) }

    func send(_ bytes: [UInt8], to address: SocketAddress) {
        guard let destination = host.resolver.address(of: address.host) else {
            onError?(.unknownHost(address.host))
            return
        }
        let datagram = UDPDatagram(sourcePort: port, destinationPort: address.port, payload: bytes)
        host.transmit(.udp(datagram), to: destination)
        host.socketCallReturns()
    }

    /// UDP `connect` (RFC 768 has none; POSIX): fixes the peer, so only its datagrams are taken and
    /// ICMP errors about datagrams to it are reported as Linux reports them (`ICMPErrorRule`).
    func connect(to address: SocketAddress) throws(SocketError) {
        guard let destination = host.resolver.address(of: address.host) else { throw .unknownHost(address.host) }
        peer = (destination, address.port)
    }

    func close() {
        if host.datagramSockets[port] === self { host.datagramSockets[port] = nil }
    }
}
