import Apps
import Foundation
import Loopback
import Runs
import TestSupport
import Testing
import Tracing
import Wire

/// The golden traces, as files.
enum GoldenFiles {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Traces")

    static func trace(_ name: String) throws -> Trace {
        let url = directory.appendingPathComponent("\(name).jsonl")
        return try TraceFile.read(bytes: [UInt8](try Data(contentsOf: url)), file: url.path)
    }
}

/// Whether this process may capture on lo: root, or `CAP_NET_RAW` (bit 13 of `CapEff`).
let mayCapture: Bool = {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("CapEff:") }),
          let mask = UInt64(line.dropFirst("CapEff:".count).trimmingCharacters(in: .whitespaces), radix: 16)
    else { return false }
    return mask & (1 << 13) != 0
}()

@Suite("Re-creating a trace's scenario")
struct RecordedScenarioTests {
    @Test(arguments: BuiltInScenarios.names)
    func everyGoldenTraceIsItsBuiltInScenarioExactly(_ name: String) throws {
        let recorded = try RecordedScenario(trace: try GoldenFiles.trace(name))
        #expect(recorded.scenario.name == name)
        #expect(recorded.note.hasSuffix("which reproduces this trace exactly"), "\(recorded.note)")
        if name == "bulk-transfer" {
            #expect(recorded.scenario.steps.contains { $0.operation == .send(count: 131_072) })
            #expect(recorded.note.contains("--bytes 131072"))
        }
    }

    @Test func aTraceOfAnUnknownScenarioCannotBeReplayed() throws {
        var trace = try GoldenFiles.trace("handshake")
        trace.header.scenario = "my-own"
        #expect(throws: ReplayError.unknownScenario("my-own")) { try RecordedScenario(trace: trace) }
    }

    @Test func aKernelTraceNamesItsBuiltInToo() throws {
        var trace = try GoldenFiles.trace("half-close")
        trace.header.profile = TraceSource.kernelProfile
        let recorded = try RecordedScenario(trace: trace)
        #expect(recorded.scenario.profile == .textbook)
        #expect(recorded.note.hasPrefix("a kernel trace of built-in scenario half-close"))
    }
}

/// Replays on the real kernel. One at a time: each binds loopback sockets.
@Suite("Replay on the kernel", .serialized, .loopbackLock)
struct ReplayKernelTests {
    /// Addresses no other suite uses, so what is left bound can be told apart.
    static let firstAddress = IPv4Address(127, 0, 77, 1)

    static func replayer(capture: LoopbackOptions.CaptureMode = .enabled) -> Replayer {
        Replayer(loopback: LoopbackRuntime(options: LoopbackOptions(firstAddress: firstAddress, captureMode: capture,
                                                                    signalHandling: .ignore)))
    }

    @Test func aScenarioWithLinkFaultsIsRefusedBeforeAnythingRuns() throws {
        let scenario = try #require(BuiltInScenarios.scenario(named: "udp-lossy"))
        #expect(throws: ReplayError.notReplayable(scenario: "udp-lossy", reasons: ["random loss (10%)", "reordering (10%)"])) {
            try Self.replayer().replay(scenario)
        }
    }

    @Test(.enabled(if: mayCapture, "capturing on lo needs root or CAP_NET_RAW"))
    func theActiveCloserHoldsTimeWaitOnTheKernel() throws {
        for (name, closer) in [("teardown-client-first", "client"), ("teardown-server-first", "server:80")] {
            let report = try Self.replayer().replay(try #require(BuiltInScenarios.scenario(named: name)))
            #expect(!report.verdict.isMismatch, "\(name): \(report.comparison.firstDifference?.reason ?? "")")
            let connection = try #require(report.comparison.connections.first)
            #expect(connection.kernelTimeWait?.firstCloser?.description == closer)
            #expect(connection.kernelTimeWait?.holders.map(\.description) == [closer], "\(name)")
            #expect(connection.simulatedTimeWait?.holders.map(\.description) == [closer], "\(name)")
            #expect(connection.kernelTimeWait?.activeClosers?.map(\.description) == [closer])
            #expect(report.packetsCaptured)
            // The kernel trace has both copies of every packet.
            let sent = report.kernel.trace.events.filter { if case .packetSent = $0.kind { true } else { false } }
            let received = report.kernel.trace.events.filter { if case .packetReceived = $0.kind { true } else { false } }
            #expect(sent.count >= 6 && sent.count == received.count, "\(name)")
        }
    }

    @Test func withoutCapturePermissionTheSocketsAreComparedAndTheReportSaysSo() throws {
        let report = try Self.replayer(capture: .simulateDenied).replay(try #require(BuiltInScenarios.scenario(named: "half-close")))
        #expect(!report.packetsCaptured)
        #expect(report.kernelReport.capture == .unavailable(.permissionDenied(simulated: true)))
        #expect(report.notes.contains { $0.hasPrefix("packets were not captured") })
        #expect(report.verdict == .match, "\(report.comparison.firstDifference?.reason ?? "")")
        #expect(report.comparison.connections.allSatisfy { $0.rows.isEmpty })
        let streams = report.comparison.kernelStreams.map { "\($0.end) \($0.bytesReceived) \($0.settledState)" }
        #expect(streams == ["client 100000 TIME-WAIT", "server:80 1000 CLOSED"])
        let finding = try #require(report.comparison.connections.first?.kernelTimeWait)
        #expect(finding.applies && finding.passes && finding.activeClosers == nil)
    }

    @Test func fiftyReplaysLeaveNoDescriptorOpenAndNoPortBound() throws {
        let scenario = try #require(BuiltInScenarios.scenario(named: "handshake"))
        let before = Self.settledDescriptorCount()
        for _ in 0..<50 {
            let report = try Self.replayer().replay(scenario)
            #expect(!report.verdict.isMismatch)
        }
        // A teardown leaves the client's TIME-WAIT in the kernel (no descriptor): the table is read right.
        _ = try Self.replayer().replay(try #require(BuiltInScenarios.scenario(named: "teardown-client-first")))
        #expect(Self.ourTCPEntries().contains { $0.state == "06" })
        // Other suites of this process may have networks open too: wait for the count to settle.
        #expect(Self.settledDescriptorCount() <= before)
        #expect(Self.ourSocketDescriptors().isEmpty)
        let left = Self.ourTCPEntries().filter { $0.state != "06" }   // 06: TIME-WAIT, held by the kernel alone
        #expect(left.isEmpty, "\(left)")
        #expect(Self.ourUDPEntries().isEmpty)
    }

    /// `OpenDescriptors.count` once no loopback network of this process holds descriptors, or after 10 s.
    static func settledDescriptorCount() -> Int {
        for _ in 0..<200 where OpenDescriptors.count != 0 { usleep(50_000) }
        return OpenDescriptors.count
    }

    /// Entries of `/proc/net/tcp` or `/proc/net/udp` whose local address is in 127.0.77.0/24: state and inode.
    static func entries(_ file: String) -> [(state: String, inode: String)] {
        guard let handle = FileHandle(forReadingAtPath: file) else { return [] }
        defer { try? handle.close() }
        // Read to the end: Foundation's String(contentsOfFile:) stops after the first page of a /proc file.
        let text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            // The address is the 32-bit word as it lies in memory printed in host order: 127.0.77.x is xx4D007F.
            guard fields.count > 9, fields[1].count == 13, fields[1].dropFirst(2).hasPrefix("4D007F") else { return nil }
            return (String(fields[3]), String(fields[9]))
        }
    }

    static func ourTCPEntries() -> [(state: String, inode: String)] { entries("/proc/net/tcp") }
    static func ourUDPEntries() -> [(state: String, inode: String)] { entries("/proc/net/udp") }

    /// Descriptors of this process that are sockets bound to 127.0.77.0/24.
    static func ourSocketDescriptors() -> [String] {
        let inodes = Set((ourTCPEntries() + ourUDPEntries()).map(\.inode).filter { $0 != "0" })
        let directory = "/proc/self/fd"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { name in
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/\(name)"),
                  target.hasPrefix("socket:["), inodes.contains(String(target.dropFirst(8).dropLast())) else { return nil }
            return "\(name) \(target)"
        }
    }
}
