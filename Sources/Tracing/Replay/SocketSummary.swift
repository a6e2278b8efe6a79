/// A listener or UDP socket in one trace, by its scenario name (`server:80`, `udp client #1`).
public struct SocketSummary: Hashable, Sendable {
    public var name: String
    public var steps: [SocketStep] = []
    /// Payload sizes of the datagrams sent and received, in order (UDP).
    public var datagramsSent: [Int] = []
    public var datagramsReceived: [Int] = []
    public var errors = 0
}
