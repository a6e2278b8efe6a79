/// A sans-I/O MQTT 3.1.1 client (§3, §4).
///
/// Call `connect(now:)` once the transport is up, then feed it the bytes received and the
/// passing of time; it answers with actions (bytes to send, one whole packet each; close the
/// transport) and events. It publishes at QoS 0 and 1: a QoS 1 PUBLISH is sent again, with
/// DUP set, every `retryInterval` until its PUBACK arrives (§4.4), and again after reconnecting
/// without clean session. When the client has sent nothing for `keepAlive` seconds it sends
/// PINGREQ (§3.1.2.10), and closes if no PINGRESP comes within `responseTimeout`.
public struct MQTTClient: Sendable {
    /// What the client connects with, and its timing.
    public struct Options: Sendable, Equatable {
        /// §3.1.3.1: the client identifier; empty asks the broker to assign one (clean session only).
        public var clientID: String
        /// §3.1.2.10: the keepalive, in seconds; 0 turns it off.
        public var keepAlive: UInt16
        /// §3.1.2.4: start a fresh session that ends with the connection.
        public var cleanSession: Bool
        /// §3.1.2.5: the message the broker publishes if the connection is lost.
        public var will: MQTTWill?
        /// §3.1.3.4: a user name, if any.
        public var username: String?
        /// §3.1.3.5: a password, if any (needs a user name).
        public var password: [UInt8]?
        /// How long to wait for PUBACK before sending a QoS 1 PUBLISH again, in ns.
        public var retryInterval: Int64
        /// How long to wait for CONNACK or PINGRESP before giving up on the connection, in ns.
        public var responseTimeout: Int64
        /// The largest packet accepted from the broker, in octets.
        public var maxPacketSize: Int

        /// Options; by default a 60 s keepalive, clean session, 5 s retries, 10 s timeouts.
        public init(clientID: String, keepAlive: UInt16 = 60, cleanSession: Bool = true, will: MQTTWill? = nil,
                    username: String? = nil, password: [UInt8]? = nil, retryInterval: Int64 = 5_000_000_000,
                    responseTimeout: Int64 = 10_000_000_000, maxPacketSize: Int = 1 << 20) {
            self.clientID = clientID
            self.keepAlive = keepAlive
            self.cleanSession = cleanSession
            self.will = will
            self.username = username
            self.password = password
            self.retryInterval = retryInterval
            self.responseTimeout = responseTimeout
            self.maxPacketSize = maxPacketSize
        }
    }

    /// Where the client is.
    public enum State: Sendable, Equatable {
        /// No connection: before `connect(now:)`, or after it closed.
        case disconnected
        /// CONNECT sent at `since`, waiting for CONNACK.
        case connecting(since: Int64)
        /// CONNACK accepted.
        case connected
    }

    /// A QoS 1 PUBLISH awaiting its PUBACK.
    struct Inflight: Sendable {
        var publish: MQTTPublish
        var sentAt: Int64
        /// Which connection it was last sent on (`connect(now:)` counts them).
        var connection: Int
    }

    /// What the client connects with, and its timing.
    public let options: Options
    /// Where the client is.
    public internal(set) var state: State = .disconnected

    var parser: MQTTPacketParser
    /// How many times `connect(now:)` was called.
    var connectionNumber = 0
    /// When the last packet was sent (§3.1.2.10 counts from it).
    var lastSent: Int64 = 0
    /// When the outstanding PINGREQ was sent.
    var pingSentAt: Int64?
    /// QoS 1 messages awaiting PUBACK, in the order first sent.
    var inflight: [Inflight] = []
    /// SUBSCRIBE and UNSUBSCRIBE identifiers awaiting their answer.
    var awaitingAnswer: [UInt16] = []
    var nextPacketID: UInt16 = 1

    /// A client that is not connected yet.
    public init(options: Options) {
        self.options = options
        parser = MQTTPacketParser(maxPacketSize: options.maxPacketSize)
    }

    /// The QoS 1 messages awaiting PUBACK, in the order first sent.
    public var unacknowledged: [MQTTPublish] { inflight.map(\.publish) }

    // MARK: - Connection

    /// Sends CONNECT on a new transport connection (§3.1). With clean session, messages still
    /// unacknowledged from an earlier connection are forgotten (§3.1.2.4).
    public mutating func connect(now: Int64) -> MQTTClientOutput {
        guard state == .disconnected else { return MQTTClientOutput() }
        connectionNumber += 1
        parser = MQTTPacketParser(maxPacketSize: options.maxPacketSize)
        pingSentAt = nil
        awaitingAnswer = []
        if options.cleanSession { inflight = [] }
        state = .connecting(since: now)
        var output = MQTTClientOutput()
        let connect = MQTTConnect(clientID: options.clientID, cleanSession: options.cleanSession,
                                  keepAlive: options.keepAlive, will: options.will, username: options.username,
                                  password: options.password)
        send(.connect(connect), now: now, into: &output)
        return output
    }

    /// Handles bytes received from the broker.
    public mutating func receive<Bytes: Collection<UInt8>>(_ bytes: Bytes, now: Int64) -> MQTTClientOutput {
        var output = MQTTClientOutput()
        guard state != .disconnected else { return output }
        var packets: [MQTTPacket] = []
        var failure: MQTTDecodingError?
        do {
            try parser.parse(bytes) { packets.append($0) }
        } catch {
            failure = error
        }
        for packet in packets {
            guard state != .disconnected else { return output }
            handle(packet, now: now, into: &output)
        }
        if let failure, state != .disconnected { fail(.malformedPacket(failure), into: &output) }
        return output
    }

    /// Reports that the transport closed.
    public mutating func transportClosed(now: Int64) -> MQTTClientOutput {
        guard state != .disconnected else { return MQTTClientOutput() }
        state = .disconnected
        return MQTTClientOutput(events: [.closed])
    }

    /// Lets time pass: gives up on a missing CONNACK or PINGRESP, resends unacknowledged QoS 1
    /// messages with DUP (§4.4), and sends PINGREQ after `keepAlive` seconds of silence (§3.1.2.10).
    public mutating func tick(now: Int64) -> MQTTClientOutput {
        var output = MQTTClientOutput()
        switch state {
        case .disconnected:
            break
        case .connecting(let since):
            if now >= since + options.responseTimeout { fail(.timeout(waitingFor: .connack), into: &output) }
        case .connected:
            if let pingSentAt, now >= pingSentAt + options.responseTimeout {
                fail(.timeout(waitingFor: .pingresp), into: &output)
                return output
            }
            for index in inflight.indices where now >= inflight[index].sentAt + options.retryInterval {
                resend(at: index, now: now, into: &output)
            }
            if options.keepAlive > 0, pingSentAt == nil, now >= lastSent + keepAliveInterval {
                send(.pingreq, now: now, into: &output)
                pingSentAt = now
            }
        }
        return output
    }

    /// The earliest time at which `tick(now:)` has something to do, if any.
    public var nextDeadline: Int64? {
        switch state {
        case .disconnected:
            return nil
        case .connecting(let since):
            return since + options.responseTimeout
        case .connected:
            var deadlines = inflight.map { $0.sentAt + options.retryInterval }
            if let pingSentAt {
                deadlines.append(pingSentAt + options.responseTimeout)
            } else if options.keepAlive > 0 {
                deadlines.append(lastSent + keepAliveInterval)
            }
            return deadlines.min()
        }
    }

    private var keepAliveInterval: Int64 { Int64(options.keepAlive) * 1_000_000_000 }

    // MARK: - Packets

    private mutating func handle(_ packet: MQTTPacket, now: Int64, into output: inout MQTTClientOutput) {
        guard state == .connected else {
            // §3.2: the first packet from the server is CONNACK.
            guard case .connack(let sessionPresent, let code) = packet else {
                return fail(.unexpectedPacket(packet.type), into: &output)
            }
            guard code == .accepted else { return fail(.connectionRefused(code), into: &output) }
            state = .connected
            output.events.append(.connected(sessionPresent: sessionPresent))
            // §4.4: messages sent on an earlier connection and not acknowledged go again, with DUP.
            for index in inflight.indices where inflight[index].connection < connectionNumber {
                resend(at: index, now: now, into: &output)
            }
            return
        }
        switch packet {
        case .publish(let publish):
            guard publish.qos != .exactlyOnce else { return fail(.unsupportedQoS, into: &output) }
            output.events.append(.message(topic: publish.topic, payload: publish.payload, qos: publish.qos,
                                          retain: publish.retain, dup: publish.dup))
            // §4.3.2: acknowledge a QoS 1 message after handing it over.
            if let packetID = publish.packetID { send(.puback(packetID: packetID), now: now, into: &output) }
        case .puback(let packetID):
            // An identifier that is not in flight is a late duplicate: nothing to do.
            guard let index = inflight.firstIndex(where: { $0.publish.packetID == packetID }) else { return }
            inflight.remove(at: index)
            output.events.append(.published(packetID: packetID))
        case .suback(let packetID, let codes):
            awaitingAnswer.removeAll { $0 == packetID }
            output.events.append(.subscribed(packetID: packetID, returnCodes: codes))
        case .unsuback(let packetID):
            awaitingAnswer.removeAll { $0 == packetID }
            output.events.append(.unsubscribed(packetID: packetID))
        case .pingresp:
            pingSentAt = nil
            output.events.append(.pong)
        case .connack, .connect, .subscribe, .unsubscribe, .pingreq, .disconnect, .pubrec, .pubrel, .pubcomp:
            fail(.unexpectedPacket(packet.type), into: &output)
        }
    }

    /// Sends the in-flight message at `index` again, with DUP set (§3.3.1.1).
    private mutating func resend(at index: Int, now: Int64, into output: inout MQTTClientOutput) {
        inflight[index].publish.dup = true
        inflight[index].sentAt = now
        inflight[index].connection = connectionNumber
        send(.publish(inflight[index].publish), now: now, into: &output)
    }

    /// Reports the error and closes the transport (§4.8).
    mutating func fail(_ error: MQTTClientError, into output: inout MQTTClientOutput) {
        state = .disconnected
        output.actions.append(.closeTransport)
        output.events.append(.error(error))
        output.events.append(.closed)
    }

    mutating func send(_ packet: MQTTPacket, now: Int64, into output: inout MQTTClientOutput) {
        output.actions.append(.send(packet.encoded()))
        lastSent = now
    }
}
