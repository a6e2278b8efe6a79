import Foundation
import Testing
import Tracing
import Wire
@testable import StackLabCommands

/// Wireshark's command-line reader, when installed.
enum Tshark {
    static let path = ["/usr/bin/tshark", "/usr/local/bin/tshark"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try HTMLValidator.run([path ?? "tshark"] + arguments, input: nil)
    }
}

/// A lesson's pcapng as Wireshark reads it: the comments tell the state changes and the
/// narration in order, nothing is malformed, and StackLab reads back both its own file and the
/// file as tshark saves it again.
@Suite(.enabled(if: Tshark.path != nil, "tshark is not installed: the lesson's pcapng is not read by Wireshark"))
struct LessonPcapngTsharkTests {
    @Test func theStoryReadsInOrderAndNothingIsMalformed() throws {
        let directory = try exportDirectory("tshark")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("teardown.pcapng")
        #expect(invoke(["export", "teardown", "--lang", "en", "--pcapng", file.path]).status == 0)

        let (status, output) = try Tshark.run(["-r", file.path, "-T", "fields", "-E", "aggregator=\n",
                                               "-e", "frame.comment"])
        #expect(status == 0, "\(output)")
        let comments = output.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("Running as user") }
        // The narration: every step once, in order.
        let steps = comments.filter { $0.hasPrefix("Step ") }
        #expect(steps.map { String($0.prefix(11)) } == (1...8).map { "Step \($0) of 8" })
        #expect(steps[2].hasPrefix("Step 3 of 8 · when server enters CLOSE-WAIT: "
                                   + "The server acknowledges the FIN (ack 2)"))
        // The state changes, in the order the connection went through them.
        let states = comments.filter { $0.contains(" → ") && $0.contains("(") && !$0.hasPrefix("Step ") }
        let client = states.filter { $0.hasPrefix("client:49152>server:80") }.map { $0.split(separator: " ")[3] }
        #expect(client == ["SYN-SENT", "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT"])
        let server = states.filter { $0.hasPrefix("server:80>client:49152") }.map { $0.split(separator: " ")[3] }
        #expect(server == ["SYN-RECEIVED", "ESTABLISHED", "CLOSE-WAIT", "LAST-ACK", "CLOSED"])
        // Each step's narration comes after the state change it is about.
        func position(_ prefix: String) -> Int? { comments.firstIndex { $0.hasPrefix(prefix) } }
        for (state, step) in [("server:80>client:49152: ESTABLISHED → CLOSE-WAIT", "Step 3 of 8"),
                              ("client:49152>server:80: FIN-WAIT-2 → TIME-WAIT", "Step 6 of 8"),
                              ("server:80>client:49152: LAST-ACK → CLOSED", "Step 7 of 8")] {
            let before = try #require(position(state)), after = try #require(position(step))
            #expect(before < after, "\(state) should come before \(step)")
        }

        let malformed = try Tshark.run(["-r", file.path, "-Y", "_ws.malformed || _ws.expert.severity >= warning"])
        #expect(malformed.status == 0)
        let findings = malformed.output.split(separator: "\n").filter { !$0.hasPrefix("Running as user") }
        #expect(findings.isEmpty, "\(malformed.output)")

        // Saved again by tshark (its own pcapng writer), and read and drawn by StackLab.
        let resaved = directory.appendingPathComponent("resaved.pcapng")
        let save = try Tshark.run(["-r", file.path, "-F", "pcapng", "-w", resaved.path])
        #expect(save.status == 0, "\(save.output)")
        for capture in [file, resaved] {
            let bytes = [UInt8](try Data(contentsOf: capture))
            let trace = try PcapTraceReader.trace(fromPcap: bytes, name: capture.lastPathComponent)
            #expect(trace.events.count == 7, "\(capture.lastPathComponent)")
            let ladder = invoke(["diagram", capture.path, "--format", "ascii"])
            #expect(ladder.status == 0)
            #expect(ladder.stdout.contains("FIN"))
            let page = invoke(["diagram", capture.path, "--format", "html"])
            #expect(page.status == 0)
            #expect(try pageData(page.stdout, id: "ladder-data")["flights"]?.arrayValue?.count == 7)
        }
    }
}
