import Loopback
import Sockets
import Testing
import Wire

extension LoopbackTests {
    /// The capture on `lo`: its fallback, its pcap export and its BPF program.
    @Suite struct Capture {
        @Test func injectedPermissionFailureGivesTheFallbackReason() throws {
            let network = try LoopbackNetwork(hostNames: ["client", "server"],
                                              options: testOptions(capture: .simulateDenied))
            defer { network.shutdown() }
            let expected = CaptureStatus.unavailable(.permissionDenied(simulated: true))
            #expect(network.captureStatus == expected)
            #expect(network.openDescriptorCount == 0)
            // The sockets work without the capture.
            let listener = try network.hosts[1].listen(port: 7020, backlog: 1)
            listener.onAccept = { $0.close() }
            let log = EventLog()
            let socket = try network.hosts[0].connect(to: SocketAddress(host: "server", port: 7020), from: 0)
            log.attach(socket) { if $0 == .peerFinished { socket.close() } }
            let result = network.run(until: 3 * 1_000_000_000)
            #expect(result.capture == expected)
            #expect(result.packets.isEmpty)
            #expect(log.events == ["open", "end", "close"])
            #expect(CaptureUnavailableReason.permissionDenied(simulated: true).description.contains("CAP_NET_RAW"))
        }

        @Test func disabledCaptureSaysSo() throws {
            let network = try LoopbackNetwork(hostNames: ["a"], options: testOptions(capture: .disabled))
            #expect(network.captureStatus == .unavailable(.disabled))
        }

        @Test(.enabled(if: canCapture)) func pcapExportHoldsEachPacketOnce() throws {
            let network = try LoopbackNetwork(hostNames: ["client", "server"], options: testOptions())
            defer { network.shutdown() }
            let listener = try network.hosts[1].listen(port: 7021, backlog: 1)
            listener.onAccept = { socket in socket.onEvent = { if $0 == .peerFinished { socket.close() } } }
            let socket = try network.hosts[0].connect(to: SocketAddress(host: "server", port: 7021), from: 0)
            socket.onEvent = { if $0 == .opened { socket.send(Array("hello".utf8)); socket.close() } }
            let result = network.run(until: 3 * 1_000_000_000)
            let sent = result.packets.filter { $0.direction == .sent }
            #expect(!sent.isEmpty)
            #expect(sent.count == result.packets.count - sent.count)
            let records = try PcapReader.records(result.pcap())
            #expect(records.map(\.packet) == sent.map(\.bytes))
            #expect(try PcapReader(bytes: result.pcap()).linkType == .raw)
            #expect(try PcapReader.records(result.pcap(direction: nil)).count == result.packets.count)
            // The payload is there, and the checksums are the partial ones lo carries.
            let data = tcpSegments(result).first { !$0.tcp.payload.isEmpty }
            #expect(data?.tcp.payload.bytes == Array("hello".utf8))
            // Times are on the network's clock, within the run.
            #expect(result.packets.allSatisfy { $0.time > 0 && $0.time <= result.endTime })
            // Only this run's endpoints, and both of them.
            #expect(Set(result.packets.compactMap { try? $0.parsed().header.source }) == [
                IPv4Address(127, 0, 0, 1), IPv4Address(127, 0, 0, 2),
            ])
        }
    }

    /// The BPF program, run by a small classic-BPF interpreter on packets built with Wire.
    @Suite struct CaptureFilterProgram {
        let client = IPv4Address(127, 0, 0, 1)
        let server = IPv4Address(127, 0, 0, 2)
        var endpoints: [CaptureEndpoint] {
            [CaptureEndpoint(ipProtocol: 6, address: server, port: 80),
             CaptureEndpoint(ipProtocol: 6, address: client, port: 40000),
             CaptureEndpoint(ipProtocol: 17, address: client, port: 5353)]
        }

        func tcp(_ source: IPv4Address, _ sourcePort: UInt16, _ destination: IPv4Address,
                 _ destinationPort: UInt16) -> [UInt8] {
            let header = TCPHeader(sourcePort: sourcePort, destinationPort: destinationPort,
                                   sequenceNumber: SequenceNumber(1), flags: [.syn], window: 1000)
            let segment = TCPSegment(header: header)
            return IPv4Packet(source: source, destination: destination, payload: .tcp(segment)).emit()
        }

        func udp(_ source: IPv4Address, _ sourcePort: UInt16, _ destination: IPv4Address,
                 _ destinationPort: UInt16) -> [UInt8] {
            let datagram = UDPDatagram(sourcePort: sourcePort, destinationPort: destinationPort, payload: [1, 2, 3])
            return IPv4Packet(source: source, destination: destination, payload: .udp(datagram)).emit()
        }

        func keeps(_ packet: [UInt8], ethernetType: UInt16 = 0x0800) -> Bool {
            BPFInterpreter.run(CaptureFilter.program(for: endpoints), packet: packet, ethernetType: ethernetType) > 0
        }

        @Test func keepsTheRunsTCPAndUDPBothWays() {
            #expect(keeps(tcp(client, 40000, server, 80)))
            #expect(keeps(tcp(server, 80, client, 40000)))
            #expect(keeps(tcp(client, 41000, server, 80)))   // another client of the listener
            #expect(keeps(udp(client, 5353, server, 9)))
            #expect(keeps(udp(server, 9, client, 5353)))
        }

        @Test func dropsOtherPortsAddressesAndProtocols() {
            #expect(!keeps(tcp(client, 41000, server, 81)))
            #expect(!keeps(tcp(IPv4Address(127, 0, 0, 3), 80, client, 41000)))   // port 80 of another address
            #expect(!keeps(udp(client, 40000, server, 80)))   // right numbers, wrong protocol
            #expect(!keeps(tcp(client, 40000, server, 80), ethernetType: 0x86DD))
            var fragment = tcp(client, 40000, server, 80)
            fragment[7] = 0x10   // fragment offset 16 × 8: no transport header here
            #expect(!keeps(fragment))
            #expect(BPFInterpreter.run(CaptureFilter.program(for: []), packet: tcp(client, 40000, server, 80)) == 0)
        }

        @Test func keepsICMPErrorsThatQuoteTheRunsPackets() {
            let ours = udp(client, 5353, server, 9)
            let unreachable = ICMPMessage.destinationUnreachable(code: ICMPMessage.portUnreachable,
                                                                 quoted: ICMPMessage.quote(ours))
            #expect(keeps(IPv4Packet(source: server, destination: client, payload: .icmp(unreachable)).emit()))
            let theirs = udp(client, 6000, server, 9)
            let other = ICMPMessage.destinationUnreachable(code: ICMPMessage.portUnreachable,
                                                           quoted: ICMPMessage.quote(theirs))
            #expect(!keeps(IPv4Packet(source: server, destination: client, payload: .icmp(other)).emit()))
            let echo = ICMPMessage.echoRequest(identifier: 1, sequence: 1, data: [])
            #expect(!keeps(IPv4Packet(source: client, destination: server, payload: .icmp(echo)).emit()))
        }

        @Test func jumpsStayShortForManyEndpoints() {
            let many = (0..<300).map { CaptureEndpoint(ipProtocol: 6, address: client, port: UInt16(20000 + $0)) }
            let program = CaptureFilter.program(for: many)
            #expect(program.count < 4096)
            #expect(BPFInterpreter.run(program, packet: tcp(server, 9, client, 20299)) > 0)
            #expect(BPFInterpreter.run(program, packet: tcp(server, 9, client, 20300)) == 0)
        }
    }
}

/// A classic BPF interpreter for the instructions `CaptureFilter` emits, as the kernel runs them
/// on a `SOCK_DGRAM` packet socket (offsets from the network header).
enum BPFInterpreter {
    static func run(_ program: [BPFInstruction], packet: [UInt8], ethernetType: UInt16 = 0x0800) -> UInt32 {
        var a: UInt32 = 0
        var x: UInt32 = 0
        var memory = [UInt32](repeating: 0, count: 16)
        var pc = 0
        func load(_ offset: Int, _ size: Int) -> UInt32? {
            guard offset >= 0, offset + size <= packet.count else { return nil }
            return packet[offset..<(offset + size)].reduce(0) { $0 << 8 | UInt32($1) }
        }
        func size(_ code: UInt16) -> Int { [0x00: 4, 0x08: 2, 0x10: 1][code & 0x18]! }
        var steps = 0
        while pc < program.count && steps < 10_000 {
            steps += 1
            let instruction = program[pc]
            pc += 1
            let k = instruction.k
            switch instruction.code {
            case 0x20, 0x28, 0x30:   // ld abs
                if k == 0xffff_f000 {
                    a = UInt32(ethernetType)
                } else {
                    guard let value = load(Int(k), size(instruction.code)) else { return 0 }
                    a = value
                }
            case 0x40, 0x48, 0x50:   // ld ind
                guard let value = load(Int(x) + Int(k), size(instruction.code)) else { return 0 }
                a = value
            case 0xb1:   // ldx 4*([k]&0xf)
                guard let value = load(Int(k), 1) else { return 0 }
                x = 4 * (value & 0x0f)
            case 0x54: a &= k
            case 0x02: memory[Int(k)] = a
            case 0x60: a = memory[Int(k)]
            case 0x05: pc += Int(k)
            case 0x15: pc += Int(a == k ? instruction.jumpIfTrue : instruction.jumpIfFalse)
            case 0x45: pc += Int(a & k != 0 ? instruction.jumpIfTrue : instruction.jumpIfFalse)
            case 0x06: return k
            default:
                Issue.record("unknown BPF opcode \(instruction)")
                return 0
            }
        }
        Issue.record("the program ran off its end")
        return 0
    }
}
