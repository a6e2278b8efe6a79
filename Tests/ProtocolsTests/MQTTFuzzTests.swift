import Protocols
import Simulation
import Testing

/// The MQTT broker and client under seeded mutated input from several connections: they never
/// trap, never act on a connection they do not know, close the connection a malformed packet
/// came on (§4.8), and keep their parsers within the packet size limit.
@Suite("MQTT broker and client under mutated input")
struct MQTTFuzzTests {
    /// What a client sends: CONNECT, then subscriptions, publications, pings, maybe DISCONNECT.
    static func session(_ generator: inout SeededGenerator, id: Int) -> [UInt8] {
        var bytes = MQTTPacket.connect(MQTTConnect(clientID: "c\(id)", keepAlive: 10,
                                                   will: MQTTWill(topic: "w/\(id)", payload: [1]))).encoded()
        for number in 1...Int(generator.uniform(1...6)) {
            let packet: MQTTPacket = switch generator.below(4) {
            case 0: .subscribe(packetID: UInt16(number), subscriptions: [MQTTSubscription("t/#", qos: .atLeastOnce)])
            case 1: .publish(MQTTPublish(topic: "t/\(number)", payload: [UInt8](repeating: 7, count: number * 9),
                                         qos: .atLeastOnce, packetID: UInt16(number)))
            case 2: .pingreq
            default: .puback(packetID: UInt16(number))
            }
            bytes += packet.encoded()
        }
        if generator.bernoulli(0.3) { bytes += MQTTPacket.disconnect.encoded() }
        return bytes
    }

    @Test func aBrokerFedMutatedSessionsNeverTrapsAndClosesWhatBrokeTheRules() {
        var generator = SeededGenerator(seed: 1883)
        let corpus = MQTTCodecTests.everyPacket.map { $0.encoded() }
        var closedByBroker = 0
        for round in 0..<500 {
            var broker = MQTTBroker(configuration: MQTTBroker.Configuration(maxPacketSize: 300, retryInterval: 100))
            var open: Set<Int> = []
            var streams: [Int: [ArraySlice<UInt8>]] = [:]
            for handle in 1...3 {
                let bytes = ByteMutator(corpus: corpus).mutate(Self.session(&generator, id: handle), count: 0...2,
                                                              using: &generator)
                streams[handle] = SplitFeed.random(seed: UInt64(round * 3 + handle)).pieces(bytes)
                _ = broker.connected(handle, now: 0)
                open.insert(handle)
            }
            var now: Int64 = 0
            // The connections take turns, a piece at a time, with time passing.
            while streams.values.contains(where: { !$0.isEmpty }) {
                for handle in 1...3 {
                    guard var pieces = streams[handle], !pieces.isEmpty else { continue }
                    let piece = pieces.removeFirst()
                    streams[handle] = pieces
                    now += 7
                    var actions = broker.receive(piece, from: handle, now: now)
                    actions += broker.tick(now: now)
                    for action in actions {
                        switch action {
                        case .send(let bytes, let to):
                            #expect(open.contains(to), "round \(round): a packet for closed connection \(to)")
                            #expect((try? MQTTPacket.decode(bytes)) != nil, "round \(round): the broker sent garbage")
                        case .close(let handle):
                            #expect(open.remove(handle) != nil, "round \(round): closed \(handle) twice")
                            closedByBroker += 1
                        }
                    }
                    _ = broker.takeNotices()
                }
            }
        }
        #expect(closedByBroker > 300, "\(closedByBroker) connections closed by the broker")
    }

    @Test func aClientFedMutatedBrokerBytesNeverTraps() {
        var generator = SeededGenerator(seed: 311)
        let corpus = MQTTCodecTests.everyPacket.map { $0.encoded() }
        var failed = 0
        for round in 0..<2_000 {
            var client = MQTTClient(options: MQTTClient.Options(clientID: "c", maxPacketSize: 300))
            _ = client.connect(now: 0)
            var answer = MQTTPacket.connack(sessionPresent: false, returnCode: .accepted).encoded()
            for number in 1...Int(generator.uniform(1...4)) {
                answer += MQTTPacket.publish(MQTTPublish(topic: "t", payload: [UInt8(number)], qos: .atLeastOnce,
                                                         packetID: UInt16(number))).encoded()
            }
            let bytes = ByteMutator(corpus: corpus).mutate(answer, count: 0...2, using: &generator)
            var events: [MQTTClientEvent] = []
            for piece in SplitFeed.random(seed: UInt64(round)).pieces(bytes) {
                events += client.receive(piece, now: 1).events
            }
            if events.contains(where: { if case .error = $0 { true } else { false } }) {
                failed += 1
                #expect(events.last == .closed, "round \(round)")
                #expect(client.state == .disconnected)
            }
        }
        #expect(failed > 500, "\(failed) of 2,000 ended in an error")
    }
}
