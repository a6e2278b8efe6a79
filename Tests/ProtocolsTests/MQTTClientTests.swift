import Protocols
import Testing

@Suite("MQTT client (§3, §4)")
struct MQTTClientTests {
    private let second: Int64 = 1_000_000_000

    private func packets(_ output: MQTTClientOutput) -> [MQTTPacket] {
        output.actions.compactMap { action in
            guard case .send(let bytes) = action else { return nil }
            return try? MQTTPacket.decode(bytes)
        }
    }

    /// A client that has sent CONNECT at 0 and received CONNACK at `now`.
    private func connected(_ options: MQTTClient.Options, now: Int64 = 0) -> MQTTClient {
        var client = MQTTClient(options: options)
        _ = client.connect(now: 0)
        let connack = MQTTPacket.connack(sessionPresent: false, returnCode: .accepted)
        let output = client.receive(connack.encoded(), now: now)
        #expect(output.events == [.connected(sessionPresent: false)])
        return client
    }

    @Test func connectSendsConnectAndWaitsForConnack() {
        let will = MQTTWill(topic: "status/c1", payload: Array("bye".utf8), qos: .atLeastOnce, retain: true)
        var client = MQTTClient(options: .init(clientID: "c1", keepAlive: 30, cleanSession: false, will: will,
                                               username: "u", password: [1]))
        let output = client.connect(now: 0)
        #expect(packets(output) == [.connect(MQTTConnect(clientID: "c1", cleanSession: false, keepAlive: 30, will: will,
                                                         username: "u", password: [1]))])
        #expect(client.state == .connecting(since: 0))
        #expect(client.connect(now: 1) == MQTTClientOutput())  // only once
        let accepted = client.receive(MQTTPacket.connack(sessionPresent: true, returnCode: .accepted).encoded(), now: 2)
        #expect(accepted.events == [.connected(sessionPresent: true)])
        #expect(client.state == .connected)
    }

    @Test func refusedOrUnexpectedFirstPacket() {
        var refused = MQTTClient(options: .init(clientID: "c"))
        _ = refused.connect(now: 0)
        let output = refused.receive(MQTTPacket.connack(sessionPresent: false, returnCode: .notAuthorized).encoded(),
                                     now: 1)
        #expect(output == MQTTClientOutput(actions: [.closeTransport],
                                           events: [.error(.connectionRefused(.notAuthorized)), .closed]))
        #expect(refused.state == .disconnected)

        var confused = MQTTClient(options: .init(clientID: "c"))
        _ = confused.connect(now: 0)
        #expect(confused.receive(MQTTPacket.pingresp.encoded(), now: 1).events.first
            == .error(.unexpectedPacket(.pingresp)))
    }

    @Test func connackTimeout() {
        var client = MQTTClient(options: .init(clientID: "c", responseTimeout: 4 * second))
        _ = client.connect(now: 0)
        #expect(client.nextDeadline == 4 * second)
        #expect(client.tick(now: 4 * second - 1) == MQTTClientOutput())
        #expect(client.tick(now: 4 * second).events == [.error(.timeout(waitingFor: .connack)), .closed])
    }

    /// §4.3.2, §4.4: QoS 1 is sent again with DUP and the same identifier until PUBACK.
    @Test func qos1IsRetransmittedUntilAcknowledged() throws {
        var client = connected(.init(clientID: "c", keepAlive: 0, retryInterval: 3 * second))
        let first = try client.publish(topic: "t", payload: [1], qos: .atLeastOnce, now: 1 * second)
        #expect(first.packetID == 1)
        #expect(packets(first) == [.publish(MQTTPublish(topic: "t", payload: [1], qos: .atLeastOnce, packetID: 1))])
        #expect(client.nextDeadline == 4 * second)
        #expect(client.tick(now: 4 * second - 1) == MQTTClientOutput())
        let retry = client.tick(now: 4 * second)
        let repeated = MQTTPublish(topic: "t", payload: [1], qos: .atLeastOnce, packetID: 1, dup: true)
        #expect(packets(retry) == [.publish(repeated)])
        let ack = client.receive(MQTTPacket.puback(packetID: 1).encoded(), now: 5 * second)
        #expect(ack.events == [.published(packetID: 1)])
        #expect(client.unacknowledged.isEmpty)
        #expect(client.tick(now: 60 * second) == MQTTClientOutput())
        // A late duplicate PUBACK is harmless.
        #expect(client.receive(MQTTPacket.puback(packetID: 1).encoded(), now: 61 * second) == MQTTClientOutput())
        // Identifiers move on and skip those in use.
        #expect(try client.publish(topic: "t", payload: [], qos: .atLeastOnce, now: 62 * second).packetID == 2)
        #expect(try client.subscribe([MQTTSubscription("x")], now: 62 * second).packetID == 3)
        #expect(try client.publish(topic: "t", payload: [], now: 62 * second).packetID == nil)
    }

    @Test func usageErrors() {
        var idle = MQTTClient(options: .init(clientID: "c"))
        #expect(throws: MQTTClientUsageError.notConnected) { try idle.publish(topic: "t", payload: [], now: 0) }
        var client = connected(.init(clientID: "c"))
        #expect(throws: MQTTClientUsageError.unsupportedQoS) {
            try client.publish(topic: "t", payload: [], qos: .exactlyOnce, now: 0)
        }
        #expect(throws: MQTTClientUsageError.invalidTopic("a/#", .wildcardInName)) {
            try client.publish(topic: "a/#", payload: [], now: 0)
        }
        #expect(throws: MQTTClientUsageError.invalidTopic("a#", .misplacedMultiLevelWildcard)) {
            try client.subscribe([MQTTSubscription("a#")], now: 0)
        }
        #expect(throws: MQTTClientUsageError.emptyRequest) { try client.subscribe([], now: 0) }
        #expect(throws: MQTTClientUsageError.emptyRequest) { try client.unsubscribe([], now: 0) }
    }

    /// Incoming QoS 1 is handed over and acknowledged (§4.3.2); QoS 2 is refused.
    @Test func incomingMessages() {
        var client = connected(.init(clientID: "c"))
        let publish = MQTTPublish(topic: "a", payload: [5], qos: .atLeastOnce, packetID: 77, retain: true, dup: true)
        let output = client.receive(MQTTPacket.publish(publish).encoded(), now: 1)
        #expect(output.events == [.message(topic: "a", payload: [5], qos: .atLeastOnce, retain: true, dup: true)])
        #expect(packets(output) == [.puback(packetID: 77)])
        let qos0 = client.receive(MQTTPacket.publish(MQTTPublish(topic: "b", payload: [])).encoded(), now: 2)
        #expect(packets(qos0).isEmpty)
        let qos2 = MQTTPacket.publish(MQTTPublish(topic: "a", payload: [], qos: .exactlyOnce, packetID: 1))
        #expect(client.receive(qos2.encoded(), now: 3).events == [.error(.unsupportedQoS), .closed])
    }

    @Test func subscribeAndUnsubscribe() throws {
        var client = connected(.init(clientID: "c"))
        let request = try client.subscribe([MQTTSubscription("a/+", qos: .atLeastOnce)], now: 1)
        #expect(packets(request)
            == [.subscribe(packetID: 1, subscriptions: [MQTTSubscription("a/+", qos: .atLeastOnce)])])
        let suback = MQTTPacket.suback(packetID: 1, returnCodes: [.granted(.atLeastOnce)])
        let answer = client.receive(suback.encoded(), now: 2)
        #expect(answer.events == [.subscribed(packetID: 1, returnCodes: [.granted(.atLeastOnce)])])
        let leave = try client.unsubscribe(["a/+"], now: 3)
        #expect(packets(leave) == [.unsubscribe(packetID: 2, topicFilters: ["a/+"])])
        #expect(client.receive(MQTTPacket.unsuback(packetID: 2).encoded(), now: 4).events
            == [.unsubscribed(packetID: 2)])
    }

    /// §3.1.2.10: PINGREQ after keepAlive seconds without sending; no PINGRESP in time closes.
    @Test func keepAlivePings() throws {
        var client = connected(.init(clientID: "c", keepAlive: 10, responseTimeout: 5 * second))
        #expect(client.nextDeadline == 10 * second)
        #expect(client.tick(now: 10 * second - 1) == MQTTClientOutput())
        #expect(packets(client.tick(now: 10 * second)) == [.pingreq])
        #expect(client.tick(now: 11 * second) == MQTTClientOutput())  // one ping outstanding at a time
        #expect(client.receive(MQTTPacket.pingresp.encoded(), now: 12 * second).events == [.pong])
        // Sending anything restarts the count.
        _ = try client.publish(topic: "t", payload: [], now: 14 * second)
        #expect(client.tick(now: 24 * second - 1) == MQTTClientOutput())
        #expect(packets(client.tick(now: 24 * second)) == [.pingreq])
        #expect(client.nextDeadline == 29 * second)
        let timeout = client.tick(now: 29 * second)
        #expect(timeout == MQTTClientOutput(actions: [.closeTransport],
                                            events: [.error(.timeout(waitingFor: .pingresp)), .closed]))
    }

    /// §4.4: after reconnecting without clean session, unacknowledged messages go again with DUP;
    /// with clean session they are forgotten.
    @Test func reconnectionResendsUnacknowledgedMessages() throws {
        for cleanSession in [false, true] {
            var client = connected(.init(clientID: "c", keepAlive: 0, cleanSession: cleanSession))
            _ = try client.publish(topic: "t", payload: [9], qos: .atLeastOnce, now: 1)
            #expect(client.transportClosed(now: 2).events == [.closed])
            _ = client.connect(now: 3)
            let connack = MQTTPacket.connack(sessionPresent: !cleanSession, returnCode: .accepted)
            let resumed = client.receive(connack.encoded(), now: 4)
            let expected: [MQTTPacket] = cleanSession ? []
                : [.publish(MQTTPublish(topic: "t", payload: [9], qos: .atLeastOnce, packetID: 1, dup: true))]
            #expect(packets(resumed) == expected, "clean session \(cleanSession)")
        }
    }

    /// A message published after CONNECT but before CONNACK is not resent at CONNACK.
    @Test func publishBeforeConnackIsNotResentAtConnack() throws {
        var client = MQTTClient(options: .init(clientID: "c", keepAlive: 0, cleanSession: false))
        _ = client.connect(now: 0)
        _ = try client.publish(topic: "t", payload: [1], qos: .atLeastOnce, now: 1)
        let connack = client.receive(MQTTPacket.connack(sessionPresent: false, returnCode: .accepted).encoded(), now: 2)
        #expect(packets(connack).isEmpty)
    }

    @Test func disconnectIsClean() {
        var client = connected(.init(clientID: "c"))
        let output = client.disconnect(now: 1)
        #expect(output == MQTTClientOutput(actions: [.send([0xE0, 0x00]), .closeTransport], events: [.closed]))
        #expect(client.state == .disconnected)
        #expect(client.disconnect(now: 2) == MQTTClientOutput())
        #expect(client.receive([0xD0, 0x00], now: 3) == MQTTClientOutput())
    }

    /// The broker's bytes fed whole, byte by byte or in random pieces give the same events.
    @Test func splitFeedingGivesTheSameEvents() {
        let stream: [MQTTPacket] = [
            .connack(sessionPresent: false, returnCode: .accepted),
            .suback(packetID: 1, returnCodes: [.granted(.atLeastOnce)]),
            .publish(MQTTPublish(topic: "a/b", payload: Array("hello".utf8), qos: .atLeastOnce, packetID: 4)),
            .publish(MQTTPublish(topic: "a/c", payload: [UInt8](repeating: 1, count: 200))),
            .pingresp,
        ]
        let bytes = stream.flatMap { $0.encoded() }
        let result = SplitFeed.sameForEveryFeed(bytes) { pieces -> MQTTClientOutput in
            var client = MQTTClient(options: .init(clientID: "c"))
            _ = client.connect(now: 0)
            var all = MQTTClientOutput()
            for piece in pieces {
                let output = client.receive(piece, now: 1)
                all.actions += output.actions
                all.events += output.events
            }
            return all
        }
        #expect(result.events.count == 5)
        #expect(result.actions == [.send(MQTTPacket.puback(packetID: 4).encoded())])
    }

    @Test func malformedBytesCloseTheConnection() {
        var client = connected(.init(clientID: "c"))
        let output = client.receive([0xD0, 0x00, 0x00, 0x00], now: 1)
        let error = MQTTDecodingError(.reservedPacketType(0), field: .packetType, packetType: nil, offset: 6)
        #expect(output.events == [.pong, .error(.malformedPacket(error)), .closed])
        #expect(output.actions == [.closeTransport])
    }
}
