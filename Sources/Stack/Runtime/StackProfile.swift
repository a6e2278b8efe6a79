import Tracing

extension StackProfile {
    /// The TCP configuration of this profile for an interface of the given MTU.
    public func tcpConfiguration(mtu: Int) -> TCPConfiguration {
        switch self {
        case .textbook: .textbook
        case .linux: .linux(mtu: mtu)
        case .smallBuffer: TCPConfiguration(receiveBufferSize: 4380, sendBufferSize: 4380)
        }
    }
}
