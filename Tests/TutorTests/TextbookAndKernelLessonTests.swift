import Testing
import Tracing
@testable import Tutor

/// Lesson 16 says what the three runs do: the textbook's four-segment teardown against the three of
/// the linux profile and the kernel, the delayed ACK of a FIN, ping-pong, and the kernel's window
/// growing. The kernel parts read the captures stored with the lesson, so this holds everywhere.
@Suite struct TextbookAndKernelLessonTests {
    static func runs() throws -> [LessonRun] { try loadRuns("textbook-and-kernel") }

    /// The TCP segments a host sent, in order: (time, flags byte, payload length, window field, ack).
    static func segments(_ run: LessonRun, from host: String) -> [(time: Int64, flags: UInt8, length: Int, window: Int, ack: UInt32)] {
        run.events.compactMap { event in
            guard event.node == host, case .packetSent(let bytes, _) = event.kind, bytes[9] == 6 else { return nil }
            let h = Int(bytes[0] & 0x0F) * 4, offset = Int(bytes[h + 12] >> 4) * 4
            let ack = UInt32(bytes[h + 8]) << 24 | UInt32(bytes[h + 9]) << 16 | UInt32(bytes[h + 10]) << 8 | UInt32(bytes[h + 11])
            return (event.time, bytes[h + 13], bytes.count - h - offset, Int(bytes[h + 14]) << 8 | Int(bytes[h + 15]), ack)
        }
    }

    static func quizAnswer(_ runs: [LessonRun], step: Int) throws -> String {
        var stepper = Stepper(runs: runs)
        stepper.go(to: step)
        let question = try #require(stepper.quiz(.en))
        return question.choices[question.answer]
    }

    @Test func thePartsAreTheProfilesAndTheKernel() throws {
        let runs = try Self.runs()
        #expect(runs.map(\.scenario.name) == ["teardown-server-first", "teardown-server-first", "teardown-server-first",
                                              "request-response", "request-response", "request-response", "http-keepalive",
                                              "stopped-reader"])
        #expect(runs.map { $0.source == .simulated ? $0.scenario.profile.rawValue : "kernel" }
                == ["textbook", "linux", "kernel", "textbook", "linux", "kernel", "kernel", "linux"])
        for run in runs where run.source != .simulated {
            #expect(run.source == .kernelStored(whyNotLive: nil))
        }
    }

    /// The last part's step is the tail loss probe: new data, 48 ms (2·SRTT + 2 ms in 4 ms ticks)
    /// after the last segment the client sent, with nothing acknowledged in between.
    @Test func theLastPartShowsATailLossProbe() throws {
        let runs = try Self.runs()
        let run = try #require(runs.last)
        let step = try EventSelector.parse("at packet 90").get()
        let index = try #require(step.resolve(in: run.events, hostNames: run.hostNames))
        let fired = run.events[..<index].last { event in
            if case .timer(_, .lossProbe, .fired) = event.kind { true } else { false }
        }
        #expect(fired?.time == run.events[index].time)
        let client = Self.segments(run, from: "client").filter { $0.time <= run.events[index].time }
        let probe = try #require(client.last)
        #expect(probe.length == 1448)
        #expect(probe.time - client[client.count - 2].time == 48_000_000)
    }

    /// The same step, "at third segment from client", is a lone ACK on the textbook profile and
    /// FIN,ACK on the linux profile and the kernel; the textbook sends four teardown segments, the
    /// others three.
    @Test func theTextbookSendsALoneACKTheKernelFINACK() throws {
        let runs = try Self.runs()
        #expect(try Self.quizAnswer(runs, step: 2) == "ACK")
        #expect(try Self.quizAnswer(runs, step: 4) == "FIN+ACK")
        #expect(try Self.quizAnswer(runs, step: 6) == "FIN+ACK")
        for (part, teardown) in [(0, 4), (1, 3), (2, 3)] {
            let run = runs[part]
            let sent = (Self.segments(run, from: "client") + Self.segments(run, from: "server")).sorted { $0.time < $1.time }
            let firstFIN = try #require(sent.firstIndex { $0.flags & 0x01 != 0 })
            #expect(sent.count - firstFIN == teardown, "part \(part + 1)")
        }
        // A second pure ACK from the client (the first is the handshake's) exists only on the textbook.
        let lone = try EventSelector.parse("at second ACK from client").get()
        #expect(lone.resolve(in: runs[0].events, hostNames: runs[0].hostNames) != nil)
        #expect(lone.resolve(in: runs[1].events, hostNames: runs[1].hostNames) == nil)
        #expect(lone.resolve(in: runs[2].events, hostNames: runs[2].hostNames) == nil)
    }

    /// The ACK of the server's FIN: at once on the textbook, after the 40 ms delayed-ACK wait on
    /// the linux profile and the kernel.
    @Test func theACKOfTheFINWaitsFortyMillisecondsOnLinux() throws {
        let runs = try Self.runs()
        let ms: Int64 = 1_000_000
        var waits: [Int64] = []
        for run in runs[3...5] {
            let fin = try #require(Self.segments(run, from: "server").first { $0.flags & 0x01 != 0 })
            // The client's fifth segment, as the lesson's steps say: SYN, ACK, request, ACK, ACK of the FIN.
            let ack = Self.segments(run, from: "client")[4]
            #expect(ack.flags == 0x10 && ack.length == 0 && ack.time > fin.time)
            waits.append(ack.time - fin.time)
        }
        #expect(waits[0] == 10 * ms)                 // one link delay: sent as the FIN arrives
        #expect(waits[1] == 50 * ms)                 // the link delay and the 40 ms ato
        #expect((38 * ms...60 * ms).contains(waits[2]), "kernel: \(waits[2])")
    }

    /// The kernel's advertised window after the response is larger than any before: the receive
    /// buffer grew with the data, and the linux profile's grows too (by two 1448-byte segments on
    /// the scenario's 1500-byte link: 63 → 66 units of 1024).
    @Test func theKernelsWindowGrows() throws {
        let runs = try Self.runs()
        let kernel = Self.segments(runs[5], from: "client")
        let syn = try #require(kernel.first)
        let afterData = kernel[3]
        #expect(afterData.window << 10 > syn.window, "\(afterData.window) × 1024 vs \(syn.window)")
        #expect(afterData.window > kernel[2].window)
        let linux = Self.segments(runs[4], from: "client")
        #expect(linux[3].window > linux[2].window)
    }

    /// Ping-pong on the kernel: after the first exchange the server sends no pure ACK until the end.
    @Test func pingPongLetsTheResponseCarryTheACK() throws {
        let server = Self.segments(try Self.runs()[6], from: "server")
        let pureACKs = server.enumerated().filter { $0.element.flags == 0x10 && $0.element.length == 0 }.map(\.offset)
        let responses = server.enumerated().filter { $0.element.length > 0 }.map(\.offset)
        #expect(responses.count == 5)
        #expect(pureACKs.filter { $0 > responses[0] && $0 < responses[4] }.isEmpty)
    }
}
