import Protocols
import Simulation
import Testing

/// Clients and a broker joined by a harness that carries whole packets between them on a
/// virtual clock and drops PUBLISH and PUBACK packets with a seeded probability (a stand-in
/// for a lossy path; other packets always arrive). It checks, as packets leave their sender,
/// that a QoS 1 PUBLISH carries DUP exactly when it repeats an identifier still unacknowledged.
private struct LossyExchange {
    /// Who sends a packet: the broker towards a client handle, or a client (by handle).
    enum Sender: Hashable {
        case broker(to: Int)
        case client(Int)
    }

    var broker = MQTTBroker(configuration: .init(retryInterval: 1_000_000_000))
    var clients: [Int: MQTTClient] = [:]
    var handles: [Int] = []
    var generator: SeededGenerator
    let lossRate: Double
    var now: Int64 = 0
    /// Packets on their way, in order: to the broker (from a handle) or to a client.
    var transit: [(toBroker: Bool, handle: Int, bytes: [UInt8])] = []
    /// QoS 1 identifiers each sender has sent and not yet seen acknowledged.
    var unacknowledged: [Sender: Set<UInt16>] = [:]
    /// Everything the clients reported, per handle.
    var events: [Int: [MQTTClientEvent]] = [:]
    var dropped = 0
    var retransmissions = 0
    var dupViolations: [String] = []
    /// Every packet delivered, as a trace for the determinism check.
    var trace: [String] = []

    init(seed: UInt64, lossRate: Double) {
        generator = SeededGenerator(seed: seed)
        self.lossRate = lossRate
    }

    mutating func add(_ handle: Int, _ options: MQTTClient.Options) {
        clients[handle] = MQTTClient(options: options)
        handles.append(handle)
        _ = broker.connected(handle, now: now)
        let output = clients[handle]?.connect(now: now) ?? MQTTClientOutput()
        take(output, from: handle)
    }

    /// Runs a client call and carries out its output.
    mutating func client(_ handle: Int, _ body: (inout MQTTClient) throws -> MQTTClientOutput) rethrows {
        guard var client = clients[handle] else { return }
        let output = try body(&client)
        clients[handle] = client
        take(output, from: handle)
    }

    private mutating func take(_ output: MQTTClientOutput, from handle: Int) {
        events[handle, default: []] += output.events
        for action in output.actions {
            switch action {
            case .send(let bytes): emit(bytes, from: .client(handle), toBroker: true, handle: handle)
            case .closeTransport: Issue.record("client \(handle) closed: \(output.events)")
            }
        }
    }

    private mutating func take(_ actions: [MQTTBroker.Action]) {
        for action in actions {
            switch action {
            case .send(let bytes, let handle): emit(bytes, from: .broker(to: handle), toBroker: false, handle: handle)
            case .close(let handle): Issue.record("broker closed \(handle)")
            }
        }
    }

    /// A packet leaves its sender: check DUP, then lose it or put it in transit.
    private mutating func emit(_ bytes: [UInt8], from sender: Sender, toBroker: Bool, handle: Int) {
        guard let packet = try? MQTTPacket.decode(bytes) else {
            Issue.record("not one whole packet")
            return
        }
        if case .publish(let publish) = packet, let packetID = publish.packetID {
            let repeated = unacknowledged[sender, default: []].contains(packetID)
            if repeated { retransmissions += 1 }
            if publish.dup != repeated { dupViolations.append("\(sender) id \(packetID) dup \(publish.dup)") }
            unacknowledged[sender, default: []].insert(packetID)
        }
        switch packet.type {
        case .publish, .puback:
            if generator.bernoulli(lossRate) {
                dropped += 1
                return
            }
        case .connect, .connack, .pubrec, .pubrel, .pubcomp, .subscribe, .suback, .unsubscribe, .unsuback, .pingreq,
             .pingresp, .disconnect:
            break
        }
        transit.append((toBroker, handle, bytes))
    }

    /// Delivers everything in transit, including what the deliveries cause.
    mutating func deliver() {
        while !transit.isEmpty {
            let (toBroker, handle, bytes) = transit.removeFirst()
            guard let packet = try? MQTTPacket.decode(bytes) else { continue }
            trace.append("\(now) \(toBroker ? "->" : "<-") \(handle) \(packet)")
            // The sender of a PUBACK's identifier learns here that it is acknowledged.
            if case .puback(let packetID) = packet {
                let sender: Sender = toBroker ? .broker(to: handle) : .client(handle)
                unacknowledged[sender]?.remove(packetID)
            }
            let now = self.now
            if toBroker {
                take(broker.receive(bytes, from: handle, now: now))
            } else {
                client(handle) { $0.receive(bytes, now: now) }
            }
        }
    }

    /// Moves the clock on by `step`, ticking everyone, and delivers what that causes.
    mutating func advance(by step: Int64) {
        now += step
        let now = self.now
        take(broker.tick(now: now))
        for handle in handles { client(handle) { $0.tick(now: now) } }
        deliver()
    }

    /// Whether nothing is left to acknowledge anywhere.
    var isSettled: Bool {
        transit.isEmpty && handles.allSatisfy { clients[$0]?.unacknowledged.isEmpty ?? true }
            && broker.sessionClientIDs.allSatisfy { broker.pendingMessages(of: $0) == (inflight: 0, queued: 0) }
    }

    func payloads(receivedBy handle: Int) -> [[UInt8]] {
        (events[handle] ?? []).compactMap { event in
            if case .message(_, let payload, _, _, _) = event { payload } else { nil }
        }
    }
}

@Suite("MQTT QoS 1 over a lossy exchange (§4.3.2, §4.4)")
struct MQTTLossyExchangeTests {
    private static let step: Int64 = 100_000_000  // 100 ms of virtual time per step

    /// One publisher, three QoS 1 subscribers, 20% of PUBLISH and PUBACK packets lost: every
    /// subscriber gets every message at least once, every repeated PUBLISH carries DUP, and
    /// everything settles.
    private func run(seed: UInt64, messages: Int = 40) throws -> LossyExchange {
        var exchange = LossyExchange(seed: seed, lossRate: 0.2)
        let options = { (id: String) in MQTTClient.Options(clientID: id, keepAlive: 5, retryInterval: 1_000_000_000) }
        exchange.add(1, options("publisher"))
        for (handle, filter) in [(2, "chat/#"), (3, "chat/+"), (4, "#")] {
            exchange.add(handle, options("subscriber-\(handle)"))
            try exchange.client(handle) { try $0.subscribe([MQTTSubscription(filter, qos: .atLeastOnce)], now: 0) }
        }
        exchange.deliver()
        for index in 0..<messages {
            let now = exchange.now
            try exchange.client(1) {
                try $0.publish(topic: "chat/room", payload: Array("message \(index)".utf8), qos: .atLeastOnce, now: now)
            }
            exchange.deliver()
            exchange.advance(by: 2 * Self.step)
        }
        var steps = 0
        while !exchange.isSettled && steps < 10_000 {
            exchange.advance(by: Self.step)
            steps += 1
        }
        #expect(exchange.isSettled, "seed \(seed): still unsettled")
        return exchange
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func everySubscriberGetsEveryMessageAtLeastOnce(seed: UInt64) throws {
        let messages = 40
        var exchange = try run(seed: seed, messages: messages)
        let expected = Set((0..<messages).map { Array("message \($0)".utf8) })
        for handle in [2, 3, 4] {
            let received = exchange.payloads(receivedBy: handle)
            #expect(Set(received) == expected, "seed \(seed), subscriber \(handle)")
            #expect(received.count >= messages)
        }
        #expect(exchange.dupViolations.isEmpty, "\(exchange.dupViolations.prefix(3))")
        let published = (exchange.events[1] ?? []).filter { if case .published = $0 { true } else { false } }
        #expect(published.count == messages)
        // The loss really happened and really was repaired.
        #expect(exchange.dropped > 20)
        #expect(exchange.retransmissions > 10)
        // Then 20 idle seconds: keepalive pings (never lost) keep every connection open.
        for _ in 0..<200 { exchange.advance(by: Self.step) }
        #expect(exchange.trace.filter { $0.contains("pingreq") }.count >= 4 * 3)
        #expect(exchange.broker.openHandles == [1, 2, 3, 4])
    }

    /// The same seed gives the same packets at the same instants.
    @Test func sameSeedSameTrace() throws {
        let first = try run(seed: 9, messages: 10)
        let second = try run(seed: 9, messages: 10)
        #expect(first.trace == second.trace)
        #expect(try run(seed: 10, messages: 10).trace != first.trace)
    }
}
