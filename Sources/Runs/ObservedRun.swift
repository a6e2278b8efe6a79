import Apps
import Simulation
import Stack
import Tracing
import Wire

/// One TCP connection's variables at one moment, for the lesson stepper's endpoint panels.
///
/// Values are copied out of `TCPConnection` (RFC 9293 names in the comments), so a snapshot is a
/// plain value that outlives the run.
public struct ConnectionSnapshot: Hashable, Sendable {
    /// The host the connection lives on.
    public var host: String
    /// The trace's name: `host:port>peer:port`.
    public var name: String
    public var localPort: UInt16
    /// `peer:port`, empty while listening.
    public var remote: String
    /// RFC 9293 state name, e.g. `SYN-SENT`.
    public var state: String
    /// Initial send sequence number, `ISS`.
    public var iss: UInt32
    /// Initial receive sequence number, `IRS`.
    public var irs: UInt32
    /// `SND.UNA`: oldest unacknowledged sequence number.
    public var sndUNA: UInt32
    /// `SND.NXT`: next sequence number to send.
    public var sndNXT: UInt32
    /// `SND.WND`: the peer's advertised window.
    public var sndWND: Int
    /// `RCV.NXT`: next sequence number expected.
    public var rcvNXT: UInt32
    /// `RCV.WND`: the window we advertise.
    public var rcvWND: Int
    public var cwnd: Int
    public var ssthresh: Int
    /// Smoothed round-trip time in nanoseconds, nil before the first sample.
    public var srtt: Int64?
    /// Retransmission timeout in nanoseconds.
    public var rto: Int64
    public var bytesInFlight: Int
    /// Running timers, `name@deadline-ns`, in a fixed order.
    public var timers: [RunningTimer]
}

/// A protocol timer that is running, and when it will fire (virtual nanoseconds).
public struct RunningTimer: Hashable, Sendable {
    public var name: String
    public var deadline: Int64
}

/// Every TCP connection of every host after one scheduler event, in host order then creation order.
public struct NetworkSnapshot: Hashable, Sendable {
    public var time: Int64
    public var connections: [ConnectionSnapshot]
}

/// Runs a scenario like `SimulatedRun`, one scheduler event at a time, and records every
/// connection's variables after each scheduler event that produced trace events.
///
/// `snapshot(after:)` gives, for a trace event, the variables as they stood once the scheduler
/// event that recorded it had finished (a segment's arrival, the state change and the reply it
/// caused all share one snapshot). The trace is the same as `SimulatedRun`'s for the same inputs.
public struct ObservedRun {
    public let run: SimulatedRunData
    public let snapshots: [NetworkSnapshot]
    /// For each trace event, the index of its snapshot in `snapshots`.
    public let snapshotIndex: [Int]

    public init(_ scenario: Scenario, configuration: TCPConfiguration? = nil, verifiesChecksums: Bool = true) {
        let network = SimulatedNetwork(scenario: scenario, configuration: configuration, verifiesChecksums: verifiesChecksums,
                                       recorder: TraceRecorder(keepsEvents: true))
        let runner = ScenarioRunner(scenario: scenario, hosts: network.hosts, observer: network.recorder)
        runner.setLinkUp = { [unowned network] up in network.setLinksUp(up) }
        runner.start()
        var snapshots: [NetworkSnapshot] = []
        var index: [Int] = []
        func capture() {
            let recorded = network.recorder.count
            guard recorded > index.count else { return }
            snapshots.append(Self.snapshot(of: network))
            index.append(contentsOf: repeatElement(snapshots.count - 1, count: recorded - index.count))
        }
        capture()
        let scheduler = network.world.scheduler
        while let next = scheduler.nextEventTime, next.nanoseconds <= scenario.timeLimit {
            scheduler.runNext()
            capture()
        }
        self.snapshots = snapshots
        snapshotIndex = index
        var names: [IPv4Address: String] = [:]
        for host in network.hosts { names[host.address] = host.name }
        run = SimulatedRunData(scenario: scenario, events: network.recorder.events, hostNames: names)
    }

    /// The variables as they stood after trace event `eventIndex`.
    public func snapshot(after eventIndex: Int) -> NetworkSnapshot {
        snapshots[snapshotIndex[eventIndex]]
    }

    static func snapshot(of network: SimulatedNetwork) -> NetworkSnapshot {
        var connections: [ConnectionSnapshot] = []
        for host in network.hosts {
            for slot in host.connectionHistory {
                let c = slot.connection
                let remote = c.remote.map { "\(host.resolver.name(of: $0.address)):\($0.port)" } ?? ""
                connections.append(ConnectionSnapshot(
                    host: host.name, name: slot.name, localPort: slot.localPort, remote: remote,
                    state: slot.lastState.description, iss: c.iss.rawValue, irs: c.irs.rawValue,
                    sndUNA: c.sndUNA.rawValue, sndNXT: c.sndNXT.rawValue, sndWND: c.sndWND,
                    rcvNXT: c.rcvNXT.rawValue, rcvWND: c.rcvWND, cwnd: c.cwnd, ssthresh: c.ssthresh,
                    srtt: c.srtt?.nanoseconds, rto: c.rto.nanoseconds, bytesInFlight: c.bytesInFlight,
                    timers: c.runningTimers.map { RunningTimer(name: $0.timer.description, deadline: $0.deadline.nanoseconds) }))
            }
        }
        return NetworkSnapshot(time: network.world.now.nanoseconds, connections: connections)
    }
}

/// The parts of a run the stepper reads: the scenario, the events, the host names.
public struct SimulatedRunData: Sendable {
    public let scenario: Scenario
    public let events: [TraceEvent]
    public let hostNames: [IPv4Address: String]

    /// The run as a trace: header (scenario, seed, profile, hosts, link) and events.
    public var trace: Trace {
        Trace(scenario: scenario, hostNames: hostNames, events: events)
    }

    /// The trace as text, one line per event (nil for events the formatter hides).
    public func textLines(verbose: Bool = false) -> [String?] {
        var formatter = TraceTextFormatter(summarizer: PacketSummarizer(hostNames: hostNames, absolute: false),
                                           verbose: verbose, times: events.map(\.time))
        return events.map { formatter.line(for: $0) }
    }
}
