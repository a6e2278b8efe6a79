import Apps
import Loopback
import Runs
import Tracing

/// `stacklab serve http|chat|websocket`: `HTTPServerApplication` or `ChatServerApplication` on a
/// one-host `LoopbackNetwork` (127.0.0.1), run until SIGINT or SIGTERM, then every descriptor
/// closed and the session written as a trace.
enum ServeHandler {
    /// The host's name in logs and traces: its address, since clients share it.
    static let hostName = "127.0.0.1"
    /// The network's loop never goes idle by itself: a server waits for clients (about a year).
    static let forever: Int64 = 365 * 86_400 * 1_000_000_000

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> Int32 {
        let service = arguments.string("service") ?? "http"
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
        let trace = ApplicationTrace(observer: recorder)
        let host = network.hosts[0]
        let server: Server
        switch service {
        case "chat", "websocket":
            let mode: ChatServerApplication.Mode = service == "chat" ? .chat(ChatServerSettings(port: port)) : .echo(port: port)
            let chat = ChatServerApplication(host: host, mode: mode, trace: trace)
            chat.onLog = { line in
                context.stdout.print(TraceTextFormatter.seconds(host.now, decimals: 3) + " " + line)
            }
            server = .chat(chat)
        default:
            let http = HTTPServerApplication(host: host, port: port, trace: trace)
            http.onLog = { entry in
                context.stdout.print(TraceTextFormatter.seconds(entry.time, decimals: 3) + " " + entry.description)
            }
            server = .http(http)
        }
        do {
            try server.start()
        } catch {
            throw CommandFailure("cannot listen on \(hostName):\(port): \(error)")
        }
        let real = server.localPort ?? port
        if port != 0 && real != port {
            context.stderr.print("port \(port) is in use; serving on port \(real) instead")
        }
        switch service {
        case "chat":
            context.stdout.print("serving the chat at http://\(hostName):\(real)/ (WebSocket at ws://\(hostName):\(real)/chat; "
                                 + "Ctrl-C stops)")
        case "websocket":
            context.stdout.print("serving a WebSocket echo at ws://\(hostName):\(real)/ (Ctrl-C stops)")
        default:
            context.stdout.print("serving http://\(hostName):\(real)/ (Ctrl-C stops)")
        }
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
            let trace = LoopbackSessionTrace.trace(name: "serve-\(service)", recorded: recorder.events, result: network.result)
            try ScenarioFiles.write(TraceFile.bytes(of: trace), to: tracePath)
            context.stdout.print("trace written to \(tracePath): \(trace.events.count) events")
        }
        return ExitStatus.success
    }

    /// The application being served.
    enum Server {
        case http(HTTPServerApplication)
        case chat(ChatServerApplication)

        func start() throws {
            switch self {
            case .http(let server): try server.start()
            case .chat(let server): try server.start()
            }
        }

        func stop() {
            switch self {
            case .http(let server): server.stop()
            case .chat(let server): server.stop()
            }
        }

        /// The port listened on (the real one, which may differ from the one asked for).
        var localPort: UInt16? {
            switch self {
            case .http(let server): server.localAddress?.port
            case .chat(let server): server.localAddress?.port
            }
        }
    }
}
