import Foundation
import Testing

/// `stacklab serve SERVICE --port 0` as a real process for the tests that talk to it from outside:
/// started, waited for until its banner names the port, and stopped with SIGTERM (or killed, if it
/// does not stop within ten seconds). Its output is collected as it comes.
final class ServeProcess {
    let process = Process()
    let stdout = ServeCommandTests.Collector()
    let stderr = ServeCommandTests.Collector()
    private(set) var port = 0
    private let out = Pipe()
    private let err = Pipe()

    init(_ service: String, trace: String? = nil) throws {
        process.executableURL = Executable.binary
        process.arguments = ["serve", service, "--port", "0"] + (trace.map { ["--trace", $0] } ?? [])
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let stdout = self.stdout, stderr = self.stderr
        out.fileHandleForReading.readabilityHandler = { handle in stdout.append(handle.availableData) }
        err.fileHandleForReading.readabilityHandler = { handle in stderr.append(handle.availableData) }
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let banner = try #require(stdout.wait(seconds: 20) { $0.contains("127.0.0.1:") },
                                  "no banner; stderr: \(stderr.text)")
        let digits = banner.components(separatedBy: "127.0.0.1:")[1].prefix { $0.isNumber }
        port = try #require(Int(digits))
    }

    /// SIGTERM, then the exit status (SIGKILL after ten seconds: -1).
    @discardableResult
    func stop() -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        process.terminate()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return -1
        }
        out.fileHandleForReading.readabilityHandler = nil
        err.fileHandleForReading.readabilityHandler = nil
        return process.terminationStatus
    }

    deinit {
        stop()
    }
}

/// A Python 3 with the `websockets` package (`.ci/run` installs it with pip), if there is one.
enum PythonWebSockets {
    static let python: String? = ["/usr/bin/env python3", "/usr/bin/python3", "/usr/local/bin/python3"].first { command in
        let arguments = command.split(separator: " ").map(String.init) + ["-c", "import websockets.sync.client"]
        return (try? HTMLValidator.run(arguments, input: nil).status) == 0
    }

    /// Starts `script` with `arguments`; its output is collected as it comes.
    static func start(_ script: String, _ arguments: [String]) throws -> (Process, ServeCommandTests.Collector) {
        let command = try #require(python).split(separator: " ").map(String.init)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst()) + ["-c", script] + arguments
        let output = Pipe()
        let collector = ServeCommandTests.Collector()
        output.fileHandleForReading.readabilityHandler = { handle in collector.append(handle.availableData) }
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, collector)
    }

    /// Runs `script` to the end (killed after `seconds`); its status and output.
    static func run(_ script: String, _ arguments: [String], seconds: Double = 60) throws -> (Int32, String) {
        let (process, output) = try start(script, arguments)
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            return (-1, output.text + "\n(killed after \(seconds) s)")
        }
        Thread.sleep(forTimeInterval: 0.05)  // the last output
        return (process.terminationStatus, output.text)
    }
}
