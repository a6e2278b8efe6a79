import Loopback
import Sockets
import Testing

extension LoopbackTests {
    /// `send(patternFrom:count:)` on real sockets: the pattern made as the kernel takes it.
    @Suite struct PatternSends {
        @Test func aPatternThenBytesArriveInOrder() throws {
            let network = try LoopbackNetwork(hostNames: ["client", "server"], options: testOptions())
            defer { network.shutdown() }
            let serverLog = EventLog()
            let listener = try network.hosts[1].listen(port: 7021, backlog: 1)
            listener.onAccept = { socket in
                serverLog.attach(socket) { if $0 == .peerFinished { socket.close() } }
            }
            let socket = try network.hosts[0].connect(to: SocketAddress(host: "server", port: 7021), from: 0)
            let clientLog = EventLog()
            clientLog.attach(socket) { event in
                guard event == .opened else { return }
                socket.send(patternFrom: 10, count: 300_000)
                socket.send([1, 2, 3])
                socket.shutdownWrite()
            }
            #expect(network.run(until: 5 * 1_000_000_000).outcome == .idle)
            #expect(serverLog.received.count == 300_003)
            #expect(serverLog.received.prefix(300_000).elementsEqual(PayloadPattern.bytes(from: 10, count: 300_000)))
            #expect(serverLog.received.suffix(3) == [1, 2, 3])
        }

        @Test func anEndlessPatternKeepsTheSocketBusy() throws {
            let network = try LoopbackNetwork(hostNames: ["client", "server"], options: testOptions())
            defer { network.shutdown() }
            let serverLog = EventLog()
            let listener = try network.hosts[1].listen(port: 7022, backlog: 1)
            listener.onAccept = { socket in serverLog.attach(socket) }
            let socket = try network.hosts[0].connect(to: SocketAddress(host: "server", port: 7022), from: 0)
            let clientLog = EventLog()
            clientLog.attach(socket) { if $0 == .opened { socket.send(patternFrom: 0, count: nil) } }
            let result = network.run(until: 300_000_000)
            #expect(result.outcome == .deadlineReached)
            #expect(serverLog.received.count > 1 << 20)
            #expect(PayloadPattern.matches(serverLog.received, at: 0))
        }
    }
}
