import Sockets
import Wire

/// A UDP socket on the simulated runtime (RFC 768): no connection, no retransmission, no order.
/// It holds its host, which holds it until it closes or the run ends (`SimulatedHost.tearDown`).
final class SimulatedDatagramSocket: DatagramSocket {
    let host: SimulatedHost
    let port: UInt16
    var onDatagram: (([UInt8], SocketAddress) -> Void)?
    var onError: ((SocketError) -> Void)?

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
    }

    func close() {
        if host.datagramSockets[port] === self { host.datagramSockets[port] = nil }
    }
}
