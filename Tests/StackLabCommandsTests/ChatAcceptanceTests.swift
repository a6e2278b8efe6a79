import Foundation
import Testing
import Tracing
@testable import StackLabCommands

/// `stacklab serve chat` and `serve websocket` against clients StackLab did not write: Python's
/// `websockets` package (text, binary, ping, the close handshake; malformed frames answered with
/// the right close code) and headless Chromium loading the chat page and chatting with Python.
@Suite("stacklab serve chat with real WebSocket clients", .serialized,
       .enabled(if: Executable.binary != nil, "the stacklab binary was not found next to the test bundle"),
       .enabled(if: PythonWebSockets.python != nil,
                "Python's websockets package is not installed (.ci/run installs it with pip)"))
struct ChatAcceptanceTests {
    /// Two clients: a text message from one reaches both; a binary message comes back to its
    /// sender; a ping is answered; both close with 1000.
    static let clientScript = """
        import json, sys
        from websockets.sync.client import connect
        url = sys.argv[1]
        with connect(url, open_timeout=10, close_timeout=10) as a, connect(url, open_timeout=10, close_timeout=10) as b:
            a.send(json.dumps({"from": "py-a", "text": "hello from a"}))
            for name, client in (("b", b), ("a", a)):
                message = json.loads(client.recv(timeout=10))
                assert message["from"] == "py-a" and message["text"] == "hello from a", message
                print("text reached", name, "as #%d" % message["seq"])
            a.send(bytes([0, 1, 2, 255]))
            assert a.recv(timeout=10) == bytes([0, 1, 2, 255])
            print("binary came back")
            assert a.ping(b"are you there").wait(timeout=10)
            print("pong")
            a.close(code=1000, reason="bye")
            b.close()
            print("closed", a.close_code, b.close_code)
        """

    /// Raw frames after a proper handshake, each on its own connection; prints the close code
    /// the server answers with (RFC 6455 §7.4.1), or "none".
    static let malformedScript = """
        import base64, hashlib, os, socket, struct, sys
        port = int(sys.argv[1])
        path = sys.argv[2]
        def handshake():
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            key = base64.b64encode(os.urandom(16)).decode()
            s.sendall(("GET %s HTTP/1.1\\r\\nHost: 127.0.0.1:%d\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n"
                       "Sec-WebSocket-Key: %s\\r\\nSec-WebSocket-Version: 13\\r\\n\\r\\n" % (path, port, key)).encode())
            data = b""
            while b"\\r\\n\\r\\n" not in data:
                chunk = s.recv(4096)
                if not chunk: raise SystemExit("closed during the handshake")
                data += chunk
            head, rest = data.split(b"\\r\\n\\r\\n", 1)
            accept = base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest())
            assert head.startswith(b"HTTP/1.1 101") and b"Sec-WebSocket-Accept: " + accept in head, head
            return s, rest
        def frame(opcode, payload, fin=True, rsv=0, mask=True, length=None):
            n = len(payload) if length is None else length
            header = bytes([(0x80 if fin else 0) | rsv | opcode])
            bit = 0x80 if mask else 0
            if n < 126: header += bytes([bit | n])
            elif n < 65536: header += bytes([bit | 126]) + struct.pack(">H", n)
            else: header += bytes([bit | 127]) + struct.pack(">Q", n)
            if not mask: return header + payload
            key = os.urandom(4)
            return header + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))
        def close_code(s, data):
            while True:
                try:
                    chunk = s.recv(65536)
                except socket.timeout:
                    break
                if not chunk: break
                data += chunk
            i = 0
            while i + 2 <= len(data):
                opcode, n, j = data[i] & 0x0F, data[i + 1] & 0x7F, i + 2
                if n == 126: n, j = struct.unpack(">H", data[j:j + 2])[0], j + 2
                elif n == 127: n, j = struct.unpack(">Q", data[j:j + 8])[0], j + 8
                if opcode == 8: return struct.unpack(">H", data[j:j + 2])[0]
                i = j + n
            return "none"
        cases = [
            ("unmasked", frame(1, b"hi", mask=False)),
            ("rsv1", frame(1, b"hi", rsv=0x40)),
            ("reserved-opcode", frame(3, b"hi")),
            ("long-ping", frame(9, b"x" * 126)),
            ("bad-utf8", frame(1, b"\\xc3\\x28")),
            ("bad-utf8-fragments", frame(1, b"a\\xf0\\x9f", fin=False) + frame(0, b"A")),
            ("too-big", frame(2, b"", length=2 << 20)[:14]),
            ("bad-close-code", frame(8, struct.pack(">H", 1005))),
        ]
        for name, data in cases:
            s, rest = handshake()
            s.sendall(data)
            print(name, close_code(s, rest))
            s.close()
        """

    @Test func pythonWebSocketsTalksToServeChatAndTheEcho() throws {
        let tracePath = FileManager.default.temporaryDirectory.appendingPathComponent("serve-chat-\(getpid()).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: tracePath) }
        let server = try ServeProcess("chat", trace: tracePath)
        defer { server.stop() }
        let clients = try PythonWebSockets.run(Self.clientScript, ["ws://127.0.0.1:\(server.port)/chat"])
        #expect(clients.0 == 0, "\(clients.1)")
        for line in ["text reached b as #0", "text reached a as #0", "binary came back", "pong", "closed 1000 1000"] {
            #expect(clients.1.contains(line), "\(line) in \(clients.1)")
        }

        let malformed = try PythonWebSockets.run(Self.malformedScript, ["\(server.port)", "/chat"])
        #expect(malformed.0 == 0, "\(malformed.1)")
        let expected = ["unmasked 1002", "rsv1 1002", "reserved-opcode 1002", "long-ping 1002", "bad-utf8 1007",
                        "bad-utf8-fragments 1007", "too-big 1009", "bad-close-code 1002"]
        #expect(malformed.1.split(separator: "\n").map(String.init) == expected, "\(malformed.1)")
        // The server lived through it: a client still chats.
        let again = try PythonWebSockets.run(Self.clientScript, ["ws://127.0.0.1:\(server.port)/chat"])
        #expect(again.0 == 0 && again.1.contains("text reached b as #1"), "\(again.1)")

        #expect(server.stop() == 0, "\(server.stderr.text)")
        #expect(server.stdout.text.contains("message #0 from py-a: hello from a"), "\(server.stdout.text)")
        let trace = try TraceFile.read(bytes: [UInt8](try #require(FileManager.default.contents(atPath: tracePath))),
                                       file: tracePath)
        let errors = trace.events.compactMap { event -> Int? in
            if case .application(_, .webSocket(.error(let code, _))) = event.kind { return code }
            return nil
        }
        #expect(errors == [1002, 1002, 1002, 1002, 1007, 1007, 1009, 1002])
        let cleanCloses = trace.events.filter { event in
            if case .application(_, .webSocket(.close(1000, true))) = event.kind { return true }
            return false
        }
        #expect(cleanCloses.count == 4)
        #expect(invoke(["diagram", tracePath]).status == 0)
    }

    @Test func serveWebSocketEchoesWhatPythonSends() throws {
        let server = try ServeProcess("websocket")
        defer { server.stop() }
        let script = """
            import sys
            from websockets.sync.client import connect
            with connect(sys.argv[1], open_timeout=10, close_timeout=10) as ws:
                ws.send("héllo"); assert ws.recv(timeout=10) == "héllo"
                ws.send(bytes(range(256)) * 300); assert ws.recv(timeout=10) == bytes(range(256)) * 300
                assert ws.ping(b"x").wait(timeout=10)
                ws.close(1000)
                print("echoed", ws.close_code)
            """
        let result = try PythonWebSockets.run(script, ["ws://127.0.0.1:\(server.port)/anywhere"])
        #expect(result.0 == 0 && result.1.contains("echoed 1000"), "\(result.1)")
        let malformed = try PythonWebSockets.run(Self.malformedScript, ["\(server.port)", "/echo"])
        #expect(malformed.1.contains("unmasked 1002") && malformed.1.contains("bad-utf8 1007"), "\(malformed.1)")
        #expect(server.stop() == 0)
    }

    /// The acceptance check in a real browser: Chromium loads the page from `serve chat`, its
    /// WebSocket opens, a message from Python shows in the page, and the message typed in the page
    /// reaches Python. The screenshot is kept for a person to look at.
    @Test(.enabled(if: HeadlessChromium.executable != nil, "chromium is not installed (.ci/run installs it)"))
    func chromiumChatsWithPython() throws {
        let server = try ServeProcess("chat")
        defer { server.stop() }
        let base = "http://127.0.0.1:\(server.port)"
        let browser = try HeadlessChromium(width: 1100, height: 700)
        defer { browser.close() }
        try browser.open(try #require(URL(string: base + "/")))
        #expect(try browser.string("document.title") == "StackLab chat")
        try waitUntil("the page's WebSocket opens") { try browser.text("state") == "open" }

        let listener = """
            import json, sys
            from websockets.sync.client import connect
            with connect(sys.argv[1], open_timeout=10, close_timeout=10) as ws:
                print("open", flush=True)
                ws.send(json.dumps({"from": "python", "text": "hello from python"}))
                while True:
                    message = json.loads(ws.recv(timeout=30))
                    if message["from"] == "chromium":
                        print("got", message["text"], flush=True)
                        break
                ws.close(1000)
                print("closed", ws.close_code, flush=True)
            """
        let (python, output) = try PythonWebSockets.start(listener, ["ws://127.0.0.1:\(server.port)/chat"])
        defer { if python.isRunning { python.terminate() } }
        #expect(output.wait(seconds: 20) { $0.contains("open") } != nil, "\(output.text)")
        try waitUntil("Python's message shows in the page") {
            try browser.string("document.getElementById('messages').textContent").contains("hello from python")
        }
        try browser.evaluate("""
            document.getElementById('name').value = 'chromium';
            document.getElementById('text').value = 'hello from chromium';
            document.getElementById('send').click();
            """)
        #expect(output.wait(seconds: 20) { $0.contains("closed") } != nil, "\(output.text)")
        #expect(output.text.contains("got hello from chromium"), "\(output.text)")
        try waitUntil("the page shows its own message") {
            try browser.string("document.getElementById('messages').textContent").contains("hello from chromium")
        }
        let events = try browser.string("Array.from(document.querySelectorAll('#events li')).map(e => e.textContent).join('|')")
        #expect(events.hasPrefix("onopen|onmessage"), "\(events)")
        #expect(events.components(separatedBy: "onmessage").count - 1 == 2, "\(events)")
        #expect(browser.exceptions().isEmpty, "\(browser.exceptions())")
        #expect(browser.requestedURLs().allSatisfy { $0.hasPrefix(base) }, "\(browser.requestedURLs())")

        let screenshot = try browser.screenshot()
        try FileManager.default.createDirectory(at: BrowserAcceptanceTests.screenshots, withIntermediateDirectories: true)
        let shot = BrowserAcceptanceTests.screenshots.appendingPathComponent("chat-page.png")
        try screenshot.write(to: shot)
        #expect(screenshot.count > 10_000)
        #expect(server.stop() == 0)
        #expect(server.stdout.text.contains("message #1 from chromium: hello from chromium"), "\(server.stdout.text)")
    }

    /// Polls `condition` every 50 ms for up to 20 s.
    private func waitUntil(_ what: String, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if try condition() { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("timed out waiting until \(what)")
        throw HeadlessChromium.Failure(description: "timed out waiting until \(what)")
    }
}
