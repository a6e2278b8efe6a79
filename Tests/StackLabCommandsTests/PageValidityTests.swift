import Foundation
import Testing
@testable import StackLabCommands

/// Every page StackLab writes is valid HTML5 by an outside parser (html5lib, strict), whatever
/// the lesson, the language or the trace, including names and text made to break out of it.
@Suite(.enabled(if: HTMLValidator.available, "html5lib (Python) is not installed: the pages are not validated"))
struct PageValidityTests {
    static let lessons = ["layers", "sockets", "handshake", "syn-lost", "teardown", "half-close", "tcp-vs-udp",
                          "reliability", "breaking-tcp", "textbook-and-kernel"]

    @Test(arguments: lessons)
    func everyLessonPageIsValid(lesson: String) throws {
        for arguments in [[], ["--lang", "zh"], ["--quiz", "--isn", "symbolic"]] {
            let result = invoke(["export", lesson] + arguments)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try HTMLValidator.firstError(in: result.stdout) == nil, "\(lesson) \(arguments)")
        }
    }

    @Test(arguments: ["handshake", "syn-lost", "many-clients", "udp-lossy", "tcp-vs-udp", "connect-refused"])
    func everyLadderPageIsValid(scenario: String) throws {
        let result = invoke(["diagram", scenario, "--format", "html"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try HTMLValidator.firstError(in: result.stdout) == nil, "\(scenario)")
    }

    /// A scenario whose name is made to close the script, open a tag and break attributes: the
    /// page stays valid, the text arrives intact in the data, and no tag of its own appears.
    @Test func hostileNamesStayText() throws {
        let directory = try exportDirectory("hostile")
        defer { try? FileManager.default.removeItem(at: directory) }
        let name = #"</script><script>alert(1)</script><!-- "quoted" & 'single' \ \#u{2028} 中文"#
        let scenario = directory.appendingPathComponent("hostile.scn")
        let quoted = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        let text = "scenario \"\(quoted)\"\n"
            + "hosts client server\nat 0 server listen 80\nat 10ms client connect server:80\n"
        try text.write(to: scenario, atomically: true, encoding: .utf8)
        let result = invoke(["diagram", scenario.path, "--format", "html"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try HTMLValidator.firstError(in: result.stdout) == nil)
        #expect(result.stdout.components(separatedBy: "<script").count == 3)   // the data and the program
        #expect(result.stdout.components(separatedBy: "</script>").count == 3)
        #expect(!result.stdout.contains("alert(1)</"))
        #expect(try pageData(result.stdout, id: "ladder-data")["title"]?.stringValue == name)
    }
}
