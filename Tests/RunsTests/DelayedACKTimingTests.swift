import Apps
import Loopback
import Runs
import TestSupport
import Testing
import Tracing
import Wire

/// Where the kernel waits, the linux profile waits as long (issue 11): the ACK of a FIN that arrives
/// after data waits for Linux's delayed-ACK timer (the 40 ms ato). The kernel's wait is read from
/// the capture of the same replay, never written into the test.
@Suite("Delayed-ACK timing against the kernel", .serialized, .loopbackLock)
struct DelayedACKTimingTests {
    /// Addresses no other suite uses.
    static let firstAddress = IPv4Address(127, 0, 78, 1)

    /// (Checksums are not verified: on `lo` the kernel leaves them to an offload that never happens.)
    /// From the server's FIN being sent to the client's pure ACK of it, in nanoseconds.
    static func finACKWait(_ trace: Trace) -> Int64? {
        var fin: (time: Int64, end: UInt32)?
        for event in trace.events {
            guard case .packetSent(let bytes, _) = event.kind,
                  let packet = try? IPv4Packet.parse(bytes, verifyChecksums: false),
                  case .tcp(let segment) = packet.payload else { continue }
            let header = segment.header
            if event.node == "server", header.flags.contains(.fin), fin == nil {
                fin = (event.time, header.sequenceNumber.rawValue &+ UInt32(segment.payload.count) &+ 1)
            } else if event.node == "client", let fin, header.flags == .ack, segment.payload.isEmpty,
                      header.acknowledgmentNumber.rawValue == fin.end {
                return event.time - fin.time
            }
        }
        return nil
    }

    @Test(.enabled(if: mayCapture, "capturing on lo needs root or CAP_NET_RAW"))
    func theFINsACKWaitsWithinAQuarterOfTheKernelsWait() throws {
        let replayer = Replayer(profile: .linux, loopback: LoopbackRuntime(options: LoopbackOptions(
            firstAddress: Self.firstAddress, captureMode: .enabled, signalHandling: .ignore)))
        let report = try replayer.replay(try #require(BuiltInScenarios.scenario(named: "request-response")))
        #expect(!report.verdict.isMismatch, "\(report.comparison.firstDifference?.reason ?? "")")
        guard let kernel = Self.finACKWait(report.kernel.trace), let simulated = Self.finACKWait(report.simulated.trace)
        else {
            Issue.record("no ACK of the server's FIN in one of the traces")
            return
        }
        // The kernel delays it (a lone ACK, not an immediate one), and the simulator as long, ±25 %.
        #expect(kernel > 10_000_000, "kernel waited \(kernel) ns")
        #expect(abs(simulated - kernel) * 4 <= kernel, "simulated \(simulated) ns, kernel \(kernel) ns")
        // The textbook acknowledges at once, on the loopback link within the same instant: nothing like the kernel.
        let textbook = try Replayer(profile: .textbook, loopback: replayer.loopback)
            .replay(try #require(BuiltInScenarios.scenario(named: "request-response")))
        let immediate = Self.finACKWait(textbook.simulated.trace)
        #expect(immediate.map { abs($0 - kernel) * 4 > kernel } == true)
    }
}
