/// What the application asks of an MQTT client: publish, subscribe, unsubscribe, disconnect.
///
/// Requests are accepted from the moment CONNECT is sent: §3.1.4 lets a client send further
/// packets without waiting for CONNACK.
extension MQTTClient {
    /// Publishes a message at QoS 0 or 1 (§3.3); at QoS 1 the output's `packetID` identifies
    /// the `published` event that will follow the PUBACK.
    public mutating func publish(topic: String, payload: [UInt8], qos: MQTTQoS = .atMostOnce, retain: Bool = false,
                                 now: Int64) throws(MQTTClientUsageError) -> MQTTClientOutput {
        guard state != .disconnected else { throw .notConnected }
        if let problem = MQTTTopic.problem(name: topic) { throw .invalidTopic(topic, problem) }
        var output = MQTTClientOutput()
        switch qos {
        case .exactlyOnce:
            throw .unsupportedQoS
        case .atMostOnce:
            send(.publish(MQTTPublish(topic: topic, payload: payload, retain: retain)), now: now, into: &output)
        case .atLeastOnce:
            let packetID = try freePacketID()
            let publish = MQTTPublish(topic: topic, payload: payload, qos: .atLeastOnce, packetID: packetID,
                                      retain: retain)
            inflight.append(Inflight(publish: publish, sentAt: now, connection: connectionNumber))
            send(.publish(publish), now: now, into: &output)
            output.packetID = packetID
        }
        return output
    }

    /// Subscribes to topic filters (§3.8); the `subscribed` event carries the QoS granted.
    public mutating func subscribe(_ subscriptions: [MQTTSubscription],
                                   now: Int64) throws(MQTTClientUsageError) -> MQTTClientOutput {
        guard state != .disconnected else { throw .notConnected }
        guard !subscriptions.isEmpty else { throw .emptyRequest }
        for subscription in subscriptions {
            if let problem = MQTTTopic.problem(filter: subscription.topicFilter) {
                throw .invalidTopic(subscription.topicFilter, problem)
            }
        }
        let packetID = try freePacketID()
        awaitingAnswer.append(packetID)
        var output = MQTTClientOutput(packetID: packetID)
        send(.subscribe(packetID: packetID, subscriptions: subscriptions), now: now, into: &output)
        return output
    }

    /// Unsubscribes from topic filters (§3.10).
    public mutating func unsubscribe(_ topicFilters: [String],
                                     now: Int64) throws(MQTTClientUsageError) -> MQTTClientOutput {
        guard state != .disconnected else { throw .notConnected }
        guard !topicFilters.isEmpty else { throw .emptyRequest }
        for filter in topicFilters {
            if let problem = MQTTTopic.problem(filter: filter) { throw .invalidTopic(filter, problem) }
        }
        let packetID = try freePacketID()
        awaitingAnswer.append(packetID)
        var output = MQTTClientOutput(packetID: packetID)
        send(.unsubscribe(packetID: packetID, topicFilters: topicFilters), now: now, into: &output)
        return output
    }

    /// Disconnects cleanly (§3.14): DISCONNECT, then close the transport; the broker discards
    /// the will.
    public mutating func disconnect(now: Int64) -> MQTTClientOutput {
        guard state != .disconnected else { return MQTTClientOutput() }
        var output = MQTTClientOutput()
        send(.disconnect, now: now, into: &output)
        state = .disconnected
        output.actions.append(.closeTransport)
        output.events.append(.closed)
        return output
    }

    /// The next packet identifier not used by a message or request in flight (§2.3.1).
    private mutating func freePacketID() throws(MQTTClientUsageError) -> UInt16 {
        for _ in 0..<0xFFFF {
            let candidate = nextPacketID
            nextPacketID = nextPacketID == 0xFFFF ? 1 : nextPacketID + 1
            let inUse = inflight.contains { $0.publish.packetID == candidate } || awaitingAnswer.contains(candidate)
            if !inUse { return candidate }
        }
        throw .noFreePacketID
    }
}
