import Glibc
import Sockets
import Wire

/// Something the event loop polls: a stream socket, a listener or a datagram socket.
protocol LoopbackPollable: AnyObject {
    /// The descriptor while the object is open.
    var openDescriptor: Int32? { get }
    /// The descriptor to poll this time, or nil to leave the object out.
    var pollDescriptor: Int32? { get }
    /// The `poll(2)` events wanted (`POLLIN`, `POLLOUT`); errors and hang-ups are always reported.
    var pollEvents: Int16 { get }
    /// Called with the events `poll` returned.
    func handle(_ returnedEvents: Int16)
    /// Work the loop must wait for before calling the run idle.
    var hasPendingWork: Bool { get }
    /// Forgets the object without telling the application (shutdown); its descriptor is closed by
    /// the registry.
    func release()
}

/// The real runtime for one scenario: its hosts on loopback addresses, their sockets on the
/// Linux kernel, one `poll(2)` loop for all of them, and a capture on `lo`.
///
/// Built from the scenario's host names, it gives the first host 127.0.0.1, the second 127.0.0.2,
/// and so on; `hosts` implement `SocketHost`, so the same applications and the same
/// `ScenarioRunner` run here as on the simulated stack. Host names stay the currency: a
/// `SocketAddress` names a host, sockets report names with their real ports, and traces read like
/// the simulator's.
///
/// Not thread-safe: create it, run it and call its hosts from one thread.
public final class LoopbackNetwork {
    public let options: LoopbackOptions
    /// Every host's name and address, in scenario order.
    public let addresses: [HostAddress]
    public private(set) var hosts: [LoopbackHost] = []
    /// Whether the run captures on `lo`, and why not when it does not.
    public let captureStatus: CaptureStatus
    /// Scenario ports and the ports the kernel gave them, in the order they were bound.
    public private(set) var portAssignments: [PortAssignment] = []
    /// The run's sockets (protocol, address, port), in the order they were bound.
    public private(set) var endpoints: [CaptureEndpoint] = []
    /// TCP state changes observed so far.
    public private(set) var stateChanges: [KernelStateChange] = []
    public private(set) var isShutDown = false

    let registry = DescriptorRegistry()
    let startMonotonic: Int64
    private var capture: LoopbackCapture?
    private var timers = TimerQueue()
    /// Callbacks for the application that arose inside one of its own calls; run by the loop.
    private var deferred: [() -> Void] = []
    private var pollables: [any LoopbackPollable] = []
    private var isRunning = false
    private var lastOutcome: LoopbackRunOutcome = .idle

    /// - Throws: `notLoopback` when `options.firstAddress` is outside 127.0.0.0/8, `tooManyHosts`
    ///   when the hosts do not fit after it, `duplicateHostName`.
    public init(hostNames: [String], options: LoopbackOptions = LoopbackOptions()) throws(LoopbackError) {
        let first = options.firstAddress
        guard first.octets[0] == 127, first.rawValue > 0x7F00_0000 else { throw .notLoopback(first) }
        let room = Int(0x7FFF_FFFE - Int64(first.rawValue) + 1)
        guard hostNames.count <= room else { throw .tooManyHosts(count: hostNames.count, first: first, room: room) }
        var seen: Set<String> = []
        for name in hostNames where !seen.insert(name).inserted { throw .duplicateHostName(name) }
        self.options = options
        addresses = hostNames.enumerated().map { index, name in
            HostAddress(name: name, address: IPv4Address(first.rawValue + UInt32(index)))
        }
        startMonotonic = Syscall.monotonicNanoseconds()
        switch options.captureMode {
        case .disabled:
            captureStatus = .unavailable(.disabled)
        case .enabled, .simulateDenied:
            switch LoopbackCapture.open(registry: registry, startMonotonic: startMonotonic,
                                        simulateDenied: options.captureMode == .simulateDenied,
                                        bufferSize: options.captureBufferSize) {
            case .success(let opened):
                capture = opened
                captureStatus = .available
            case .failure(let reason):
                captureStatus = .unavailable(reason)
            }
        }
        hosts = addresses.map { LoopbackHost(name: $0.name, address: $0.address, network: self) }
    }

    deinit {
        shutdown()
    }

    /// Nanoseconds since the network started, on `CLOCK_MONOTONIC`.
    public var now: Int64 { nanosecondsNow }

    var nanosecondsNow: Int64 { Syscall.monotonicNanoseconds() - startMonotonic }

    public func host(named name: String) -> LoopbackHost? {
        hosts.first { $0.name == name }
    }

    /// Descriptors the network has open now: sockets, listeners and the capture.
    public var openDescriptorCount: Int { registry.count }

    // MARK: - Running

    /// Runs the loop until nothing is left to do or `deadline` (time since the network started)
    /// passes (nanoseconds since the network started), then returns everything recorded so far.
    ///
    /// Each iteration runs the timers that are due (in deadline order, equal deadlines in the order
    /// they were set), waits in `poll(2)` at most until the next timer, the deadline or
    /// `maximumPollWait`, hands each ready descriptor to its socket, reads the capture, and samples
    /// `TCP_INFO` of the stream sockets it touched. The run is idle when no timer is pending, no
    /// connection is opening or closing, no data is queued or unacknowledged, and nothing has
    /// happened for `quietPeriod`.
    @discardableResult
    public func run(until deadline: Int64) -> LoopbackRunResult {
        guard !isShutDown else { return result(.shutDown) }
        guard !isRunning else { return result(lastOutcome) }
        isRunning = true
        defer { isRunning = false }
        var registration: SignalRelay.Registration?
        if options.signalHandling != .ignore { registration = try? SignalRelay.shared.register() }
        let outcome = loop(until: deadline, signals: registration)
        capture?.readAvailable()
        sampleStreams(all: true)
        if case .interrupted = outcome { shutdown() }
        if registration != nil { SignalRelay.shared.unregister() }
        lastOutcome = outcome
        let finished = result(outcome)
        if case .interrupted(let signal) = outcome, options.signalHandling == .stopAndReraise {
            Syscall.signalProcess(signal)
        }
        return finished
    }

    private enum PollTarget {
        case signal
        case capture
        case object(any LoopbackPollable, Int32)
    }

    private func loop(until deadline: Int64, signals: SignalRelay.Registration?) -> LoopbackRunOutcome {
        let quietPeriod = options.quietPeriod
        var quietSince: Int64?
        while true {
            runDueWork()
            if isShutDown { return .shutDown }   // a callback shut the network down
            sampleStreams(all: false)
            if let signals, let signal = SignalRelay.shared.signal(since: signals) {
                return .interrupted(signal: signal)
            }
            let now = nanosecondsNow
            if now >= deadline { return .deadlineReached }
            let nextTimer = timers.nextDeadline()
            if !deferred.isEmpty || nextTimer != nil || pollables.contains(where: { $0.hasPendingWork }) {
                quietSince = nil
            } else if let since = quietSince {
                if now - since >= quietPeriod { return .idle }
            } else {
                quietSince = now
            }

            var wait = min(options.maximumPollWait, deadline - now)
            if let nextTimer { wait = min(wait, nextTimer - now) }
            if let quietSince { wait = min(wait, quietSince + quietPeriod - now) }
            if streamsInFlight { wait = min(wait, 1_000_000) }
            if !deferred.isEmpty { wait = 0 }
            // Rounded up, so a wait shorter than a millisecond does not spin.
            let timeout = Int32(clamping: (max(0, wait) + 999_999) / 1_000_000)

            var descriptors: [pollfd] = []
            var targets: [PollTarget] = []
            if let signals {
                descriptors.append(pollfd(fd: signals.readDescriptor, events: Int16(POLLIN), revents: 0))
                targets.append(.signal)
            }
            if let capture {
                descriptors.append(pollfd(fd: capture.descriptor, events: Int16(POLLIN), revents: 0))
                targets.append(.capture)
            }
            for object in pollables {
                guard let descriptor = object.pollDescriptor else { continue }
                descriptors.append(pollfd(fd: descriptor, events: object.pollEvents, revents: 0))
                targets.append(.object(object, descriptor))
            }
            let ready: Int
            do {
                ready = try Syscall.poll(&descriptors, timeoutMilliseconds: timeout)
            } catch {
                return .failed(error)   // poll itself failed (EINVAL, ENOMEM)
            }
            guard ready > 0 else { continue }
            quietSince = nil   // something happened: the quiet period starts again
            for (entry, target) in zip(descriptors, targets) where entry.revents != 0 {
                switch target {
                case .signal:
                    Syscall.drain(entry.fd)
                case .capture:
                    capture?.readAvailable()
                case .object(let object, let descriptor):
                    // A callback earlier in this pass may have closed it.
                    guard object.openDescriptor == descriptor else { continue }
                    object.handle(entry.revents)
                }
            }
        }
    }

    /// Runs deferred callbacks and due timers until none is left for now.
    private func runDueWork() {
        var rounds = 0
        while rounds < 10_000 {
            rounds += 1
            if !deferred.isEmpty {
                let batch = deferred
                deferred.removeAll()
                for callback in batch { callback() }
                continue
            }
            guard let timer = timers.popDue(now: nanosecondsNow) else { return }
            timer.fire()
        }
    }

    private var streamsInFlight: Bool {
        pollables.contains { ($0 as? LoopbackStreamSocket)?.isKernelBusy ?? false }
    }

    /// Reads `TCP_INFO` of stream sockets touched since their last sample (or all of them).
    private func sampleStreams(all: Bool) {
        for case let socket as LoopbackStreamSocket in pollables
        where all || socket.needsSample || socket.isKernelBusy {
            socket.sample()
        }
    }

    // MARK: - Results

    /// Everything recorded so far.
    public var result: LoopbackRunResult { result(lastOutcome) }

    private func result(_ outcome: LoopbackRunOutcome) -> LoopbackRunResult {
        LoopbackRunResult(
            outcome: outcome, endTime: nanosecondsNow, addresses: addresses, ports: portAssignments,
            capture: captureStatus, packets: capture?.packets ?? [], captureDrops: capture?.kernelDrops ?? 0,
            stateChanges: stateChanges, endpoints: endpoints)
    }

    /// The connections of this run that `/proc/net/tcp` shows in TIME-WAIT.
    public func timeWaitConnections() throws(SyscallError) -> [ProcNetTCPEntry] {
        ProcNetTCP.timeWaitConnections(involving: endpoints, in: try ProcNetTCP.read())
    }

    /// `TCP_INFO` of a stream socket of this network, or nil once it is closed.
    public func tcpInfo(of socket: any StreamSocket) -> TCPInfo? {
        guard let socket = socket as? LoopbackStreamSocket, let descriptor = socket.openDescriptor,
              let bytes = try? Syscall.tcpInfo(descriptor) else { return nil }
        return TCPInfo(bytes: bytes)
    }

    // MARK: - Shutting down

    /// Closes every descriptor (sockets, listeners, capture) and cancels every timer. Open
    /// connections are closed as `close(2)` closes them (the kernel sends FIN on its own); the
    /// applications are not told. Safe to call more than once; `deinit` calls it.
    public func shutdown() {
        guard !isShutDown else { return }
        isShutDown = true
        capture?.readAvailable()
        capture?.descriptorClosed()
        for object in pollables { object.release() }
        pollables.removeAll()
        timers.removeAll()
        deferred.removeAll()
        registry.closeAll()
    }

    // MARK: - For hosts and sockets

    /// Runs `callback` from the loop, after the application call in progress has returned.
    func post(_ callback: @escaping () -> Void) {
        deferred.append(callback)
    }

    /// Runs `action` `delay` nanoseconds from now on the network's clock.
    func schedule(after delay: Int64, _ action: @escaping () -> Void) -> LoopbackTimer {
        timers.schedule(at: nanosecondsNow + max(0, delay), action)
    }

    /// Runs `action` at `time` on the network's clock (at once if that has passed).
    func schedule(at time: Int64, _ action: @escaping () -> Void) -> LoopbackTimer {
        timers.schedule(at: time, action)
    }

    func add(_ object: any LoopbackPollable) {
        pollables.append(object)
    }

    /// Stops polling `object` and closes its descriptor.
    func remove(_ object: any LoopbackPollable, descriptor: Int32) {
        pollables.removeAll { $0 === object }
        registry.close(descriptor)
    }

    func record(_ change: KernelStateChange) {
        stateChanges.append(change)
    }

    /// The address and host name a `SocketAddress.host` stands for: a host of this network, or a
    /// dotted address inside 127.0.0.0/8.
    func resolve(_ name: String) throws(SocketError) -> HostAddress {
        if let entry = addresses.first(where: { $0.name == name }) { return entry }
        guard let address = IPv4Address(name) else { throw .unknownHost(name) }
        guard address.octets[0] == 127 else { throw .unknownHost("\(name) (not a loopback address)") }
        return HostAddress(name: hostName(of: address), address: address)
    }

    func hostName(of address: IPv4Address) -> String {
        addresses.first { $0.address == address }?.name ?? address.description
    }

    /// The real port behind a host's scenario port (itself when it was not remapped).
    func realPort(host: String, transport: Transport, scenarioPort: UInt16) -> UInt16 {
        portAssignments.last { $0.host == host && $0.transport == transport && $0.scenarioPort == scenarioPort }?
            .realPort ?? scenarioPort
    }

    /// Binds `descriptor` to the host's address and the scenario's `port` if the kernel allows,
    /// else to an ephemeral port, and records the assignment; 0 asks for an ephemeral port.
    func bind(
        _ descriptor: Int32, host: LoopbackHost, transport: Transport, port: UInt16
    ) throws(SyscallError) -> UInt16 {
        let ipProtocol: UInt8 = transport == .tcp ? 6 : 17
        var real: UInt16
        if port == 0 {
            try Syscall.bind(descriptor, address: host.address, port: 0)
            real = try Syscall.localPort(descriptor)
        } else {
            do {
                try Syscall.bind(descriptor, address: host.address, port: port)
                real = port
            } catch where error.code == EADDRINUSE || error.code == EACCES {
                try Syscall.bind(descriptor, address: host.address, port: 0)
                real = try Syscall.localPort(descriptor)
            }
            portAssignments.append(PortAssignment(host: host.name, transport: transport, scenarioPort: port,
                                                  realPort: real))
        }
        let endpoint = CaptureEndpoint(ipProtocol: ipProtocol, address: host.address, port: real)
        if !endpoints.contains(endpoint) { endpoints.append(endpoint) }
        // A filter that cannot be updated leaves the old one, which misses this socket's packets.
        try? capture?.add(endpoint)
        return real
    }

    /// Whether an open socket of this network already holds `port` (as the scenario names it).
    func holds(host: String, transport: Transport, scenarioPort: UInt16) -> Bool {
        pollables.contains { object in
            switch object {
            case let listener as LoopbackListener:
                transport == .tcp && listener.host.name == host && listener.scenarioPort == scenarioPort
            case let socket as LoopbackDatagramSocket:
                transport == .udp && socket.host.name == host && socket.scenarioPort == scenarioPort
            default:
                false
            }
        }
    }
}

extension ProcNetTCP {
    /// The entries in TIME-WAIT whose local or remote end is one of `endpoints` (TCP ones).
    public static func timeWaitConnections(involving endpoints: [CaptureEndpoint], in entries: [ProcNetTCPEntry])
        -> [ProcNetTCPEntry] {
        let ends = Set(endpoints.filter { $0.ipProtocol == 6 }.map { "\($0.address):\($0.port)" })
        return entries.filter { entry in
            entry.state == .timeWait
                && (ends.contains("\(entry.localAddress):\(entry.localPort)")
                    || ends.contains("\(entry.remoteAddress):\(entry.remotePort)"))
        }
    }
}

extension SocketError {
    /// The socket error an application sees for a C `errno`.
    init(code: Int32, call: String) {
        switch code {
        case ECONNREFUSED: self = .refused
        case ETIMEDOUT: self = .timedOut
        case ECONNRESET, EPIPE, ECONNABORTED: self = .reset
        case EHOSTUNREACH, ENETUNREACH: self = .unreachable
        case EADDRINUSE, EADDRNOTAVAIL: self = .addressInUse
        default: self = .invalidState(SyscallError(call: call, code: code).description)
        }
    }

    init(_ error: SyscallError) {
        self.init(code: error.code, call: error.call)
    }
}
