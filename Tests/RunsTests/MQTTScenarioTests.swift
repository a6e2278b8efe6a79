import Apps
import Runs
import Testing
import Tracing

/// MQTT's acceptance checks on the simulated stack, read from traces alone: a client that falls
/// silent is dropped by the broker at 1.5 × its keepalive and its will is published; at QoS 1 over
/// links that lose 20% of the packets every subscriber gets every message at least once, and every
/// PUBLISH sent again carries DUP.
@Suite("MQTT on the simulated stack")
struct MQTTScenarioTests {
    static func run(_ text: String, seed: UInt64 = 1) throws -> Trace {
        var scenario = try ScenarioLanguage.parse(text, file: "mqtt.scn")
        scenario.seed = seed
        let run = SimulatedRuntime().run(scenario)
        #expect(run.failures.isEmpty, "\(run.failures)")
        return run.trace
    }

    /// `(time, node, socket, event)` of every MQTT and chat event.
    static func events(_ trace: Trace) -> [(time: Int64, node: String, socket: String, event: ApplicationEvent)] {
        trace.events.compactMap { event in
            guard case .application(let socket, let application) = event.kind else { return nil }
            return (event.time, event.node, socket, application)
        }
    }

    /// The host at the other end of a connection named `host:port>peer:port`.
    static func peer(_ socket: String) -> String {
        String(socket.split(separator: ">").last?.split(separator: ":").first ?? "")
    }

    @Test(arguments: [10, 4])
    func aSilentClientIsDroppedAtOneAndAHalfKeepalivesAndItsWillIsPublished(keepalive: Int) throws {
        // carol's phone loses its signal at 12 s, for good: no FIN, no RST, only silence.
        let trace = try Self.run("""
            scenario silent "carol vanishes"
            hosts broker alice carol
            link rtt 100ms
            link carol partition 12s..120s
            time-limit 120s
            at 0 broker serve mqtt
            at 0 alice mqtt broker:1883 client alice keepalive \(keepalive) subscribe "chat/#"
            at 0 carol mqtt broker:1883 client carol keepalive \(keepalive) will chat/presence subscribe "chat/#" publish 2 every 1s topic chat/room
            at 100s alice mqtt disconnect
            """)
        let events = Self.events(trace)
        // The last packet the broker had from carol.
        let lastHeard = try #require(events.last { event in
            guard event.node == "broker", Self.peer(event.socket) == "carol",
                  case .mqtt(.packet(.received, _)) = event.event else { return false }
            return true
        })
        let timeout = try #require(events.first { if case .mqtt(.keepaliveExpired) = $0.event { true } else { false } })
        let limit = Int64(keepalive) * 1_500_000_000
        #expect(timeout.time == lastHeard.time + limit, "dropped \(timeout.time - lastHeard.time) ns after the last packet")
        #expect(timeout.event == .mqtt(.keepaliveExpired(client: "carol", silence: limit)))
        // Before the limit the broker waited: carol's PINGREQs had kept her alive until the signal went.
        #expect(lastHeard.time < 12_000_000_000 && timeout.time > 12_000_000_000)

        let wills = events.filter { if case .mqtt(.will) = $0.event { true } else { false } }
        #expect(wills.map(\.event) == [.mqtt(.will(client: "carol", topic: "chat/presence"))])
        #expect(wills.first?.time == timeout.time)
        // alice gets the will through her subscription; her own DISCONNECT publishes none.
        let received = events.filter { event in
            guard event.node == "alice", case .mqtt(.packet(.received, let packet)) = event.event else { return false }
            return packet.kind == .publish && packet.topic == "chat/presence"
        }
        #expect(received.count == 1)
        #expect(received.first.map { $0.time - timeout.time } == 50_000_000, "one way, broker to alice")
    }

    /// Every PUBLISH sent while an earlier one with the same packet identifier to the same peer is
    /// unacknowledged is a retransmission, and must carry DUP (§3.3.1.1, §4.4). Returns how many.
    static func retransmissionsCarryDUP(_ trace: Trace) -> Int {
        var unacknowledged: Set<String> = []
        var retransmissions = 0
        for event in events(trace) {
            guard case .mqtt(.packet(let direction, let packet)) = event.event, let id = packet.packetID else { continue }
            let key = "\(event.node)>\(peer(event.socket))#\(id)"
            switch (direction, packet.kind) {
            case (.sent, .publish) where packet.qos == 1:
                if unacknowledged.contains(key) {
                    retransmissions += 1
                    #expect(packet.dup, "a PUBLISH sent again without DUP: \(event.node) at \(event.time) ns, #\(id)")
                } else {
                    #expect(!packet.dup, "DUP on a first transmission: \(event.node) at \(event.time) ns, #\(id)")
                }
                unacknowledged.insert(key)
            case (.received, .puback):
                unacknowledged.remove(key)
            default:
                break
            }
        }
        return retransmissions
    }

    /// The messages start at 30 s, once every subscription has surely reached the broker through
    /// the losses (MQTT delivers only what is published after a subscription).
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func qos1OverTwentyPercentLossDeliversEverythingAtLeastOnceAndResendsWithDUP(seed: UInt64) throws {
        let trace = try Self.run("""
            scenario lossy-room "three chatters, every one on a link that loses one packet in five"
            hosts broker alice bob carol
            link rtt 100ms
            link alice loss 20%
            link bob loss 20%
            link carol loss 20%
            time-limit 300s
            at 0 broker serve mqtt
            at 0 alice mqtt broker:1883 client alice keepalive 30 persistent subscribe "room/#" publish 10 every 1s from 30s topic room/talk retry 2s reconnect 1s..8s
            at 0 bob mqtt broker:1883 client bob keepalive 30 persistent subscribe "room/#" publish 10 every 1s from 30300ms topic room/talk retry 2s reconnect 1s..8s
            at 0 carol mqtt broker:1883 client carol keepalive 30 persistent subscribe "room/#" publish 10 every 1s from 30600ms topic room/talk retry 2s reconnect 1s..8s
            """, seed: seed)
        let events = Self.events(trace)
        var posted: Set<String> = []
        var delivered: [String: Set<String>] = [:]
        for event in events {
            guard case .chatMessage(let direction, let id, let from, _, _) = event.event else { continue }
            switch direction {
            case .sent: posted.insert("\(from)#\(id)")
            case .received: delivered[event.node, default: []].insert("\(from)#\(id)")
            }
        }
        #expect(posted.count == 30)
        for subscriber in ["alice", "bob", "carol"] {
            let missing = posted.subtracting(delivered[subscriber] ?? [])
            #expect(missing.isEmpty, "seed \(seed): \(subscriber) never got \(missing.sorted())")
        }
        let drops = trace.events.filter { if case .packetDropped = $0.kind { true } else { false } }
        #expect(drops.count > 20, "the links did lose packets")
        let retransmissions = Self.retransmissionsCarryDUP(trace)
        #expect(retransmissions > 0, "seed \(seed): MQTT sent something again")
    }

    @Test func theBuiltInRoomSendsAgainWithDUPAndDropsTheVanishedPhone() throws {
        let run = SimulatedRuntime().run(try #require(BuiltInScenarios.scenario(named: "mqtt-chat")))
        #expect(run.failures.isEmpty)
        #expect(Self.retransmissionsCarryDUP(run.trace) >= 1)
        let events = Self.events(run.trace)
        #expect(events.contains { $0.event == .mqtt(.keepaliveExpired(client: "carol", silence: 15_000_000_000)) })
        #expect(events.filter { if case .mqtt(.will) = $0.event { true } else { false } }.count == 1)
    }
}
