import Sockets

/// A scenario: who talks to whom, over which link, doing which socket calls when.
///
/// This is the syntax tree of the scenario language; built-in scenarios are values of it, so
/// every one of them has a printable form that `stacklab run FILE.scn` accepts. Times are integer
/// nanoseconds and probabilities parts per million, so a scenario (and the trace header that
/// repeats it) holds no floating point.
public struct Scenario: Hashable, Sendable {
    public var name: String
    public var summary: String
    public var seed: UInt64
    /// The stack profile the simulated runtime uses.
    public var profile: StackProfile
    /// Host names in the order they were declared. Two hosts share one link; more are joined
    /// through a router, each on a link of its own.
    public var hosts: [String]
    public var link: LinkSpec
    public var steps: [ScenarioStep]
    /// The run stops at this virtual time even if events remain (keepalive timers can run for hours).
    public var timeLimit: Int64

    public init(
        name: String, summary: String, seed: UInt64 = 1, profile: StackProfile = .textbook,
        hosts: [String], link: LinkSpec = LinkSpec(), steps: [ScenarioStep],
        timeLimit: Int64 = 86_400 * 1_000_000_000
    ) {
        self.name = name
        self.summary = summary
        self.seed = seed
        self.profile = profile
        self.hosts = hosts
        self.link = link
        self.steps = steps
        self.timeLimit = timeLimit
    }
}

/// Link conditions between two hosts (end to end).
public struct LinkSpec: Hashable, Sendable {
    /// Round-trip time in nanoseconds; each direction gets half.
    public var rtt: Int64
    /// Uniform jitter, ± nanoseconds per packet.
    public var jitter: Int64
    /// Bits per second; 0 means no serialisation delay.
    public var bandwidth: Int64
    /// Random loss per packet, in parts per million.
    public var lossPPM: Int
    /// Probability that a packet is delivered twice, in parts per million.
    public var duplicatePPM: Int
    /// Probability that a packet is held back behind later ones, in parts per million.
    public var reorderPPM: Int
    /// Probability that one bit of a packet is flipped, in parts per million.
    public var corruptPPM: Int
    public var mtu: Int
    /// Times when the cable is unplugged: `[from, to)` in nanoseconds.
    public var partitions: [TimeSpan]
    /// Packets the link drops on purpose, by number: the Nth packet sent on it, both directions
    /// counted together from 1 (on each link, when hosts meet at a router). In ascending order.
    public var drops: [Int]
    /// Drop-tail limit of each direction's transmit queue, in packets, the one being serialised
    /// included (reason `queue full`); 0 for no limit. It matters only with a bandwidth.
    public var queuePackets: Int
    /// Loss on the packets one host sends only, in place of the host link's or the scenario's loss
    /// in that direction (on the host's own link, when hosts meet at a router). In the order given,
    /// one per host.
    public var senderLoss: [SenderLoss]
    /// Conditions of single hosts' own links (a phone on a lossy mobile link), in the order the
    /// scenario first names each host.
    public var hostLinks: [HostLinkSpec]
    /// Timing as on Linux's loopback device (`link loopback`): a packet is delivered within the
    /// call that sent it, before anything else happens at that instant, and an application learns
    /// of what arrived only after that (the kernel wakes it later). Set with RTT 0 and MTU 65535,
    /// it is how a replay runs the simulated side (`ReplayPlan.loopbackLike`).
    public var loopback = false

    /// The link `link loopback` gives before any other property: `lo` with no delay and its MTU of
    /// 65536 less one, since an IPv4 packet's total length is a 16-bit field (RFC 791 §3.1).
    public static var loopbackDevice: LinkSpec {
        var spec = LinkSpec(rtt: 0, mtu: 65535)
        spec.loopback = true
        return spec
    }

    /// Makes this link time packets as `loopbackDevice` does (loopback, no delay or jitter, `lo`'s
    /// MTU), keeping its other properties (loss, partitions, drops, queue).
    public mutating func takeLoopbackTiming() {
        let device = Self.loopbackDevice
        (loopback, rtt, jitter, mtu) = (device.loopback, device.rtt, device.jitter, device.mtu)
    }

    public init(
        rtt: Int64 = 20_000_000, jitter: Int64 = 0, bandwidth: Int64 = 0, lossPPM: Int = 0,
        duplicatePPM: Int = 0, reorderPPM: Int = 0, corruptPPM: Int = 0, mtu: Int = 1500,
        partitions: [TimeSpan] = [], drops: [Int] = [], queuePackets: Int = 0, senderLoss: [SenderLoss] = [],
        hostLinks: [HostLinkSpec] = []
    ) {
        self.rtt = rtt
        self.jitter = jitter
        self.bandwidth = bandwidth
        self.lossPPM = lossPPM
        self.duplicatePPM = duplicatePPM
        self.reorderPPM = reorderPPM
        self.corruptPPM = corruptPPM
        self.mtu = mtu
        self.partitions = partitions
        self.drops = drops
        self.queuePackets = queuePackets
        self.senderLoss = senderLoss
        self.hostLinks = hostLinks
    }

    /// The loss, in parts per million, of the packets `host` sends: its sender loss, else its own
    /// link's, else the scenario's.
    public func lossPPM(from host: String) -> Int {
        senderLoss.first { $0.host == host }?.lossPPM ?? hostLink(host)?.lossPPM ?? lossPPM
    }

    /// The conditions of `host`'s own link, if the scenario gives it any.
    public func hostLink(_ host: String) -> HostLinkSpec? {
        hostLinks.first { $0.host == host }
    }
}

/// Random loss in one direction only: of the packets `host` sends (`link loss 1% from client`).
public struct SenderLoss: Hashable, Sendable {
    public var host: String
    /// Parts per million.
    public var lossPPM: Int

    public init(host: String, lossPPM: Int) {
        self.host = host
        self.lossPPM = lossPPM
    }
}

/// What differs on one host's own link (`link HOST loss P`, `link HOST partition D..D`): when
/// hosts meet at a router, the link between that host and the router; with two hosts, their one
/// link. Its loss replaces the scenario's; its partitions add to the scenario's.
public struct HostLinkSpec: Hashable, Sendable {
    public var host: String
    /// Random loss per packet, in parts per million, on this host's link; nil keeps the scenario's.
    public var lossPPM: Int?
    /// Times when this host's cable is unplugged: `[from, to)` in nanoseconds.
    public var partitions: [TimeSpan]

    public init(host: String, lossPPM: Int? = nil, partitions: [TimeSpan] = []) {
        self.host = host
        self.lossPPM = lossPPM
        self.partitions = partitions
    }
}

/// A half-open interval of time, `[from, to)` in nanoseconds.
public struct TimeSpan: Hashable, Sendable {
    public var from: Int64
    public var to: Int64
    public init(from: Int64, to: Int64) {
        self.from = from
        self.to = to
    }
}

/// One line of a scenario: when, where, what.
public struct ScenarioStep: Hashable, Sendable {
    public var trigger: ScenarioTrigger
    public var host: String
    public var operation: ScenarioOperation

    public init(_ trigger: ScenarioTrigger, _ host: String, _ operation: ScenarioOperation) {
        self.trigger = trigger
        self.host = host
        self.operation = operation
    }
}

/// When a step runs.
public enum ScenarioTrigger: Hashable, Sendable {
    /// At this virtual time, in nanoseconds.
    case at(Int64)
    /// When `event` happens on the step's host, optionally after a delay in nanoseconds.
    case on(ScenarioEvent, delay: Int64)
    /// When a connection of the step's host has received `bytes` octets in all (once per
    /// connection, as the data that reaches the count arrives), optionally after a delay: a server
    /// that answers a request of known size, as soon as it has read it.
    case received(bytes: Int, delay: Int64)
    /// Every `interval` nanoseconds (> 0) from `from`, while the time is before `until` (the run's
    /// time limit when nil).
    case every(Int64, from: Int64, until: Int64?)
}

/// Socket events a step can wait for, on the step's host. A step triggered by an event runs
/// every time that event happens (once per connection, for most scenarios).
public enum ScenarioEvent: String, Hashable, Sendable, CaseIterable {
    /// A connect on this host completed (`onopen`).
    case connected
    /// This host accepted a connection.
    case accepted
    /// The peer of this host's connection finished sending (its FIN arrived).
    case peerFinished = "peer-finished"
    /// A connection on this host closed.
    case closed
    /// A connection on this host failed.
    case error
}

/// What a step does. Operations on "the connection" act on the host's most recent connection.
public enum ScenarioOperation: Hashable, Sendable {
    /// `listen(port, backlog)`; with `echo`, every byte received is sent back.
    case listen(port: UInt16, backlog: Int, echo: Bool)
    /// `connect(host:port)`, from `localPort` (0: an ephemeral port).
    case connect(host: String, port: UInt16, localPort: UInt16)
    /// Send `count` bytes of a fixed pattern on the connection.
    case send(count: Int)
    /// Send the pattern on the connection without end, as fast as the connection takes it (a
    /// bulk sender, as ns-3's BulkSend): nothing sent afterwards on it goes out.
    case sendForever
    /// `shutdown(SHUT_WR)`: half-close.
    case shutdownWrite
    /// `close()`.
    case close
    /// Abortive close: RST.
    case abort
    /// Stop reading (the receive window closes) or start again.
    case pauseReading(Bool)
    /// Bind a UDP socket; with `echo`, every datagram is sent back to its sender.
    case bindUDP(port: UInt16, echo: Bool)
    /// A new UDP socket (an ephemeral port) connected to `host:port` (`connect(2)`): the host's later
    /// `sendDatagrams` go from it, and ICMP errors reach it as Linux reports them to connected sockets.
    case connectUDP(host: String, port: UInt16)
    /// Send `count` datagrams of `size` bytes to `host:port`, `interval` nanoseconds apart.
    case sendDatagrams(host: String, port: UInt16, count: Int, size: Int, interval: Int64)
    /// Unplug or replug the cable (all links).
    case link(up: Bool)
    /// `setsockopt(SO_KEEPALIVE)` on the connection: keepalive with these timings, or off (nil).
    case keepalive(SocketKeepalive?)
    /// `setsockopt(IPPROTO_TCP, TCP_NODELAY or TCP_QUICKACK)` on the connection.
    case socketOption(StreamSocketOption)
    /// Start an application on the host, or act on one (`ApplicationOperation.swift`).
    case application(ApplicationOperation)
}
