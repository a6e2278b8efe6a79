import Runs
import Testing
import Tracing

@Suite("Queue limit and one-way loss on the simulated link")
struct LinkQueueAndSenderLossTests {
    /// A bulk flow from client to server over `link`.
    static func bulk(_ link: LinkSpec, bytes: Int = 300_000) -> Scenario {
        Scenario(name: "bulk", summary: "", hosts: ["client", "server"], link: link, steps: [
            ScenarioStep(.at(0), "server", .listen(port: 80, backlog: 1, echo: false)),
            ScenarioStep(.at(0), "client", .connect(host: "server", port: 80, localPort: 0)),
            ScenarioStep(.on(.connected, delay: 0), "client", .send(count: bytes)),
            ScenarioStep(.on(.connected, delay: 0), "client", .close),
            ScenarioStep(.on(.peerFinished, delay: 0), "server", .close),
        ])
    }

    /// Who lost packets on the link, as (sender address's last octet) for each link drop.
    static func dropped(_ run: Run, reason: PacketDropReason) -> [UInt8] {
        run.events.compactMap { event in
            guard case .packetDropped(let bytes, let why) = event.kind, why == reason else { return nil }
            return bytes[15]
        }
    }

    @Test func lossFromTheClientDropsOnlyWhatTheClientSends() {
        var link = LinkSpec()
        link.senderLoss = [SenderLoss(host: "client", lossPPM: 100_000)]
        let run = SimulatedRuntime().run(Self.bulk(link))
        let losers = Self.dropped(run, reason: .loss)
        #expect(!losers.isEmpty)
        #expect(losers.allSatisfy { $0 == 1 }, "only 10.0.0.1 (client) loses packets")
        #expect(run.summary.bytesDelivered == 300_000 && run.summary.intact)
    }

    @Test func aQueueLimitDropsTheTail() {
        var link = LinkSpec(bandwidth: 1_000_000)
        link.queuePackets = 3
        let run = SimulatedRuntime().run(Self.bulk(link))
        #expect(!Self.dropped(run, reason: .queueFull).isEmpty)
        #expect(run.summary.bytesDelivered == 300_000 && run.summary.intact)
        var unlimited = link
        unlimited.queuePackets = 0
        #expect(Self.dropped(SimulatedRuntime().run(Self.bulk(unlimited)), reason: .queueFull).isEmpty)
    }
}
