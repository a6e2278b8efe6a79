import Apps
import Rendering
import Testing
import Tracing
import Wire

/// The two-column replay ladder, drawn from comparisons of simulated traces with edited copies.
@Suite("Replay ladder")
struct ReplayLadderTests {
    static func comparison(_ name: String, bytes: Int? = nil, editing edit: (inout Trace) -> Void) -> ReplayComparison {
        let simulated = Traces.of(name, overrides: ScenarioOverrides(bytes: bytes))
        var kernel = simulated
        edit(&kernel)
        let ports = ReplayPortMap.scenarioPorts(of: BuiltInScenarios.scenario(named: name)!)
        return TraceComparison.compare(simulated: ComparedTrace(trace: simulated, ports: ports),
                                       kernel: ComparedTrace(trace: kernel, ports: ports))
    }

    /// The `packetSent` events of `trace` whose TCP flags are exactly `flags`, sent by `node`.
    static func sends(_ trace: Trace, node: String, flags: TCPFlags) -> [TraceEvent] {
        trace.events.filter { event in
            guard event.node == node, case .packetSent(let bytes, _) = event.kind,
                  let packet = try? IPv4Packet.parse(bytes), case .tcp(let segment) = packet.payload else { return false }
            return segment.header.flags == flags
        }
    }

    @Test func equivalencesAreNamedInTheMarginAndLinesFit80Columns() {
        let result = Self.comparison("teardown-client-first") { trace in
            let ack = Self.sends(trace, node: "server", flags: .ack)[0]
            trace.events.removeAll { $0 == ack }
        }
        let lines = ReplayLadderRenderer(comparison: result, simulatedTitle: "simulated (textbook)",
                                         kernelTitle: "kernel").lines()
        #expect(lines.allSatisfy { $0.unicodeScalars.count <= 80 }, "\(lines)")
        #expect(lines.contains("client>server:80"))
        #expect(lines.contains { $0.hasPrefix("  ← ACK 1 ack 2") && $0.contains(" ·  ") && $0.hasSuffix("fin-ack-piggyback") })
        #expect(lines.contains("  → FIN 1 ack 1                → FIN 1 ack 1"))
        #expect(!lines.contains { $0.contains("\u{1B}[") })
        #expect(lines.contains("  TIME-WAIT simulated: client held TIME-WAIT (client closed first)"))
    }

    @Test func theFirstDifferenceIsMarkedAndTheRestIsNotCompared() {
        let result = Self.comparison("handshake") { trace in
            let ack = Self.sends(trace, node: "client", flags: .ack)[0]
            trace.events.removeAll { $0 == ack }
        }
        let lines = ReplayLadderRenderer(comparison: result).lines()
        let marked = lines.filter { $0.hasPrefix("✗") }
        #expect(marked == ["✗ → ACK 1 ack 1                  ·                          first difference"])
        let ascii = ReplayLadderRenderer(comparison: result, options: DiagramOptions(ascii: true)).lines()
        #expect(ascii.allSatisfy { $0.unicodeScalars.allSatisfy(\.isASCII) }, "\(ascii)")
        #expect(ascii.contains { $0.hasPrefix("X -> ACK 1 ack 1") })
    }

    @Test func colourOnlyWhenAsked() {
        let result = Self.comparison("handshake") { _ in }
        let plain = ReplayLadderRenderer(comparison: result).render()
        let coloured = ReplayLadderRenderer(comparison: result, options: DiagramOptions(colors: true)).render()
        #expect(!plain.contains("\u{1B}["))
        #expect(coloured.contains("\u{1B}["))
    }

    @Test func runsOfSetAsideACKsAreOneRow() {
        // The kernel acknowledges a transfer once, at its end: the simulated side's ACKs are coalesced.
        let result = Self.comparison("bulk-transfer", bytes: 20_000) { trace in
            let acks = Self.sends(trace, node: "server", flags: .ack)
            let keep = acks.last
            trace.events.removeAll { event in acks.contains(event) && event != keep }
        }
        #expect(result.verdict == .matchWithEquivalences, "\(result.firstDifference?.reason ?? "")")
        let lines = ReplayLadderRenderer(comparison: result).lines()
        let coalesced = lines.indices.filter { lines[$0].hasSuffix("ack-coalescing") }
        #expect(!coalesced.isEmpty)
        #expect(zip(coalesced, coalesced.dropFirst()).allSatisfy { $1 > $0 + 1 }, "\(lines)")
        #expect(lines[coalesced[0]] == "  ← ACK ack 1461…4381 ×3         ·                          ack-coalescing")
    }

    @Test func withoutPacketsEachSocketIsShownSideBySide() {
        let simulated = Traces.of("half-close")
        let ports = ReplayPortMap.scenarioPorts(of: BuiltInScenarios.scenario(named: "half-close")!)
        let result = TraceComparison.compare(simulated: ComparedTrace(trace: simulated, ports: ports),
                                             kernel: ComparedTrace(trace: simulated, ports: ports, hasPackets: false))
        let lines = ReplayLadderRenderer(comparison: result).lines()
        #expect(lines.contains("client of client>server:80"))
        #expect(lines.contains("  sent 1000 B, got 100000 B    sent 1000 B, got 100000 B"))
        #expect(lines.contains("  last state TIME-WAIT         last state TIME-WAIT"))
        #expect(!lines.contains { $0.hasPrefix("✗") })
    }
}
