import Sockets
import Tracing
import Wire

extension SimulatedHost {
    public func bindDatagram(port: UInt16) throws(SocketError) -> any DatagramSocket {
        let chosen = port == 0 ? allocateEphemeralPort() : port
        guard chosen != 0, datagramSockets[chosen] == nil else { throw .addressInUse }
        let socket = SimulatedDatagramSocket(host: self, port: chosen)
        datagramSockets[chosen] = socket
        return socket
    }

    /// UDP input: to the bound socket, else ICMP port unreachable (RFC 1122 §4.1.3.1).
    func udpReceive(_ datagram: UDPDatagram, packet: IPv4Packet, bytes: [UInt8]) {
        let sender = SocketAddress(host: resolver.name(of: packet.header.source), port: datagram.sourcePort)
        guard let socket = datagramSockets[datagram.destinationPort] else {
            trace(.note(.noUDPSocket(port: datagram.destinationPort)))
            transmit(.icmp(.destinationUnreachable(code: ICMPMessage.portUnreachable, quoted: ICMPMessage.quote(bytes))),
                     to: packet.header.source)
            return
        }
        callApplication(.datagram(socket, datagram.payload, from: sender))
    }

    /// ICMP input: answer echo requests; report unreachable errors to the UDP socket that caused them.
    func icmpReceive(_ message: ICMPMessage, from source: IPv4Address) {
        switch message {
        case .echoRequest(let identifier, let sequence, let data):
            transmit(.icmp(.echoReply(identifier: identifier, sequence: sequence, data: data)), to: source)
        case .destinationUnreachable(_, _, let quoted):
            // The quote holds the offending IP header (20 bytes here) and the first 8 bytes of UDP.
            guard quoted.count >= 28, quoted[9] == 17 else { return }
            let headerLength = Int(quoted[0] & 0x0F) * 4
            guard quoted.count >= headerLength + 2 else { return }
            let sourcePort = UInt16(quoted[headerLength]) << 8 | UInt16(quoted[headerLength + 1])
            if let socket = datagramSockets[sourcePort] { callApplication(.datagramError(socket, .unreachable)) }
        case .echoReply, .timeExceeded, .other:
            break
        }
    }
}
