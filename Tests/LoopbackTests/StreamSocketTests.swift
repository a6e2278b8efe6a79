import Loopback
import Sockets
import Testing
import Wire

extension LoopbackTests {
    /// TCP through the `SocketHost` API on real sockets.
    @Suite struct StreamSockets {
        @Test func echoesEveryByteInOrder() throws {
            let network = try LoopbackNetwork(hostNames: ["client", "server"], options: testOptions())
            defer { network.shutdown() }
            let client = network.hosts[0], server = network.hosts[1]
            let serverLog = EventLog()
            let listener = try server.listen(port: 7001, backlog: 4)
            listener.onAccept = { socket in
                serverLog.attach(socket) { event in
                    switch event {
                    case .data(let bytes): socket.send(bytes)
                    case .peerFinished: socket.close()
                    default: break
                    }
                }
            }
            let message = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) }
            let clientLog = EventLog()
            let socket = try client.connect(to: SocketAddress(host: "server", port: 7001), from: 0)
            clientLog.attach(socket) { event in
                if event == .opened {
                    socket.send(message)
                    socket.shutdownWrite()
                }
            }
            #expect(socket.remoteAddress == SocketAddress(host: "server", port: 7001))
            #expect(socket.localAddress.host == "client")
            let result = network.run(until: 5 * 1_000_000_000)
            #expect(result.outcome == .idle)
            #expect(clientLog.received == message)
            #expect(serverLog.received == message)
            #expect(clientLog.events == ["open", "data", "end", "close"])
            #expect(serverLog.events == ["data", "end", "close"])
            // Left open: the listener (and the capture).
            #expect(network.openDescriptorCount == 1 + (result.capture.isAvailable ? 1 : 0))
        }

        @Test func connectToAClosedPortIsRefused() throws {
            let network = try LoopbackNetwork(hostNames: ["client", "server"], options: testOptions())
            defer { network.shutdown() }
            let log = EventLog()
            let socket = try network.hosts[0].connect(to: SocketAddress(host: "server", port: 7002), from: 0)
            log.attach(socket)
            let result = network.run(until: 3 * 1_000_000_000)
            #expect(log.events == ["error:\(SocketError.refused)", "close"])
            #expect(result.outcome == .idle)
            #expect(network.openDescriptorCount == (result.capture.isAvailable ? 1 : 0))
            if result.capture.isAvailable {
                // The SYN and the RST that refused it.
                #expect(tcpSegments(result).contains { $0.tcp.header.flags.contains(.rst) })
            }
        }

        @Test func aConnectThatOutlivesItsTimeoutFailsWithTimedOut() throws {
            var options = testOptions()
            options.connectTimeout = .zero   // due before the loop first polls the connecting socket
            let network = try LoopbackNetwork(hostNames: ["client", "server"], options: options)
            defer { network.shutdown() }
            let listener = try network.hosts[1].listen(port: 7006, backlog: 1)
            listener.onAccept = { _ in }
            let log = EventLog()
            log.attach(try network.hosts[0].connect(to: SocketAddress(host: "server", port: 7006), from: 0))
            network.run(until: 3 * 1_000_000_000)
            #expect(log.events == ["error:\(SocketError.timedOut)", "close"])
        }

        @Test func pausedReadingHoldsDataUntilResumed() throws {
            let network = try LoopbackNetwork(hostNames: ["client", "server"], options: testOptions())
            defer { network.shutdown() }
            let client = network.hosts[0], server = network.hosts[1]
            let serverLog = EventLog()
            var resumedAt: Int64?
            var firstDataAt: Int64?
            let listener = try server.listen(port: 7003, backlog: 4)
            listener.onAccept = { socket in
                socket.isReadingPaused = true
                serverLog.attach(socket) { event in
                    if case .data = event, firstDataAt == nil { firstDataAt = server.now }
                    if event == .peerFinished { socket.close() }
                }
                server.after(nanoseconds: 150 * 1_000_000) {
                    resumedAt = server.now
                    socket.isReadingPaused = false
                }
            }
            let message = [UInt8](repeating: 0x5A, count: 200_000)
            let socket = try client.connect(to: SocketAddress(host: "server", port: 7003), from: 0)
            let clientLog = EventLog()
            clientLog.attach(socket) { event in
                if event == .opened {
                    socket.send(message)
                    socket.close()
                }
            }
            #expect(network.run(until: 5 * 1_000_000_000).outcome == .idle)
            let resumed = try #require(resumedAt)
            let first = try #require(firstDataAt)
            #expect(first >= resumed)
            #expect(serverLog.received == message)
            #expect(serverLog.events == ["data", "end", "close"])
            #expect(clientLog.events == ["open", "close"])
        }

        @Test func abortSendsResetAndThePeerSeesIt() throws {
            let network = try LoopbackNetwork(hostNames: ["client", "server"], options: testOptions())
            defer { network.shutdown() }
            let serverLog = EventLog()
            let listener = try network.hosts[1].listen(port: 7004, backlog: 4)
            listener.onAccept = { serverLog.attach($0) }
            let clientLog = EventLog()
            var eventsWhenAbortReturned: [String] = []
            let socket = try network.hosts[0].connect(to: SocketAddress(host: "server", port: 7004), from: 0)
            clientLog.attach(socket) { event in
                guard event == .opened else { return }
                network.hosts[0].after(nanoseconds: 10 * 1_000_000) {
                    socket.abort()
                    eventsWhenAbortReturned = clientLog.events
                }
            }
            let result = network.run(until: 3 * 1_000_000_000)
            // `closed` comes from the loop, not from inside `abort()`.
            #expect(eventsWhenAbortReturned == ["open"])
            #expect(clientLog.events == ["open", "close"])
            #expect(serverLog.events == ["error:\(SocketError.reset)", "close"])
            #expect(result.stateChanges.contains {
                $0.host == "client" && $0.to == .closed && $0.source == .descriptorClosed
            })
        }

        @Test func tcpInfoDescribesAnEstablishedConnection() throws {
            let network = try LoopbackNetwork(hostNames: ["client", "server"], options: testOptions())
            defer { network.shutdown() }
            let listener = try network.hosts[1].listen(port: 7005, backlog: 4)
            var accepted: (any StreamSocket)?
            listener.onAccept = { accepted = $0 }
            let socket = try network.hosts[0].connect(to: SocketAddress(host: "server", port: 7005), from: 0)
            socket.onEvent = { if $0 == .opened { socket.send([UInt8](repeating: 1, count: 10_000)) } }
            network.run(until: 3 * 1_000_000_000)
            let info = try #require(network.tcpInfo(of: socket))
            #expect(info.state == .established)
            #expect(info.state?.rfcState == .established)
            #expect(info.congestionWindow >= 1)
            #expect(info.rttMicroseconds > 0)
            #expect(info.sendMSS > 0)
            #expect(info.unackedSegments == 0)
            socket.close()
            accepted?.close()
            network.run(until: 3 * 1_000_000_000)
            #expect(network.tcpInfo(of: socket) == nil)
        }
    }
}
