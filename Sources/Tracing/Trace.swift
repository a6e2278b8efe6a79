import Wire

/// A whole trace: the header that says what ran, then every event in order.
public struct Trace: Hashable, Sendable {
    public var header: TraceHeader
    public var events: [TraceEvent]

    public init(header: TraceHeader, events: [TraceEvent]) {
        self.header = header
        self.events = events
    }

    /// Host names by address, for printing and drawing packets.
    public var hostNames: [IPv4Address: String] {
        var names: [IPv4Address: String] = [:]
        for host in header.hosts { names[host.address] = host.name }
        return names
    }
}

/// What a trace file's first line holds: format version, what ran, where, over which link.
public struct TraceHeader: Hashable, Sendable {
    /// The version of the trace file format; readers reject versions they do not know.
    ///
    /// Version 2 (from version 1): `tcp_variables` events; a connected socket's calls and events
    /// name it like its connection (`server:80>client:49152`), not by its local address alone;
    /// every state, cause, timer, drop reason, call and socket event is read into a typed value.
    public static let currentFormatVersion = 2

    public var formatVersion: Int
    /// The scenario's name, or the capture file's name for a trace read from pcap.
    public var scenario: String
    public var seed: UInt64
    public var profile: String
    /// Hosts in declaration order, with their addresses.
    public var hosts: [TraceHost]
    public var link: LinkSpec

    public init(
        formatVersion: Int = TraceHeader.currentFormatVersion, scenario: String, seed: UInt64, profile: String,
        hosts: [TraceHost], link: LinkSpec
    ) {
        self.formatVersion = formatVersion
        self.scenario = scenario
        self.seed = seed
        self.profile = profile
        self.hosts = hosts
        self.link = link
    }
}

/// A host of a trace: its name and IPv4 address.
public struct TraceHost: Hashable, Sendable {
    public var name: String
    public var address: IPv4Address

    public init(name: String, address: IPv4Address) {
        self.name = name
        self.address = address
    }
}
