import Apps
import Loopback
import Runs
import Tracing

/// `stacklab serve http`: `HTTPServerApplication` on a one-host `LoopbackNetwork` (127.0.0.1),
/// run until SIGINT or SIGTERM, then every descriptor closed and the session written as a trace.
enum ServeHandler {
    /// The host's name in logs and traces: its address, since clients share it.
    static let hostName = "127.0.0.1"
    /// The network's loop never goes idle by itself: a server waits for clients (about a year).
    static let forever: Int64 = 365 * 86_400 * 1_000_000_000

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        let port = UInt16(arguments.int("port") ?? 8080)
        let tracePath = arguments.string("trace")
        if let tracePath {
            // Fail before serving, not after the session, if the file cannot be written.
            try ScenarioFiles.write([], to: tracePath)
        }
        let options = LoopbackOptions(captureMode: tracePath == nil ? .disabled : .enabled, quietPeriod: forever,
                                      signalHandling: .stopAndReport)
        let network: LoopbackNetwork
        do {
            network = try LoopbackNetwork(hostNames: [hostName], options: options)
        } catch {
            throw CommandFailure("cannot open the loopback network: \(error)")
        }
        defer { network.shutdown() }
        let recorder = TraceRecorder()
        let server = HTTPServerApplication(host: network.hosts[0], port: port, trace: ApplicationTrace(observer: recorder))
        server.onLog = { entry in
            context.stdout.print(TraceTextFormatter.seconds(entry.time, decimals: 3) + " " + entry.description)
        }
        do {
            try server.start()
        } catch {
            throw CommandFailure("cannot listen on \(hostName):\(port): \(error)")
        }
        let real = server.localAddress?.port ?? port
        if port != 0 && real != port {
            context.stderr.print("port \(port) is in use; serving on port \(real) instead")
        }
        context.stdout.print("serving http://\(hostName):\(real)/ (Ctrl-C stops)")
        if tracePath != nil, case .unavailable(let reason) = network.captureStatus {
            context.stderr.print("not capturing on lo (\(reason)): the trace will hold the socket calls only")
        }
        let result = network.run(until: forever)
        server.stop()
        network.shutdown()
        switch result.outcome {
        case .interrupted(let signal):
            context.stdout.print("stopped by signal \(signal); every socket closed")
        case .failed(let error):
            throw CommandFailure("the loopback event loop failed: \(error)")
        case .idle, .deadlineReached, .shutDown:
            context.stdout.print("stopped")
        }
        if let tracePath {
            let trace = LoopbackSessionTrace.trace(name: "serve-http", recorded: recorder.events, result: network.result)
            try ScenarioFiles.write(TraceFile.bytes(of: trace), to: tracePath)
            context.stdout.print("trace written to \(tracePath): \(trace.events.count) events")
        }
        return ExitStatus.success
    }
}
