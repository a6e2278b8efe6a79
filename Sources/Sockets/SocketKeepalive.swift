/// TCP keepalive for one connection (RFC 1122 §4.2.3.6): after `idle` nanoseconds without
/// hearing from the peer, probe every `interval` nanoseconds, and give the connection up
/// (`timedOut`) after `probes` probes go unanswered.
///
/// The C options are `SO_KEEPALIVE` with `TCP_KEEPIDLE`, `TCP_KEEPINTVL` and `TCP_KEEPCNT`; the
/// kernel counts those in whole seconds, so the loopback runtime rounds up to the second.
public struct SocketKeepalive: Hashable, Sendable {
    /// Silence before the first probe, nanoseconds (`TCP_KEEPIDLE`).
    public var idle: Int64
    /// Time between probes, nanoseconds (`TCP_KEEPINTVL`).
    public var interval: Int64
    /// Unanswered probes before the connection is dropped (`TCP_KEEPCNT`).
    public var probes: Int

    public init(idle: Int64, interval: Int64, probes: Int) {
        self.idle = idle
        self.interval = interval
        self.probes = probes
    }

    /// Linux's `tcp_keepalive_time`, `tcp_keepalive_intvl` and `tcp_keepalive_probes`: 7200 s, 75 s, 9.
    public static let linuxDefaults = SocketKeepalive(idle: 7_200_000_000_000, interval: 75_000_000_000, probes: 9)

    /// How long after the peer was last heard a dead connection is given up: idle + probes × interval.
    public var detectionTime: Int64 { idle + Int64(probes) * interval }
}
