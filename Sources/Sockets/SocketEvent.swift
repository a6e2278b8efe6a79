/// What happens to a stream socket, named after the browser WebSocket API's four events that the
/// source article lists: `onopen`, `onmessage`, `onerror`, `onclose`.
public enum SocketEvent: Hashable, Sendable {
    /// `onopen`: the connection is established.
    case opened
    /// `onmessage`: bytes arrived, in order.
    case data([UInt8])
    /// The peer finished sending (its FIN arrived): no more `data` will come. We may still send.
    case peerFinished
    /// `onerror`: the connection failed; `closed` follows.
    case error(SocketError)
    /// `onclose`: the connection is gone.
    case closed
}
