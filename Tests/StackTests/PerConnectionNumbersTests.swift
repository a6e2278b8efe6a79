import Runs
import Stack
import Testing
import Tracing
import Wire

/// The linux profile's per-connection numbers, as a capture of Linux shows them: each connection's
/// timestamp clock starts at its own offset (`tcp_timestamps` = 1) and its IP identification at its
/// own random start, counting by one per packet, with 0 on a SYN,ACK (the listener's request socket
/// has no `inet_id`). The textbook profile keeps the small numbers of the diagrams.
@Suite("Per-connection numbers")
struct PerConnectionNumbersTests {
    static func packets(_ profile: String, seed: Int = 1) throws -> [(node: String, id: UInt16, flags: TCPFlags, tsval: UInt32?)] {
        let run = SimulatedRuntime().run(try ScenarioLanguage.parse("""
            scenario numbers
            seed \(seed)
            profile \(profile)
            hosts client server
            link rtt 10ms
            at 0 server listen 80
            at 0 client connect server:80
            at 20ms client send 100
            at 40ms client close
            on peer-finished server close
            """, file: "numbers.scn"))
        return run.events.compactMap { event in
            guard case .packetSent(let bytes, _) = event.kind, let packet = try? IPv4Packet.parse(bytes),
                  case .tcp(let segment) = packet.payload else { return nil }
            let tsval = segment.header.options.lazy.compactMap { option -> UInt32? in
                if case .timestamps(let value, _) = option { value } else { nil }
            }.first
            return (event.node, packet.header.identification, segment.header.flags, tsval)
        }
    }

    @Test func linuxNumbersStartPerConnectionAndCountFromThere() throws {
        let packets = try Self.packets("linux")
        let client = packets.filter { $0.node == "client" }, server = packets.filter { $0.node == "server" }
        // IP IDs: consecutive within a connection, from a start that is not the host's 1.
        let clientIDs = client.map(\.id)
        #expect(clientIDs.count >= 4)
        #expect(zip(clientIDs, clientIDs.dropFirst()).allSatisfy { $1 == $0 &+ 1 }, "\(clientIDs)")
        #expect(clientIDs.first != 1)
        #expect(server.first?.flags == [.syn, .ack] && server.first?.id == 0)
        let serverIDs = server.dropFirst().map(\.id)
        #expect(zip(serverIDs, serverIDs.dropFirst()).allSatisfy { $1 == $0 &+ 1 }, "\(serverIDs)")
        // TSval: a millisecond clock from an offset per connection, so the two ends' clocks differ by
        // far more than the 10 ms between them, and each advances with virtual time.
        let clientTS = try #require(client.first?.tsval), serverTS = try #require(server.first?.tsval)
        #expect(max(clientTS, serverTS) - min(clientTS, serverTS) > 1000)
        let lastClientTS = try #require(client.last?.tsval)
        #expect(lastClientTS &- clientTS >= 40 && lastClientTS &- clientTS < 100)
        // The same seed gives the same numbers (determinism); another seed others.
        #expect(try Self.packets("linux").map(\.id) == packets.map(\.id))
        #expect(try Self.packets("linux", seed: 2).first?.tsval != clientTS)
    }

    @Test func textbookNumbersAreTheHostsCounter() throws {
        let packets = try Self.packets("textbook")
        let clientIDs = packets.filter { $0.node == "client" }.map(\.id)
        #expect(Array(clientIDs.prefix(3)) == [1, 2, 3])
        #expect(packets.allSatisfy { $0.tsval == nil })
    }
}
