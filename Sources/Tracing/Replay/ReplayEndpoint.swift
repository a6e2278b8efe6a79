/// One end of a connection or flow as a replay names it: the host, and the scenario's port, or
/// nil for a port the stack chose (ephemeral ports differ between runtimes and mean nothing).
public struct ReplayEndpoint: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: UInt16?

    public init(host: String, port: UInt16?) {
        self.host = host
        self.port = port
    }

    /// `server:80`, or just `client` for an ephemeral port.
    public var description: String { port.map { "\(host):\($0)" } ?? host }
}
