/// A transport protocol, for ports.
public enum TransportProtocol: String, Hashable, Sendable, CustomStringConvertible {
    case tcp, udp

    public var description: String { rawValue }

    /// The IPv4 protocol number (RFC 790).
    var ipProtocol: UInt8 { self == .tcp ? 6 : 17 }
}
