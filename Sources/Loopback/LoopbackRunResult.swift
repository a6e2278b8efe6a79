import Wire

/// A host of the run and the loopback address it was given.
public struct HostAddress: Hashable, Sendable {
    public var name: String
    public var address: IPv4Address

    public init(name: String, address: IPv4Address) {
        self.name = name
        self.address = address
    }
}

/// The transport a port belongs to.
public enum Transport: String, Hashable, Sendable {
    case tcp, udp
}

/// A port the scenario asked for and the port the kernel actually gave: the same when it was
/// free, else an ephemeral one. Connect and send targets are translated through these.
public struct PortAssignment: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var transport: Transport
    public var scenarioPort: UInt16
    public var realPort: UInt16

    public init(host: String, transport: Transport, scenarioPort: UInt16, realPort: UInt16) {
        self.host = host
        self.transport = transport
        self.scenarioPort = scenarioPort
        self.realPort = realPort
    }

    public var isRemapped: Bool { scenarioPort != realPort }

    public var description: String { "\(transport.rawValue) \(host):\(scenarioPort) -> \(realPort)" }
}

/// How `LoopbackNetwork.run` ended.
public enum LoopbackRunOutcome: Hashable, Sendable {
    /// Nothing was left to do: no timer, no connection opening or closing, no data in flight.
    case idle
    /// The deadline passed with work left.
    case deadlineReached
    /// `SIGINT` or `SIGTERM` arrived; every descriptor was closed.
    case interrupted(signal: Int32)
    /// The network had been shut down (before the run, or by a callback during it).
    case shutDown
    /// `poll(2)` itself failed; the sockets are left as they are.
    case failed(SyscallError)
}

/// Everything a loopback run yields: the record the trace is built from. It holds no Tracing
/// types; converting it into trace events is the caller's business.
public struct LoopbackRunResult: Hashable, Sendable {
    public var outcome: LoopbackRunOutcome
    /// Nanoseconds since the network started when `run` returned.
    public var endTime: Int64
    public var addresses: [HostAddress]
    /// Scenario ports and the real ports they got, in the order they were bound.
    public var ports: [PortAssignment]
    public var capture: CaptureStatus
    /// Packets seen on `lo`, each usually twice (sent and received), in the order read.
    public var packets: [CapturedPacket]
    /// Packets the kernel could not queue to the capture socket (its buffer was full).
    public var captureDrops: Int
    public var stateChanges: [KernelStateChange]
    /// The endpoints the capture filter matched.
    public var endpoints: [CaptureEndpoint]

    /// The host name of a run address, or the dotted address.
    public func hostName(of address: IPv4Address) -> String {
        addresses.first { $0.address == address }?.name ?? address.description
    }

    /// The captured packets as a classic pcap file with LINKTYPE_RAW (IPv4 without a link
    /// header), stamped with the kernel's wall-clock time. By default only the `sent` copies, so
    /// each packet appears once, as tcpdump would write it; `nil` writes both copies.
    public func pcap(direction: CaptureDirection? = .sent) -> [UInt8] {
        var writer = PcapWriter(linkType: .raw, snapLength: 65535)
        for packet in packets where direction == nil || packet.direction == direction {
            writer.append(packet: packet.bytes, timestampNanoseconds: UInt64(max(0, packet.wallClockNanoseconds)))
        }
        return writer.bytes
    }
}
