import Foundation
import Loopback
import Runs
import TestSupport
import Testing
import Tracing
import Tutor
import Wire

/// A lesson bound to a replay (`runtime: kernel`): its steps bind to the kernel's trace, run live
/// on loopback where packets can be captured, else read from the capture stored with the lesson.
@Suite struct KernelLessonTests {
    /// `stacklab replay teardown-client-first --trace …`: the kernel's three-segment teardown.
    static let capture: String = {
        let url = Bundle.module.url(forResource: "Fixtures/kernel-teardown", withExtension: "jsonl")!
        return try! String(contentsOf: url, encoding: .utf8)
    }()

    static let lesson = """
        title: The kernel's teardown
        title.zh: 内核的挥手
        scenario: teardown-client-first
        runtime: kernel
        capture: captures/teardown.jsonl

        ## at first SYN from client
        quiz: flags
        [en]
        The kernel's SYN.
        [zh]
        内核的 SYN。

        ## when server enters CLOSE-WAIT
        quiz: state
        [en]
        The server read end-of-file.
        [zh]
        服务器读到文件结束。

        ## at FIN from server
        [en]
        Its FIN carries the ACK of the client's FIN.
        [zh]
        它的 FIN 带着对客户端 FIN 的确认。

        ## when client enters TIME-WAIT
        [en]
        The client waits.
        [zh]
        客户端等待。
        """

    static func folder(lesson: String = lesson, captures: [String: String] = ["captures/teardown.jsonl": capture])
        -> (lessons: [Lesson], errors: [LessonError]) {
        LessonFolder.parse([(path: "L/01-kernel.md", name: "01-kernel.md", text: lesson)]
            + captures.sorted { $0.key < $1.key }.map { (path: "L/\($0.key)", name: $0.key, text: $0.value) })
    }

    /// The FIN segments' senders and whether they carry ACK, in trace order.
    static func fins(_ run: LessonRun) -> [String] {
        run.events.compactMap { event -> String? in
            guard case .packetSent(let bytes, _) = event.kind, bytes.count >= 40, bytes[9] == 6,
                  bytes[Int(bytes[0] & 0x0F) * 4 + 13] & 0x01 != 0 else { return nil }
            return event.node
        }
    }

    @Test func aStoredCaptureBindsEveryStepToTheKernelsTrace() throws {
        let folder = Self.folder()
        #expect(folder.errors.isEmpty, "\(folder.errors)")
        let lesson = try #require(folder.lessons.first)
        let run = try LessonRun(lesson)
        #expect(run.source == .kernelStored(whyNotLive: nil))
        #expect(run.trace.header.profile == TraceSource.kernelProfile)
        #expect(Self.fins(run) == ["client", "server"])
        // The server's CLOSE-WAIT is the kernel's, sampled as it read end-of-file, before its FIN.
        let closeWait = run.eventIndices[1], serverFin = run.eventIndices[2]
        #expect(closeWait < serverFin)
        guard case .stateChanged(let connection, _, .closeWait, _) = run.events[closeWait].kind else {
            Issue.record("step 2 is not the server entering CLOSE-WAIT: \(run.events[closeWait])")
            return
        }
        #expect(connection.hasPrefix("server:80>client:"))
        let header = PlainLesson.header(run, language: .en).joined(separator: " ")
        #expect(header.contains("the Linux kernel, the capture stored with the lesson"))
        #expect(header.contains("captures/teardown.jsonl"))
        let zh = PlainLesson.header(run, language: .zh).joined(separator: " ")
        #expect(zh.contains("Linux 内核，本课保存的抓包"))
        // Every step renders, the last one in TIME-WAIT on the client's side.
        let lines = PlainLesson.render(run, language: .en, quiz: true)
        #expect(lines.contains { $0.contains("Step 4 of 4") })
        // The kernel's states are samples: at its SYN the client's is not known yet, and the panel says so.
        #expect(lines.contains { $0.contains("kernel state not sampled yet") })
        #expect(lines.allSatisfy { TextWidth.columns($0) <= 80 })
    }

    @Test func theHeaderMistakesAreNamedWithTheirLines() throws {
        func problems(_ header: String, captures: [String: String] = ["captures/teardown.jsonl": Self.capture]) -> [String] {
            let text = Self.lesson.replacingOccurrences(of: "runtime: kernel\ncapture: captures/teardown.jsonl", with: header)
            return Self.folder(lesson: text, captures: captures).errors.map(\.description)
        }
        #expect(problems("runtime: kernel") == [
            "L/01-kernel.md:4: 'runtime: kernel' needs 'capture: captures/FILE.jsonl', the kernel trace used where a live run "
                + "is not possible (write it with 'stacklab replay SCENARIO --trace FILE')"])
        #expect(problems("capture: captures/teardown.jsonl") == ["L/01-kernel.md:4: 'capture:' is for lessons run on the kernel; add 'runtime: kernel'"])
        #expect(problems("runtime: kernal\ncapture: captures/teardown.jsonl")
            == ["L/01-kernel.md:4: runtime is simulated or kernel, not 'kernal'"])
        #expect(problems("runtime: kernel\ncapture: ../secret.jsonl")
            == ["L/01-kernel.md:5: capture stays inside the lesson folder: no '..' in '../secret.jsonl'"])
        #expect(problems("runtime: kernel\ncapture: /etc/passwd")
            == ["L/01-kernel.md:5: capture is a path relative to the lesson folder, not '/etc/passwd'"])
        #expect(problems("runtime: kernel\ncapture: captures/teardown.jsonl", captures: [:]) == [
            "L/01-kernel.md:5: the capture 'captures/teardown.jsonl' is not in the lesson folder "
                + "(write it with 'stacklab replay SCENARIO --trace captures/teardown.jsonl')"])
        #expect(problems("runtime: kernel\ncapture: captures/teardown.jsonl\nablation: zero-isn")
            == ["L/01-kernel.md:6: an ablation breaks StackLab's own TCP; the kernel's cannot be broken ('runtime: kernel')"])
    }

    @Test func aCaptureOfAnotherScenarioOrFromTheSimulatorIsRefused() throws {
        func error(_ capture: String) throws -> String {
            let lesson = try #require(Self.folder(captures: ["captures/teardown.jsonl": capture]).lessons.first)
            do {
                _ = try LessonRun(lesson)
                return ""
            } catch {
                return error.errors.map(\.description).joined(separator: "\n")
            }
        }
        let other = Self.capture.replacingOccurrences(of: "\"scenario\":\"teardown-client-first\"", with: "\"scenario\":\"handshake\"")
        #expect(try error(other) == "L/01-kernel.md:5: the capture 'captures/teardown.jsonl' records scenario 'handshake', "
                + "not the lesson's 'teardown-client-first'")
        let simulated = Self.capture.replacingOccurrences(of: "\"profile\":\"kernel\"", with: "\"profile\":\"textbook\"")
        #expect(try error(simulated).contains("is a trace of profile 'textbook', not a kernel trace"))
        // A broken line is reported in the capture file, at its line.
        var lines = Self.capture.split(separator: "\n").map(String.init)
        lines[3] = "{\"t_ns\":"
        #expect(try error(lines.joined(separator: "\n")).hasPrefix("L/captures/teardown.jsonl:4:"))
    }

    @Test func withoutACaptureOnLoTheLiveRunFallsBackToTheStoredOneAndSaysWhy() throws {
        let lesson = try #require(Self.folder().lessons.first)
        let denied = LoopbackRuntime(options: LoopbackOptions(captureMode: .simulateDenied, signalHandling: .ignore))
        let run = try LessonRun(lesson, kernel: .live(denied))
        guard case .kernelStored(let why?) = run.source else {
            Issue.record("not the stored capture with a reason: \(run.source)")
            return
        }
        #expect(why.contains("needs CAP_NET_RAW"))
        #expect(PlainLesson.header(run, language: .en).joined(separator: " ").contains("not run live: capture on lo needs CAP_NET_RAW"))
    }

    @Test(.loopbackLock, .enabled(if: getuid() == 0, "capturing on lo needs root"))
    func runLiveTheStepsBindToWhatTheKernelDidJustNow() throws {
        let lesson = try #require(Self.folder().lessons.first)
        let runtime = LoopbackRuntime(options: LoopbackOptions(firstAddress: IPv4Address(127, 0, 61, 1), signalHandling: .ignore))
        let run = try LessonRun(lesson, kernel: .live(runtime))
        #expect(run.source == .kernelLive)
        #expect(run.trace.header.profile == TraceSource.kernelProfile)
        #expect(run.trace.header.hosts.map(\.address.description) == ["127.0.61.1", "127.0.61.2"])
        #expect(Self.fins(run) == ["client", "server"])
        #expect(TraceFile.write(run.trace) != Self.capture, "the live run is not the stored capture")
        #expect(PlainLesson.header(run, language: .en).joined(separator: " ").contains("run live on lo just now"))
    }
}
