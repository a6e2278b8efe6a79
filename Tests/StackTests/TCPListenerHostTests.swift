import Simulation
@testable import Stack
import Testing
import Tracing
import Wire

/// The same rules carried out by a simulated host: what goes on the wire when hand-made segments
/// reach a listening port (SimulatedHost+TCP's demultiplexing) or a port nobody listens on.
@Suite("TCP LISTEN on the simulated host (RFC 9293 §3.10.7.1, §3.10.7.2)")
struct TCPListenerHostTests {
    struct Outcome {
        /// Segments the server put on the wire.
        var sent: [TCPSegment]
        /// Why the server dropped segments.
        var drops: [PacketDropReason]
        /// The states the server's connections entered, from the listener's own LISTEN on.
        var states: [TCPState]
        var connections: Int
    }

    /// Two hosts on one link; the server listens on port 80; the client's host sends `segment` as is.
    func deliver(_ make: (IPv4Address, IPv4Address) -> TCPSegment) throws -> Outcome {
        let scenario = Scenario(name: "listen-input", summary: "hand-made segments to a listening port",
                                hosts: ["client", "server"], steps: [])
        let network = SimulatedNetwork(scenario: scenario)
        let client = network.hosts[0]
        let server = network.hosts[1]
        _ = try server.listen(port: 80, backlog: 4)
        client.transmit(.tcp(make(client.address, server.address)), to: server.address)
        network.run(until: 1_000_000_000)
        let events = network.recorder.events.filter { $0.node == "server" }
        #expect(events.contains { if case .packetReceived = $0.kind { true } else { false } })
        return Outcome(
            sent: events.compactMap { event in
                guard case .packetSent(let bytes, _) = event.kind, let packet = try? IPv4Packet.parse(bytes),
                      case .tcp(let segment) = packet.payload else { return nil }
                return segment
            },
            drops: events.compactMap { event in
                if case .packetDropped(_, let reason) = event.kind { reason } else { nil }
            },
            states: events.compactMap { event in
                if case .stateChanged(_, _, let to, _) = event.kind { to } else { nil }
            },
            connections: server.connections.count)
    }

    func segment(seq: UInt32, ack: UInt32? = nil, flags: TCPFlags, toPort port: UInt16 = 80,
                 client: IPv4Address, server: IPv4Address) -> TCPSegment {
        StackTests.segment(seq: seq, ack: ack, flags: flags, from: TCPEndpoint(address: client, port: 40000),
                           to: TCPEndpoint(address: server, port: port))
    }

    @Test("A FIN without ACK to a listening port: dropped (.noSYNInListen), no RST on the wire")
    func finWithoutACK() throws {
        let outcome = try deliver { segment(seq: 1000, flags: .fin, client: $0, server: $1) }
        #expect(outcome.sent.isEmpty)
        #expect(outcome.drops == [.noSYNInListen])
        #expect(outcome.states == [.listen])   // nothing but the passive OPEN
        #expect(outcome.connections == 0)
    }

    @Test("A RST to a listening port: ignored (.rstInListen), nothing on the wire")
    func reset() throws {
        let outcome = try deliver { segment(seq: 1000, flags: .rst, client: $0, server: $1) }
        #expect(outcome.sent.isEmpty)
        #expect(outcome.drops == [.rstInListen])
    }

    @Test("An ACK to a listening port: <SEQ=SEG.ACK><CTL=RST> on the wire")
    func ackGetsReset() throws {
        let outcome = try deliver { segment(seq: 1000, ack: 31337, flags: [], client: $0, server: $1) }
        #expect(outcome.sent.map(\.header.flags) == [.rst])
        #expect(outcome.sent.map(\.header.sequenceNumber) == [SequenceNumber(31337)])
        #expect(outcome.sent.map(\.header.destinationPort) == [40000])
        #expect(outcome.drops == [.ackInListen])
    }

    @Test("A FIN to a port nobody listens on: CLOSED answers <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> (control)")
    func finToClosedPort() throws {
        let outcome = try deliver { segment(seq: 1000, flags: .fin, toPort: 81, client: $0, server: $1) }
        #expect(outcome.sent.map(\.header.flags) == [[.rst, .ack]])
        #expect(outcome.sent.map(\.header.acknowledgmentNumber) == [SequenceNumber(1001)])
    }

    @Test("A SYN to a listening port: SYN,ACK on the wire; the client host's RST sends the new connection back to LISTEN")
    func synAnswered() throws {
        let outcome = try deliver { segment(seq: 1000, flags: .syn, client: $0, server: $1) }
        #expect(outcome.sent.map(\.header.flags) == [[.syn, .ack]])
        #expect(outcome.sent.map(\.header.acknowledgmentNumber) == [SequenceNumber(1001)])
        // No socket on the client host: it answers the SYN,ACK with a RST (§3.10.7.1), and the spawned
        // connection returns to LISTEN (§3.10.7.4 second check) and is discarded.
        #expect(outcome.states == [.listen, .synReceived, .listen])
        #expect(outcome.connections == 0)
    }
}
