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

/// Which way a segment went, relative to its connection key: `forward` from `first` to `second`.
public enum ReplayDirection: String, Hashable, Sendable, CaseIterable {
    case forward, backward

    public var reversed: ReplayDirection { self == .forward ? .backward : .forward }

    /// The end that sends in this direction.
    public func sender(of key: ReplayConnectionKey) -> ReplayEndpoint {
        self == .forward ? key.first : key.second
    }

    /// `client>server:80` for forward, `server:80>client` for backward.
    public func text(of key: ReplayConnectionKey) -> String {
        self == .forward ? "\(key.first)>\(key.second)" : "\(key.second)>\(key.first)"
    }
}
