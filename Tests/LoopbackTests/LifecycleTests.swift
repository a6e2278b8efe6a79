import Apps
import Glibc
import Loopback
import Sockets
import Testing
import Tracing
import Wire

extension LoopbackTests {
    /// Descriptors and ports are released on every path: normal runs, shutdown, signals.
    @Suite struct Lifecycle {
        /// Listen, connect, send, close from the client; the server closes when the client has finished.
        let quickExchange = Scenario(
            name: "quick", summary: "one short connection", hosts: ["client", "server"],
            steps: [
                ScenarioStep(.at(0), "server", .listen(port: 7050, backlog: 8, echo: false)),
                ScenarioStep(.at(0), "client", .connect(host: "server", port: 7050, localPort: 0)),
                ScenarioStep(.on(.connected, delay: 0), "client", .send(count: 1000)),
                ScenarioStep(.on(.connected, delay: 0), "client", .close),
                ScenarioStep(.on(.peerFinished, delay: 0), "server", .close),
            ])

        @Test func fiftyRunsLeaveNoDescriptorOpenAndNoPortBound() throws {
            // Addresses of its own (127.0.50.1, .2), so tests running beside it cannot disturb the counts.
            let options = testOptions(firstAddress: IPv4Address(127, 0, 50, 1))
            #expect(socketDescriptors(on: (0, 50)).isEmpty)
            var listenPorts: Set<UInt16> = []
            var clientPorts: Set<UInt16> = []
            for _ in 0..<50 {
                let play = try Play(quickExchange, options: options)
                #expect(play.result.outcome == .idle)
                #expect(play.activity.streams.allSatisfy { $0.closed && $0.error == nil })
                #expect(play.activity.bytesDelivered == 1000)
                listenPorts.formUnion(play.result.ports.map(\.realPort))
                clientPorts.formUnion(play.activity.streams.filter { $0.host == "client" }.map(\.name.portPart))
                play.network.shutdown()
                #expect(play.network.openDescriptorCount == 0)
            }
            #expect(socketDescriptors(on: (0, 50)).isEmpty)
            // (Whether the next run gets the scenario's port back depends on how far the kernel got
            // with the previous teardown; what matters is that nothing listens any more, below.)
            // Nothing of the runs is left in the kernel but the clients' TIME-WAIT.
            let server = IPv4Address(127, 0, 50, 2)
            let left = try ProcNetTCP.read().filter {
                ($0.localAddress == server && listenPorts.contains($0.localPort))
                    || ($0.localAddress == IPv4Address(127, 0, 50, 1) && clientPorts.contains($0.localPort))
            }
            #expect(left.allSatisfy { $0.state == .timeWait }, "\(left.filter { $0.state != .timeWait })")
            #expect(!left.contains { $0.state == .listen })
        }

        @Test func shutdownClosesOpenConnectionsAndListeners() throws {
            let network = try LoopbackNetwork(hostNames: ["client", "server"],
                                              options: testOptions(firstAddress: IPv4Address(127, 0, 51, 1)))
            let listener = try network.hosts[1].listen(port: 7051, backlog: 1)
            var accepted: [any StreamSocket] = []
            listener.onAccept = { accepted.append($0) }
            let socket = try network.hosts[0].connect(to: SocketAddress(host: "server", port: 7051), from: 0)
            _ = try network.hosts[0].bindDatagram(port: 0)
            network.run(until: 3 * 1_000_000_000)
            #expect(accepted.count == 1)
            #expect(network.openDescriptorCount >= 4)
            #expect(socketDescriptors(on: (0, 51)).count >= 4)
            network.shutdown()
            #expect(network.openDescriptorCount == 0)
            #expect(socketDescriptors(on: (0, 51)).isEmpty)
            // Calls after shutdown do nothing, and new sockets are refused.
            socket.send([1, 2, 3])
            socket.close()
            #expect(throws: SocketError.self) { try network.hosts[0].bindDatagram(port: 0) }
            #expect(network.run(until: 1 * 1_000_000_000).outcome == .shutDown)
        }

        @Test func releasingTheNetworkClosesEverything() throws {
            do {
                let network = try LoopbackNetwork(hostNames: ["client", "server"],
                                                  options: testOptions(firstAddress: IPv4Address(127, 0, 52, 1)))
                _ = try network.hosts[1].listen(port: 7052, backlog: 1)
                _ = try network.hosts[0].bindDatagram(port: 0)
                #expect(socketDescriptors(on: (0, 52)).count == 2)
            }
            #expect(socketDescriptors(on: (0, 52)).isEmpty)
        }

        /// The one test that relays signals (every other test network ignores them, since a relayed
        /// signal stops every relaying loop of the process).
        @Test func sigtermStopsTheLoopClosesEverythingAndRestoresTheDisposition() throws {
            let network = try LoopbackNetwork(hostNames: ["client", "server"],
                                              options: testOptions(firstAddress: IPv4Address(127, 0, 53, 1),
                                                                   signalHandling: .stopAndReport))
            let listener = try network.hosts[1].listen(port: 7053, backlog: 1)
            listener.onAccept = { _ in }
            let socket = try network.hosts[0].connect(to: SocketAddress(host: "server", port: 7053), from: 0)
            var laterTimerFired = false
            socket.onEvent = { event in
                if event == .opened { network.hosts[0].after(nanoseconds: 5 * 1_000_000) { _ = kill(getpid(), SIGTERM) } }
            }
            network.hosts[0].after(nanoseconds: 2 * 1_000_000_000) { laterTimerFired = true }
            let result = network.run(until: 4 * 1_000_000_000)
            #expect(result.outcome == .interrupted(signal: SIGTERM))
            #expect(!laterTimerFired)
            #expect(network.isShutDown)
            #expect(network.openDescriptorCount == 0)
            #expect(socketDescriptors(on: (0, 53)).isEmpty)
            var current = sigaction()
            #expect(sigaction(SIGTERM, nil, &current) == 0)
            #expect(current.__sigaction_handler.sa_handler == nil)   // SIG_DFL again
        }
    }

    /// Parsing the kernel's views: `/proc/net/tcp` and `struct tcp_info`.
    @Suite struct KernelViews {
        @Test func procNetTCPLinesParse() {
            let text = [
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 0100007F:1F90 0200007F:C350 06 00000000:00000000 03:00001770 00000000     0        0 0 3 "
                    + "0000000000000000",
                "   1: 0200007F:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1 "
                    + "0000000000000000 100 0 0 10 0",
                "   2: garbage",
            ].joined(separator: "\n")
            let entries = ProcNetTCP.entries(in: text)
            #expect(entries == [
                ProcNetTCPEntry(localAddress: IPv4Address(127, 0, 0, 1), localPort: 8080,
                                remoteAddress: IPv4Address(127, 0, 0, 2), remotePort: 50000, rawState: 6),
                ProcNetTCPEntry(localAddress: IPv4Address(127, 0, 0, 2), localPort: 80,
                                remoteAddress: IPv4Address(0, 0, 0, 0), remotePort: 0, rawState: 10),
            ])
            #expect(entries.map(\.state) == [.timeWait, .listen])
            let ours = [CaptureEndpoint(ipProtocol: 6, address: IPv4Address(127, 0, 0, 2), port: 50000)]
            #expect(ProcNetTCP.timeWaitConnections(involving: ours, in: entries) == [entries[0]])
            #expect(ProcNetTCP.timeWaitConnections(involving: [], in: entries).isEmpty)
        }

        @Test func tcpInfoFieldsComeFromTheKernelsOffsets() {
            var bytes = [UInt8](repeating: 0, count: 232)
            func put(_ value: UInt32, at offset: Int) {
                for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
            }
            bytes[0] = 4   // FIN-WAIT-1
            bytes[2] = 2
            put(204_000, at: 8)
            put(65483, at: 16)
            put(3, at: 24)
            put(45, at: 68)
            put(20, at: 72)
            put(10, at: 80)
            put(7, at: 100)
            put(1000, at: 144)
            let info = TCPInfo(bytes: bytes)
            #expect(info?.state?.rfcState == .finWait1)
            #expect(info?.retransmits == 2)
            #expect(info?.retransmissionTimeoutMicroseconds == 204_000)
            #expect(info?.sendMSS == 65483)
            #expect(info?.unackedSegments == 3)
            #expect(info?.rttMicroseconds == 45)
            #expect(info?.rttVarianceMicroseconds == 20)
            #expect(info?.congestionWindow == 10)
            #expect(info?.totalRetransmissions == 7)
            #expect(info?.notSentBytes == 1000)
            #expect(TCPInfo(bytes: Array(bytes.prefix(120)))?.notSentBytes == nil)
            #expect(TCPInfo(bytes: Array(bytes.prefix(50))) == nil)
            #expect(KernelTCPState.allCases.map(\.rfcState).contains(.timeWait))
            #expect(KernelTCPState(rawValue: 11)?.description == "CLOSING")
        }
    }
}
