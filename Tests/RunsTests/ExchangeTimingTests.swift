import Apps
import Protocols
import Runs
import Testing
import Tracing

/// The acceptance test of the HTTP scenarios: at loss 0 with the textbook profile, completion
/// times equal the analytic ones, computed here from the parameters alone and compared exactly.
///
/// A short (HTTP/1.0) request costs 1 RTT of handshake and 1 RTT of request and response; a
/// persistent connection costs 1 RTT once and then 1 RTT per request. On a link with a bandwidth,
/// each packet also costs its transmission time, bytes × 8 / bandwidth, in the order the link
/// serialises them.
@Suite("HTTP short and persistent connections: analytic completion times")
struct ExchangeTimingTests {
    static let ms: Int64 = 1_000_000

    static func cost(_ name: String, requests: Int, rtt: Int64, bandwidth: Int64 = 0) throws -> ExchangeCost {
        var scenario = try #require(BuiltInScenarios.scenario(named: name, overrides: ScenarioOverrides(rtt: rtt,
                                                                                                       requests: requests)))
        scenario.link.bandwidth = bandwidth
        let run = SimulatedRuntime().run(scenario)
        #expect(run.failures.isEmpty, "\(run.failures)")
        #expect(run.summary.intact)
        return ExchangeCost(run.trace)
    }

    /// Each direction of the link delays a packet by half the RTT in whole nanoseconds, so an
    /// odd RTT in nanoseconds gives a round trip 1 ns shorter.
    @Test(arguments: [(1, 20 * ms), (5, 20 * ms), (20, 100 * ms), (7, 7 * ms + 3)])
    func withoutTransmissionTimes(requests: Int, rtt scenarioRTT: Int64) throws {
        let n = Int64(requests)
        let rtt = scenarioRTT / 2 * 2
        let short = try Self.cost("http-short", requests: requests, rtt: scenarioRTT)
        #expect(short.totalTime == n * (rtt + rtt))
        #expect(short.latencies == Array(repeating: 2 * rtt, count: requests))
        #expect(short.handshakes == requests)
        #expect(short.timeWait == [ExchangeCost.HostCount(host: "server", count: requests)])

        let persistent = try Self.cost("http-keepalive", requests: requests, rtt: scenarioRTT)
        #expect(persistent.totalTime == rtt + n * rtt)
        #expect(persistent.latencies == [2 * rtt] + Array(repeating: rtt, count: requests - 1))
        #expect(persistent.handshakes == 1)
        // The server's idle timeout closes the connection: the server holds the one TIME-WAIT.
        #expect(persistent.timeWait == [ExchangeCost.HostCount(host: "server", count: 1)])

        let long = try Self.cost("long-socket", requests: requests, rtt: scenarioRTT)
        #expect(long.totalTime == rtt + n * rtt)
        #expect(long.handshakes == 1)
        #expect(long.timeWait.isEmpty, "the long connection stays open")

        for cost in [short, persistent, long] {
            #expect(cost.requests == requests && cost.failedRequests == 0)
            #expect(cost.resentBytes == 0 && cost.retransmissions == 0)
            #expect(cost.wireBytes == cost.ipTCPHeaderBytes + cost.applicationHeaderBytes + cost.payloadBytes)
        }
        #expect(persistent.payloadBytes == short.payloadBytes, "the same pages, whatever carries them")
        #expect(long.payloadBytes == short.payloadBytes + "GET /index.html".utf8.count * requests,
                "the same pages; the long connection's request is its payload")
        #expect(long.applicationHeaderBytes == 10 * requests, "a 5-byte frame header each way")
    }

    /// Sizes in bytes of the packets of one exchange: IPv4 (20) and TCP (20, a SYN also its
    /// 4-byte MSS option) headers around the HTTP messages, which the Protocols serializer
    /// and server machine give for the built-in site.
    struct Sizes {
        let syn = 44, ack = 40, request: Int, response: Int

        init(version: HTTPVersion) {
            var headers = HTTPHeaders()
            headers.add(name: "Host", value: "server")
            headers.add(name: "User-Agent", value: "stacklab/0.1")
            headers.add(name: "Accept", value: "*/*")
            let request = HTTPRequest(method: .get, target: "/index.html", version: version, headers: headers)
            let bytes = HTTPSerializer.serialize(request)
            var server = HTTPServerConnection()
            var answer = 0
            for case .request(let id, let parsed) in server.receive(bytes) {
                for case .send(let out) in server.respond(to: id, with: WebSite.builtIn.respond(to: parsed)) {
                    answer += out.count
                }
            }
            self.request = 40 + bytes.count
            response = 40 + answer
        }
    }

    @Test(arguments: [1, 4])
    func withTransmissionTimes(requests: Int) throws {
        // 8 Mbit/s: a byte takes exactly 1 µs on the wire.
        let bandwidth: Int64 = 8_000_000
        let rtt = 20 * Self.ms
        func t(_ bytes: Int) -> Int64 { Int64(bytes) * 1_000 }
        let n = Int64(requests)

        // Short: SYN, SYN+ACK; the client's ACK then its request; the server's ACK then its
        // response. From the second connection on, the client's SYN waits behind the ACK of
        // the previous response.
        let ten = Sizes(version: .http1_0)
        let handshake: Int64 = rtt + t(ten.syn) + t(ten.syn)
        let exchange: Int64 = rtt + t(ten.ack) + t(ten.request) + t(ten.ack) + t(ten.response)
        let cycle: Int64 = handshake + exchange
        let short = try Self.cost("http-short", requests: requests, rtt: rtt, bandwidth: bandwidth)
        let waits: Int64 = (n - 1) * t(ten.ack)
        #expect(short.totalTime == n * cycle + waits)

        // Persistent: the handshake once, then per request the client's ACK of the previous
        // response (or of the SYN+ACK) and its request, the server's ACK and its response.
        let eleven = Sizes(version: .http1_1)
        let persistent = try Self.cost("http-keepalive", requests: requests, rtt: rtt, bandwidth: bandwidth)
        let open: Int64 = rtt + t(eleven.syn) + t(eleven.syn)
        let each: Int64 = rtt + t(eleven.ack) + t(eleven.request) + t(eleven.ack) + t(eleven.response)
        #expect(persistent.totalTime == open + n * each)
    }
}
