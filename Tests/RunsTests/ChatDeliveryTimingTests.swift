import Apps
import Runs
import Testing
import Tracing

/// The acceptance test of "one chat, delivered three ways": at loss 0 the delivery latencies
/// follow from the parameters alone.
///
/// - Push (WebSocket) and long polling: the server writes the message the moment it arrives, on an
///   idle connection, so each message takes exactly the one-way delay (RTT/2) plus the
///   transmission time of the segment that carries it (bytes × 8 / bandwidth).
/// - Polling every I: a message waits for the next poll to reach the server, a wait spread evenly
///   over [0, I) by the random arrival times, then travels the same way back: each latency lies
///   in [d + t, I + d + t], and the mean is I/2 + d + t̄. With N messages the mean of the waits has
///   a standard error of I/√(12N) (2% of I for N = 200); the test allows 5% of I.
@Suite("One chat three ways: delivery latency from the parameters")
struct ChatDeliveryTimingTests {
    static let ms: Int64 = 1_000_000

    static func trace(_ name: String, messages: Int, rtt: Int64, interval: Int64? = nil, bandwidth: Int64) throws -> Trace {
        var scenario = try #require(BuiltInScenarios.scenario(named: name, overrides: ScenarioOverrides(
            rtt: rtt, messages: messages, interval: interval)))
        scenario.link.bandwidth = bandwidth
        let run = SimulatedRuntime().run(scenario)
        #expect(run.failures.isEmpty, "\(run.failures)")
        #expect(run.summary.retransmissions == 0)
        return run.trace
    }

    /// Each message the client read: its delivery latency and the size of the IPv4 packet that
    /// brought it (the last data packet the client received at that instant).
    static func deliveries(_ trace: Trace) -> [(latency: Int64, packet: Int)] {
        var last: (time: Int64, size: Int)?
        var result: [(Int64, Int)] = []
        for event in trace.events where event.node == "client" {
            switch event.kind {
            case .packetReceived(let bytes) where bytes.count > 40:
                last = (event.time, bytes.count)
            case .application(_, .chatMessage(.received, _, _, _, let latency?)):
                if let last, last.time == event.time { result.append((latency, last.size)) }
            default:
                break
            }
        }
        return result
    }

    /// Transmission time of `bytes` at `bandwidth` bit/s, nanoseconds, as the link rounds it.
    static func transmission(_ bytes: Int, _ bandwidth: Int64) -> Int64 {
        bandwidth == 0 ? 0 : Int64(bytes) * 8 * 1_000_000_000 / bandwidth
    }

    @Test(arguments: [(Int64(100_000_000), Int64(0)), (100_000_000, 8_000_000), (30_000_000, 1_000_000)])
    func pushAndLongPollingTakeTheOneWayDelayAndTheTransmission(rtt: Int64, bandwidth: Int64) throws {
        let messages = 40
        for name in ["websocket-chat", "long-polling"] {
            let trace = try Self.trace(name, messages: messages, rtt: rtt, bandwidth: bandwidth)
            let deliveries = Self.deliveries(trace)
            #expect(deliveries.count == messages, "\(name)")
            for delivery in deliveries {
                let expected = rtt / 2 + Self.transmission(delivery.packet, bandwidth)
                #expect(abs(delivery.latency - expected) <= 1_000, "\(name): \(delivery.latency) ns, expected \(expected)")
            }
            let cost = ExchangeCost(trace)
            #expect(cost.deliveries.count == messages)
            #expect(cost.emptyResponses == 0, "\(name): nothing is answered before there is something to say")
            #expect(cost.requestsMade == (name == "websocket-chat" ? 1 : messages), "\(name): \(cost.requestsMade)")
        }
        // The same bytes of chat either way; push spends 2 bytes of frame header on each message,
        // long polling a whole HTTP response header.
        let push = ExchangeCost(try Self.trace("websocket-chat", messages: messages, rtt: rtt, bandwidth: bandwidth))
        let long = ExchangeCost(try Self.trace("long-polling", messages: messages, rtt: rtt, bandwidth: bandwidth))
        #expect(push.applicationHeaderBytes * 10 < long.applicationHeaderBytes)
    }

    @Test(arguments: [Int64(500_000_000), 1_000_000_000, 2_000_000_000])
    func pollingWaitsHalfTheIntervalOnAverage(interval: Int64) throws {
        let messages = 200
        let rtt = 100 * Self.ms
        let bandwidth: Int64 = 8_000_000
        let trace = try Self.trace("polling", messages: messages, rtt: rtt, interval: interval, bandwidth: bandwidth)
        let deliveries = Self.deliveries(trace)
        #expect(deliveries.count == messages)
        var total: Int64 = 0
        for delivery in deliveries {
            let travel = rtt / 2 + Self.transmission(delivery.packet, bandwidth)
            // The server's ACK of the poll goes out just before the answer: 40 bytes more.
            let ackAhead = Self.transmission(40, bandwidth)
            #expect(delivery.latency >= travel && delivery.latency <= interval + travel + ackAhead,
                    "\(delivery.latency) ns for a travel of \(travel) ns")
            total += delivery.latency - travel
        }
        let meanWait = total / Int64(messages)
        #expect(abs(meanWait - interval / 2) <= interval / 20, "mean wait \(meanWait) ns for an interval of \(interval) ns")
        // Requests: one at the start and one per interval until the last message.
        let cost = ExchangeCost(trace)
        let last = trace.events.last { if case .application(_, .chatMessage(.received, _, _, _, _)) = $0.kind { true } else { false } }
        let span = try #require(last?.time)
        #expect(abs(cost.requestsMade - Int(span / interval) - 1) <= 1, "\(cost.requestsMade) requests in \(span) ns")
        #expect(cost.requests == cost.requestsMade, "every poll is answered")
        #expect(cost.emptyResponses >= cost.requestsMade - messages, "an answer with something carries a message or more")
        if interval < 1_000 * Self.ms {
            // Messages come every 2 s on average: most polls of a short interval find nothing.
            #expect(cost.emptyResponses * 2 > cost.requestsMade, "\(cost.emptyResponses) of \(cost.requestsMade) empty")
        }
    }
}
