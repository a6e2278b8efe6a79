import Tracing

/// How a host sends ICMP errors, and which UDP sockets hear of the ones it receives.
public enum ICMPErrorRule: Sendable, Hashable {
    /// RFC 792 and RFC 1122: an error quotes the IP header and the first 8 octets of the datagram,
    /// with TOS 0; every error reaches the UDP socket that sent the datagram, connected or not
    /// (RFC 1122 §4.1.3.3: "UDP MUST pass to the application layer all ICMP error messages that it
    /// receives from the IP layer"), as "host unreachable".
    case rfc1122
    /// As Linux: an error quotes as much of the datagram as fits in 576 octets (RFC 1812 §4.3.2.3),
    /// with precedence 6, TOS 0xC0 (RFC 1812 §4.3.2.5: "SHOULD have their precedence value set to 6
    /// (INTERNETWORK CONTROL)") and DF clear (`icmp_send`); a port unreachable reaches a *connected*
    /// UDP socket as `ECONNREFUSED` and an unconnected one not at all (`__udp4_lib_err` without
    /// `IP_RECVERR`: only hard errors on a connected socket set `sk_err`).
    case linux

    /// The TOS octet (DSCP and ECN) of the errors this host sends.
    var typeOfService: UInt8 {
        switch self {
        case .rfc1122: 0
        case .linux: 0xC0
        }
    }
}

extension StackProfile {
    /// The ICMP rule of this profile's hosts.
    public var icmpErrorRule: ICMPErrorRule {
        switch self {
        case .textbook, .smallBuffer: .rfc1122
        case .linux: .linux
        }
    }
}
