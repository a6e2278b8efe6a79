/// Sessions (§3.1.2.4): CONNECT and CONNACK, client identifiers, subscriptions.
extension MQTTBroker {
    /// Answers a CONNECT (§3.1.4): refuses other protocol levels and empty identifiers without
    /// clean session, takes over a connected identifier, starts or resumes the session.
    mutating func accept(_ connect: MQTTConnect, on handle: Int, now: Int64) {
        // §3.1.2.2: an unsupported level is answered with return code 1, then the connection closes.
        guard connect.protocolLevel == MQTT.protocolLevel else {
            return refuse(handle, .unacceptableProtocolVersion, now: now)
        }
        var clientID = connect.clientID
        if clientID.isEmpty {
            // §3.1.3.1: an empty identifier needs clean session; the server then assigns one.
            guard connect.cleanSession else { return refuse(handle, .identifierRejected, now: now) }
            repeat {
                assignedIdentifiers += 1
                clientID = "stacklab-\(assignedIdentifiers)"
            } while sessions[clientID] != nil
        }
        // §3.1.4 item 2: a client already connected with this identifier is disconnected.
        if let previous = sessions[clientID]?.handle { drop(previous, publishingWill: true, now: now) }
        // §3.1.2.4: clean session discards any previous session; otherwise it is resumed.
        if connect.cleanSession { removeSession(clientID) }
        let sessionPresent = sessions[clientID] != nil
        if !sessionPresent {
            sessions[clientID] = Session(clientID: clientID, cleanSession: connect.cleanSession)
            sessionOrder.append(clientID)
        }
        sessions[clientID]?.handle = handle
        sessions[clientID]?.cleanSession = connect.cleanSession
        connections[handle]?.clientID = clientID
        connections[handle]?.keepAlive = connect.keepAlive
        connections[handle]?.will = connect.will
        send(.connack(sessionPresent: sessionPresent, returnCode: .accepted), to: handle)
        // §4.4: unacknowledged messages of a resumed session are sent again, with DUP.
        if sessionPresent { resendInflight(of: clientID, now: now) }
    }

    /// CONNACK with a refusal, then close (§3.2.2.3: "the Server MUST close the Network
    /// Connection" after a non-zero return code).
    private mutating func refuse(_ handle: Int, _ code: MQTTConnectReturnCode, now: Int64) {
        send(.connack(sessionPresent: false, returnCode: code), to: handle)
        drop(handle, publishingWill: false, now: now)
    }

    mutating func removeSession(_ clientID: String) {
        guard sessions.removeValue(forKey: clientID) != nil else { return }
        sessionOrder.removeAll { $0 == clientID }
    }

    /// SUBSCRIBE (§3.8.4): grant at most QoS 1, replace a subscription with the same filter,
    /// answer SUBACK, then send the retained messages that match, with RETAIN set (§3.3.1.3).
    mutating func subscribe(_ clientID: String, packetID: UInt16, to requests: [MQTTSubscription], on handle: Int,
                            now: Int64) {
        guard var session = sessions[clientID] else { return }
        var granted: [MQTTSubscription] = []
        for request in requests {
            let subscription = MQTTSubscription(request.topicFilter, qos: min(request.qos, .atLeastOnce))
            if let index = session.subscriptions.firstIndex(where: { $0.topicFilter == request.topicFilter }) {
                session.subscriptions[index] = subscription
            } else {
                session.subscriptions.append(subscription)
            }
            granted.append(subscription)
        }
        sessions[clientID] = session
        send(.suback(packetID: packetID, returnCodes: granted.map { .granted($0.qos) }), to: handle)
        for topic in retained.keys.sorted() {
            guard let message = retained[topic],
                  let qos = granted.filter({ MQTTTopic.matches(filter: $0.topicFilter, name: topic) }).map(\.qos).max()
            else { continue }
            deliver(MQTTPublish(topic: topic, payload: message.payload, qos: min(message.qos, qos), retain: true),
                    to: clientID, now: now)
        }
    }
}
