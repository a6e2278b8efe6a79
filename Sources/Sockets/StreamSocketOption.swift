/// A socket option an application sets on a connection (`setsockopt`).
public enum StreamSocketOption: Hashable, Sendable, CustomStringConvertible {
    /// `TCP_NODELAY`: with `true`, Nagle's algorithm (RFC 896, RFC 1122 §4.2.3.4) is off and small
    /// writes go out at once.
    case noDelay(Bool)
    /// `TCP_QUICKACK` (Linux): `true` sends an acknowledgment that is owed now (if the connection
    /// is not interactive); `false` makes it interactive (ping-pong), so ACKs wait for data. Not
    /// permanent: the kernel's own heuristics go on deciding afterwards (tcp(7)).
    case quickACK(Bool)
    /// `SO_RCVBUF`: the receive buffer, in octets as the application asks (Linux doubles it for its
    /// bookkeeping and stops tuning it, socket(7)).
    case receiveBuffer(Int)
    /// `SO_SNDBUF`: the send buffer, in octets as the application asks (Linux doubles it, socket(7)).
    case sendBuffer(Int)
    /// `SO_LINGER` on with a zero timeout: a later `close` is abortive (RST, queued data discarded),
    /// socket(7). Only the zero timeout is modelled.
    case lingerZero

    /// The largest size the scenario language accepts for `rcvbuf` and `sndbuf` (Linux caps what
    /// an application may ask at `net.core.rmem_max` / `wmem_max`; this is a bound on input).
    public static let maximumBufferSize = 1 << 30

    /// The scenario language's and the trace's name: `nodelay`, `quickack`, `rcvbuf`, `sndbuf`, `linger`.
    public var name: String {
        switch self {
        case .noDelay: "nodelay"
        case .quickACK: "quickack"
        case .receiveBuffer: "rcvbuf"
        case .sendBuffer: "sndbuf"
        case .lingerZero: "linger"
        }
    }

    /// The value as the scenario language and the trace write it: `on`, `off` or a size in octets.
    public var argument: String {
        switch self {
        case .noDelay(let on), .quickACK(let on): on ? "on" : "off"
        case .receiveBuffer(let size), .sendBuffer(let size): String(size)
        case .lingerZero: "0"
        }
    }

    /// `nodelay on`, `quickack off`, `rcvbuf 8192`, `linger 0`.
    public var description: String { "\(name) \(argument)" }

    /// The option named `name` with the value `argument` writes (`on`, `off`, a size), or nil.
    public init?(name: String, argument: String) {
        switch name {
        case "nodelay", "quickack":
            guard argument == "on" || argument == "off" else { return nil }
            self = name == "nodelay" ? .noDelay(argument == "on") : .quickACK(argument == "on")
        case "linger":
            guard argument == "0" else { return nil }
            self = .lingerZero
        case "rcvbuf", "sndbuf":
            guard let size = Int(argument), size > 0, size <= Self.maximumBufferSize,
                  String(size) == argument else { return nil }
            self = name == "rcvbuf" ? .receiveBuffer(size) : .sendBuffer(size)
        default:
            return nil
        }
    }
}
