import Foundation
import Testing
import Tracing
@testable import StackLabCommands

/// `stacklab serve http` on real loopback sockets, with curl as the client: several URLs over one
/// kept-alive connection (curl -v says it re-used the connection), an HTTP/1.0 request answered
/// with a close, SIGTERM closing everything, and the session's trace drawn by `stacklab diagram`.
@Suite("stacklab serve http with curl")
struct ServeCommandTests {
    static let curl: String? = ["/usr/bin/curl", "/usr/local/bin/curl", "/bin/curl"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Collects a pipe's output as it comes, so a test can wait for a line without blocking.
    final class Collector: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()

        func append(_ more: Data) {
            lock.lock()
            data.append(more)
            lock.unlock()
        }

        var text: String {
            lock.lock()
            defer { lock.unlock() }
            return String(decoding: data, as: UTF8.self)
        }

        /// Waits up to `seconds` for `predicate` to hold on the text so far.
        func wait(seconds: Double, until predicate: (String) -> Bool) -> String? {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                let current = text
                if predicate(current) { return current }
                Thread.sleep(forTimeInterval: 0.02)
            }
            return nil
        }
    }

    static func curl(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.curl))
        process.arguments = ["--silent", "--verbose", "--max-time", "10"] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    @Test(.enabled(if: Executable.binary != nil, "the stacklab binary was not found next to the test bundle"),
          .enabled(if: ServeCommandTests.curl != nil, "curl is not installed (.ci/run installs it)"))
    func curlFetchesOverOneConnectionAndHTTP10Closes() throws {
        let tracePath = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(getpid()).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: tracePath) }
        let server = Process()
        server.executableURL = Executable.binary
        server.arguments = ["serve", "http", "--port", "0", "--trace", tracePath]
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        server.environment = environment
        let out = Pipe()
        let err = Pipe()
        let stdout = Collector()
        let stderr = Collector()
        out.fileHandleForReading.readabilityHandler = { handle in stdout.append(handle.availableData) }
        err.fileHandleForReading.readabilityHandler = { handle in stderr.append(handle.availableData) }
        server.standardOutput = out
        server.standardError = err
        try server.run()
        defer { if server.isRunning { server.terminate() } }

        let banner = try #require(stdout.wait(seconds: 20) { $0.contains("serving http://127.0.0.1:") },
                                  "no banner; stderr: \(stderr.text)")
        let portText = banner.components(separatedBy: "serving http://127.0.0.1:")[1].prefix { $0.isNumber }
        let base = "http://127.0.0.1:\(portText)"

        // HTTP/1.1: three URLs, one connection.
        let kept = try Self.curl(["\(base)/", "\(base)/hello.txt", "\(base)/echo"])
        #expect(kept.status == 0, "\(kept.stderr)")
        #expect(kept.stdout.contains("Hello from StackLab") && kept.stdout.contains("Hello, world!\n"))
        #expect(kept.stdout.contains("GET /echo HTTP/1.1\r\n"), "the echo answers with the request")
        let reused = kept.stderr.components(separatedBy: "Re-using existing connection").count - 1
        #expect(reused == 2, "curl -v: \(kept.stderr)")
        #expect(kept.stderr.components(separatedBy: "Connected to").count - 1 == 1)

        // HTTP/1.0: the server says close, and curl closes.
        let short = try Self.curl(["--http1.0", "\(base)/hello.txt"])
        #expect(short.status == 0)
        #expect(short.stderr.contains("< Connection: close"), "\(short.stderr)")
        #expect(short.stderr.contains("Closing connection"), "\(short.stderr)")
        // An unknown page.
        let missing = try Self.curl(["\(base)/nowhere"])
        #expect(missing.stderr.contains("< HTTP/1.1 404 Not Found"))

        let logged = stdout.wait(seconds: 10) { $0.contains("\"GET /nowhere HTTP/1.1\" 404") }
        #expect(logged != nil, "\(stdout.text)")
        server.terminate()   // SIGTERM
        server.waitUntilExit()
        // The last lines may still be in the pipe when the process has exited: the handler
        // delivers them a moment later.
        _ = stdout.wait(seconds: 10) { $0.contains("trace written to") }
        out.fileHandleForReading.readabilityHandler = nil
        err.fileHandleForReading.readabilityHandler = nil
        #expect(server.terminationStatus == 0, "\(stderr.text)")
        let log = stdout.text
        for line in ["\"GET / HTTP/1.1\" 200", "\"GET /hello.txt HTTP/1.1\" 200 14", "\"GET /hello.txt HTTP/1.0\" 200 14",
                     "stopped by signal 15", "trace written to"] {
            #expect(log.contains(line), "\(line) in \(log)")
        }

        // The session's trace: every request as an application event, drawn by `diagram`.
        let data = try #require(FileManager.default.contents(atPath: tracePath))
        let trace = try TraceFile.read(bytes: [UInt8](data), file: tracePath)
        let requests = trace.events.filter { event in
            if case .application(_, .httpRequestReceived) = event.kind { return true }
            return false
        }
        #expect(requests.count == 5)
        let diagram = invoke(["diagram", tracePath])
        #expect(diagram.status == 0)
        let captured = trace.events.contains { if case .packetSent = $0.kind { true } else { false } }
        if captured { #expect(diagram.stdout.contains("SYN")) }
    }

    @Test func badInputExitsTwo() {
        for (arguments, message) in [(["serve"], "missing argument http"), (["serve", "ftp"], "'ftp'"),
                                     (["serve", "http", "--port", "70000"], "--port: 70000 is outside [0, 65535]"),
                                     (["serve", "http", "--trace", "/no/such/dir/t.jsonl"], "/no/such/dir/t.jsonl: cannot write")] {
            let result = invoke(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }
}
