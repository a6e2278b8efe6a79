import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Debian's Chromium, headless, driven over the DevTools protocol on a pipe
/// (`--remote-debugging-pipe`: commands go in on the browser's file descriptor 3, replies and
/// events come out on 4, each a JSON object ending in a NUL byte). No WebSocket, no port, no
/// library: enough to open a page, press keys, move the mouse, read the DOM, take a screenshot
/// and watch the page's network requests. Every read has a timeout; `close()` ends the browser
/// it started (and only that one).
final class HeadlessChromium {
    static let executable = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let pid: pid_t
    private let commands: Int32
    private let replies: Int32
    private let profile: URL
    private var buffer: [UInt8] = []
    private var nextID = 0
    private var session = ""
    /// Events received and not yet asked for, in order.
    private(set) var events: [[String: Any]] = []
    private var closed = false

    init(width: Int = 1400, height: Int = 900) throws {
        guard let executable = Self.executable else { throw Failure(description: "chromium is not installed") }
        let name = "stacklab-chromium-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        profile = FileManager.default.temporaryDirectory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        var toBrowser: [Int32] = [0, 0], fromBrowser: [Int32] = [0, 0]
        guard pipe(&toBrowser) == 0, pipe(&fromBrowser) == 0 else { throw Failure(description: "pipe() failed") }
        // Copies above the low numbers, so moving them to 3 and 4 in the child cannot clobber one another.
        let browserIn = fcntl(toBrowser[0], F_DUPFD_CLOEXEC, 64), browserOut = fcntl(fromBrowser[1], F_DUPFD_CLOEXEC, 64)
        for fd in [toBrowser[0], fromBrowser[1]] { Glibc.close(fd) }
        _ = fcntl(toBrowser[1], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fromBrowser[0], F_SETFD, FD_CLOEXEC)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, browserIn, 3)
        posix_spawn_file_actions_adddup2(&actions, browserOut, 4)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let arguments = [executable, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
                         "--remote-debugging-pipe", "--user-data-dir=\(profile.path)",
                         "--window-size=\(width),\(height)", "about:blank"]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, nil, &argv, environ)
        Glibc.close(browserIn)
        Glibc.close(browserOut)
        guard status == 0 else {
            Glibc.close(toBrowser[1])
            Glibc.close(fromBrowser[0])
            throw Failure(description: "posix_spawn \(executable) failed: \(status)")
        }
        pid = child
        commands = toBrowser[1]
        replies = fromBrowser[0]
        // Attach to the page the browser opened; page commands go to that session.
        let targets = try call("Target.getTargets")
        guard let infos = targets["targetInfos"] as? [[String: Any]],
              let page = infos.first(where: { $0["type"] as? String == "page" }),
              let id = page["targetId"] as? String else {
            throw Failure(description: "no page target in \(targets)")
        }
        let attached = try call("Target.attachToTarget", ["targetId": id, "flatten": true])
        session = attached["sessionId"] as? String ?? ""
    }

    deinit {
        close()
    }

    // MARK: Protocol

    /// Sends a command and returns its result, keeping the events that come meanwhile.
    @discardableResult
    func call(_ method: String, _ parameters: [String: Any] = [:], onPage: Bool = false,
              timeout: Double = 30) throws -> [String: Any] {
        nextID += 1
        var message: [String: Any] = ["id": nextID, "method": method, "params": parameters]
        if onPage { message["sessionId"] = session }
        var bytes = [UInt8](try JSONSerialization.data(withJSONObject: message))
        bytes.append(0)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(commands, $0.baseAddress, $0.count) }
            guard n > 0 else { throw Failure(description: "the browser closed its pipe") }
            written += n
        }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let reply = try read(until: deadline)
            if reply["id"] as? Int == nextID {
                if let error = reply["error"] { throw Failure(description: "\(method): \(error)") }
                return reply["result"] as? [String: Any] ?? [:]
            }
            events.append(reply)
        }
    }

    /// A page command (`Page.…`, `Runtime.…`, `Input.…`, `Network.…`).
    @discardableResult
    func page(_ method: String, _ parameters: [String: Any] = [:], timeout: Double = 30) throws -> [String: Any] {
        try call(method, parameters, onPage: true, timeout: timeout)
    }

    /// Waits for the first event named `method` (one already received counts), and removes it.
    @discardableResult
    func waitFor(_ method: String, timeout: Double = 30) throws -> [String: Any] {
        if let index = events.firstIndex(where: { $0["method"] as? String == method }) {
            return events.remove(at: index)
        }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let message = try read(until: deadline)
            if message["method"] as? String == method { return message }
            events.append(message)
        }
    }

    /// The next message, or an error at the deadline.
    private func read(until deadline: Date) throws -> [String: Any] {
        while true {
            if let end = buffer.firstIndex(of: 0) {
                let message = Array(buffer[..<end])
                buffer.removeSubrange(...end)
                guard let object = try JSONSerialization.jsonObject(with: Data(message)) as? [String: Any] else {
                    throw Failure(description: "not a JSON object from the browser")
                }
                return object
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw Failure(description: "the browser did not answer in time") }
            var descriptor = pollfd(fd: replies, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(left, 5) * 1000))
            if ready < 0 && errno != EINTR { throw Failure(description: "poll failed") }
            guard ready > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let n = chunk.withUnsafeMutableBytes { Glibc.read(replies, $0.baseAddress, $0.count) }
            guard n > 0 else { throw Failure(description: "the browser closed its pipe") }
            buffer += chunk[..<n]
        }
    }

    // MARK: Page

    /// Opens `url` with the network domain watched, and waits for the load event.
    func open(_ url: URL) throws {
        try page("Page.enable")
        try page("Network.enable")
        try page("Runtime.enable")
        try page("Page.navigate", ["url": url.absoluteString])
        try waitFor("Page.loadEventFired", timeout: 60)
    }

    /// The value of a JavaScript expression (a promise is awaited).
    @discardableResult
    func evaluate(_ expression: String) throws -> Any? {
        let parameters: [String: Any] = ["expression": expression, "returnByValue": true, "awaitPromise": true]
        let result = try page("Runtime.evaluate", parameters)
        if let exception = result["exceptionDetails"] { throw Failure(description: "\(expression): \(exception)") }
        return (result["result"] as? [String: Any])?["value"]
    }

    func string(_ expression: String) throws -> String {
        try evaluate(expression) as? String ?? ""
    }

    /// The text of the element with this id.
    func text(_ id: String) throws -> String {
        try string("document.getElementById('\(id)').textContent")
    }

    func number(_ expression: String) throws -> Double {
        let value = try evaluate(expression)
        return value as? Double ?? (value as? Int).map(Double.init) ?? .nan
    }

    /// A key pressed and released, as a keyboard sends it (`ArrowRight`, code 39).
    func press(_ key: String, code: String, keyCode: Int) throws {
        for type in ["keyDown", "keyUp"] {
            try page("Input.dispatchKeyEvent", ["type": type, "key": key, "code": code, "windowsVirtualKeyCode": keyCode,
                                                "nativeVirtualKeyCode": keyCode])
        }
    }

    func moveMouse(x: Double, y: Double) throws {
        try page("Input.dispatchMouseEvent", ["type": "mouseMoved", "x": x, "y": y])
    }

    func click(x: Double, y: Double) throws {
        for type in ["mousePressed", "mouseReleased"] {
            try page("Input.dispatchMouseEvent", ["type": type, "x": x, "y": y, "button": "left", "clickCount": 1])
        }
    }

    /// The page as it is on screen, PNG.
    func screenshot() throws -> Data {
        let result = try page("Page.captureScreenshot", ["format": "png"])
        guard let text = result["data"] as? String, let data = Data(base64Encoded: text) else {
            throw Failure(description: "no screenshot")
        }
        return data
    }

    /// The URLs the page asked for, in order (from the network domain's events so far).
    func requestedURLs() -> [String] {
        events.compactMap { event -> String? in
            guard event["method"] as? String == "Network.requestWillBeSent",
                  let parameters = event["params"] as? [String: Any],
                  let request = parameters["request"] as? [String: Any] else {
                return nil
            }
            return request["url"] as? String
        }
    }

    /// JavaScript errors the page threw.
    func exceptions() -> [String] {
        events.filter { $0["method"] as? String == "Runtime.exceptionThrown" }.map { "\($0)" }
    }

    /// Asks the browser to quit, then makes sure it did.
    func close() {
        guard !closed else { return }
        closed = true
        _ = try? call("Browser.close", timeout: 5)
        var status: Int32 = 0
        var waited = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            if waited >= 100 {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                break
            }
            usleep(50_000)
            waited += 1
        }
        Glibc.close(commands)
        Glibc.close(replies)
        try? FileManager.default.removeItem(at: profile)
    }
}
