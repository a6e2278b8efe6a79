import Foundation

// The same helper is in Tests/StackLabCommandsTests/LoopbackCapture.swift (test targets share no
// sources); keep the two in step.

/// Captures one small, healthy TCP connection on `lo` with tcpdump, for checking invariants on a
/// real capture. Needs tcpdump, python3 (which makes the traffic) and root with `CAP_NET_RAW`;
/// `isAvailable` says whether this machine has them, so a test can be skipped visibly otherwise.
/// Every wait is bounded (5 s for each child to start, 15 s for the exchange, 3 s to stop), so a
/// test needs no time limit of its own.
enum LoopbackCapture {
    static let tcpdump = executable(named: "tcpdump")
    static let python = executable(named: "python3")

    /// Root (tcpdump keeps no capabilities across `exec` otherwise) with `CAP_NET_RAW` (bit 13 of
    /// `CapEff`, which a container may withhold even from root).
    static let mayCapture: Bool = {
        guard geteuid() == 0,
              let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("CapEff:") }),
              let mask = UInt64(line.dropFirst("CapEff:".count).trimmingCharacters(in: .whitespaces), radix: 16)
        else { return false }
        return mask & (1 << 13) != 0
    }()

    static var isAvailable: Bool { tcpdump != nil && python != nil && mayCapture }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts the program `argv[1]` with arguments `argv[2...]` through python3, with no signal
    /// blocked and an alarm 60 s away. A process that Foundation spawns inherits the signal mask
    /// of the spawning thread, where SIGTERM is blocked, so tcpdump would ignore `terminate()`;
    /// and the alarm, which `exec` keeps, ends the child even if this test process dies first.
    static let launcher = "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); "
        + "signal.alarm(60); os.execv(sys.argv[1], sys.argv[1:])"

    /// A listener on 127.0.0.1 prints its port and waits for a line on standard input (tcpdump is
    /// listening by then); a client connects and sends 1024 bytes, the server echoes them, the
    /// client half-closes, the server reads the end and closes, the client reads the end and
    /// closes. Every socket operation has a 5 s timeout. Exit status 0 when the echo was whole.
    static let exchange = """
        import socket, sys
        listener = socket.socket()
        listener.settimeout(5)
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        print(port, flush=True)
        sys.stdin.readline()
        client = socket.create_connection(("127.0.0.1", port), timeout=5)
        server, _ = listener.accept()
        server.settimeout(5)
        message = bytes(range(256)) * 4
        client.sendall(message)
        received = b""
        while len(received) < len(message):
            chunk = server.recv(65536)
            if not chunk:
                break
            received += chunk
        server.sendall(received)
        echoed = b""
        while len(echoed) < len(message):
            chunk = client.recv(65536)
            if not chunk:
                break
            echoed += chunk
        client.shutdown(socket.SHUT_WR)
        server_saw_end = server.recv(1) == b""
        server.close()
        client_saw_end = client.recv(1) == b""
        client.close()
        listener.close()
        sys.exit(0 if echoed == message and server_saw_end and client_saw_end else 1)
        """

    /// The bytes of a pcap file holding the exchange above, captured on `lo` and filtered to its port.
    static func captureExchange() throws -> [UInt8] {
        guard let tcpdumpPath = tcpdump, let pythonPath = python else {
            throw Failure(description: "no tcpdump or python3")
        }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("stacklab-capture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pcap = directory.appendingPathComponent("lo.pcap")
        let tcpdumpLog = directory.appendingPathComponent("tcpdump.log")
        let pythonLog = directory.appendingPathComponent("python.log")
        let portFile = directory.appendingPathComponent("port")
        for file in [tcpdumpLog, pythonLog, portFile] {
            _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        }
        func text(_ url: URL) -> String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }

        let traffic = Process()
        traffic.executableURL = URL(fileURLWithPath: pythonPath)
        traffic.arguments = ["-c", launcher, pythonPath, "-c", exchange]
        let go = Pipe()
        traffic.standardInput = go
        traffic.standardOutput = try FileHandle(forWritingTo: portFile)
        traffic.standardError = try FileHandle(forWritingTo: pythonLog)
        try traffic.run()
        defer { stop(traffic) }
        guard waitUntil(seconds: 5, { text(portFile).hasSuffix("\n") || !traffic.isRunning }),
              let port = Int(text(portFile).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw Failure(description: "python3 printed no port: \(text(pythonLog))")
        }

        let capture = Process()
        capture.executableURL = URL(fileURLWithPath: pythonPath)
        capture.arguments = ["-c", launcher, tcpdumpPath, "-i", "lo", "-n", "-p", "-U", "--immediate-mode",
                             "-w", pcap.path] + (geteuid() == 0 ? ["-Z", "root"] : []) + ["tcp port \(port)"]
        capture.standardOutput = FileHandle.nullDevice
        capture.standardError = try FileHandle(forWritingTo: tcpdumpLog)
        try capture.run()
        defer { stop(capture) }
        guard waitUntil(seconds: 5, { text(tcpdumpLog).contains("listening on") }) else {
            throw Failure(description: "tcpdump did not start: \(text(tcpdumpLog))")
        }

        go.fileHandleForWriting.write(Data("go\n".utf8))
        guard waitUntil(seconds: 15, { !traffic.isRunning }) else {
            throw Failure(description: "the exchange did not finish in 15 s: \(text(pythonLog))")
        }
        guard traffic.terminationStatus == 0 else {
            throw Failure(description: "the exchange failed (status \(traffic.terminationStatus)): \(text(pythonLog))")
        }
        Thread.sleep(forTimeInterval: 0.3)   // the last ACK on its way through the capture
        stop(capture)   // SIGTERM: tcpdump writes out what it has and exits
        return [UInt8](try Data(contentsOf: pcap))
    }

    /// Polls `condition` every 20 ms for at most `seconds`; whether it came true.
    static func waitUntil(seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return condition()
    }

    /// Terminates `process` if it still runs (SIGTERM, then SIGKILL after 3 s) and waits for it.
    static func stop(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        if !waitUntil(seconds: 3, { !process.isRunning }) { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    static func executable(named name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]
        return directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
