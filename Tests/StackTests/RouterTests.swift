import Simulation
@testable import Stack
import Testing
import Tracing
import Wire

/// RFC 1071 Internet checksum of `bytes` (one's complement of the one's complement sum).
func internetChecksum(_ bytes: ArraySlice<UInt8>) -> UInt16 {
    var sum: UInt32 = 0
    var index = bytes.startIndex
    while index + 1 < bytes.endIndex {
        sum += UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
        index += 2
    }
    if index < bytes.endIndex { sum += UInt32(bytes[index]) << 8 }
    while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
    return ~UInt16(sum)
}

/// A 20-byte IPv4 header plus payload with a correct header checksum.
func ipv4Packet(source: UInt32, destination: UInt32, ttl: UInt8, payload: [UInt8] = [1, 2, 3, 4],
                identification: UInt16 = 0x1234, proto: UInt8 = 17) -> [UInt8] {
    let total = 20 + payload.count
    var header: [UInt8] = [
        0x45, 0, UInt8(total >> 8), UInt8(total & 0xFF),
        UInt8(identification >> 8), UInt8(identification & 0xFF), 0x40, 0,
        ttl, proto, 0, 0,
    ]
    for address in [source, destination] {
        header += [UInt8(address >> 24), UInt8(address >> 16 & 0xFF), UInt8(address >> 8 & 0xFF), UInt8(address & 0xFF)]
    }
    let checksum = internetChecksum(header[...])
    header[10] = UInt8(checksum >> 8)
    header[11] = UInt8(checksum & 0xFF)
    return header + payload
}

/// h1 — r — h2, and r — h3; 10.0.1.0/24, 10.0.2.0/24, 10.0.3.0/24.
final class RoutedWorld {
    let world = World(seed: 9)
    let recorder = TraceRecorder()
    let h1: Host, h2: Host, h3: Host
    let router: SimulatedRouter
    var received: [String: [[UInt8]]] = [:]

    init() {
        h1 = world.addHost("h1")
        h2 = world.addHost("h2")
        h3 = world.addHost("h3")
        router = SimulatedRouter(name: "r", scheduler: world.scheduler, observer: recorder)
        world.add(router)
        let delay = LinkConditions(delay: .milliseconds(1))
        let l1 = world.addLink("h1-r", conditions: delay)
        let l2 = world.addLink("r-h2", conditions: delay)
        let l3 = world.addLink("r-h3", conditions: delay)
        h1.attach(to: l1.end(.a), address: ipv4(10, 0, 1, 2))
        router.attach(to: l1.end(.b), address: ipv4(10, 0, 1, 1))
        router.attach(to: l2.end(.a), address: ipv4(10, 0, 2, 1))
        h2.attach(to: l2.end(.b), address: ipv4(10, 0, 2, 2))
        router.attach(to: l3.end(.a), address: ipv4(10, 0, 3, 1))
        h3.attach(to: l3.end(.b), address: ipv4(10, 0, 3, 2))
        router.addRoute(prefix: IPv4Address(10, 0, 1, 0), prefixLength: 24, interfaceIndex: 0)
        router.addRoute(prefix: IPv4Address(10, 0, 0, 0), prefixLength: 8, interfaceIndex: 1)   // default-ish via h2
        router.addRoute(prefix: IPv4Address(10, 0, 3, 0), prefixLength: 24, interfaceIndex: 2)
        for host in [h1, h2, h3] {
            let name = host.name
            host.onReceive = { [unowned self] index, frame in
                #expect(index == 0)
                self.received[name, default: []].append(frame)
            }
        }
    }

    /// The reasons of the router's drops, in order.
    var drops: [PacketDropReason] {
        recorder.events.compactMap { event in
            guard event.node == "r", case .packetDropped(_, let reason) = event.kind else { return nil }
            return reason
        }
    }
}

@Suite struct RouterTests {
    @Test func forwardsDecrementingTTLWithValidChecksum() {
        let net = RoutedWorld()
        let packet = ipv4Packet(source: ipv4(10, 0, 1, 2), destination: ipv4(10, 0, 2, 2), ttl: 64)
        #expect(internetChecksum(packet[0..<20]) == 0)
        net.h1.send(packet, on: 0)
        net.world.run()
        let got = net.received["h2"] ?? []
        #expect(got.count == 1)
        #expect(net.received["h3"] == nil)
        let forwarded = got[0]
        #expect(forwarded[8] == 63)
        #expect(internetChecksum(forwarded[0..<20]) == 0, "header checksum verifies")
        var zeroed = forwarded
        zeroed[10] = 0
        zeroed[11] = 0
        let recomputed = internetChecksum(zeroed[0..<20])
        #expect(UInt16(forwarded[10]) << 8 | UInt16(forwarded[11]) == recomputed)
        #expect(Array(forwarded[20...]) == [1, 2, 3, 4])
        #expect(net.world.now == .zero + .milliseconds(2))
    }

    @Test func routesByLongestPrefix() {
        let net = RoutedWorld()
        net.h1.send(ipv4Packet(source: ipv4(10, 0, 1, 2), destination: ipv4(10, 0, 3, 2), ttl: 5), on: 0)
        net.h1.send(ipv4Packet(source: ipv4(10, 0, 1, 2), destination: ipv4(10, 9, 9, 9), ttl: 5), on: 0)
        net.h2.send(ipv4Packet(source: ipv4(10, 0, 2, 2), destination: ipv4(10, 0, 1, 2), ttl: 5), on: 0)
        net.world.run()
        #expect(net.received["h3"]?.count == 1)
        #expect(net.received["h3"]?.first?[19] == 2)
        #expect(net.received["h2"]?.count == 1)
        #expect(net.received["h2"]?.first?[17] == 9)
        #expect(net.received["h1"]?.count == 1)
        #expect(net.router.route(for: IPv4Address(10, 0, 3, 7))?.interfaceIndex == 2)
        #expect(net.router.route(for: IPv4Address(10, 200, 0, 1))?.interfaceIndex == 1)
        #expect(net.router.route(for: IPv4Address(192, 168, 0, 1)) == nil)
    }

    @Test func ttlOneIsDroppedAsExpired() {
        let net = RoutedWorld()
        net.h1.send(ipv4Packet(source: ipv4(10, 0, 1, 2), destination: ipv4(10, 0, 2, 2), ttl: 1), on: 0)
        net.h1.send(ipv4Packet(source: ipv4(10, 0, 1, 2), destination: ipv4(10, 0, 2, 2), ttl: 2), on: 0)
        net.world.run()
        #expect(net.received["h2"]?.count == 1)
        #expect(net.received["h2"]?.first?[8] == 1)
        #expect(net.drops == [.ttlExpired])
    }

    @Test func malformedAndUnroutableFramesAreDropped() {
        let net = RoutedWorld()
        net.h1.send([0x45, 0, 0, 10, 1, 2, 3, 4, 64, 17], on: 0)                       // too short
        var ipv6ish = ipv4Packet(source: 1, destination: ipv4(10, 0, 2, 2), ttl: 9)
        ipv6ish[0] = 0x65                                                              // version 6
        net.h1.send(ipv6ish, on: 0)
        net.h1.send(ipv4Packet(source: 1, destination: ipv4(192, 168, 1, 1), ttl: 9), on: 0)
        net.world.run()
        #expect(net.received.isEmpty)
        #expect(net.drops.count == 3)
        guard net.drops.count == 3 else { return }
        if case .malformed = net.drops[0] {} else { Issue.record("a short frame is malformed: \(net.drops[0])") }
        if case .malformed = net.drops[1] {} else { Issue.record("version 6 is malformed: \(net.drops[1])") }
        #expect(net.drops[2] == .noRoute)
    }

    /// RFC 1812 §5.2.2: a router checks the header checksum and drops a damaged header.
    @Test func damagedHeaderIsDroppedForItsChecksum() {
        let net = RoutedWorld()
        var packet = ipv4Packet(source: ipv4(10, 0, 1, 2), destination: ipv4(10, 0, 2, 2), ttl: 9)
        packet[15] ^= 0x01   // the source address changes under an unchanged checksum
        net.h1.send(packet, on: 0)
        net.world.run()
        #expect(net.received.isEmpty)
        #expect(net.drops == [.badChecksum(field: "IPv4.headerChecksum")])
    }

    @Test func worldKeepsNodesAndLinksInInsertionOrder() {
        let net = RoutedWorld()
        #expect(net.world.nodes.map(\.name) == ["h1", "h2", "h3", "r"])
        #expect(net.world.links.map(\.name) == ["h1-r", "r-h2", "r-h3"])
        #expect(net.world.node(named: "r") === net.router)
        #expect(net.router.interfaces.map(\.address) == [ipv4(10, 0, 1, 1), ipv4(10, 0, 2, 1), ipv4(10, 0, 3, 1)])
    }
}
