import Tracing

/// How the simulated stack is built for one run: the scenario's profile (or a TCP configuration
/// given outright, for tests) with an ablation, if any, applied, and what a loopback link changes
/// (`TCPConfiguration.receivesSendersPackets`). The one place that turns a profile, an ablation
/// and the link into what the hosts run.
public struct StackSettings: Sendable, Hashable {
    /// Replaces the profile's TCP configuration (tests).
    public var configuration: TCPConfiguration?
    public var ablation: Ablation?

    public init(configuration: TCPConfiguration? = nil, ablation: Ablation? = nil) {
        self.configuration = configuration
        self.ablation = ablation
    }

    /// The TCP configuration the hosts of `scenario` run.
    public func tcpConfiguration(for scenario: Scenario) -> TCPConfiguration {
        var tcp = configuration ?? scenario.profile.tcpConfiguration(mtu: scenario.link.mtu)
        if let switchOff = ablation?.tcp { tcp.ablations.insert(switchOff) }
        if scenario.link.loopback { tcp.receivesSendersPackets = true }
        return tcp
    }

    /// Whether receiving IP layers verify checksums (not under `checksum-not-verified`).
    public var verifiesChecksums: Bool { ablation != .checksumNotVerified }
}
