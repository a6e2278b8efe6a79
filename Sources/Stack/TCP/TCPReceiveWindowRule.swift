/// How much of the receive buffer a connection offers as window, and what its SYN advertises.
public enum TCPReceiveWindowRule: Sendable, Hashable {
    /// RFC 9293 §3.8.6.2: the window is the free buffer space; a SYN offers the buffer, at most 65535
    /// (RFC 7323 §2.2: a SYN's window is never scaled).
    case wholeBuffer
    /// Linux: half the buffer is window, the other half the kernel's overhead for the packets that
    /// hold the data (`tcp_adv_win_scale` = 1, the default `scaling_ratio` of 50 %). The SYN offers that
    /// space rounded down to a multiple of the MSS it expects (`tcp_select_initial_window`: 65495 on
    /// loopback, 64240 on Ethernet; a SYN,ACK with timestamps rounds to the MSS less 12 octets: 65483).
    /// Later windows are rounded up to the window-scale unit (`__tcp_select_window`).
    case linux

    /// The octets of window a buffer of `bufferSize` octets offers.
    public func space(bufferSize: Int) -> Int {
        switch self {
        case .wholeBuffer: bufferSize
        case .linux: bufferSize / 2
        }
    }

    /// The window field of a SYN (or SYN,ACK) for segments of `mss` octets.
    public func synWindow(bufferSize: Int, mss: Int) -> Int {
        var window = space(bufferSize: bufferSize)
        switch self {
        case .wholeBuffer:
            break
        case .linux:
            if window > mss { window -= window % mss }   // rounddown(space, mss)
        }
        return min(window, 65535)
    }
}
