/// A TCP socket option an application sets on a connection (`setsockopt(IPPROTO_TCP, ...)`).
public enum StreamSocketOption: Hashable, Sendable, CustomStringConvertible {
    /// `TCP_NODELAY`: with `true`, Nagle's algorithm (RFC 896, RFC 1122 §4.2.3.4) is off and small
    /// writes go out at once.
    case noDelay(Bool)
    /// `TCP_QUICKACK` (Linux): `true` sends an acknowledgment that is owed now (if the connection
    /// is not interactive); `false` makes it interactive (ping-pong), so ACKs wait for data. Not
    /// permanent: the kernel's own heuristics go on deciding afterwards (tcp(7)).
    case quickACK(Bool)

    /// The scenario language's and the trace's name: `nodelay`, `quickack`.
    public var name: String {
        switch self {
        case .noDelay: "nodelay"
        case .quickACK: "quickack"
        }
    }

    public var isOn: Bool {
        switch self {
        case .noDelay(let on), .quickACK(let on): on
        }
    }

    /// `nodelay on`, `quickack off`.
    public var description: String { "\(name) \(isOn ? "on" : "off")" }

    /// The option named `name` (`nodelay`, `quickack`) set on or off, or nil.
    public init?(name: String, on: Bool) {
        switch name {
        case "nodelay": self = .noDelay(on)
        case "quickack": self = .quickACK(on)
        default: return nil
        }
    }
}
