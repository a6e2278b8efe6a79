/// Where a socket lives: a host and a port.
///
/// `host` is a name the runtime resolves: a simulated host's name (`"server"`) on the simulated
/// runtime, a dotted address (`"127.0.0.1"`) on the loopback runtime.
public struct SocketAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var host: String
    public var port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// `host:port`, the form scenarios and traces use.
    public var description: String { "\(host):\(port)" }

    public static func < (lhs: SocketAddress, rhs: SocketAddress) -> Bool {
        (lhs.host, lhs.port) < (rhs.host, rhs.port)
    }
}
