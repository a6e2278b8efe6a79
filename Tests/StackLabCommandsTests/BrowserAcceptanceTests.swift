import Foundation
import Testing
import Tracing
import Wire
@testable import StackLabCommands

/// The issue's acceptance checks in a real browser (Debian's Chromium, headless, driven over the
/// DevTools protocol): the exported teardown lesson stepped with → from `file://` until the
/// server enters CLOSE-WAIT, read back from the DOM, photographed, and watched for network
/// requests; a 10,000-packet ladder opened and scrolled, with its load time reported.
@Suite(.serialized,
       .enabled(if: HeadlessChromium.executable != nil,
                "chromium is not installed: the pages are not opened in a browser"))
struct BrowserAcceptanceTests {
    /// Where screenshots are kept after the test (for a person to look at).
    static let screenshots = FileManager.default.temporaryDirectory.appendingPathComponent("stacklab-screenshots")

    @Test func theTeardownLessonStepsToCloseWaitFromAFile() throws {
        let directory = try exportDirectory("browser-teardown")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("teardown.html")
        #expect(invoke(["export", "teardown", "-o", file.path]).status == 0)
        let html = try String(contentsOf: file, encoding: .utf8)
        let steps = try #require(try pageData(html, id: "lesson-data")["steps"]?.arrayValue)
        let closeWait = try #require(steps.firstIndex {
            $0["text"]?["en"]?["heading"]?.stringValue == "when server enters CLOSE-WAIT"
        })

        // The client's FIN, from the lesson's own trace.
        let traceFile = directory.appendingPathComponent("teardown.jsonl")
        #expect(invoke(["run", "teardown-client-first", "--seed", "1", "--trace", traceFile.path]).status == 0)
        let trace = try TraceFile.read(bytes: [UInt8](try Data(contentsOf: traceFile)), file: traceFile.path)
        let clientFIN = try #require(trace.events.firstIndex { event in
            guard event.node == "client", case .packetSent(let bytes, _) = event.kind,
                  let packet = try? IPv4Packet.parse(bytes), case .tcp(let segment) = packet.payload else {
                return false
            }
            return segment.header.flags.contains(.fin)
        })

        let browser = try HeadlessChromium()
        defer { browser.close() }
        try browser.open(file)
        #expect(try browser.text("counter").hasPrefix("Step 1 of 8"))
        for _ in 0..<closeWait {
            try browser.press("ArrowRight", code: "ArrowRight", keyCode: 39)
        }
        #expect(try browser.text("heading") == "when server enters CLOSE-WAIT")
        #expect(try browser.text("counter").hasPrefix("Step \(closeWait + 1) of 8"))

        // The server's panel shows CLOSE-WAIT, the client's FIN-WAIT-1.
        let panels = try browser.string("""
            Array.from(document.querySelectorAll('#panels .panel')).map(p =>
              p.querySelector('.panel-title').textContent + '=' + p.querySelector('.panel-state').textContent).join('|')
            """)
        #expect(panels == "client:49152→server:80=FIN-WAIT-1|server:80→client:49152=CLOSE-WAIT")

        // The marked arrow is the client's FIN (its path and its label); the state it caused is marked too.
        let marked = try browser.string("""
            Array.from(document.querySelectorAll('#ladder-svg .now')).map(n =>
              n.getAttribute('class').split(' ')[0] + '@' + n.dataset.event
                + (n.tagName === 'text' ? ':' + n.textContent : ''))
              .sort().join('|')
            """)
        let stateChange = try #require(trace.events.firstIndex {
            if case .stateChanged(_, _, .closeWait, _) = $0.kind { true } else { false }
        })
        #expect(marked == "label@\(clientFIN):FIN,ACK seq=1 ack=1|segment@\(clientFIN)|state@\(stateChange):CLOSE-WAIT")
        #expect(try browser.text("marked") == "Marked segment: client → server   FIN,ACK seq=1 ack=1")
        // Nothing after the step shows: the server's own FIN is still to come.
        let laterFIN = try browser.number("""
            Array.from(document.querySelectorAll('#ladder-svg text.label')).filter(t =>
              t.textContent.startsWith('FIN,ACK seq=1 ack=2') && getComputedStyle(t).display !== 'none').length
            """)
        #expect(laterFIN == 0)

        let screenshot = try browser.screenshot()
        try FileManager.default.createDirectory(at: Self.screenshots, withIntermediateDirectories: true)
        let shot = Self.screenshots.appendingPathComponent("teardown-close-wait.png")
        try screenshot.write(to: shot)
        print("screenshot of the teardown lesson at CLOSE-WAIT: \(shot.path) (\(screenshot.count) bytes)")
        #expect(screenshot.count > 10_000)

        // The state diagram view and the other language work too, and step back.
        try browser.press("s", code: "KeyS", keyCode: 83)
        #expect(try browser.evaluate("document.getElementById('states-pane').hidden") as? Bool == false)
        #expect(try browser.number("document.querySelectorAll('#state-bands rect').length") >= 2)
        try browser.evaluate("document.querySelector('#languages button[data-language=zh]').click()")
        #expect(try browser.text("counter").hasPrefix("第 \(closeWait + 1)/8 步"))
        try browser.press("ArrowLeft", code: "ArrowLeft", keyCode: 37)
        #expect(try browser.text("counter").hasPrefix("第 \(closeWait)/8 步"))

        // The page asked for nothing but itself, and threw nothing.
        #expect(browser.requestedURLs() == [file.absoluteString])
        #expect(browser.exceptions().isEmpty, "\(browser.exceptions())")
    }

    /// Served over HTTP from a directory that holds nothing but the page, and stepped from start
    /// to end in both views and both languages: the server hears one request, for the page.
    @Test func servedFromAnEmptyDirectoryThePageAsksForNothingElse() throws {
        let directory = try exportDirectory("browser-served")
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = directory.appendingPathComponent("half-close.html")
        #expect(invoke(["export", "half-close", "-o", page.path]).status == 0)
        let server = try DirectoryServer(serving: directory)
        defer { server.stop() }
        let browser = try HeadlessChromium()
        defer { browser.close() }
        try browser.open(try #require(URL(string: "http://127.0.0.1:\(server.port)/half-close.html")))
        for language in ["en", "zh"] {
            try browser.evaluate("document.querySelector('#languages button[data-language=\(language)]').click()")
            for view in ["s", "s"] {
                for _ in 0..<12 { try browser.press("ArrowRight", code: "ArrowRight", keyCode: 39) }
                try browser.press(view, code: "KeyS", keyCode: 83)
                for _ in 0..<12 { try browser.press("ArrowLeft", code: "ArrowLeft", keyCode: 37) }
            }
        }
        #expect(try browser.text("counter").hasPrefix("第 1/12 步"))
        #expect(server.requests == ["GET /half-close.html"])
        #expect(browser.requestedURLs() == ["http://127.0.0.1:\(server.port)/half-close.html"])
        #expect(browser.exceptions().isEmpty, "\(browser.exceptions())")
    }

    /// The quiz asks before the step: the heading and the panels hold the answer back until it is given.
    @Test func theQuizHoldsTheAnswerBack() throws {
        let directory = try exportDirectory("browser-quiz")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("teardown.html")
        #expect(invoke(["export", "teardown", "--quiz", "-o", file.path]).status == 0)
        let browser = try HeadlessChromium()
        defer { browser.close() }
        try browser.open(file.appendingFragment("step-3"))
        #expect(try browser.text("heading") == "when server enters ?")
        let prompt = try browser.string("document.querySelector('#quiz .quiz-prompt').textContent")
        #expect(prompt == "Quiz: which state does server enter next?")
        #expect(try !browser.text("panels").contains("CLOSE-WAIT"))
        let choices = try browser.string("""
            Array.from(document.querySelectorAll('#quiz button')).map(b => b.textContent).join('|')
            """)
        let right = try #require(choices.split(separator: "|").firstIndex { $0.hasSuffix("CLOSE-WAIT") })
        try browser.press(String(right + 1), code: "Digit\(right + 1)", keyCode: 49 + right)
        #expect(try browser.string("document.querySelector('#quiz p').textContent") == "Right!")
        #expect(try browser.text("panels").contains("CLOSE-WAIT"))
    }

    @Test func aTenThousandPacketLadderOpensAndScrolls() throws {
        let directory = try exportDirectory("browser-bulk")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("bulk-transfer.html")
        let drawn = invoke(["diagram", "bulk-transfer", "--bytes", "7300000", "--format", "html", "-o", file.path])
        #expect(drawn.status == 0)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int)

        let browser = try HeadlessChromium()
        defer { browser.close() }
        let started = Date()
        try browser.open(file)
        let opened = Date().timeIntervalSince(started)
        let load = try browser.number("performance.getEntriesByType('navigation')[0].loadEventEnd")
        // "10005 of 10005 packets": every packet of the transfer is laid out.
        let status = try browser.text("status").split(separator: " ")
        let packets = try #require(Int(status.first ?? ""))
        #expect(packets >= 10_000 && status.count == 4 && status[2] == status[0])
        // Scroll to the middle and to the end; count what is drawn and time a frame.
        var scrolls: [String] = []
        for fraction in [0.5, 1.0] {
            let result = try browser.string("""
                new Promise(done => {
                  const stage = document.getElementById('stage');
                  const start = performance.now();
                  stage.scrollTop = (stage.scrollHeight - stage.clientHeight) * \(fraction);
                  requestAnimationFrame(() => requestAnimationFrame(() => done(
                    (performance.now() - start).toFixed(0) + ' ms, '
                      + document.querySelectorAll('#ladder-rows g').length + ' packets drawn')));
                })
                """)
            scrolls.append(result)
        }
        #expect(try browser.number("document.querySelectorAll('#ladder-rows g').length") > 0)
        // A packet shows its fields when pointed at.
        let point = try #require(try browser.evaluate("""
            (() => {
              const screen = document.getElementById('stage').getBoundingClientRect();
              for (const segment of document.querySelectorAll('#ladder-rows g .segment')) {
                const r = segment.getBoundingClientRect();
                const x = r.x + r.width / 2, y = r.y + r.height / 2;
                if (y > screen.top + 60 && y < screen.bottom - 20 && x > screen.left && x < screen.right) return [x, y];
              }
              return null;
            })()
            """) as? [Double])
        try browser.moveMouse(x: point[0], y: point[1])
        #expect(try browser.text("details").contains("Sequence number"))
        #expect(browser.exceptions().isEmpty, "\(browser.exceptions())")
        print("bulk-transfer ladder: \(packets) packets, \(size / 1000) kB; load event at \(Int(load)) ms "
              + "(\(Int(opened * 1000)) ms from navigation to load seen by the test); "
              + "scroll to the middle: \(scrolls[0]); to the end: \(scrolls[1])")
    }

    /// Hover, zoom, the idle-gap switch and the connection filter on a trace with several connections.
    @Test func theInteractiveLadderZoomsFiltersAndCollapses() throws {
        let directory = try exportDirectory("browser-ladder")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("many-clients.html")
        #expect(invoke(["diagram", "many-clients", "--format", "html", "-o", file.path]).status == 0)
        let browser = try HeadlessChromium()
        defer { browser.close() }
        try browser.open(file)
        let all = try browser.text("status")
        let height = try browser.number("Number(document.getElementById('ladder').getAttribute('height'))")
        try browser.press("+", code: "Equal", keyCode: 187)
        #expect(try browser.number("Number(document.getElementById('ladder').getAttribute('height'))") > height)
        try browser.evaluate("document.getElementById('collapse').click()")
        let trueTime = try browser.number("Number(document.getElementById('ladder').getAttribute('height'))")
        try browser.evaluate("document.getElementById('collapse').click()")
        #expect(trueTime > (try browser.number("Number(document.getElementById('ladder').getAttribute('height'))")))
        try browser.evaluate("""
            (() => {
              const menu = document.getElementById('connection');
              menu.value = '0';
              menu.dispatchEvent(new Event('change'));
            })()
            """)
        let one = try browser.text("status")
        #expect(one != all && one.hasSuffix("packets"), "\(one) vs \(all)")
        let labels = try browser.string("""
            Array.from(document.querySelectorAll('#ladder-rows text.label')).map(t => t.textContent).join('|')
            """)
        #expect(labels.contains("SYN seq=0"))
        #expect(browser.requestedURLs() == [file.absoluteString])
        #expect(browser.exceptions().isEmpty, "\(browser.exceptions())")
    }
}

extension URL {
    func appendingFragment(_ fragment: String) -> URL {
        URL(string: absoluteString + "#" + fragment) ?? self
    }
}
