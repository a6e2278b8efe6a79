import Simulation

extension TCPConnection {
    /// The application turns keepalive on (with its timings) or off, as `setsockopt(SO_KEEPALIVE)`
    /// with `TCP_KEEPIDLE`, `TCP_KEEPINTVL` and `TCP_KEEPCNT` does (RFC 1122 §4.2.3.6: keepalive is
    /// off by default and per connection).
    ///
    /// On a synchronized connection the idle time counts from now (as Linux re-arms its keepalive
    /// timer on the option); before that, the timer starts when the connection is established.
    public mutating func setKeepalive(_ keepalive: TCPKeepalive?, now: VirtualTime) -> [TCPAction] {
        var actions = TCPActionList()
        setKeepalive(keepalive, now: now, into: &actions)
        return actions.array
    }

    /// `setKeepalive(_:now:)`, appending the actions to `buffer`.
    public mutating func setKeepalive(_ keepalive: TCPKeepalive?, now: VirtualTime, into buffer: inout TCPActionList) {
        exchangeActions(with: &buffer)
        defer { exchangeActions(with: &buffer) }
        self.keepalive = keepalive
        keepaliveProbesSent = 0
        switch state {
        case .established, .closeWait, .finWait2:
            if let keepalive {
                setTimer(.keepalive, at: now + keepalive.idle)
            } else {
                cancelTimer(.keepalive)
            }
        case .closed, .listen, .synSent, .synReceived, .finWait1, .closing, .lastAck, .timeWait:
            if keepalive == nil { cancelTimer(.keepalive) }
        }
    }
}
