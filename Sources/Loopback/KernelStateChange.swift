import Tracing

/// A TCP state change of a real socket, as the network observed it.
///
/// The kernel changes state on its own (an ACK arriving needs no system call from us), so these
/// are samples: the network reads `TCP_INFO` after every loop iteration that touched a socket and
/// records a change when the state differs from the last one it saw. A fast exchange on loopback
/// can pass a state between two samples (FIN-WAIT-1 often goes unseen).
public struct KernelStateChange: Hashable, Sendable, CustomStringConvertible {
    /// How the new state was learnt.
    public enum Source: String, Hashable, Sendable {
        /// `getsockopt(TCP_INFO)` on the socket.
        case tcpInfo
        /// `/proc/net/tcp`: once the socket's own state is CLOSED, Linux keeps TIME-WAIT in a
        /// separate mini-socket that only `/proc/net/tcp` (or `ss`) shows.
        case procNetTCP
        /// The network closed the descriptor itself (`abort`, `close` of a listener): the state is
        /// known without asking.
        case descriptorClosed
    }

    /// Nanoseconds since the network started.
    public var time: Int64
    public var host: String
    /// `host:port>peer:port` for a connection, `host:port` for a listener, as the simulator's
    /// trace names them (real ports).
    public var socket: String
    public var from: TCPState
    public var to: TCPState
    public var source: Source

    public init(time: Int64, host: String, socket: String, from: TCPState, to: TCPState, source: Source) {
        self.time = time
        self.host = host
        self.socket = socket
        self.from = from
        self.to = to
        self.source = source
    }

    public var description: String { "\(time) \(socket) \(from) -> \(to) (\(source.rawValue))" }
}
