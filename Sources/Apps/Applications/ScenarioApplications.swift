import Sockets
import Tracing

/// The applications a scenario started, by host, in the order they started; what the scenario
/// runner keeps for its `serve`, `http`, `long-socket`, `message`, `poll`, `long-poll`,
/// `websocket` and `mqtt` steps.
final class ScenarioApplications {
    private let trace: ApplicationTrace
    private let seed: UInt64
    private var httpServers: [HTTPServerApplication] = []
    private var httpClients: [HTTPClientApplication] = []
    private var longSocketServers: [LongSocketServerApplication] = []
    private var longSocketClients: [(host: String, application: LongSocketClientApplication)] = []
    private var chatServers: [ChatServerApplication] = []
    private var pollClients: [PollClientApplication] = []
    private var webSocketClients: [WebSocketClientApplication] = []
    private var mqttBrokers: [MQTTBrokerApplication] = []
    private var mqttClients: [(host: String, application: MQTTClientApplication)] = []

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
            case .chatServer(let settings):
                let server = ChatServerApplication(host: host, mode: .chat(settings), trace: trace, seed: seed)
                try server.start()
                chatServers.append(server)
            case .webSocketEchoServer(let port):
                let server = ChatServerApplication(host: host, mode: .echo(port: port), trace: trace, seed: seed)
                try server.start()
                chatServers.append(server)
            case .pollClient(let settings):
                let client = PollClientApplication(host: host, settings: settings, trace: trace)
                pollClients.append(client)
                try client.start()
            case .webSocketClient(let settings):
                let random = ApplicationRandom(seed: seed, label: "\(host.name) step \(stepIndex + 1)")
                let client = WebSocketClientApplication(host: host, settings: settings, random: random, trace: trace)
                webSocketClients.append(client)
                try client.start()
            case .mqttBroker(let port):
                let broker = MQTTBrokerApplication(host: host, port: port, trace: trace)
                try broker.start()
                mqttBrokers.append(broker)
            case .mqttClient(let settings):
                let random = ApplicationRandom(seed: seed, label: "\(host.name) step \(stepIndex + 1)")
                let client = MQTTClientApplication(host: host, settings: settings, random: random, trace: trace)
                mqttClients.append((host.name, client))
                try client.start()
            case .mqttDisconnect:
                guard let client = mqttClients.last(where: { $0.host == host.name })?.application else {
                    return "\(host.name) runs no MQTT client"
                }
                client.disconnect()
            }
        } catch {
            return "\(operation): \(error)"
        }
        return nil
    }

    /// The long connections still open, by name: the clients', then the servers'.
    var openLongConnections: [String] {
        longSocketClients.compactMap(\.application.openConnection) + longSocketServers.flatMap(\.openConnections)
            + webSocketClients.compactMap(\.openConnection) + pollClients.compactMap(\.openConnection)
            + mqttClients.compactMap(\.application.openConnection) + chatServers.flatMap(\.openConnections)
            + mqttBrokers.flatMap(\.openConnections)
    }

    /// Stops every application: listeners closed, connections aborted, no reconnection.
    func stopAll() {
        for server in httpServers { server.stop() }
        for client in httpClients { client.stop() }
        for server in longSocketServers { server.stop() }
        for (_, client) in longSocketClients { client.stop() }
        for server in chatServers { server.stop() }
        for client in pollClients { client.stop() }
        for client in webSocketClients { client.stop() }
        for broker in mqttBrokers { broker.stop() }
        for (_, client) in mqttClients { client.stop() }
    }
}
