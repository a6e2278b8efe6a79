import Loopback
import Sockets
import Testing
import Wire

extension LoopbackTests {
    /// Host names, loopback addresses and port mapping.
    @Suite struct Addresses {
        @Test func hostsGetConsecutiveLoopbackAddresses() throws {
            let network = try LoopbackNetwork(hostNames: ["server", "client1", "client2"],
                                              options: testOptions(capture: .disabled))
            #expect(network.addresses.map(\.address) == [IPv4Address(127, 0, 0, 1), IPv4Address(127, 0, 0, 2),
                                                         IPv4Address(127, 0, 0, 3)])
            #expect(network.hosts.map(\.name) == ["server", "client1", "client2"])
        }

        @Test func aNonLoopbackAddressIsRefused() throws {
            var options = testOptions(capture: .disabled)
            options.firstAddress = IPv4Address(10, 0, 0, 1)
            #expect(throws: LoopbackError.notLoopback(IPv4Address(10, 0, 0, 1))) {
                try LoopbackNetwork(hostNames: ["a", "b"], options: options)
            }
            options.firstAddress = IPv4Address(127, 255, 255, 254)
            #expect(throws: LoopbackError.tooManyHosts(count: 2, first: IPv4Address(127, 255, 255, 254), room: 1)) {
                try LoopbackNetwork(hostNames: ["a", "b"], options: options)
            }
            #expect(throws: LoopbackError.duplicateHostName("a")) {
                try LoopbackNetwork(hostNames: ["a", "a"], options: testOptions(capture: .disabled))
            }
            // Targets outside 127.0.0.0/8, and names nobody declared, do not resolve.
            let network = try LoopbackNetwork(hostNames: ["a", "b"], options: testOptions(capture: .disabled))
            #expect(throws: SocketError.unknownHost("10.1.2.3 (not a loopback address)")) {
                try network.hosts[0].connect(to: SocketAddress(host: "10.1.2.3", port: 80), from: 0)
            }
            #expect(throws: SocketError.unknownHost("nobody")) {
                try network.hosts[0].connect(to: SocketAddress(host: "nobody", port: 80), from: 0)
            }
            #expect(network.openDescriptorCount == 0)
        }

        @Test func aTakenScenarioPortIsRemappedAndConnectsFollow() throws {
            // Another network holds server:7030, so this one's server gets an ephemeral port.
            let holder = try LoopbackNetwork(hostNames: ["x", "server"], options: testOptions(capture: .disabled))
            defer { holder.shutdown() }
            _ = try holder.hosts[1].listen(port: 7030, backlog: 1)
            let network = try LoopbackNetwork(hostNames: ["client", "server"], options: testOptions())
            defer { network.shutdown() }
            let listener = try network.hosts[1].listen(port: 7030, backlog: 1)
            #expect(listener.localAddress.port != 7030)
            let assignment = try #require(network.portAssignments.first)
            #expect(assignment == PortAssignment(host: "server", transport: .tcp, scenarioPort: 7030,
                                                 realPort: listener.localAddress.port))
            #expect(assignment.isRemapped)
            var accepted = 0
            listener.onAccept = { socket in
                accepted += 1
                socket.close()
            }
            let log = EventLog()
            let socket = try network.hosts[0].connect(to: SocketAddress(host: "server", port: 7030), from: 0)
            log.attach(socket) { if $0 == .peerFinished { socket.close() } }
            #expect(socket.remoteAddress == SocketAddress(host: "server", port: listener.localAddress.port))
            let result = network.run(until: 3 * 1_000_000_000)
            #expect(accepted == 1)
            #expect(log.events == ["open", "end", "close"])
            #expect(result.ports == [assignment])
            // Within one network a port is held once, as on the simulated runtime.
            #expect(throws: SocketError.addressInUse) { try network.hosts[1].listen(port: 7030, backlog: 1) }
        }

        @Test func timersFireInDeadlineOrderAndFIFOWhenEqual() throws {
            let network = try LoopbackNetwork(hostNames: ["a"], options: testOptions(capture: .disabled))
            let host = network.hosts[0]
            var fired: [Int] = []
            host.after(nanoseconds: 20 * 1_000_000) { fired.append(4) }
            for number in 1...3 { host.after(nanoseconds: 10 * 1_000_000) { fired.append(number) } }
            let cancelled = host.after(nanoseconds: 5 * 1_000_000) { fired.append(99) }
            host.after(nanoseconds: 1 * 1_000_000) { cancelled.cancel() }
            let start = host.now
            let result = network.run(until: 2 * 1_000_000_000)
            #expect(fired == [1, 2, 3, 4])
            #expect(result.outcome == .idle)
            #expect(host.now - start >= 20 * 1_000_000)
        }

        @Test func theDeadlineStopsARunWithWorkLeft() throws {
            let network = try LoopbackNetwork(hostNames: ["a"], options: testOptions(capture: .disabled))
            var fired = false
            network.hosts[0].after(nanoseconds: 60 * 1_000_000_000) { fired = true }
            let result = network.run(until: network.now + 30 * 1_000_000)
            #expect(result.outcome == .deadlineReached)
            #expect(!fired)
        }
    }
}
