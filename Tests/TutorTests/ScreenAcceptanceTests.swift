import Foundation
import Rendering
import TestSupport
import Testing
import Tracing
@testable import Tutor

/// The acceptance checks on the stepper as a student meets it: real terminals of three
/// sizes in tmux, every quiz step, the Chinese text, and a binary copied away from the checkout.
@Suite(.serialized) struct ScreenAcceptanceTests {
    static let sizes = [(160, 48), (110, 40), (80, 24)]

    /// Every lesson as its runs (one per part).
    static func lessons() throws -> [[LessonRun]] {
        try lessonFiles().map { try loadRuns(String($0.name.dropFirst(3).dropLast(3))) }
    }

    /// The lifeline names a step's event involves, as the ladder's header writes them.
    static func involvedNames(_ runs: [LessonRun], step: Int, width: Int, height: Int) -> [String] {
        var stepper = Stepper(runs: runs)
        stepper.go(to: step + 1)
        let screen = LessonScreen(run: stepper.run, language: .en, width: width, height: height, color: false)
        return screen.involvedLifelines(stepper).map { screen.ladder.model.lifelines[$0].name }
    }

    @Test(.enabled(if: terminalTestsCanRun, "needs tmux and the built stacklab binary"), arguments: sizes.map { "\($0.0)x\($0.1)" })
    func everyStepShowsItsLifelinesAndNoValueIsCut(size: String) throws {
        let binary = try #require(stacklabBinary())
        let parts = size.split(separator: "x").map { Int($0)! }
        let (width, height) = (parts[0], parts[1])
        for runs in try Self.lessons() {
            let name = runs[0].lesson.name
            // Kernel lessons step through their stored captures, as the tests compare with them.
            let session = try #require(TmuxSession(name: "stacklab-size-\(getpid())-\(name)-\(width)",
                                                   command: "\(binary) learn \(name) --stored", width: width, height: height))
            defer { session.close() }
            let count = Stepper(runs: runs).count
            for step in 0..<count {
                if step > 0 { session.keys("Space") }
                let marker = "Step \(step + 1) of \(count)"
                #expect(session.waitFor(marker), "\(name) at \(size): '\(marker)' never showed")
                let screen = session.screen()
                let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                #expect(lines.count <= height + 1)  // capture-pane ends with a newline
                // The ladder's header line (lifeline names) is the third line.
                let header = lines.count > 2 ? lines[2] : ""
                for lifeline in Self.involvedNames(runs, step: step, width: width, height: height) {
                    #expect(header.contains(lifeline), "\(name) step \(step + 1) at \(size): lifeline \(lifeline) off screen:\n\(screen)")
                }
                if width >= 110 {
                    // Panel values are never cut short.
                    for line in lines where line.hasPrefix("│") || line.contains("SND.UNA") {
                        #expect(!line.contains("…"), "\(name) step \(step + 1) at \(size): \(line)")
                    }
                }
            }
            session.keys("q")
            #expect(session.waitFor("DONE"))
        }
    }

    /// The answer as it would show on screen: the flags also with commas, as the ladder writes them.
    static func answerForms(_ answer: String) -> [String] {
        [answer, answer.replacingOccurrences(of: "+", with: ",")]
    }

    @Test(.enabled(if: terminalTestsCanRun, "needs tmux and the built stacklab binary"))
    func aQuizNeverShowsItsAnswerBeforeItIsAnswered() throws {
        let binary = try #require(stacklabBinary())
        for runs in try Self.lessons() where runs.contains(where: { $0.lesson.steps.contains { $0.quiz != nil } }) {
            let name = runs[0].lesson.name
            let session = try #require(TmuxSession(name: "stacklab-quiz-\(getpid())-\(name)",
                                                   command: "\(binary) learn \(name) --quiz --stored", width: 110, height: 40))
            defer { session.close() }
            var stepper = Stepper(runs: runs)
            for step in 0..<stepper.count {
                if step > 0 { session.keys("Space"); stepper.forward() }
                #expect(session.waitFor("Step \(step + 1) of \(stepper.count)"))
                let run = stepper.run
                guard let question = stepper.quiz(.en) else { continue }
                #expect(session.waitFor("Quiz:"))
                let screen = session.screen()
                let answer = question.choices[question.answer]
                let lines = screen.split(separator: "\n").map(String.init)
                // Outside the list of choices, where does the answer show? Only in what happened
                // before the step (earlier ladder rows and the other endpoint's panel).
                let event = run.events[stepper.eventIndex]
                let quizzed: String
                switch event.kind {
                case .stateChanged(let connection, _, _, _): quizzed = connection.replacingOccurrences(of: ">", with: "→")
                default: quizzed = "\u{0}"
                }
                for (i, line) in lines.enumerated() where !line.hasPrefix("  ") || !line.contains(")") {
                    let shows = Self.answerForms(answer).contains { form in
                        line.split(whereSeparator: { " │()".contains($0) }).contains { $0 == form }
                    }
                    guard shows else { continue }
                    #expect(i != 1, "\(name) step \(step + 1): the heading gives the answer away: \(line)")
                    if let range = line.range(of: quizzed) {
                        let panel = line[range.upperBound...].prefix { $0 != "│" }
                        #expect(!panel.contains(answer), "\(name) step \(step + 1): the panel shows it: \(line)")
                    }
                }
                #expect(!screen.contains("Transmission Control Protocol"), "\(name) step \(step + 1): the packet is decoded already")
                // The step's own ladder row is not drawn yet.
                let ladder = LadderRenderer(trace: run.trace, options: DiagramOptions(width: 110))
                if let row = ladder.line(ofEvent: stepper.eventIndex), case .stateChanged = event.kind {
                    let drawn = ladder.render(upTo: stepper.eventIndex, highlight: nil)[row]
                    let text = drawn.trimmingCharacters(in: .whitespaces)
                    #expect(!screen.contains(text), "\(name) step \(step + 1): its row '\(text)' is on screen")
                }
                session.keys(String(question.answer + 1))
                #expect(session.waitFor("Right!"), "\(name) step \(step + 1): the right answer was not accepted")
            }
            session.keys("q")
            #expect(session.waitFor("DONE"))
        }
    }

    /// Words a Chinese lesson may keep in Latin letters: protocol, field, flag, state, option and
    /// API names, units and the scenario's own names.
    static let allowed: Set<String> = [
        "TCP", "IP", "IPv4", "UDP", "ICMP", "HTTP", "RFC", "DSCP", "ECN", "TTL", "MTU", "MSS", "MSL", "RTT", "RTO", "ISN",
        "SYN", "ACK", "FIN", "RST", "PSH", "URG", "DF", "MF", "SND", "UNA", "NXT", "WND", "RCV", "ISS", "IRS", "cwnd",
        "ssthresh", "mss", "wscale", "sackOK", "nop", "seq", "ack", "len", "x", "y", "ms", "s", "kB", "SACK", "NewReno",
        "Reno", "API", "Nagle", "socket", "connect", "listen", "accept", "send", "sendto", "recv", "read", "write", "close",
        "shutdown", "abort", "bind", "onopen", "onmessage", "onend", "onclose", "onerror", "textbook", "linux", "inline",
        "CLOSED", "LISTEN", "SENT", "RECEIVED", "ESTABLISHED", "WAIT", "CLOSE", "CLOSING", "LAST", "TIME",
        "client", "server", "SHUT", "WR", "WebSocket", "MQTT", "Wireshark", "tcpdump", "stacklab", "learn", "ablation",
        "RFC9293", "MSS", "PAWS", "SRTT", "RTTVAR", "Linux", "GET", "OK", "ping", "pong", "FTP", "Telnet", "backlog",
        "run", "check", "StackLab", "ablate", "list",
        // The application layer: HTTP header field names, the keepalive socket option, the frames'
        // types, the pages' paths and payloads (data, not words), the math's variables.
        "Host", "Server", "Date", "Accept", "Connection", "CR", "LF", "Web", "setsockopt", "SO_KEEPALIVE", "keepalive",
        "heartbeat", "PING", "PONG", "DATA", "index", "html", "hello", "txt", "Hello", "world", "N", "T", "k",
        "compare", "requests",
        // Polling, WebSocket and MQTT (lessons 13-15): protocol, header and packet names, status
        // reason phrases, standards and algorithms, the math's variable I; the chat's data (paths,
        // query words, topic levels, the feed's authors) and the compare command's words.
        "JSON", "No", "Content", "Switching", "Protocols", "Upgrade", "SHA", "Base", "FIPS", "GUID", "UTF", "RSV", "I",
        "CONNECT", "CONNACK", "PUBLISH", "PUBACK", "SUBSCRIBE", "SUBACK", "PINGREQ", "PINGRESP", "DISCONNECT", "DUP",
        "QoS", "RETAIN", "poll", "longpoll", "since", "echo", "ana", "ben", "room", "presence", "messages", "polling",
        "websocket",
        // The textbook and the kernel (lesson 16): Linux's name for the delayed-ACK timeout, the
        // loopback interface, and the stored capture's file name in the scenario line.
        "ato", "lo", "captures", "jsonl",
    ]

    /// Base64 data, such as a `Sec-WebSocket-Key` or `Sec-WebSocket-Accept` value, is data, not
    /// words: long, with upper- and lower-case letters and digits mixed.
    static func isBase64Data(_ word: String) -> Bool {
        word.count >= 12 && word.contains(where: \.isUppercase) && word.contains(where: \.isLowercase)
            && word.contains(where: \.isNumber)
    }

    @Test func chineseLessonsUseNoEnglishUIWords() throws {
        for run in try allPartRuns() {
            let scenarioNames = Set(run.scenario.hosts + [run.scenario.name]
                + (run.lesson.header.ablation.map { [$0.name] } ?? []))
            var found: Set<String> = []
            let text = PlainLesson.render(run, language: .zh, quiz: true).joined(separator: "\n")
            // Identifiers (invariant and ablation names like `ack-within-window`) are names, not words.
            // So are HTTP header field names (`Content-Length`).
            let words = text.replacing(/[a-z0-9]+(-[a-z0-9]+)+/, with: " ").replacing(/[A-Z][a-z]+(-[A-Z][a-z]+)+/, with: " ")
            for word in words.split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_")) }) {
                guard word.first?.isLetter == true else { continue }
                let name = String(word)
                let stem = String(name.prefix { $0.isLetter })
                if Self.allowed.contains(name) || Self.allowed.contains(stem) || Self.isBase64Data(name)
                    || scenarioNames.contains(where: { $0.contains(name) })
                    || name.allSatisfy({ $0.isHexDigit }) && name.count <= 8 {
                    continue
                }
                found.insert(name)
            }
            #expect(found.isEmpty, "\(run.lesson.name): English words in --lang zh: \(found.sorted())")
            #expect(!text.contains("\""), "\(run.lesson.name): ASCII quotes where Chinese uses “”")
        }
    }

    @Test(.enabled(if: stacklabBinary() != nil, "needs the built stacklab binary"))
    func aCopiedBinaryCarriesItsLessons() throws {
        let binary = try #require(stacklabBinary())
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-copy-\(getpid())")
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let copy = directory.appendingPathComponent("stacklab").path
        try ExecutableCopy.copy(binary, to: copy)
        var environment = ProcessInfo.processInfo.environment
        environment["STACKLAB_LESSONS"] = nil
        func run(_ arguments: [String]) throws -> (Int32, String, String) {
            let out = Pipe(), err = Pipe()
            let process = try ExecutableCopy.retryingTextFileBusy {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: copy)
                process.arguments = arguments
                process.currentDirectoryURL = directory
                process.environment = environment
                process.standardOutput = out
                process.standardError = err
                try process.run()
                return process
            }
            let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, output, errors)
        }
        let lessons = try run(["lessons"])
        #expect(lessons.0 == 0, "\(lessons.2)")
        #expect(lessons.1.contains("handshake"))
        let learn = try run(["learn", "handshake", "--plain"])
        #expect(learn.0 == 0, "\(learn.2)")
        #expect(learn.1.contains("Step 7 of 7"))
        let menu = try run([])
        #expect(menu.0 == 0, "\(menu.2)")
        #expect(menu.1.contains("teardown"))
        if terminalTestsCanRun {
            let session = try #require(TmuxSession(name: "stacklab-copy-\(getpid())", command: "cd \(directory.path) && env -u STACKLAB_LESSONS \(copy)"))
            defer { session.close() }
            #expect(session.waitFor("step through TCP/IP"))
            session.keys("Enter")
            #expect(session.waitFor("Step 1 of"))
            session.keys("q")
            #expect(session.waitFor("step through TCP/IP"), "q in a lesson returns to the menu")
            session.keys("q")
            #expect(session.waitFor("DONE"))
        }
    }
}
