import Sockets
import Tracing

/// The applications a scenario started, by host, in the order they started; what the scenario
/// runner keeps for its `serve`, `http`, `long-socket` and `message` steps.
final class ScenarioApplications {
    private let trace: ApplicationTrace
    private let seed: UInt64
    private var httpServers: [HTTPServerApplication] = []
    private var httpClients: [HTTPClientApplication] = []
    private var longSocketServers: [LongSocketServerApplication] = []
    private var longSocketClients: [(host: String, application: LongSocketClientApplication)] = []

    init(observer: any TraceObserver, seed: UInt64) {
        trace = ApplicationTrace(observer: observer)
        self.seed = seed
    }

    /// Starts the application `operation` names on `host`, or acts on one; returns why it could
    /// not, if it could not. `stepIndex` labels the application's random stream.
    func perform(_ operation: ApplicationOperation, on host: any SocketHost, stepIndex: Int) -> String? {
        do {
            switch operation {
            case .httpServer(let port, let idle):
                let server = HTTPServerApplication(host: host, port: port, idleTimeout: idle, trace: trace)
                try server.start()
                httpServers.append(server)
            case .longSocketServer(let port, let heartbeat):
                let server = LongSocketServerApplication(host: host, port: port, heartbeat: heartbeat, trace: trace)
                try server.start()
                longSocketServers.append(server)
            case .httpClient(let settings):
                let client = HTTPClientApplication(host: host, settings: settings, trace: trace)
                httpClients.append(client)
                try client.start()
            case .longSocketClient(let settings):
                let random = ApplicationRandom(seed: seed, label: "\(host.name) step \(stepIndex + 1)")
                let client = LongSocketClientApplication(host: host, settings: settings, random: random, trace: trace)
                longSocketClients.append((host.name, client))
                try client.start()
            case .message(let bytes):
                guard let client = longSocketClients.last(where: { $0.host == host.name })?.application else {
                    return "\(host.name) runs no long-socket client"
                }
                client.sendMessage(bytes: bytes)
            }
        } catch {
            return "\(operation): \(error)"
        }
        return nil
    }

    /// The long connections still open, by name: the clients', then the servers'.
    var openLongConnections: [String] {
        longSocketClients.compactMap(\.application.openConnection) + longSocketServers.flatMap(\.openConnections)
    }

    /// Stops every application: listeners closed, connections aborted, no reconnection.
    func stopAll() {
        for server in httpServers { server.stop() }
        for client in httpClients { client.stop() }
        for server in longSocketServers { server.stop() }
        for (_, client) in longSocketClients { client.stop() }
    }
}
