import Loopback
import Tracing

/// Replays a scenario against the Linux kernel: runs it on a loopback link on the simulated
/// stack and on real sockets over `lo`, and compares the two traces (`TraceComparison`).
///
/// A scenario that relies on link faults (`ReplayPlan.obstacles`) is refused before anything runs.
/// The kernel trace's events after the scenario ended (the runtime aborting connections still
/// open) are kept in the trace and left out of the comparison.
public struct Replayer {
    /// The simulated stack's profile; nil keeps the scenario's.
    public var profile: StackProfile?
    /// Compare windows, options and PSH too.
    public var strict: Bool
    public var loopback: LoopbackRuntime

    public init(profile: StackProfile? = nil, strict: Bool = false, loopback: LoopbackRuntime = LoopbackRuntime()) {
        self.profile = profile
        self.strict = strict
        self.loopback = loopback
    }

    public func replay(_ scenario: Scenario) throws(ReplayError) -> ReplayReport {
        let obstacles = ReplayPlan.obstacles(of: scenario)
        guard obstacles.isEmpty else { throw .notReplayable(scenario: scenario.name, reasons: obstacles) }
        var replayed = ReplayPlan.loopbackLike(scenario)
        if let profile { replayed.profile = profile }

        let simulated = SimulatedRuntime().run(replayed)
        let kernel: Run, report: LoopbackRuntime.Report
        do {
            (kernel, report) = try loopback.runWithReport(replayed)
        } catch {
            throw .runtime(error)
        }

        let scenarioPorts = ReplayPortMap.scenarioPorts(of: replayed)
        let kernelPorts = ReplayPortMap(report.ports.map { assignment in
            ReplayPortMap.Entry(host: assignment.host, transport: assignment.transport == .tcp ? .tcp : .udp,
                                scenarioPort: assignment.scenarioPort, actualPort: assignment.realPort)
        }).adding(missingFrom: scenarioPorts)
        let comparison = TraceComparison.compare(
            simulated: ComparedTrace(trace: simulated.trace, ports: scenarioPorts),
            kernel: ComparedTrace(trace: kernel.trace, ports: kernelPorts, hasPackets: report.capture.isAvailable,
                                  endTime: report.scenarioEndTime),
            strict: strict, allowed: ReplayEquivalence.allowed(for: replayed.profile))

        var verdict: ReplayVerdict
        switch comparison.verdict {
        case .match: verdict = .match
        case .matchWithEquivalences: verdict = .matchWithEquivalences
        case .mismatch: verdict = .mismatch
        }
        let race = ReplayPlan.kernelRace(in: replayed)
        if let race, verdict == .mismatch { verdict = .notReproducible(reason: race) }

        return ReplayReport(original: scenario, replayed: replayed, simulated: simulated, kernel: kernel,
                            kernelReport: report, comparison: comparison, verdict: verdict,
                            notes: notes(scenario, replayed, kernel, report, race: race))
    }

    private func notes(
        _ scenario: Scenario, _ replayed: Scenario, _ kernel: Run, _ report: LoopbackRuntime.Report, race: String?
    ) -> [String] {
        var notes: [String] = []
        if scenario.link != replayed.link {
            notes.append("the simulated side ran on a loopback link: each packet delivered within the call that sent "
                         + "it, applications woken after, MTU \(replayed.link.mtu) (the scenario says RTT "
                         + "\(Self.duration(scenario.link.rtt)), MTU \(scenario.link.mtu))")
        }
        if case .unavailable(let reason) = report.capture {
            notes.append("packets were not captured (\(reason)): compared socket calls, bytes delivered, the order of "
                         + "end-of-file and errors, and final states only")
        }
        if report.captureDrops > 0 {
            notes.append("the capture missed \(report.captureDrops) packet copies (its buffer was full)")
        }
        for assignment in report.ports where assignment.isRemapped {
            notes.append("\(assignment.transport.rawValue) port \(assignment.scenarioPort) of \(assignment.host) was "
                         + "taken: the kernel run used \(assignment.realPort)")
        }
        let cleanup = kernel.trace.events.filter { event in
            guard event.time > report.scenarioEndTime, case .packetSent = event.kind else { return false }
            return true
        }
        if !cleanup.isEmpty {
            notes.append("after the scenario ended the runtime closed what was still open (\(cleanup.count) "
                         + "packet\(cleanup.count == 1 ? "" : "s"), e.g. RST): in the kernel trace, not compared")
        }
        for failure in kernel.failures { notes.append("kernel run: \(failure)") }
        if let race { notes.append("expected on the kernel: " + race) }
        return notes
    }

    private static func duration(_ nanoseconds: Int64) -> String {
        nanoseconds % 1_000_000 == 0 ? "\(nanoseconds / 1_000_000) ms" : "\(nanoseconds / 1000) µs"
    }
}
