import Simulation
import Tracing
import Wire

extension TCPConnection {
    /// `TCP_NODELAY`: Nagle's algorithm (RFC 896, RFC 1122 §4.2.3.4) off with `true`, on again with
    /// `false`. Turning it off sends what it held back, as Linux's `tcp_push_pending_frames` does.
    public mutating func setNoDelay(_ noDelay: Bool, now: VirtualTime, into buffer: inout TCPActionList) {
        exchangeActions(with: &buffer)
        defer { exchangeActions(with: &buffer) }
        nagle = !noDelay
        if noDelay { transmit(now: now) }
    }

    /// `TCP_QUICKACK` (Linux, `__tcp_sock_set_quickack`): `true` sends an owed ACK now if the
    /// connection is not interactive and nothing unread is queued (`tcp_cleanup_rbuf`); `false`
    /// enters ping-pong mode, so ACKs wait for data to ride on. Under RFC 1122's rule, `true` sends
    /// any owed ACK and `false` does nothing.
    public mutating func setQuickACK(_ quickACK: Bool, now: VirtualTime, into buffer: inout TCPActionList) {
        exchangeActions(with: &buffer)
        defer { exchangeActions(with: &buffer) }
        switch configuration.ackModel {
        case .linux:
            guard quickACK else {
                linuxACK.enterPingpongMode()
                return
            }
            switch state {
            case .established, .closeWait:
                linuxACK.markPushed()
                if linuxACK.readAcknowledges(unacknowledged: Int(rcvNXT - rcvWUP), queueEmpty: receiveBuffer.isEmpty) {
                    sendACK(now: now)
                }
            case .closed, .listen, .synSent, .synReceived, .finWait1, .finWait2, .closing, .lastAck, .timeWait:
                break
            }
        case .rfc1122:
            if quickACK, state.isSynchronized, ackNeeded || unacknowledgedSegments > 0 { sendACK(now: now) }
        }
    }

    /// `SO_RCVBUF` or `SO_SNDBUF` of `size` octets. Linux (socket(7), `__sock_set_rcvbuf`) doubles
    /// the size for its bookkeeping, at least `SOCK_MIN_RCVBUF`, and stops tuning a receive buffer
    /// the application sized; the textbook stack uses the size as given. A smaller receive buffer
    /// never takes back window already offered (RFC 9293 §3.8.6.2.2); a larger one is offered with
    /// the next segment, or at once by a window update when the peer's view is at most half of it.
    public mutating func setBufferSize(_ option: BufferOption, size: Int, now: VirtualTime,
                                       into buffer: inout TCPActionList) {
        exchangeActions(with: &buffer)
        defer { exchangeActions(with: &buffer) }
        let linux = configuration.receiveWindowRule == .linux
        let kernelSize = linux ? max(2 * size, TCPLinuxReceiveWindow.minimumBuffer) : size
        switch option {
        case .send:
            sendBufferOverride = kernelSize
        case .receive:
            receiveBufferOverride = kernelSize
            linuxWindow?.fixBuffer(size: kernelSize)
            if state.isSynchronized, linuxWindowOpened { sendACK(now: now) }
        }
    }

    public enum BufferOption: Sendable { case send, receive }
}
