import Sockets
import Tracing

/// Plays a scenario's steps against a set of hosts through the socket API alone, so the same
/// scenario runs on the simulated stack and on real loopback sockets.
///
/// The runner schedules the timed steps, reacts to socket events with the event-triggered steps,
/// records every socket call and event in the trace, and checks every byte it receives against
/// `PayloadPattern`. The caller owns the event loop: call `start()`, then run the runtime.
///
/// Hot stored properties are `@exclusivity(unchecked)`: each access is short and never overlaps
/// another, and the dynamic exclusivity check (a runtime call that walks the accesses in flight)
/// cost more than the work on the simulation's per-segment path.
public final class ScenarioRunner {
    public let scenario: Scenario
    private let hostsByName: [String: any SocketHost]
    private let observer: any TraceObserver
    /// Unplugs (`false`) or replugs (`true`) the cable; set by runtimes that can.
    public var setLinkUp: ((Bool) -> Void)?

    @exclusivity(unchecked) private var streams: [StreamRecord] = []
    @exclusivity(unchecked) private var datagramSockets: [DatagramRecord] = []
    private var listeners: [any StreamListener] = []
    /// The index in `streams` of each host's most recent connection.
    @exclusivity(unchecked) private var currentStream: [String: Int] = [:]
    @exclusivity(unchecked) private var stepFailures: [String] = []
    /// Event-triggered steps by host and event, in scenario order.
    private var triggeredSteps: [TriggerKey: [Int]] = [:]

    private struct TriggerKey: Hashable {
        var host: String
        var event: ScenarioEvent
    }

    public init(scenario: Scenario, hosts: [any SocketHost], observer: any TraceObserver) {
        self.scenario = scenario
        var byName: [String: any SocketHost] = [:]
        for host in hosts { byName[host.name] = host }
        hostsByName = byName
        self.observer = observer
        for (index, step) in scenario.steps.enumerated() {
            if case .on(let event, _) = step.trigger {
                triggeredSteps[TriggerKey(host: step.host, event: event), default: []].append(index)
            }
        }
    }

    /// Schedules every timed step. Event-triggered steps run as their events arrive.
    public func start() {
        for (index, step) in scenario.steps.enumerated() {
            guard case .at(let time) = step.trigger else { continue }
            guard let host = hostsByName[step.host] else {
                stepFailures.append("step \(index + 1): unknown host '\(step.host)'")
                continue
            }
            let delay = Duration.nanoseconds(time) - host.now
            host.after(delay) { [weak self] in self?.perform(step, stepIndex: index) }
        }
    }

    /// What happened, for summaries and checks.
    public var report: ScenarioReport {
        ScenarioReport(
            streams: streams.map(\.report),
            datagramSockets: datagramSockets.map(\.report),
            failures: stepFailures
        )
    }

    // MARK: - Steps

    /// Runs one step. `stream` is the connection whose event triggered it, if any: operations on
    /// "the connection" act on that one, else on the host's most recent connection.
    private func perform(_ step: ScenarioStep, stepIndex: Int, stream: Int? = nil) {
        guard let host = hostsByName[step.host] else {
            stepFailures.append("step \(stepIndex + 1): unknown host '\(step.host)'")
            return
        }
        switch step.operation {
        case .listen(let port, let backlog, let echo):
            record(host, .socketCall(socket: "\(host.name):\(port)", call: "listen", argument: "backlog \(backlog)"))
            do {
                let listener = try host.listen(port: port, backlog: backlog)
                listener.onAccept = { [weak self] socket in self?.accepted(socket, on: host, echo: echo) }
                listeners.append(listener)
            } catch {
                stepFailures.append("step \(stepIndex + 1): listen on \(host.name):\(port): \(error)")
            }
        case .connect(let target, let port, let localPort):
            let address = SocketAddress(host: target, port: port)
            let local = localPort == 0 ? host.name : "\(host.name):\(localPort)"
            record(host, .socketCall(socket: local, call: "connect", argument: address.description))
            do {
                let socket = try host.connect(to: address, from: localPort)
                adopt(socket, on: host, echo: false)
            } catch {
                stepFailures.append("step \(stepIndex + 1): connect to \(address): \(error)")
            }
        case .send(let count):
            withStream(stream, of: host, stepIndex: stepIndex) { index in
                let bytes = PayloadPattern.bytes(from: streams[index].bytesSent, count: count)
                streams[index].bytesSent += count
                record(host, .socketCall(socket: streams[index].name, call: "send", argument: "\(count) bytes"))
                streams[index].socket.send(bytes)
            }
        case .shutdownWrite:
            withStream(stream, of: host, stepIndex: stepIndex) { index in
                record(host, .socketCall(socket: streams[index].name, call: "shutdown", argument: "write"))
                streams[index].socket.shutdownWrite()
            }
        case .close:
            withStream(stream, of: host, stepIndex: stepIndex) { index in
                record(host, .socketCall(socket: streams[index].name, call: "close", argument: ""))
                streams[index].socket.close()
            }
        case .abort:
            withStream(stream, of: host, stepIndex: stepIndex) { index in
                record(host, .socketCall(socket: streams[index].name, call: "abort", argument: ""))
                streams[index].socket.abort()
            }
        case .pauseReading(let paused):
            withStream(stream, of: host, stepIndex: stepIndex) { index in
                record(host, .socketCall(socket: streams[index].name, call: paused ? "pause-reading" : "resume-reading", argument: ""))
                streams[index].socket.isReadingPaused = paused
            }
        case .bindUDP(let port, let echo):
            do {
                let socket = try host.bindDatagram(port: port)
                record(host, .socketCall(socket: socket.localAddress.description, call: "bind", argument: "udp"))
                adoptDatagram(socket, on: host, echo: echo)
            } catch {
                stepFailures.append("step \(stepIndex + 1): bind udp \(host.name):\(port): \(error)")
            }
        case .sendDatagrams(let target, let port, let count, let size, let interval):
            sendDatagrams(from: host, to: SocketAddress(host: target, port: port), count: count, size: size,
                          interval: interval, stepIndex: stepIndex)
        case .link(let up):
            record(host, .note(up ? "link up" : "link down"))
            setLinkUp?(up)
        }
    }

    private func withStream(_ stream: Int?, of host: any SocketHost, stepIndex: Int, _ body: (Int) -> Void) {
        guard let index = stream ?? currentStream[host.name] else {
            stepFailures.append("step \(stepIndex + 1): \(host.name) has no connection")
            return
        }
        body(index)
    }

    private func sendDatagrams(
        from host: any SocketHost, to address: SocketAddress, count: Int, size: Int, interval: Int64, stepIndex: Int
    ) {
        let socketIndex: Int
        if let existing = datagramSockets.lastIndex(where: { $0.hostName == host.name }) {
            socketIndex = existing
        } else {
            do {
                let socket = try host.bindDatagram(port: 0)
                record(host, .socketCall(socket: socket.localAddress.description, call: "bind", argument: "udp"))
                adoptDatagram(socket, on: host, echo: false)
                socketIndex = datagramSockets.count - 1
            } catch {
                stepFailures.append("step \(stepIndex + 1): bind udp on \(host.name): \(error)")
                return
            }
        }
        for number in 0..<count {
            host.after(.nanoseconds(interval * Int64(number))) { [weak self] in
                guard let self else { return }
                let sequence = UInt32(truncatingIfNeeded: self.datagramSockets[socketIndex].sent)
                self.datagramSockets[socketIndex].sent += 1
                let bytes = PayloadPattern.datagram(sequence: sequence, size: size)
                self.record(host, .socketCall(socket: self.datagramSockets[socketIndex].name, call: "sendto",
                                              argument: "\(address) \(size) bytes"))
                self.datagramSockets[socketIndex].socket.send(bytes, to: address)
            }
        }
    }

    // MARK: - Sockets

    private func accepted(_ socket: any StreamSocket, on host: any SocketHost, echo: Bool) {
        record(host, .socketCall(socket: socket.localAddress.description, call: "accept", argument: socket.remoteAddress.description))
        adopt(socket, on: host, echo: echo)
        let index = streams.count - 1
        streams[index].opened = true
        runTriggered(.accepted, on: host, stream: index)
    }

    private func adopt(_ socket: any StreamSocket, on host: any SocketHost, echo: Bool) {
        let index = streams.count
        streams.append(StreamRecord(hostName: host.name, socket: socket, echo: echo))
        currentStream[host.name] = index
        socket.onEvent = { [weak self] event in self?.handle(event, streamIndex: index, host: host) }
    }

    private func handle(_ event: SocketEvent, streamIndex index: Int, host: any SocketHost) {
        let name = streams[index].name
        switch event {
        case .opened:
            streams[index].opened = true
            record(host, .socketEvent(socket: name, event: "open", detail: streams[index].socket.remoteAddress.description))
            runTriggered(.connected, on: host, stream: index)
        case .data(let bytes):
            if !PayloadPattern.matches(bytes, at: streams[index].bytesReceived) { streams[index].intact = false }
            streams[index].bytesReceived += bytes.count
            record(host, .socketEvent(socket: name, event: "message", detail: "\(bytes.count) bytes"))
            if streams[index].echo {
                streams[index].bytesSent += bytes.count
                streams[index].socket.send(bytes)
            }
        case .peerFinished:
            streams[index].peerFinished = true
            record(host, .socketEvent(socket: name, event: "end", detail: "peer finished sending"))
            if streams[index].echo {
                record(host, .socketCall(socket: name, call: "close", argument: ""))
                streams[index].socket.close()
            }
            runTriggered(.peerFinished, on: host, stream: index)
        case .error(let error):
            streams[index].error = error
            record(host, .socketEvent(socket: name, event: "error", detail: error.description))
            runTriggered(.error, on: host, stream: index)
        case .closed:
            streams[index].closed = true
            record(host, .socketEvent(socket: name, event: "close", detail: ""))
            runTriggered(.closed, on: host, stream: index)
        }
    }

    private func adoptDatagram(_ socket: any DatagramSocket, on host: any SocketHost, echo: Bool) {
        let index = datagramSockets.count
        datagramSockets.append(DatagramRecord(hostName: host.name, socket: socket))
        socket.onDatagram = { [weak self] bytes, sender in
            guard let self else { return }
            let sequence = PayloadPattern.sequence(ofDatagram: bytes)
            self.datagramSockets[index].noteReceived(sequence: sequence)
            self.record(host, .socketEvent(socket: self.datagramSockets[index].name, event: "message",
                                           detail: "\(bytes.count) bytes from \(sender)"))
            if echo {
                self.record(host, .socketCall(socket: self.datagramSockets[index].name, call: "sendto",
                                              argument: "\(sender) \(bytes.count) bytes"))
                socket.send(bytes, to: sender)
            }
        }
        socket.onError = { [weak self] error in
            guard let self else { return }
            self.datagramSockets[index].errors += 1
            self.record(host, .socketEvent(socket: self.datagramSockets[index].name, event: "error", detail: error.description))
        }
    }

    private func runTriggered(_ event: ScenarioEvent, on host: any SocketHost, stream: Int? = nil) {
        for index in triggeredSteps[TriggerKey(host: host.name, event: event)] ?? [] {
            let step = scenario.steps[index]
            guard case .on(_, let delay) = step.trigger else { continue }
            if delay == 0 {
                perform(step, stepIndex: index, stream: stream)
            } else {
                host.after(.nanoseconds(delay)) { [weak self] in self?.perform(step, stepIndex: index, stream: stream) }
            }
        }
    }

    private func record(_ host: any SocketHost, _ kind: @autoclosure () -> TraceEventKind) {
        if observer.wantsEvents {
            observer.record(TraceEvent(time: host.nanosecondsNow, node: host.name, kind: kind()))
        } else {
            observer.count(at: host.nanosecondsNow)
        }
    }
}
