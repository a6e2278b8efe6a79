import Apps
import Runs
import Sockets
import Stack
import Testing
import Tracing
import Wire

/// ICMP port unreachable as RFC 1122 has it (textbook) and as Linux sends and reports it (linux):
/// RFC 1812 §4.3.2.3 quoting, precedence 6, no DF; an error only for a connected UDP socket.
@Suite("ICMP errors and UDP connect")
struct ICMPErrorRuleTests {
    static func run(_ profile: StackProfile) throws -> Run {
        var scenario = try #require(BuiltInScenarios.scenario(named: "udp-closed-port"))
        scenario.profile = profile
        return SimulatedRuntime().run(scenario)
    }

    /// The ICMP errors the server sent, as parsed packets.
    static func icmpErrors(_ run: Run) -> [IPv4Packet] {
        run.events.compactMap { event in
            guard event.node == "server", case .packetSent(let bytes, _) = event.kind,
                  let packet = try? IPv4Packet.parse(bytes, verifyChecksums: true), case .icmp = packet.payload
            else { return nil }
            return packet
        }
    }

    static func quoted(_ packet: IPv4Packet) -> [UInt8] {
        guard case .icmp(.destinationUnreachable(_, _, let quoted)) = packet.payload else { return [] }
        return quoted
    }

    @Test func linuxQuotesAsMuchAsFitsIn576OctetsWithPrecedenceSixAndNoDF() throws {
        let errors = Self.icmpErrors(try Self.run(.linux))
        try #require(errors.count == 2)
        // 100-octet datagram: all of it (128 octets) is quoted; 1000-octet one: 548, the packet is 576.
        #expect(Self.quoted(errors[0]).count == 128)
        #expect(Self.quoted(errors[1]).count == 548)
        #expect(errors[1].emit().count == ICMPMessage.maximumErrorDatagram)
        for packet in errors {
            #expect(packet.header.dscp << 2 | packet.header.ecn == 0xC0)
            #expect(!packet.header.flags.contains(.dontFragment))
        }
    }

    @Test func theTextbookQuotesTheHeaderAndEightOctets() throws {
        let errors = Self.icmpErrors(try Self.run(.textbook))
        try #require(errors.count == 2)
        #expect(errors.allSatisfy { Self.quoted($0).count == 28 })
        #expect(errors.allSatisfy { $0.header.dscp == 0 && $0.header.flags.contains(.dontFragment) })
    }

    @Test func linuxRefusesOnlyTheConnectedSocket() throws {
        let sockets = try Self.run(.linux).sockets.datagramSockets.filter { $0.host == "client" }
        try #require(sockets.count == 2)
        #expect(sockets.map(\.errors) == [0, 1])
        let errors = try Self.run(.linux).events.compactMap { event -> SocketError? in
            guard case .socketEvent(_, .error(let error)) = event.kind else { return nil }
            return error
        }
        #expect(errors == [.refused])
        // RFC 1122 §4.1.3.3: the textbook passes every error up, as "unreachable".
        let textbook = try Self.run(.textbook).sockets.datagramSockets.filter { $0.host == "client" }
        #expect(textbook.map(\.errors) == [1, 1])
    }

    @Test func aConnectedSocketTakesDatagramsFromItsPeerOnly() throws {
        let scenario = try ScenarioLanguage.parse("""
            scenario peer-only
            profile linux
            hosts client server other
            at 0 server udp bind 7 echo
            at 0 other udp bind 8 echo
            at 0 client udp connect server:7
            at 1ms client udp send server:7 count 1 size 10
            at 2ms client udp send other:8 count 1 size 20
            """, file: "peer-only.scn")
        let run = SimulatedRuntime().run(scenario)
        let client = try #require(run.sockets.datagramSockets.first { $0.host == "client" })
        #expect(client.received == 1, "the echo from other:8 is refused by the connected socket")
        let refused = run.events.contains { event in
            guard event.node == "client", case .packetSent(let bytes, _) = event.kind,
                  let packet = try? IPv4Packet.parse(bytes), case .icmp = packet.payload else { return false }
            return true
        }
        #expect(refused, "the client answers other's echo with port unreachable")
    }

    @Test func udpConnectRoundTripsThroughTheScenarioLanguage() throws {
        let scenario = try #require(BuiltInScenarios.scenario(named: "udp-closed-port"))
        let text = ScenarioLanguage.format(scenario)
        #expect(text.contains("at 15ms client udp connect server:9998"))
        #expect(try ScenarioLanguage.parse(text, file: "udp.scn") == scenario)
        #expect(SocketCall(name: "connect", argument: "udp server:9") == .connectUDP(to: "server:9"))
        #expect(SocketCall.connectUDP(to: "server:9").description == "connect udp server:9")
    }
}
