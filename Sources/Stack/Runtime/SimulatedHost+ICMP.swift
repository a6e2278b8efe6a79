import Sockets
import Wire

extension SimulatedHost {
    /// Sends ICMP destination unreachable with `code` about the datagram `frame` to `destination`,
    /// quoted and marked as the host's `icmpRule` says (RFC 792 and RFC 1122, or RFC 1812 as Linux).
    func sendUnreachable(code: UInt8, about frame: [UInt8], to destination: IPv4Address) {
        switch icmpRule {
        case .rfc1122:
            transmit(.icmp(.destinationUnreachable(code: code, quoted: ICMPMessage.quote(frame))), to: destination)
        case .linux:
            let message = ICMPMessage.destinationUnreachable(code: code, quoted: ICMPMessage.quoteAsMuchAsFits(frame))
            var packet = IPv4Packet(source: address, destination: destination, ttl: 64,
                                    identification: nextIdentification, payload: .icmp(message))
            nextIdentification &+= 1
            packet.header.dscp = icmpRule.typeOfService >> 2
            packet.header.flags = []   // Linux's ICMP socket does not set DF (IP_PMTUDISC_DONT)
            let bytes = packet.emit()
            trace(.packetSent(bytes: bytes, cause: .original))
            send(bytes, on: 0)
        }
    }

    /// The error a UDP socket hears of an ICMP destination unreachable (`code`), if any: under RFC
    /// 1122 every socket hears "unreachable"; as Linux, only a connected socket hears, and a port
    /// unreachable is "connection refused" (`icmp_err_convert`: code 3 → `ECONNREFUSED`).
    func datagramError(code: UInt8, connected: Bool) -> SocketError? {
        switch icmpRule {
        case .rfc1122: return .unreachable
        case .linux:
            guard connected else { return nil }
            return code == ICMPMessage.portUnreachable ? .refused : .unreachable
        }
    }
}
