import Protocols
import Testing

/// What a broker's actions mean, decoded: packets per handle and closed handles.
private struct Decoded: Equatable {
    var packets: [(handle: Int, packet: MQTTPacket)] = []
    var closed: [Int] = []

    init(_ actions: [MQTTBroker.Action]) {
        for action in actions {
            switch action {
            case .send(let bytes, let handle):
                // One whole packet per action.
                guard let packet = try? MQTTPacket.decode(bytes) else {
                    Issue.record("not exactly one packet: \(bytes)")
                    continue
                }
                packets.append((handle, packet))
            case .close(let handle):
                closed.append(handle)
            }
        }
    }

    func to(_ handle: Int) -> [MQTTPacket] { packets.filter { $0.handle == handle }.map(\.packet) }

    /// The PUBLISH packets sent to `handle`.
    func publishes(to handle: Int) -> [MQTTPublish] {
        to(handle).compactMap { if case .publish(let publish) = $0 { publish } else { nil } }
    }

    static func == (lhs: Decoded, rhs: Decoded) -> Bool {
        lhs.closed == rhs.closed && lhs.packets.map(\.handle) == rhs.packets.map(\.handle)
            && lhs.packets.map(\.packet) == rhs.packets.map(\.packet)
    }
}

@Suite("MQTT broker (§3, §4)")
struct MQTTBrokerTests {
    private let second: Int64 = 1_000_000_000

    /// Opens `handle` and sends its CONNECT; expects CONNACK accepted.
    @discardableResult
    private func connect(_ broker: inout MQTTBroker, _ handle: Int, _ clientID: String, keepAlive: UInt16 = 0,
                         cleanSession: Bool = true, will: MQTTWill? = nil, now: Int64 = 0) -> Decoded {
        _ = broker.connected(handle, now: now)
        let connect = MQTTConnect(clientID: clientID, cleanSession: cleanSession, keepAlive: keepAlive, will: will)
        let decoded = Decoded(broker.receive(MQTTPacket.connect(connect).encoded(), from: handle, now: now))
        guard case .connack(_, .accepted) = decoded.to(handle).first else {
            Issue.record("CONNECT of \(clientID) not accepted: \(decoded.packets)")
            return decoded
        }
        return decoded
    }

    private func send(_ broker: inout MQTTBroker, _ packet: MQTTPacket, from handle: Int, now: Int64 = 0) -> Decoded {
        Decoded(broker.receive(packet.encoded(), from: handle, now: now))
    }

    private func subscribe(_ broker: inout MQTTBroker, _ handle: Int, _ filter: String, qos: MQTTQoS = .atLeastOnce,
                           now: Int64 = 0) -> Decoded {
        let request = MQTTPacket.subscribe(packetID: 1, subscriptions: [MQTTSubscription(filter, qos: qos)])
        return send(&broker, request, from: handle, now: now)
    }

    // MARK: - CONNECT

    @Test func connectIsAnsweredWithConnack() {
        var broker = MQTTBroker()
        let decoded = connect(&broker, 1, "alpha")
        #expect(decoded.packets.map(\.handle) == [1])
        #expect(broker.receive([], from: 1, now: 0).isEmpty)
        #expect(broker.clientID(of: 1) == "alpha")
        #expect(broker.openHandles == [1])
    }

    /// §3.1.0-1: the first packet must be CONNECT.
    @Test func firstPacketMustBeConnect() {
        var broker = MQTTBroker()
        _ = broker.connected(1, now: 0)
        #expect(send(&broker, .pingreq, from: 1).closed == [1])
        #expect(broker.openHandles.isEmpty)
    }

    /// §3.1.2.2: another protocol level gets CONNACK 1, then the connection closes.
    @Test func unacceptableProtocolLevel() {
        var broker = MQTTBroker()
        _ = broker.connected(1, now: 0)
        let decoded = send(&broker, .connect(MQTTConnect(clientID: "x", protocolLevel: 3)), from: 1)
        #expect(decoded.to(1) == [.connack(sessionPresent: false, returnCode: .unacceptableProtocolVersion)])
        #expect(decoded.closed == [1])
    }

    /// §3.1.3.1: an empty client identifier needs clean session, and is then assigned one.
    @Test func emptyClientIdentifier() {
        var broker = MQTTBroker()
        _ = broker.connected(1, now: 0)
        let refused = send(&broker, .connect(MQTTConnect(clientID: "", cleanSession: false)), from: 1)
        #expect(refused.to(1) == [.connack(sessionPresent: false, returnCode: .identifierRejected)])
        #expect(refused.closed == [1])
        connect(&broker, 2, "")
        connect(&broker, 3, "")
        #expect(broker.clientID(of: 2) == "stacklab-1")
        #expect(broker.clientID(of: 3) == "stacklab-2")
    }

    /// §3.1.0-2: a second CONNECT is a protocol violation.
    @Test func secondConnectClosesTheConnection() {
        var broker = MQTTBroker()
        connect(&broker, 1, "a")
        #expect(send(&broker, .connect(MQTTConnect(clientID: "a")), from: 1).closed == [1])
    }

    /// A client that never sends CONNECT is closed after the connect timeout.
    @Test func connectTimeout() {
        var broker = MQTTBroker(configuration: .init(connectTimeout: 3 * second))
        _ = broker.connected(1, now: 0)
        #expect(broker.nextDeadline == 3 * second)
        #expect(broker.tick(now: 3 * second - 1).isEmpty)
        #expect(broker.tick(now: 3 * second) == [.close(1)])
    }

    // MARK: - Subscribe and publish

    /// §3.8.4, §3.9.3: granted QoS is at most 1 here; SUBACK lists codes in request order.
    @Test func subscribeGrantsAtMostQoS1() {
        var broker = MQTTBroker()
        connect(&broker, 1, "a")
        let request = MQTTPacket.subscribe(packetID: 42, subscriptions: [
            MQTTSubscription("a/#", qos: .exactlyOnce), MQTTSubscription("b", qos: .atMostOnce),
            MQTTSubscription("c/+", qos: .atLeastOnce),
        ])
        #expect(send(&broker, request, from: 1).to(1)
            == [.suback(packetID: 42,
                        returnCodes: [.granted(.atLeastOnce), .granted(.atMostOnce), .granted(.atLeastOnce)])])
        #expect(broker.subscriptions(of: "a").map(\.topicFilter) == ["a/#", "b", "c/+"])
        // §3.8.4: the same filter again replaces the subscription, keeping its place.
        _ = subscribe(&broker, 1, "b", qos: .atLeastOnce)
        #expect(broker.subscriptions(of: "a").map(\.qos) == [.atLeastOnce, .atLeastOnce, .atLeastOnce])
        // §3.10.4
        #expect(send(&broker, .unsubscribe(packetID: 43, topicFilters: ["a/#", "zzz"]), from: 1).to(1)
            == [.unsuback(packetID: 43)])
        #expect(broker.subscriptions(of: "a").map(\.topicFilter) == ["b", "c/+"])
    }

    /// Fan-out in connection order, each at min(published, granted) QoS, RETAIN clear; the QoS 1
    /// publisher gets PUBACK; non-matching and `$`-shielded subscribers get nothing.
    @Test func publishFansOutToMatchingSubscribers() {
        var broker = MQTTBroker()
        for (handle, name) in [(1, "pub"), (2, "s-qos0"), (3, "s-qos1"), (4, "other"), (5, "everything")] {
            connect(&broker, handle, name)
        }
        _ = subscribe(&broker, 2, "sport/+", qos: .atMostOnce)
        _ = subscribe(&broker, 3, "sport/#", qos: .atLeastOnce)
        _ = subscribe(&broker, 4, "news/#")
        _ = subscribe(&broker, 5, "#")
        let publish = MQTTPublish(topic: "sport/tennis", payload: Array("15-0".utf8), qos: .atLeastOnce, packetID: 9,
                                  retain: true)
        let decoded = send(&broker, .publish(publish), from: 1)
        #expect(decoded.packets.map(\.handle) == [1, 2, 3, 5])
        #expect(decoded.to(1) == [.puback(packetID: 9)])
        #expect(decoded.publishes(to: 2) == [MQTTPublish(topic: "sport/tennis", payload: Array("15-0".utf8))])
        #expect(decoded.publishes(to: 3) == [MQTTPublish(topic: "sport/tennis", payload: Array("15-0".utf8),
                                                         qos: .atLeastOnce, packetID: 1)])
        #expect(decoded.publishes(to: 5).first?.retain == false)
        // §4.7.2: `#` does not see `$SYS`.
        let system = send(&broker, .publish(MQTTPublish(topic: "$SYS/uptime", payload: [1])), from: 1)
        #expect(system.packets.isEmpty)
        // A QoS 0 publish is delivered at QoS 0 even to a QoS 1 subscription.
        let light = send(&broker, .publish(MQTTPublish(topic: "sport/golf", payload: [2])), from: 1)
        #expect(light.publishes(to: 3) == [MQTTPublish(topic: "sport/golf", payload: [2])])
    }

    /// §3.3.5: overlapping subscriptions deliver the message once, at the highest QoS granted.
    @Test func overlappingSubscriptionsDeliverOnce() {
        var broker = MQTTBroker()
        connect(&broker, 1, "pub")
        connect(&broker, 2, "sub")
        _ = subscribe(&broker, 2, "a/+", qos: .atMostOnce)
        _ = subscribe(&broker, 2, "a/#", qos: .atLeastOnce)
        let decoded = send(&broker, .publish(MQTTPublish(topic: "a/b", payload: [1], qos: .atLeastOnce, packetID: 1)),
                           from: 1)
        #expect(decoded.publishes(to: 2).map(\.qos) == [.atLeastOnce])
    }

    // MARK: - Retained messages (§3.3.1.3)

    @Test func retainedMessagesAreDeliveredOnSubscribeAndCleared() {
        var broker = MQTTBroker()
        connect(&broker, 1, "pub")
        connect(&broker, 2, "early")
        _ = subscribe(&broker, 2, "home/+/temp")
        let retained = MQTTPublish(topic: "home/kitchen/temp", payload: Array("21".utf8), qos: .atLeastOnce,
                                   packetID: 5, retain: true)
        let live = send(&broker, .publish(retained), from: 1)
        #expect(live.publishes(to: 2).map(\.retain) == [false])  // established subscription: RETAIN clear
        _ = send(&broker, .publish(MQTTPublish(topic: "home/attic/temp", payload: Array("9".utf8), retain: true)),
                 from: 1)
        #expect(broker.retainedMessages.map(\.topic) == ["home/attic/temp", "home/kitchen/temp"])

        connect(&broker, 3, "late")
        let onSubscribe = subscribe(&broker, 3, "home/#", qos: .atLeastOnce)
        #expect(onSubscribe.to(3).first == .suback(packetID: 1, returnCodes: [.granted(.atLeastOnce)]))
        let delivered = onSubscribe.publishes(to: 3)
        #expect(delivered.map(\.topic) == ["home/attic/temp", "home/kitchen/temp"])  // topic order
        #expect(delivered.map(\.retain) == [true, true])
        #expect(delivered.map(\.qos) == [.atMostOnce, .atLeastOnce])  // min(stored, granted)

        // A QoS 0 subscription gets a QoS 1 retained message at QoS 0.
        connect(&broker, 5, "low")
        #expect(subscribe(&broker, 5, "home/kitchen/temp", qos: .atMostOnce).publishes(to: 5)
            == [MQTTPublish(topic: "home/kitchen/temp", payload: Array("21".utf8), retain: true)])

        // An empty retained payload clears the topic and is still forwarded live.
        let clear = send(&broker, .publish(MQTTPublish(topic: "home/kitchen/temp", payload: [], retain: true)), from: 1)
        #expect(clear.publishes(to: 2).map(\.payload) == [[]])
        #expect(broker.retainedMessages.map(\.topic) == ["home/attic/temp"])
        connect(&broker, 4, "later")
        #expect(subscribe(&broker, 4, "home/kitchen/temp").publishes(to: 4).isEmpty)
    }

    // MARK: - Keepalive and wills (§3.1.2.5, §3.1.2.10)

    /// A client silent for 1.5 × keepalive is dropped then (not before) and its will is published.
    @Test func silentClientIsDroppedAtOneAndAHalfKeepAlive() {
        var broker = MQTTBroker()
        connect(&broker, 1, "watcher")
        _ = subscribe(&broker, 1, "status/#")
        let will = MQTTWill(topic: "status/sensor", payload: Array("offline".utf8), qos: .atLeastOnce)
        connect(&broker, 2, "sensor", keepAlive: 10, will: will, now: 5 * second)
        // Activity resets the timer: a PINGREQ at 12 s moves the deadline to 12 + 15 s.
        #expect(send(&broker, .pingreq, from: 2, now: 12 * second).to(2) == [.pingresp])
        #expect(broker.nextDeadline == 27 * second)
        #expect(broker.tick(now: 27 * second - 1).isEmpty)
        let dropped = Decoded(broker.tick(now: 27 * second))
        #expect(dropped.closed == [2])
        #expect(dropped.publishes(to: 1) == [MQTTPublish(topic: "status/sensor", payload: Array("offline".utf8),
                                                         qos: .atLeastOnce, packetID: 1)])
        #expect(broker.openHandles == [1])
    }

    /// Keepalive 0 turns the mechanism off (§3.1.2.10).
    @Test func keepAliveZeroIsNeverDropped() {
        var broker = MQTTBroker()
        connect(&broker, 1, "quiet", keepAlive: 0)
        #expect(broker.nextDeadline == nil)
        #expect(broker.tick(now: 1_000_000 * second).isEmpty)
    }

    /// §3.14.4: DISCONNECT discards the will; a lost connection publishes it.
    @Test func disconnectSuppressesTheWill() {
        let will = MQTTWill(topic: "status/x", payload: Array("gone".utf8))
        var broker = MQTTBroker()
        connect(&broker, 1, "watcher")
        _ = subscribe(&broker, 1, "status/#")
        connect(&broker, 2, "polite", will: will)
        let polite = send(&broker, .disconnect, from: 2)
        #expect(polite.closed == [2])
        #expect(polite.publishes(to: 1).isEmpty)
        #expect(broker.disconnected(2, now: 1).isEmpty)  // already forgotten

        connect(&broker, 3, "rude", will: will)
        let lost = Decoded(broker.disconnected(3, now: 2))
        #expect(lost.closed.isEmpty)
        #expect(lost.publishes(to: 1).map(\.payload) == [Array("gone".utf8)])
    }

    /// Malformed bytes close the connection as a lost one: the will goes out.
    @Test func malformedPacketClosesAndPublishesTheWill() {
        var broker = MQTTBroker()
        connect(&broker, 1, "watcher")
        _ = subscribe(&broker, 1, "w")
        connect(&broker, 2, "broken", will: MQTTWill(topic: "w", payload: [1], retain: true))
        let decoded = Decoded(broker.receive([0xC0, 0x00, 0xF0, 0x00], from: 2, now: 1))
        #expect(decoded.to(2) == [.pingresp])  // the packet before the bad one is still handled
        #expect(decoded.closed == [2])
        #expect(decoded.publishes(to: 1).count == 1)
        #expect(broker.retainedMessages.map(\.topic) == ["w"])
    }

    /// QoS 2 publishing is refused by closing the connection.
    @Test func qos2PublishIsRefused() {
        var broker = MQTTBroker()
        connect(&broker, 1, "q2")
        let decoded = send(&broker, .publish(MQTTPublish(topic: "t", payload: [], qos: .exactlyOnce, packetID: 1)),
                           from: 1)
        #expect(decoded.closed == [1])
        #expect(decoded.to(1).isEmpty)
    }

    // MARK: - QoS 1 (§4.3.2, §4.4)

    /// An unacknowledged QoS 1 message is sent again with DUP every retry interval until PUBACK.
    @Test func unacknowledgedMessagesAreRetransmittedWithDup() {
        var broker = MQTTBroker(configuration: .init(retryInterval: 2 * second))
        connect(&broker, 1, "pub")
        connect(&broker, 2, "sub")
        _ = subscribe(&broker, 2, "t")
        let first = send(&broker, .publish(MQTTPublish(topic: "t", payload: [7], qos: .atLeastOnce, packetID: 3)),
                         from: 1, now: 10 * second)
        let original = first.publishes(to: 2)
        #expect(original.map(\.dup) == [false])
        #expect(broker.nextDeadline == 12 * second)
        #expect(broker.tick(now: 12 * second - 1).isEmpty)
        let retry = Decoded(broker.tick(now: 12 * second)).publishes(to: 2)
        #expect(retry.map(\.dup) == [true])
        #expect(retry.map(\.packetID) == original.map(\.packetID))
        #expect(Decoded(broker.tick(now: 14 * second)).publishes(to: 2).count == 1)
        _ = send(&broker, .puback(packetID: original[0].packetID ?? 0), from: 2, now: 15 * second)
        #expect(broker.pendingMessages(of: "sub").inflight == 0)
        #expect(broker.tick(now: 100 * second).isEmpty)
    }

    /// Beyond `maxInflight`, messages wait and go out, in order, as PUBACKs come back (§4.6).
    @Test func inflightWindowAndOrder() {
        var broker = MQTTBroker(configuration: .init(maxInflight: 2))
        connect(&broker, 1, "pub")
        connect(&broker, 2, "sub")
        _ = subscribe(&broker, 2, "t")
        var sent: [MQTTPublish] = []
        for index in 1...5 {
            sent += send(&broker, .publish(MQTTPublish(topic: "t", payload: [UInt8(index)], qos: .atLeastOnce,
                                                       packetID: UInt16(index))), from: 1).publishes(to: 2)
        }
        #expect(sent.map(\.payload) == [[1], [2]])
        #expect(broker.pendingMessages(of: "sub") == (inflight: 2, queued: 3))
        var delivered = sent.map(\.payload)
        while !sent.isEmpty {
            let acknowledged = sent.removeFirst()
            let more = send(&broker, .puback(packetID: acknowledged.packetID ?? 0), from: 2).publishes(to: 2)
            sent += more
            delivered += more.map(\.payload)
        }
        #expect(delivered == [[1], [2], [3], [4], [5]])
        #expect(broker.pendingMessages(of: "sub") == (inflight: 0, queued: 0))
    }

    // MARK: - Sessions (§3.1.2.4)

    /// Without clean session, subscriptions survive a disconnection, QoS 1 messages wait, and
    /// come with the session on reconnection (in-flight ones again, with DUP).
    @Test func persistentSessionQueuesWhileOffline() {
        var broker = MQTTBroker()
        connect(&broker, 1, "pub")
        connect(&broker, 2, "durable", cleanSession: false)
        _ = subscribe(&broker, 2, "t")
        let inflight = send(&broker, .publish(MQTTPublish(topic: "t", payload: [1], qos: .atLeastOnce, packetID: 1)),
                            from: 1)
        #expect(inflight.publishes(to: 2).count == 1)
        _ = broker.disconnected(2, now: 1)
        _ = send(&broker, .publish(MQTTPublish(topic: "t", payload: [2], qos: .atLeastOnce, packetID: 2)), from: 1)
        _ = send(&broker, .publish(MQTTPublish(topic: "t", payload: [3])), from: 1)  // QoS 0 offline: dropped
        #expect(broker.pendingMessages(of: "durable") == (inflight: 1, queued: 1))

        let back = connect(&broker, 3, "durable", cleanSession: false, now: 2)
        #expect(back.to(3).first == .connack(sessionPresent: true, returnCode: .accepted))
        let resent = back.publishes(to: 3)
        #expect(resent.map(\.payload) == [[1], [2]])
        #expect(resent.map(\.dup) == [true, false])
        #expect(broker.subscriptions(of: "durable").map(\.topicFilter) == ["t"])

        // A clean session throws all of it away.
        _ = broker.disconnected(3, now: 3)
        let fresh = connect(&broker, 4, "durable", cleanSession: true, now: 4)
        #expect(fresh.to(4) == [.connack(sessionPresent: false, returnCode: .accepted)])
        #expect(broker.subscriptions(of: "durable").isEmpty)
        _ = broker.disconnected(4, now: 5)
        #expect(broker.sessionClientIDs == ["pub"])
    }

    /// §3.1.4 item 2: a second connection with the same client identifier takes over.
    @Test func takeoverClosesTheOldConnection() {
        var broker = MQTTBroker()
        connect(&broker, 1, "watcher")
        _ = subscribe(&broker, 1, "w")
        connect(&broker, 2, "twin", will: MQTTWill(topic: "w", payload: [0]))
        let takeover = connect(&broker, 3, "twin")
        #expect(takeover.closed == [2])
        #expect(takeover.publishes(to: 1).count == 1)  // the old connection's will
        #expect(broker.openHandles == [1, 3])
        #expect(broker.clientID(of: 3) == "twin")
    }

    /// Packets only servers send are refused from a client.
    @Test func serverPacketsFromAClientAreViolations() {
        let serverPackets: [MQTTPacket] = [.pingresp, .connack(sessionPresent: false, returnCode: .accepted),
                                           .unsuback(packetID: 1), .suback(packetID: 1, returnCodes: [.failure]),
                                           .pubrel(packetID: 1)]
        for packet in serverPackets {
            var broker = MQTTBroker()
            connect(&broker, 1, "x")
            #expect(send(&broker, packet, from: 1).closed == [1], "\(packet)")
        }
    }

    /// A client's bytes fed whole, one byte at a time or in random pieces give the same actions.
    @Test func splitFeedingGivesTheSameActions() {
        let stream: [MQTTPacket] = [
            .connect(MQTTConnect(clientID: "echo", keepAlive: 30)),
            .subscribe(packetID: 1, subscriptions: [MQTTSubscription("room/#", qos: .atLeastOnce)]),
            .publish(MQTTPublish(topic: "room/1", payload: Array("hello".utf8), qos: .atLeastOnce, packetID: 2)),
            .publish(MQTTPublish(topic: "room/2", payload: [UInt8](repeating: 7, count: 300), retain: true)),
            .pingreq,
            .unsubscribe(packetID: 3, topicFilters: ["room/#"]),
            .disconnect,
        ]
        let bytes = stream.flatMap { $0.encoded() }
        let actions = SplitFeed.sameForEveryFeed(bytes) { pieces -> [MQTTBroker.Action] in
            var broker = MQTTBroker()
            _ = broker.connected(1, now: 0)
            return pieces.flatMap { broker.receive($0, from: 1, now: 1) }
        }
        let decoded = Decoded(actions)
        #expect(decoded.to(1).map(\.type) == [.connack, .suback, .puback, .publish, .publish, .pingresp, .unsuback])
        #expect(decoded.closed == [1])
    }

    /// Unknown handles are ignored rather than trapping.
    @Test func unknownHandlesAreIgnored() {
        var broker = MQTTBroker()
        #expect(broker.receive([0xC0, 0x00], from: 99, now: 0).isEmpty)
        #expect(broker.disconnected(99, now: 0).isEmpty)
        _ = broker.connected(1, now: 0)
        #expect(broker.connected(1, now: 0).isEmpty)
        #expect(broker.openHandles == [1])
    }
}
