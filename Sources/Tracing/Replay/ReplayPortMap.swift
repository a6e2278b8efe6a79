/// How a trace's ports relate to the scenario's: which ports of a host are the scenario's own
/// (a listener's, a bound UDP socket's, a `connect … from PORT`), under which real port each one
/// ran, and so which ports are ephemeral. A replay compares connections by these names, since the
/// kernel may have had to move a scenario port (it was taken) and picks its own ephemeral ports.
public struct ReplayPortMap: Hashable, Sendable {
    /// One scenario port and the port it ran under.
    public struct Entry: Hashable, Sendable {
        public var host: String
        public var transport: TransportProtocol
        public var scenarioPort: UInt16
        public var actualPort: UInt16

        public init(host: String, transport: TransportProtocol, scenarioPort: UInt16, actualPort: UInt16) {
            self.host = host
            self.transport = transport
            self.scenarioPort = scenarioPort
            self.actualPort = actualPort
        }
    }

    public var entries: [Entry]

    public init(_ entries: [Entry]) {
        self.entries = entries
    }

    /// The scenario port behind `actualPort` on `host`, or nil for an ephemeral port.
    public func scenarioPort(host: String, transport: TransportProtocol, actualPort: UInt16) -> UInt16? {
        entries.last { $0.host == host && $0.transport == transport && $0.actualPort == actualPort }?.scenarioPort
    }

    /// These entries, and for every scenario port of `other` that has none here, `other`'s: a
    /// runtime reports the ports it bound, and a port it never bound (a `connect` to a port nobody
    /// listens on) ran under itself.
    public func adding(missingFrom other: ReplayPortMap) -> ReplayPortMap {
        var result = self
        for entry in other.entries where !entries.contains(where: {
            $0.host == entry.host && $0.transport == entry.transport && $0.scenarioPort == entry.scenarioPort
        }) {
            result.entries.append(entry)
        }
        return result
    }

    /// The scenario's own ports (bound, or the targets of connects and datagrams), each running under
    /// itself: what the simulated runtime does.
    public static func scenarioPorts(of scenario: Scenario) -> ReplayPortMap {
        var entries: [Entry] = []
        func add(_ host: String, _ transport: TransportProtocol, _ port: UInt16) {
            guard port != 0, !entries.contains(where: { $0.host == host && $0.transport == transport && $0.scenarioPort == port })
            else { return }
            entries.append(Entry(host: host, transport: transport, scenarioPort: port, actualPort: port))
        }
        for step in scenario.steps {
            switch step.operation {
            case .listen(let port, _, _): add(step.host, .tcp, port)
            case .connect(let target, let port, let localPort):
                add(step.host, .tcp, localPort)
                add(target, .tcp, port)
            case .bindUDP(let port, _): add(step.host, .udp, port)
            case .sendDatagrams(let target, let port, _, _, _): add(target, .udp, port)
            case .application(.httpServer(let port, _)), .application(.longSocketServer(let port, _)):
                add(step.host, .tcp, port)
            case .application(.httpClient(let settings)): add(settings.host, .tcp, settings.port)
            case .application(.longSocketClient(let settings)): add(settings.host, .tcp, settings.port)
            case .application(.chatServer(let settings)): add(step.host, .tcp, settings.port)
            case .application(.webSocketEchoServer(let port)), .application(.mqttBroker(let port)):
                add(step.host, .tcp, port)
            case .application(.pollClient(let settings)): add(settings.host, .tcp, settings.port)
            case .application(.webSocketClient(let settings)): add(settings.host, .tcp, settings.port)
            case .application(.mqttClient(let settings)): add(settings.host, .tcp, settings.port)
            case .send, .sendForever, .shutdownWrite, .close, .abort, .pauseReading, .link, .keepalive, .application(.message),
                 .application(.mqttDisconnect):
                break
            }
        }
        return ReplayPortMap(entries)
    }
}
