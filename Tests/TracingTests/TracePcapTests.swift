import Apps
import Runs
import Testing
import Tracing
import Wire

@Suite("pcap export")
struct TracePcapTests {
    @Test(arguments: ["handshake", "syn-lost", "udp-lossy", "tcp-vs-udp", "many-clients"])
    func exportReadsBackAsTheSentPackets(_ name: String) throws {
        let trace = SimulatedRuntime().run(BuiltInScenarios.scenario(named: name)!).trace
        let sent = trace.events.compactMap { event -> (Int64, [UInt8])? in
            if case .packetSent(let bytes, _) = event.kind { return (event.time, bytes) }
            return nil
        }
        var reader = try PcapReader(bytes: TracePcap.bytes(of: trace))
        #expect(reader.linkType == .raw)
        var records: [PcapRecord] = []
        while let record = try reader.next() { records.append(record) }
        #expect(records.count == sent.count)
        #expect(records.map(\.packet) == sent.map(\.1))
        #expect(records.map(\.timestampNanoseconds) == sent.map { UInt64($0.0 / 1_000 * 1_000) })
        // Every exported packet has valid checksums.
        for record in records { _ = try IPv4Packet.parse(record.packet, verifyChecksums: true) }
    }

    @Test func lostFramesAreExportedOnceAndDuplicatesNot() throws {
        // udp-lossy drops and reorders on the link: the sender's wire still carries every datagram once.
        let trace = SimulatedRuntime().run(BuiltInScenarios.scenario(named: "udp-lossy")!).trace
        let drops = trace.events.filter { if case .packetDropped = $0.kind { return true } else { return false } }
        #expect(!drops.isEmpty)
        #expect(TracePcap.packets(of: trace).count == 20)
    }
}
