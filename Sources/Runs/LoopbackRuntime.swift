import Apps
import Loopback
import Tracing
import Wire

/// The real runtime: the scenario's socket calls on the Linux kernel's TCP/IP over loopback
/// (module `Loopback`), turned into a trace like the simulator's: packets captured on `lo` as
/// sent and as received (with the kernel's timestamps), socket calls and events, and the TCP
/// states sampled from `TCP_INFO` and `/proc/net/tcp`.
///
/// Its header profile is `kernel`, so consumers know what such a trace can tell
/// (`TraceSource.kernel`): states are samples, causes unknown, checksums partial (offloaded).
public struct LoopbackRuntime: Runtime {
    public let name = "kernel"
    public var options: LoopbackOptions
    /// The longest a run may take in wall time, nanoseconds (the scenario's time limit if shorter).
    public var deadline: Int64

    public init(options: LoopbackOptions = LoopbackOptions(), deadline: Int64 = 30_000_000_000) {
        self.options = options
        self.deadline = deadline
    }

    /// What the last run could not do, e.g. "packets were not captured (permission denied)".
    public struct Report: Hashable, Sendable {
        public var capture: CaptureStatus
        public var ports: [PortAssignment]
        public var outcome: LoopbackRunOutcome
        /// The kernel capture as a classic pcap file (sent copies).
        public var pcap: [UInt8]
        /// When the scenario's own work ended, nanoseconds: the trace's later events are the runtime's
        /// cleanup (connections still open are aborted, listeners closed).
        public var scenarioEndTime: Int64
        /// Packets the capture socket could not queue (its buffer was full): missing from the trace.
        public var captureDrops: Int
    }

    public func run(_ scenario: Scenario) throws(RuntimeError) -> Run {
        try runWithReport(scenario).run
    }

    /// Runs `scenario` and also returns what the loopback runtime knows beyond the trace.
    public func runWithReport(_ scenario: Scenario) throws(RuntimeError) -> (run: Run, report: Report) {
        let network: LoopbackNetwork
        do {
            network = try LoopbackNetwork(hostNames: scenario.hosts, options: options)
        } catch {
            throw RuntimeError("cannot build the loopback network: \(error)")
        }
        defer { network.shutdown() }
        let recorder = TraceRecorder(keepsEvents: true)
        let runner = ScenarioRunner(scenario: scenario, hosts: network.hosts, observer: recorder)
        runner.start()
        var result = network.run(until: min(deadline, scenario.timeLimit))
        if case .failed(let error) = result.outcome { throw RuntimeError("the loopback event loop failed: \(error)") }
        let scenarioEndTime = result.endTime
        runner.abortAll()
        network.shutdown()
        result = network.result
        let hosts = result.addresses.map { TraceHost(name: $0.name, address: $0.address) }
        let header = TraceHeader(scenario: scenario.name, seed: scenario.seed, profile: TraceSource.kernelProfile,
                                 hosts: hosts, link: scenario.link)
        let trace = Trace(header: header, events: Self.events(recorder.events, result))
        var failures = runner.failures
        if case .deadlineReached = result.outcome {
            failures.append("the run was still busy after \(min(deadline, scenario.timeLimit) / 1_000_000) ms")
        }
        let run = Run(scenario: scenario, runtime: name, trace: trace, failures: failures,
                      reachedEventLimit: result.outcome == .deadlineReached)
        return (run, Report(capture: result.capture, ports: result.ports, outcome: result.outcome, pcap: result.pcap(),
                            scenarioEndTime: scenarioEndTime, captureDrops: result.captureDrops))
    }

    /// The runner's events, the captured packets and the sampled states, merged in time order
    /// (stable: at equal times the runner's events first, then packets, then states).
    static func events(_ recorded: [TraceEvent], _ result: LoopbackRunResult) -> [TraceEvent] {
        var packets: [TraceEvent] = []
        for packet in result.packets {
            guard let parsed = try? packet.parsed() else { continue }
            switch packet.direction {
            case .sent:
                packets.append(TraceEvent(time: packet.time, node: result.hostName(of: parsed.header.source),
                                          kind: .packetSent(bytes: packet.bytes, cause: .original)))
            case .received:
                packets.append(TraceEvent(time: packet.time, node: result.hostName(of: parsed.header.destination),
                                          kind: .packetReceived(bytes: packet.bytes)))
            }
        }
        let states = result.stateChanges.map { change in
            TraceEvent(time: change.time, node: change.host,
                       kind: .stateChanged(connection: change.socket, from: change.from, to: change.to, cause: .observed))
        }
        return merge(merge(recorded, packets), states)
    }

    /// Two time-ordered lists as one, stable (ties keep `first`'s events first).
    static func merge(_ first: [TraceEvent], _ second: [TraceEvent]) -> [TraceEvent] {
        let a = sortedStably(first), b = sortedStably(second)
        var merged: [TraceEvent] = []
        merged.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i].time <= b[j].time) {
                merged.append(a[i])
                i += 1
            } else {
                merged.append(b[j])
                j += 1
            }
        }
        return merged
    }

    /// Sorted by time, keeping the order of equal times (the kernel's stamps of one capture may
    /// not come in order).
    private static func sortedStably(_ events: [TraceEvent]) -> [TraceEvent] {
        events.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
    }
}
