import Apps
import Loopback
import Runs
import TestSupport
import Testing
import Tracing
import Wire

/// A 1 MiB upload on the linux profile against the kernel (issue 11): the receive window grows on
/// both, and the only differences are of segment sizes, PSH and how many pure ACKs the receiver
/// sent, which follow from when the kernel's application read.
@Suite("A 1 MiB upload against the kernel", .serialized, .loopbackLock)
struct LinuxUploadReplayTests {
    /// Addresses no other suite uses.
    static let firstAddress = IPv4Address(127, 0, 79, 1)

    /// The largest window the server advertised after its SYN,ACK, scaled, and the SYN,ACK's own.
    /// (Checksums are not verified: on `lo` the kernel leaves them to an offload that never happens.)
    static func serverWindows(_ trace: Trace) -> (synACK: Int, largest: Int)? {
        var synACK: Int?, shift = 0, largest = 0
        for event in trace.events where event.node == "server" {
            guard case .packetSent(let bytes, _) = event.kind,
                  let packet = try? IPv4Packet.parse(bytes, verifyChecksums: false),
                  case .tcp(let segment) = packet.payload else { continue }
            let header = segment.header
            if header.flags.contains(.syn) {
                synACK = Int(header.window)
                for case .windowScale(let scale) in header.options { shift = Int(scale) }
            } else {
                largest = max(largest, Int(header.window) << shift)
            }
        }
        return synACK.map { ($0, largest) }
    }

    @Test(.enabled(if: mayCapture, "capturing on lo needs root or CAP_NET_RAW"))
    func theWindowGrowsAndOnlyTheKernelsTimingDiffers() throws {
        let replayer = Replayer(profile: .linux, loopback: LoopbackRuntime(options: LoopbackOptions(
            firstAddress: Self.firstAddress, captureMode: .enabled, signalHandling: .ignore)))
        let scenario = try #require(BuiltInScenarios.scenario(named: "bulk-transfer"))
        // One more try when the kernel's run differs: on a loaded two-core machine (the test suite
        // runs in parallel) the kernel's reader can be held off the CPU long enough for its sender
        // to retransmit, which no model of the stack predicts. The simulated side is the same both
        // times, so a real difference fails both.
        var report = try replayer.replay(scenario)
        if report.verdict.isMismatch { report = try replayer.replay(scenario) }
        #expect(report.packetsCaptured)
        #expect(!report.verdict.isMismatch, "\(report.comparison.firstDifference?.reason ?? "")")
        let timing: Set<ReplayEquivalence> = [.timestampsAndOptions, .segmentation, .ackCoalescing, .windowUpdate]
        #expect(Set(report.comparison.equivalenceNames).isSubset(of: timing), "\(report.comparison.equivalenceNames)")
        #expect(report.simulated.summary.bytesDelivered == 1_048_576)
        #expect(report.kernel.summary.bytesDelivered == 1_048_576)
        // The window grows past the SYN,ACK's 65483 (to 93 × 1024 on Linux 6.18), on both.
        let kernel = try #require(Self.serverWindows(report.kernel.trace))
        let simulated = try #require(Self.serverWindows(report.simulated.trace))
        #expect(kernel.largest > kernel.synACK, "kernel \(kernel)")
        #expect(simulated.largest > simulated.synACK, "simulated \(simulated)")
        #expect(simulated.largest == kernel.largest, "simulated \(simulated), kernel \(kernel)")
    }
}
