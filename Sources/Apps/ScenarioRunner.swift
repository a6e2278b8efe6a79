import Sockets
import Tracing

/// Plays a scenario's steps against a set of hosts through the socket API alone, so the same
/// scenario runs on the simulated stack and on real loopback sockets.
///
/// The runner schedules the timed steps, reacts to socket events with the event-triggered steps,
/// records every socket call and event in the trace, and checks every byte it receives against
/// `PayloadPattern` (the trace's message events say whether the bytes were intact). The caller
/// owns the event loop: call `start()`, then run the runtime.
///
/// A connected socket is named in the trace like its connection, `host:port>peer:port`, so every
/// consumer can tell the connections of one listener apart.
public final class ScenarioRunner {
    public let scenario: Scenario
    let hostsByName: [String: any SocketHost]
    private let observer: any TraceObserver
    /// `observer.wantsEvents`, read once (it is asked on every data event otherwise).
    private let observerWantsEvents: Bool
    /// Unplugs (`false`) or replugs (`true`) the cable; set by runtimes that can.
    public var setLinkUp: ((Bool) -> Void)?

    /// `@exclusivity(unchecked)`, as the simulation's hot state is: it is read and written on
    /// every data event, each access short and never overlapping another (the dynamic checks
    /// cost ~35 instructions a packet; callgrind, workload A).
    @exclusivity(unchecked) private var streams: [StreamRecord] = []
    private var datagramSockets: [DatagramRecord] = []
    private var listeners: [any StreamListener] = []
    /// The index in `streams` of each host's most recent connection.
    private var currentStream: [String: Int] = [:]
    /// Steps that could not run, e.g. "step 3: client has no connection".
    public internal(set) var failures: [String] = []
    /// Event-triggered steps by host and event, in scenario order.
    private var triggeredSteps: [TriggerKey: [Int]] = [:]
    /// Steps triggered by a byte count received (`on received N`), by host: (step index, N).
    private var receivedSteps: [String: [(step: Int, bytes: Int)]] = [:]
    /// The applications the scenario's steps started (ScenarioRunner+Applications.swift).
    let applications: ScenarioApplications

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
        observerWantsEvents = observer.wantsEvents
        applications = ScenarioApplications(observer: observer, seed: scenario.seed)
        for (index, step) in scenario.steps.enumerated() {
            if case .on(let event, _) = step.trigger {
                triggeredSteps[TriggerKey(host: step.host, event: event), default: []].append(index)
            }
            if case .received(let bytes, _) = step.trigger {
                receivedSteps[step.host, default: []].append((index, bytes))
            }
        }
    }

    /// Schedules every timed step. Event-triggered steps run as their events arrive.
    public func start() {
        for (index, step) in scenario.steps.enumerated() {
            let first: Int64
            switch step.trigger {
            case .at(let time): first = time
            case .every(_, let from, _): first = from
            case .on, .received: continue
            }
            guard let host = hostsByName[step.host] else {
                failures.append("step \(index + 1): unknown host '\(step.host)'")
                continue
            }
            host.at(nanoseconds: first) { [weak self] in self?.performTimed(step, stepIndex: index, at: first) }
        }
        scheduleHorizon()
    }

    /// What each connection's application sent and received, as the runner counted it: for runs
    /// that keep no trace (benchmarks). Everything else reads the trace.
    public var tally: [StreamTally] {
        streams.map { StreamTally(host: $0.hostName, name: $0.name, bytesSent: $0.bytesSent,
                                  bytesReceived: $0.bytesReceived, intact: $0.intact) }
    }

    /// Stops listening everywhere and aborts every connection still open (a runtime's last word
    /// before it closes, so no socket outlives a run).
    public func abortAll() {
        applications.stopAll()
        for listener in listeners { listener.close() }
        listeners.removeAll()
        for index in streams.indices where !streams[index].closed { streams[index].socket.abort() }
    }

    // MARK: - Steps

    /// Runs one step. `stream` is the connection whose event triggered it, if any: operations on
    /// "the connection" act on that one, else on the host's most recent connection.
    func perform(_ step: ScenarioStep, stepIndex: Int, stream: Int? = nil) {
        guard let host = hostsByName[step.host] else {
            failures.append("step \(stepIndex + 1): unknown host '\(step.host)'")
            return
        }
        switch step.operation {
        case .listen(let port, let backlog, let echo):
            record(host, .socketCall(socket: "\(host.name):\(port)", call: .listen(backlog: backlog)))
            do {
                let listener = try host.listen(port: port, backlog: backlog)
                listener.onAccept = { [weak self] socket in self?.accepted(socket, on: host, echo: echo) }
                listeners.append(listener)
            } catch {
                failures.append("step \(stepIndex + 1): listen on \(host.name):\(port): \(error)")
            }
        case .connect(let target, let port, let localPort):
            let address = SocketAddress(host: target, port: port)
            let local = localPort == 0 ? host.name : "\(host.name):\(localPort)"
            record(host, .socketCall(socket: local, call: .connect(to: address.description)))
            do {
                let socket = try host.connect(to: address, from: localPort)
                adopt(socket, on: host, echo: false)
            } catch {
                failures.append("step \(stepIndex + 1): connect to \(address): \(error)")
            }
        case .send(let count):
            withStream(stream, of: host, stepIndex: stepIndex) { index in send(count: count, on: index, host: host) }
        case .sendForever:
            withStream(stream, of: host, stepIndex: stepIndex) { index in
                record(host, .socketCall(socket: streams[index].name, call: .sendForever))
                streams[index].socket.send(patternFrom: streams[index].bytesSent, count: nil)
            }
        case .shutdownWrite:
            withStream(stream, of: host, stepIndex: stepIndex) { index in
                record(host, .socketCall(socket: streams[index].name, call: .shutdownWrite))
                streams[index].socket.shutdownWrite()
            }
        case .close:
            withStream(stream, of: host, stepIndex: stepIndex) { index in
                record(host, .socketCall(socket: streams[index].name, call: .close))
                streams[index].socket.close()
            }
        case .abort:
            withStream(stream, of: host, stepIndex: stepIndex) { index in
                record(host, .socketCall(socket: streams[index].name, call: .abort))
                streams[index].socket.abort()
            }
        case .pauseReading(let paused):
            withStream(stream, of: host, stepIndex: stepIndex) { index in
                record(host, .socketCall(socket: streams[index].name, call: paused ? .pauseReading : .resumeReading))
                streams[index].socket.isReadingPaused = paused
            }
        case .bindUDP(let port, let echo):
            do {
                let socket = try host.bindDatagram(port: port)
                record(host, .socketCall(socket: socket.localAddress.description, call: .bindUDP))
                adoptDatagram(socket, on: host, echo: echo)
            } catch {
                failures.append("step \(stepIndex + 1): bind udp \(host.name):\(port): \(error)")
            }
        case .connectUDP(let target, let port):
            do {
                let socket = try host.bindDatagram(port: 0)
                record(host, .socketCall(socket: socket.localAddress.description, call: .bindUDP))
                adoptDatagram(socket, on: host, echo: false)
                let address = SocketAddress(host: target, port: port)
                record(host, .socketCall(socket: socket.localAddress.description,
                                         call: .connectUDP(to: address.description)))
                try socket.connect(to: address)
            } catch {
                failures.append("step \(stepIndex + 1): connect udp \(host.name) to \(target):\(port): \(error)")
            }
        case .sendDatagrams(let target, let port, let count, let size, let interval):
            sendDatagrams(from: host, to: SocketAddress(host: target, port: port), count: count, size: size,
                          interval: interval, stepIndex: stepIndex)
        case .link(let up):
            record(host, .note(up ? .linkUp : .linkDown))
            setLinkUp?(up)
        case .socketOption(let option):
            withStream(stream, of: host, stepIndex: stepIndex) { index in
                record(host, .socketCall(socket: streams[index].name, call: .setOption(option)))
                streams[index].socket.setOption(option)
            }
        case .keepalive(let keepalive):
            withStream(stream, of: host, stepIndex: stepIndex) { index in
                record(host, .socketCall(socket: streams[index].name, call: .setKeepalive(keepalive)))
                streams[index].socket.setKeepalive(keepalive)
            }
        case .application(let operation):
            if let failure = applications.perform(operation, on: host, stepIndex: stepIndex) {
                failures.append("step \(stepIndex + 1): \(failure)")
            }
        }
    }

    private func withStream(_ stream: Int?, of host: any SocketHost, stepIndex: Int, _ body: (Int) -> Void) {
        guard let index = stream ?? currentStream[host.name] else {
            failures.append("step \(stepIndex + 1): \(host.name) has no connection")
            return
        }
        body(index)
    }

    /// Sends the next `count` bytes of the pattern on stream `index`, without building them.
    private func send(count: Int, on index: Int, host: any SocketHost) {
        let offset = streams[index].bytesSent
        streams[index].bytesSent += count
        record(host, .socketCall(socket: streams[index].name, call: .send(bytes: count)))
        streams[index].socket.send(patternFrom: offset, count: count)
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
                record(host, .socketCall(socket: socket.localAddress.description, call: .bindUDP))
                adoptDatagram(socket, on: host, echo: false)
                socketIndex = datagramSockets.count - 1
            } catch {
                failures.append("step \(stepIndex + 1): bind udp on \(host.name): \(error)")
                return
            }
        }
        for number in 0..<count {
            // Datagrams due past the end of virtual time would never be sent.
            let (delay, overflow) = interval.multipliedReportingOverflow(by: Int64(number))
            if overflow { break }
            host.after(nanoseconds: delay) { [weak self] in
                guard let self else { return }
                let sequence = UInt32(truncatingIfNeeded: self.datagramSockets[socketIndex].sent)
                self.datagramSockets[socketIndex].sent += 1
                let bytes = PayloadPattern.datagram(sequence: sequence, size: size)
                self.record(host, .socketCall(socket: self.datagramSockets[socketIndex].name,
                                              call: .sendTo(address.description, bytes: size)))
                self.datagramSockets[socketIndex].socket.send(bytes, to: address)
            }
        }
    }

    // MARK: - Sockets

    private func accepted(_ socket: any StreamSocket, on host: any SocketHost, echo: Bool) {
        record(host, .socketCall(socket: socket.localAddress.description, call: .accept(from: socket.remoteAddress.description)))
        adopt(socket, on: host, echo: echo)
        runTriggered(.accepted, on: host, stream: streams.count - 1)
    }

    private func adopt(_ socket: any StreamSocket, on host: any SocketHost, echo: Bool) {
        let index = streams.count
        streams.append(StreamRecord(hostName: host.name, socket: socket, echo: echo,
                                    receivedSteps: receivedSteps[host.name] ?? []))
        currentStream[host.name] = index
        socket.onEvent = { [weak self] event in self?.handle(event, streamIndex: index, host: host) }
        // Received bytes are only checked, unless echoed: read them where they lie when the
        // runtime can lend them. The handler holds the runner strongly: a weak reference moved
        // its count to a side table, whose load and slow release cost ~55 instructions a packet
        // (callgrind, workload A). The simulated host lets go of the handler when its network
        // ends (`SimulatedHost.tearDown`), which ends the cycle.
        if !echo, let lending = socket as? any LendingStreamSocket {
            lending.onLentData = { [self] bytes in
                let intact = PayloadPattern.matches(bytes, at: streams[index].bytesReceived)
                dataArrived(bytes.count, intact: intact, echoing: nil, streamIndex: index, host: host)
            }
        }
    }

    /// `count` bytes arrived on stream `index` (`bytes`, when the runtime copied them out).
    private func dataArrived(_ count: Int, intact: Bool, echoing bytes: [UInt8]?, streamIndex index: Int,
                             host: any SocketHost) {
        let before = streams[index].bytesReceived
        streams[index].bytesReceived += count
        streams[index].intact = streams[index].intact && intact
        record(host, .socketEvent(socket: streams[index].name, event: .message(bytes: count, intact: intact)))
        if streams[index].echo, let bytes {
            // The echo sends back exactly what came, so its bytes continue the pattern only
            // when they arrived intact; the call is recorded like any other send.
            streams[index].bytesSent += count
            record(host, .socketCall(socket: streams[index].name, call: .send(bytes: count)))
            streams[index].socket.send(bytes)
        }
        if !streams[index].receivedSteps.isEmpty {
            runReceived(on: host, stream: index, from: before, to: streams[index].bytesReceived)
        }
    }

    private func handle(_ event: SocketEvent, streamIndex index: Int, host: any SocketHost) {
        // The trace's name is read inside each recorded event, so a run that only counts events
        // never copies it (a string retained and released per data event).
        switch event {
        case .opened:
            record(host, .socketEvent(socket: streams[index].name, event: .open(remote: streams[index].socket.remoteAddress.description)))
            runTriggered(.connected, on: host, stream: index)
        case .data(let bytes):
            let intact = PayloadPattern.matches(bytes, at: streams[index].bytesReceived)
            dataArrived(bytes.count, intact: intact, echoing: bytes, streamIndex: index, host: host)
        case .peerFinished:
            record(host, .socketEvent(socket: streams[index].name, event: .end))
            if streams[index].echo {
                record(host, .socketCall(socket: streams[index].name, call: .close))
                streams[index].socket.close()
            }
            runTriggered(.peerFinished, on: host, stream: index)
        case .error(let error):
            record(host, .socketEvent(socket: streams[index].name, event: .error(error)))
            runTriggered(.error, on: host, stream: index)
        case .closed:
            streams[index].closed = true
            record(host, .socketEvent(socket: streams[index].name, event: .close))
            runTriggered(.closed, on: host, stream: index)
        }
    }

    private func adoptDatagram(_ socket: any DatagramSocket, on host: any SocketHost, echo: Bool) {
        let index = datagramSockets.count
        datagramSockets.append(DatagramRecord(hostName: host.name, socket: socket))
        socket.onDatagram = { [weak self] bytes, sender in
            guard let self else { return }
            let intact = PayloadPattern.sequence(ofDatagram: bytes) != nil
            self.record(host, .socketEvent(socket: self.datagramSockets[index].name,
                                           event: .datagram(bytes: bytes.count, from: sender.description, intact: intact)))
            if echo {
                self.record(host, .socketCall(socket: self.datagramSockets[index].name,
                                              call: .sendTo(sender.description, bytes: bytes.count)))
                socket.send(bytes, to: sender)
            }
        }
        socket.onError = { [weak self] error in
            guard let self else { return }
            self.record(host, .socketEvent(socket: self.datagramSockets[index].name, event: .error(error)))
        }
    }

    private func runTriggered(_ event: ScenarioEvent, on host: any SocketHost, stream: Int? = nil) {
        for index in triggeredSteps[TriggerKey(host: host.name, event: event)] ?? [] {
            let step = scenario.steps[index]
            guard case .on(_, let delay) = step.trigger else { continue }
            if delay == 0 {
                perform(step, stepIndex: index, stream: stream)
            } else {
                host.after(nanoseconds: delay) { [weak self] in self?.perform(step, stepIndex: index, stream: stream) }
            }
        }
    }

    /// Runs the `on received N` steps of `host` whose count the connection's bytes just reached.
    private func runReceived(on host: any SocketHost, stream: Int, from before: Int, to after: Int) {
        for (index, bytes) in streams[stream].receivedSteps where before < bytes && bytes <= after {
            let step = scenario.steps[index]
            guard case .received(_, let delay) = step.trigger else { continue }
            if delay == 0 {
                perform(step, stepIndex: index, stream: stream)
            } else {
                host.after(nanoseconds: delay) { [weak self] in self?.perform(step, stepIndex: index, stream: stream) }
            }
        }
    }

    func record(_ host: any SocketHost, _ kind: @autoclosure () -> TraceEventKind) {
        if observerWantsEvents {
            observer.record(TraceEvent(time: host.now, node: host.name, kind: kind()))
        } else {
            observer.count(at: host.now)
        }
    }
}

/// One connection's application totals, as the runner counted them.
public struct StreamTally: Hashable, Sendable {
    public var host: String
    /// `host:port>peer:port`.
    public var name: String
    public var bytesSent: Int
    public var bytesReceived: Int
    /// Every byte received was what the peer's application sent at that offset.
    public var intact: Bool
}

/// One connection as the runner plays it.
private struct StreamRecord {
    let hostName: String
    let socket: any StreamSocket
    let echo: Bool
    /// The trace's name for the socket: its connection's, `host:port>peer:port`.
    let name: String
    var bytesSent = 0
    var bytesReceived = 0
    var intact = true
    var closed = false
    /// The host's `on received N` steps (`ScenarioRunner.receivedSteps`), looked up once here
    /// rather than by host name on every data event.
    let receivedSteps: [(step: Int, bytes: Int)]

    init(hostName: String, socket: any StreamSocket, echo: Bool, receivedSteps: [(step: Int, bytes: Int)]) {
        self.hostName = hostName
        self.socket = socket
        self.echo = echo
        self.receivedSteps = receivedSteps
        name = "\(socket.localAddress)>\(socket.remoteAddress)"
    }
}

/// One datagram socket as the runner plays it.
private struct DatagramRecord {
    let hostName: String
    let socket: any DatagramSocket
    var sent = 0

    var name: String { socket.localAddress.description }
}
