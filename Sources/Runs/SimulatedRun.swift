import Apps
import Stack
import Tracing
import Wire

/// Runs a scenario on the simulated stack: builds its network, plays its steps through the
/// socket API, runs the virtual clock until nothing is left to do (or the time limit), and
/// collects the trace and a summary.
public struct SimulatedRun {
    public let scenario: Scenario
    public let events: [TraceEvent]
    public let report: ScenarioReport
    public let summary: RunSummary
    /// Host addresses and names, for printing packets.
    public let hostNames: [IPv4Address: String]
    /// The run was cut short by `eventLimit`.
    public let reachedEventLimit: Bool

    /// - Parameters:
    ///   - configuration: replaces the profile's TCP configuration (tests, ablations).
    ///   - verifiesChecksums: false for the `checksum-not-verified` ablation.
    ///   - keepsTrace: false keeps only the summary (benchmarks): `events` is then empty.
    ///   - eventLimit: stop after this many scheduler events (property checks guard against runaway runs).
    public init(
        _ scenario: Scenario, configuration: TCPConfiguration? = nil, verifiesChecksums: Bool = true, keepsTrace: Bool = true,
        eventLimit: Int = .max
    ) {
        self.scenario = scenario
        let network = SimulatedNetwork(scenario: scenario, configuration: configuration, verifiesChecksums: verifiesChecksums,
                                       recorder: TraceRecorder(keepsEvents: keepsTrace))
        let runner = ScenarioRunner(scenario: scenario, hosts: network.hosts, observer: network.recorder)
        runner.setLinkUp = { [unowned network] up in network.setLinksUp(up) }
        runner.start()
        reachedEventLimit = network.run(until: scenario.timeLimit, maxEvents: eventLimit) >= eventLimit
        events = network.recorder.events
        report = runner.report
        var names: [IPv4Address: String] = [:]
        for host in network.hosts { names[host.address] = host.name }
        hostNames = names
        summary = RunSummary(scenario: scenario, network: network, report: report, endTime: network.recorder.lastTime)
    }

    /// The run as a trace: header (scenario, seed, profile, hosts, link) and events.
    public var trace: Trace {
        Trace(scenario: scenario, hostNames: hostNames, events: events)
    }

    /// The trace as text, one line per event.
    public func textLines(verbose: Bool = false, absolute: Bool = false) -> [String] {
        var formatter = TraceTextFormatter(summarizer: PacketSummarizer(hostNames: hostNames, absolute: absolute),
                                           verbose: verbose, times: events.map(\.time))
        return events.compactMap { formatter.line(for: $0) }
    }
}

/// What `stacklab run --json` reports.
public struct RunSummary: Hashable, Sendable {
    public var scenario: String
    public var seed: UInt64
    public var profile: String
    /// Bytes delivered to applications over all connections.
    public var bytesDelivered: Int
    /// Every byte arrived in order and unaltered, and every finished stream arrived whole.
    public var intact: Bool
    public var segmentsSent: Int
    public var retransmissions: Int
    public var datagramsSent: Int
    public var datagramsDelivered: Int
    /// Virtual time of the last trace event, in nanoseconds.
    public var endTime: Int64
    public var endpoints: [EndpointSummary]
    public var failures: [String]

    init(scenario: Scenario, network: SimulatedNetwork, report: ScenarioReport, endTime: Int64) {
        self.scenario = scenario.name
        seed = scenario.seed
        profile = scenario.profile
        bytesDelivered = report.bytesDelivered
        intact = report.streamsIntact && report.datagramSockets.allSatisfy { $0.corrupted == 0 }
        var endpoints: [EndpointSummary] = []
        var segments = 0
        var retransmissions = 0
        for host in network.hosts {
            for slot in host.connectionHistory {
                segments += slot.segmentsSent
                retransmissions += slot.retransmissions
                let remote = slot.connection.remote
                endpoints.append(EndpointSummary(
                    endpoint: "\(host.name):\(slot.localPort)",
                    remote: remote.map { "\(host.resolver.name(of: $0.address)):\($0.port)" } ?? "",
                    finalState: slot.lastState.description))
            }
        }
        self.endpoints = endpoints
        segmentsSent = segments
        self.retransmissions = retransmissions
        datagramsSent = report.datagramSockets.reduce(0) { $0 + $1.sent }
        datagramsDelivered = report.datagramSockets.reduce(0) { $0 + $1.received }
        self.endTime = endTime
        failures = report.failures
    }
}

/// One TCP endpoint at the end of a run.
public struct EndpointSummary: Hashable, Sendable {
    /// `host:port`.
    public var endpoint: String
    public var remote: String
    /// RFC 9293 state name, e.g. `TIME-WAIT`.
    public var finalState: String
}
