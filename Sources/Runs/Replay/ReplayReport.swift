import Loopback
import Tracing

/// Everything a replay found: both runs, the comparison, and what the kernel run reported.
public struct ReplayReport: Sendable {
    /// The scenario as asked for.
    public var original: Scenario
    /// The scenario on a loopback link that both runtimes ran (`ReplayPlan.loopbackLike`).
    public var replayed: Scenario
    public var simulated: Run
    public var kernel: Run
    /// Capture status, port mapping, outcome and pcap of the kernel run.
    public var kernelReport: LoopbackRuntime.Report
    public var comparison: ReplayComparison
    public var verdict: ReplayVerdict
    /// Things a reader should know: the link used, ports moved, cleanup not compared, no capture.
    public var notes: [String]

    /// The kernel's packets were captured and compared.
    public var packetsCaptured: Bool { comparison.packetsCompared }
}
