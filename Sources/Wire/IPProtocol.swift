/// The IPv4 protocol field (RFC 791 §3.1; numbers from the IANA registry). Unknown values are kept.
public struct IPProtocol: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public init(_ rawValue: UInt8) { self.rawValue = rawValue }

    public static let icmp = IPProtocol(1)
    public static let tcp = IPProtocol(6)
    public static let udp = IPProtocol(17)

    public var description: String {
        switch rawValue {
        case 1: "ICMP"
        case 6: "TCP"
        case 17: "UDP"
        default: "protocol \(rawValue)"
        }
    }
}
