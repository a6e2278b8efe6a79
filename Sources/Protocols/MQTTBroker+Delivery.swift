/// Delivery: retained messages, fan-out to subscribers, QoS 1 in flight, queues and
/// retransmission (§3.3.1.3, §3.3.5, §4.3, §4.4, §4.6).
extension MQTTBroker {
    /// Publishes an application message (from a client, or a will): stores or clears the
    /// retained message, then sends it to every session with a matching subscription, once,
    /// at the lower of the message's QoS and the highest QoS granted among the client's
    /// matching subscriptions (§3.3.5). RETAIN is clear on this delivery (§3.3.1.3).
    mutating func publish(topic: String, payload: [UInt8], qos: MQTTQoS, retain: Bool, now: Int64) {
        if retain {
            // §3.3.1.3: an empty payload removes the retained message and is not stored.
            retained[topic] = payload.isEmpty
                ? nil : MQTTPublish(topic: topic, payload: payload, qos: qos, retain: true)
        }
        for clientID in sessionOrder {
            guard let session = sessions[clientID],
                  let granted = session.subscriptions
                    .filter({ MQTTTopic.matches(filter: $0.topicFilter, name: topic) }).map(\.qos).max()
            else { continue }
            deliver(MQTTPublish(topic: topic, payload: payload, qos: min(qos, granted)), to: clientID, now: now)
        }
    }

    /// Sends a message to a session, or queues it (§4.6: in order). QoS 0 messages to an
    /// offline client are dropped; QoS 1 messages wait for a free in-flight slot.
    mutating func deliver(_ message: MQTTPublish, to clientID: String, now: Int64) {
        guard var session = sessions[clientID] else { return }
        switch message.qos {
        case .atMostOnce:
            if let handle = session.handle { send(.publish(message), to: handle) }
        case .atLeastOnce, .exactlyOnce:
            if session.handle != nil && session.queue.isEmpty && session.inflight.count < configuration.maxInflight {
                startInflight(message, in: &session, now: now)
            } else if session.queue.count < configuration.maxQueued {
                session.queue.append(message)
            } else {
                session.dropped += 1
            }
        }
        sessions[clientID] = session
    }

    /// Gives a QoS 1 message a free packet identifier (§2.3.1), sends it and remembers it.
    private mutating func startInflight(_ message: MQTTPublish, in session: inout Session, now: Int64) {
        guard let handle = session.handle else { return }
        var packetID = session.nextPacketID
        while packetID == 0 || session.inflight.contains(where: { $0.publish.packetID == packetID }) {
            packetID &+= 1
        }
        session.nextPacketID = packetID &+ 1
        var publish = message
        publish.qos = .atLeastOnce
        publish.packetID = packetID
        publish.dup = false
        session.inflight.append(Inflight(publish: publish, sentAt: now))
        send(.publish(publish), to: handle)
    }

    /// PUBACK from a client (§4.3.2): the message is delivered; the next queued one may go.
    mutating func acknowledge(_ packetID: UInt16, from clientID: String, now: Int64) {
        guard var session = sessions[clientID] else { return }
        session.inflight.removeAll { $0.publish.packetID == packetID }
        while session.handle != nil && session.inflight.count < configuration.maxInflight && !session.queue.isEmpty {
            startInflight(session.queue.removeFirst(), in: &session, now: now)
        }
        sessions[clientID] = session
    }

    /// Sends every unacknowledged message of a resumed session again, with DUP (§4.4), then
    /// what was queued while the client was away.
    mutating func resendInflight(of clientID: String, now: Int64) {
        guard let handle = sessions[clientID]?.handle, var session = sessions[clientID] else { return }
        for index in session.inflight.indices {
            session.inflight[index].publish.dup = true
            session.inflight[index].sentAt = now
            send(.publish(session.inflight[index].publish), to: handle)
        }
        while session.inflight.count < configuration.maxInflight && !session.queue.isEmpty {
            startInflight(session.queue.removeFirst(), in: &session, now: now)
        }
        sessions[clientID] = session
    }

    /// Resends, with DUP set (§3.3.1.1), every QoS 1 message unacknowledged for `retryInterval`.
    mutating func retransmit(now: Int64) {
        for clientID in sessionOrder {
            guard var session = sessions[clientID], let handle = session.handle else { continue }
            for index in session.inflight.indices
            where now >= session.inflight[index].sentAt + configuration.retryInterval {
                session.inflight[index].publish.dup = true
                session.inflight[index].sentAt = now
                send(.publish(session.inflight[index].publish), to: handle)
            }
            sessions[clientID] = session
        }
    }
}
