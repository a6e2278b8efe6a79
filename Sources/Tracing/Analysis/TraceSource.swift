/// Where a trace came from, read off its header's profile, and so what it can tell.
public enum TraceSource: Hashable, Sendable {
    /// StackLab's simulated stack: every event kind is recorded, exactly.
    case simulation(StackProfile)
    /// Real sockets on the Linux kernel (`stacklab replay`): packets captured on `lo` as sent and as
    /// received, socket calls and events, and states sampled from `TCP_INFO`.
    case kernel
    /// A packet capture (pcap or pcapng): packets only, each seen once.
    case capture

    /// The header profile a kernel replay's trace carries.
    public static let kernelProfile = "kernel"
    /// The header profile a trace read from a capture file carries.
    public static let captureProfile = "capture"

    public init(profile: String) {
        if let stack = StackProfile(rawValue: profile) {
            self = .simulation(stack)
        } else if profile == Self.kernelProfile {
            self = .kernel
        } else {
            self = .capture
        }
    }

    /// What a trace from this source records.
    public var features: Set<TraceFeature> {
        switch self {
        case .simulation: Set(TraceFeature.allCases)
        case .kernel: [.sentPackets, .receivedPackets, .sampledStates, .sockets, .linkFaults]
        case .capture: [.sentPackets]
        }
    }
}

/// Something a trace may or may not record; an invariant names the features it needs, and is
/// skipped (and named as skipped) on a trace without them.
public enum TraceFeature: String, CaseIterable, Hashable, Sendable, Comparable {
    /// Every packet each host sent, as it left its IP layer.
    case sentPackets = "sent packets"
    /// Every packet each host's IP layer accepted.
    case receivedPackets = "received packets"
    /// Checksums are real: an accepted packet's checksums verify (not so on Linux loopback, where
    /// captured TCP checksums are offload partial sums).
    case checksums = "checksums"
    /// Every state change of every connection, with its cause, as the machine made it.
    case states = "state changes"
    /// States as sampled from outside: changes may be merged, and causes are unknown.
    case sampledStates = "sampled states"
    /// Protocol timers set, fired and cancelled.
    case timers = "timers"
    /// Congestion-window changes.
    case congestion = "congestion window"
    /// Socket calls and the events applications saw.
    case sockets = "socket calls and events"
    /// Every drop and duplication on the way is recorded (none happened where none is recorded).
    case linkFaults = "link faults"

    public static func < (lhs: TraceFeature, rhs: TraceFeature) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

extension TraceHeader {
    /// Where the trace came from, by its profile.
    public var source: TraceSource { TraceSource(profile: profile) }
}
