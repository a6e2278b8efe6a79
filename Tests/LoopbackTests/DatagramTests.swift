import Loopback
import Sockets
import Testing
import Wire

extension LoopbackTests {
    /// UDP through the `SocketHost` API on real sockets.
    @Suite struct Datagrams {
        @Test func udpEchoAndPortUnreachable() throws {
            let network = try LoopbackNetwork(hostNames: ["client", "server"], options: testOptions())
            defer { network.shutdown() }
            let server = try network.hosts[1].bindDatagram(port: 7040)
            server.onDatagram = { bytes, sender in server.send(bytes, to: sender) }
            let client = try network.hosts[0].bindDatagram(port: 0)
            var echoes: [([UInt8], SocketAddress)] = []
            var errors: [SocketError] = []
            client.onDatagram = { echoes.append(($0, $1)) }
            client.onError = { errors.append($0) }
            let echoServer = SocketAddress(host: "server", port: 7040)
            for number in 0..<3 { client.send([UInt8](repeating: UInt8(number), count: 100), to: echoServer) }
            // Nobody is bound to server:7041: the kernel answers with ICMP port unreachable, which
            // an unconnected socket never hears of (Linux's rule without IP_RECVERR).
            client.send([9], to: SocketAddress(host: "server", port: 7041))
            let result = network.run(until: 3 * 1_000_000_000)
            #expect(echoes.map(\.0) == (0..<3).map { [UInt8](repeating: UInt8($0), count: 100) })
            #expect(echoes.allSatisfy { $0.1 == SocketAddress(host: "server", port: 7040) })
            #expect(errors == [])
            #expect(client.localAddress.host == "client")
            if result.capture.isAvailable {
                let icmp = result.packets.filter {
                    if case .icmp = try? $0.parsed().payload { return true } else { return false }
                }
                #expect(icmp.count == 2)   // sent and received
                let udp = result.packets.filter {
                    if case .udp = try? $0.parsed().payload { return true } else { return false }
                }
                #expect(udp.count == 2 * 7)   // three datagrams each way and the unanswered one, twice
            }
        }

        @Test func aConnectedSocketHearsPortUnreachableAsRefused() throws {
            let network = try LoopbackNetwork(hostNames: ["client", "server"], options: testOptions())
            defer { network.shutdown() }
            let client = try network.hosts[0].bindDatagram(port: 0)
            var errors: [SocketError] = []
            client.onError = { errors.append($0) }
            let closed = SocketAddress(host: "server", port: 7042)
            try client.connect(to: closed)
            client.send([1, 2, 3], to: closed)
            _ = network.run(until: 1_000_000_000)
            #expect(errors == [.refused])   // ECONNREFUSED, from sk_err
        }
    }
}
