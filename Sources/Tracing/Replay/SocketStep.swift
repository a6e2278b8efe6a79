import Sockets

/// What a socket's application did and saw that a replay compares without packets: its calls and
/// events in order (data left out: how bytes are cut into calls and reads is the stacks' business,
/// their totals are compared), the bytes, and for a TCP end its last state.
public enum SocketStep: Hashable, Sendable, CustomStringConvertible {
    case call(String)
    case opened
    case ended
    case error(SocketError)
    case closed

    public var description: String {
        switch self {
        case .call(let name): name
        case .opened: "onopen"
        case .ended: "onend"
        case .error(let error): "onerror \(error)"
        case .closed: "onclose"
        }
    }
}
