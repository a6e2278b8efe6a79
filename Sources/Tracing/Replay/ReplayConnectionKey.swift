/// A connection (TCP) or flow (UDP) named the same way in a simulated and a kernel trace.
///
/// The connecting end comes first: the end with an ephemeral port, or, when both ports are the
/// scenario's (simultaneous open) or both ephemeral, the host declared first. Connections with the
/// same ends are told apart by `ordinal`, the order in which they first appear in the trace.
public struct ReplayConnectionKey: Hashable, Sendable, CustomStringConvertible {
    public var transport: TransportProtocol
    public var first: ReplayEndpoint
    public var second: ReplayEndpoint
    /// 1 for the first connection between these ends, 2 for the next, ...
    public var ordinal: Int

    public init(transport: TransportProtocol, first: ReplayEndpoint, second: ReplayEndpoint, ordinal: Int) {
        self.transport = transport
        self.first = first
        self.second = second
        self.ordinal = ordinal
    }

    /// `client>server:80`, `client>server:80 #2`, `udp client>server:7`.
    public var description: String {
        (transport == .udp ? "udp " : "") + "\(first)>\(second)" + (ordinal > 1 ? " #\(ordinal)" : "")
    }
}
