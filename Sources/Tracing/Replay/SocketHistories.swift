/// Every socket of a trace by the names a replay gives them.
struct SocketHistories {
    /// TCP ends, in order of first appearance.
    private(set) var streams: [StreamHistory] = []
    /// Listeners and UDP sockets, in order of first appearance.
    private(set) var others: [SocketSummary] = []

    init(_ trace: Trace, namer: ConnectionNamer, ports: ReplayPortMap, until endTime: Int64?) {
        var streamIndex: [String: Int] = [:]
        var otherIndex: [String: Int] = [:]
        var ephemeralUDP: [String: Int] = [:]
        var udpNames: [String: String] = [:]

        func stream(_ name: String) -> Int? {
            if let index = streamIndex[name] { return index }
            guard let tuple = ConnectionNamer.parse(connection: name), let named = namer.name(of: tuple),
                  let local = ConnectionNamer.parse(end: name.split(separator: ">", maxSplits: 1)[0]) else { return nil }
            let end = local == named.firstEnd ? named.key.first : named.key.second
            streams.append(StreamHistory(connection: named.key, end: end, name: name))
            streamIndex[name] = streams.count - 1
            return streams.count - 1
        }
        func other(_ name: String) -> Int {
            if let index = otherIndex[name] { return index }
            others.append(SocketSummary(name: name))
            otherIndex[name] = others.count - 1
            return others.count - 1
        }
        func listenerName(_ socket: String) -> String {
            guard let end = ConnectionNamer.parse(end: socket[...]) else { return socket }
            let port = ports.scenarioPort(host: end.host, transport: .tcp, actualPort: end.port) ?? end.port
            return "\(end.host):\(port)"
        }
        func udpName(_ socket: String) -> String {
            if let name = udpNames[socket] { return name }
            guard let end = ConnectionNamer.parse(end: socket[...]) else { return "udp " + socket }
            let name: String
            if let port = ports.scenarioPort(host: end.host, transport: .udp, actualPort: end.port) {
                name = "udp \(end.host):\(port)"
            } else {
                let ordinal = (ephemeralUDP[end.host] ?? 0) + 1
                ephemeralUDP[end.host] = ordinal
                name = "udp \(end.host)" + (ordinal > 1 ? " #\(ordinal)" : "")
            }
            udpNames[socket] = name
            return name
        }

        for (index, event) in trace.events.enumerated() {
            if let endTime, event.time > endTime { break }
            switch event.kind {
            case .socketCall(let socket, let call):
                switch call {
                case .connect:
                    break   // made before the connection has its name
                case .listen, .accept:
                    others[other(listenerName(socket))].steps.append(.call(call.name))
                case .bindUDP:
                    others[other(udpName(socket))].steps.append(.call(call.name))
                case .sendTo(_, let bytes):
                    others[other(udpName(socket))].datagramsSent.append(bytes)
                case .send(let bytes):
                    if let i = stream(socket) { streams[i].bytesSent += bytes }
                case .setKeepalive, .sendForever:
                    guard let i = stream(socket) else { break }
                    streams[i].steps.append(.call(call.name))
                case .shutdownWrite, .close, .abort, .pauseReading, .resumeReading:
                    guard let i = stream(socket) else { break }
                    streams[i].steps.append(.call(call.name))
                    if call == .abort { streams[i].aborted = true }
                    if (call == .close || call == .shutdownWrite), streams[i].firstCloseEvent == nil {
                        streams[i].firstCloseEvent = index
                    }
                }
            case .socketEvent(let socket, let notification):
                if !socket.contains(">") {
                    let i = other(udpName(socket))
                    switch notification {
                    case .datagram(let bytes, _, _): others[i].datagramsReceived.append(bytes)
                    case .error: others[i].errors += 1
                    case .open, .message, .end, .close: break
                    }
                    continue
                }
                guard let i = stream(socket) else { continue }
                switch notification {
                case .open: streams[i].steps.append(.opened)
                case .message(let bytes, let intact):
                    streams[i].bytesReceived += bytes
                    streams[i].intact = streams[i].intact && intact
                case .datagram: break
                case .end: streams[i].steps.append(.ended)
                case .error(let error): streams[i].steps.append(.error(error))
                case .close: streams[i].steps.append(.closed)
                }
            case .stateChanged(let connection, let from, let to, let cause):
                guard connection.contains(">"), let i = stream(connection) else { continue }
                if to == .timeWait { streams[i].heldTimeWait = true }
                let expired = from == .timeWait && to == .closed && cause == .timeWaitTimeout
                if !expired { streams[i].settledState = to }
            case .packetSent, .packetReceived, .packetDropped, .packetDuplicated, .timer, .congestion, .variables,
                 .application, .note:
                break
            }
        }
    }

    func streams(of key: ReplayConnectionKey) -> [StreamHistory] {
        streams.filter { $0.connection == key }
    }
}
