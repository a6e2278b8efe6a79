import Apps
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Rendering
import Runs
import Testing
import Tracing
import Wire

/// Traces of built-in scenarios, run once per test process.
enum Traces {
    static func of(_ name: String, overrides: ScenarioOverrides = ScenarioOverrides()) -> Trace {
        SimulatedRuntime().run(BuiltInScenarios.scenario(named: name, overrides: overrides)!).trace
    }

    static let all: [Trace] = BuiltInScenarios.names.map { of($0) }
    static let lossyBulk = of("bulk-transfer", overrides: ScenarioOverrides(lossPPM: 100_000, bytes: 20_000))

    static func fixture(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil))
        return [UInt8](try Data(contentsOf: url))
    }

    /// Sent packets that are TCP or UDP.
    static func transportPacketsSent(_ trace: Trace) -> Int {
        trace.events.filter {
            guard case .packetSent(let bytes, _) = $0.kind, let packet = try? IPv4Packet.parse(bytes) else { return false }
            switch packet.payload {
            case .tcp, .udp, .icmp: return true   // an ICMP error is drawn as an arrow too (udp-closed-port)
            case .other: return false
            }
        }.count
    }
}

/// Checks XML well-formedness with Foundation's parser.
final class XMLCheck: NSObject, XMLParserDelegate {
    var elements = 0
    static func parse(_ text: String) -> (ok: Bool, elements: Int, error: String) {
        let parser = XMLParser(data: Data(text.utf8))
        let check = XMLCheck()
        parser.delegate = check
        let ok = parser.parse()
        return (ok, check.elements, parser.parserError.map { "\($0)" } ?? "")
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements += 1
    }
}

@Suite struct LadderTests {
    @Test func handshakeMatchesGolden() throws {
        let text = LadderRenderer(trace: Traces.of("handshake")).render()
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/handshake.ladder.txt")
        if ProcessInfo.processInfo.environment["STACKLAB_RECORD_GOLDEN"] != nil {
            try text.write(to: path, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOf: path, encoding: .utf8)
        #expect(text == golden, "re-record with STACKLAB_RECORD_GOLDEN=1 if the change is intended")
    }

    @Test func twoEndpointsFitEightyColumns() {
        for trace in Traces.all + [Traces.lossyBulk] {
            let renderer = LadderRenderer(trace: trace)
            guard renderer.model.lifelines.count <= 2 else { continue }
            for line in renderer.render(upTo: nil, highlight: nil) {
                #expect(line.unicodeScalars.count <= 80, "\(trace.header.scenario): \(line)")
            }
        }
    }

    @Test func asciiFallbackIsPureASCII() {
        for trace in Traces.all + [Traces.lossyBulk] {
            for format in ["ladder", "timeseq"] {
                let options = DiagramOptions(ascii: true)
                let text = format == "ladder" ? LadderRenderer(trace: trace, options: options).render()
                    : TimeSequenceGraph(trace: trace, options: options).text()
                #expect(text.utf8.allSatisfy { $0 < 0x80 }, "\(trace.header.scenario) \(format)")
            }
        }
    }

    @Test func colorsOnlyWhenAsked() {
        let trace = Traces.of("syn-lost")
        #expect(!LadderRenderer(trace: trace).render().contains("\u{1B}["))
        #expect(LadderRenderer(trace: trace, options: DiagramOptions(colors: true)).render().contains("\u{1B}["))
    }

    @Test func lostSegmentEndsInCrossWithReason() {
        let lines = LadderRenderer(trace: Traces.of("syn-lost")).render(upTo: nil, highlight: nil)
        let lost = lines.filter { $0.contains("✗ partitioned") }
        #expect(lost.count == 2)
        #expect(lost.allSatisfy { $0.contains("SYN seq=0") })
        #expect(lines.contains { $0.contains("RTO fired") })
        #expect(lines.contains { $0.contains("┃") }, "the RTO timer is drawn as a bar on the lifeline")
    }

    @Test func stepperSeesThePrefixAndTheHighlightedRow() throws {
        let trace = Traces.of("teardown-client-first")
        let renderer = LadderRenderer(trace: trace)
        let all = renderer.render(upTo: nil, highlight: nil)
        let sendIndex = try #require(trace.events.firstIndex {
            if case .packetSent = $0.kind { return true } else { return false }
        })
        let line = try #require(renderer.line(ofEvent: sendIndex))
        #expect(all[line].contains("SYN seq=0"))
        let partial = renderer.render(upTo: sendIndex, highlight: sendIndex)
        #expect(partial.count == line + 1)
        #expect(partial.last!.hasPrefix("▶"))
        #expect(Array(partial.dropLast()) == Array(all.prefix(line)))
        #expect(renderer.line(ofEvent: 0) != nil || true)
    }

    @Test func timeWaitIsABarAndTheLongWaitIsCut() {
        let lines = LadderRenderer(trace: Traces.of("teardown-client-first")).render(upTo: nil, highlight: nil)
        #expect(lines.contains { $0.contains("59.99 s later") })
        #expect(lines.contains { $0.contains("2MSL timer fired") })
        #expect(lines.contains { $0.contains("TIME-WAIT") })
    }
}

@Suite struct SVGTests {
    @Test func everyScenarioParsesWithOneArrowPerPacket() {
        for trace in Traces.all + [Traces.lossyBulk] {
            let svg = SVGLadderRenderer(trace: trace).render()
            let result = XMLCheck.parse(svg)
            #expect(result.ok, "\(trace.header.scenario): \(result.error)")
            #expect(SVGArrows.count(svg) == Traces.transportPacketsSent(trace), "\(trace.header.scenario)")
        }
    }

    @Test func packetsThatCrossInNoTimeEachHaveALineOfTheirOwn() throws {
        // On a loopback link every packet arrives the instant it leaves: level arrows, which would
        // lie on top of each other if they shared a line.
        var scenario = try #require(BuiltInScenarios.scenario(named: "many-clients"))
        scenario.link = .loopbackDevice
        let renderer = SVGLadderRenderer(trace: SimulatedRuntime().run(scenario).trace)
        let positions = renderer.rowPositions()
        var sendLines: [Double] = []
        for (index, row) in renderer.model.rows.enumerated() {
            if case .send = row.content { sendLines.append(positions[index]) }
        }
        #expect(sendLines.count == Traces.transportPacketsSent(renderer.model.trace))
        #expect(Set(sendLines).count == sendLines.count)
    }

    @Test func lostPacketsAreMarked() {
        let svg = SVGLadderRenderer(trace: Traces.of("syn-lost")).render()
        #expect(svg.components(separatedBy: "class=\"segment lost\"").count - 1 == 2)
        #expect(svg.contains(">partitioned</text>"))
        #expect(svg.contains("<title") || svg.contains(">syn-lost</text>"))
    }
}

@Suite struct MermaidTests {
    @Test func handshakeStructure() {
        let text = MermaidRenderer.render(Traces.of("handshake"))
        #expect(text == """
        sequenceDiagram
            title handshake
            participant P1 as client
            participant P2 as server
            Note over P2: LISTEN
            Note over P1: SYN-SENT
            P1->>P2: SYN seq=0
            Note over P2: SYN-RECEIVED
            P2->>P1: SYN,ACK seq=0 ack=1
            Note over P1: ESTABLISHED
            P1->>P2: ACK seq=1 ack=1
            Note over P2: ESTABLISHED

        """)
    }

    @Test func lostPacketsUseCrossArrowsAndEveryLineIsKnownSyntax() {
        for trace in Traces.all {
            let lines = MermaidRenderer.render(trace).split(separator: "\n").map(String.init)
            #expect(lines.first == "sequenceDiagram")
            for line in lines.dropFirst() {
                let ok = line.hasPrefix("    title ") || line.hasPrefix("    participant P") || line.hasPrefix("    Note over P")
                    || line.range(of: #"^    P\d+(->>|-x)P\d+: "#, options: .regularExpression) != nil
                #expect(ok, "\(trace.header.scenario): \(line)")
                #expect(!line.dropFirst(4).contains(";"), "a semicolon ends a Mermaid statement: \(line)")
            }
        }
        let synLost = MermaidRenderer.render(Traces.of("syn-lost"))
        #expect(synLost.components(separatedBy: "-xP2: SYN seq=0").count - 1 == 2)
    }
}

@Suite struct TimeSequenceTests {
    @Test func retransmissionsAreMarked() {
        let graph = TimeSequenceGraph(trace: Traces.lossyBulk)
        #expect(graph.segments.contains { $0.isRetransmission })
        #expect(graph.segments.contains { !$0.isRetransmission })
        #expect(graph.segments.filter(\.isRetransmission).count < graph.segments.count)
        #expect(!graph.acks.isEmpty)
        let svg = graph.svg()
        #expect(XMLCheck.parse(svg).ok)
        #expect(svg.contains("class=\"data rexmt\""))
        let text = graph.text()
        #expect(text.split(separator: "\n").allSatisfy { $0.unicodeScalars.count <= 80 })
        #expect(text.contains("R"))
        let clean = TimeSequenceGraph(trace: Traces.of("bulk-transfer", overrides: ScenarioOverrides(bytes: 20_000)))
        #expect(!clean.segments.contains { $0.isRetransmission })
    }
}

@Suite struct PcapTests {
    @Test func exportReadsBackPacketForPacket() throws {
        for trace in Traces.all {
            let records = try PcapReader.records(TracePcap.bytes(of: trace))
            let sent: [(Int64, [UInt8])] = trace.events.compactMap {
                if case .packetSent(let bytes, _) = $0.kind { return ($0.time, bytes) } else { return nil }
            }
            #expect(records.count == sent.count)
            for (record, (time, bytes)) in zip(records, sent) {
                #expect(record.packet == bytes)
                #expect(record.timestampNanoseconds == UInt64(time) / 1_000 * 1_000)
            }
        }
    }

    /// The capture was made with tcpdump on `lo` (a Python client and server on 127.0.0.1:52817).
    /// Expected values are those `tshark -r loopback-http.pcap -T fields -e tcp.flags.str -e
    /// tcp.seq -e tcp.ack -e tcp.len` prints.
    @Test func loopbackCaptureDrawsAsALadder() throws {
        let trace = try PcapTraceReader.trace(fromPcap: Traces.fixture("loopback-http.pcap"), name: "loopback-http.pcap")
        let renderer = LadderRenderer(trace: trace)
        #expect(renderer.model.lifelines.map(\.name) == ["127.0.0.1:42472", "127.0.0.1:52817"])
        let labels = renderer.model.flights.map(\.label)
        #expect(labels == [
            "SYN seq=0", "SYN,ACK seq=0 ack=1", "ACK seq=1 ack=1", "18 bytes seq=1 ack=1", "ACK seq=1 ack=19",
            "43 bytes seq=1 ack=19", "ACK seq=19 ack=44", "FIN,ACK seq=44 ack=19", "FIN,ACK seq=19 ack=45",
            "ACK seq=45 ack=20",
        ])
        let directions = renderer.model.flights.map { $0.from < $0.to ? ">" : "<" }.joined()
        #expect(directions == "><>><<><><")
        let lines = renderer.render(upTo: nil, highlight: nil)
        #expect(lines[2].contains("├") && lines[2].contains("SYN seq=0") && lines[2].contains("▶│"))
        #expect(lines.allSatisfy { $0.unicodeScalars.count <= 80 })
        #expect(lines.contains { $0.contains("◀") && $0.contains("43 bytes seq=1 ack=19") })
        let svg = SVGLadderRenderer(trace: trace).render()
        #expect(svg.components(separatedBy: "class=\"segment ").count - 1 == 10)
    }

    /// The last lifeline's name moves left to stay on the line; the name before it is then cut
    /// short of it, never run into it ("client-laptop-4client-laptop-5").
    @Test func lifelineNamesNeverRunTogether() throws {
        let text = TraceFile.write(Traces.of("many-clients")).replacing(/client(\d)/) { "client-laptop-\($0.1)" }
        let trace = try TraceFile.read(text)
        let renderer = LadderRenderer(trace: trace)
        let header = renderer.render(upTo: nil, highlight: nil)[1]
        let words = header.split(separator: " ").filter { $0 != "ms" }
        #expect(words.count == renderer.model.lifelines.count, "\(header)")
        for word in words {
            #expect(word.ranges(of: "client").count <= 1, "two names run together in \(header)")
        }
        #expect(words.last.map(String.init) == renderer.model.lifelines.last?.name)
    }

    @Test func limitKeepsTheFirstConnections() throws {
        let bytes = TracePcap.bytes(of: Traces.of("many-clients"))
        let all = try PcapTraceReader.trace(fromPcap: bytes, name: "x")
        let two = try PcapTraceReader.trace(fromPcap: bytes, name: "x", limit: 2)
        #expect(LadderModel(trace: all).connections.count == 5)
        #expect(LadderModel(trace: two).connections.count == 2)
        #expect(two.events.count < all.events.count)
    }

    @Test func badCapturesSayWhere() {
        #expect(throws: WireError.self) { try PcapTraceReader.trace(fromPcap: [1, 2, 3, 4], name: "x") }
        var wrongMagic = TracePcap.bytes(of: Traces.of("handshake"))
        wrongMagic[0] = 0
        do {
            _ = try PcapTraceReader.trace(fromPcap: wrongMagic, name: "x")
            Issue.record("wrong magic accepted")
        } catch {
            #expect(error.kind == .badMagic && error.offset == 0)
        }
        let truncated = Array(TracePcap.bytes(of: Traces.of("handshake")).dropLast(5))
        #expect(throws: WireError.self) { try PcapTraceReader.trace(fromPcap: truncated, name: "x") }
    }
}

@Suite struct WorkloadTests {
    @Test func syntheticTraceIsDeterministicAndRenders() {
        let trace = RenderWorkload.trace(events: 2_000)
        #expect(trace == RenderWorkload.trace(events: 2_000))
        #expect(trace.events.count > 1_900 && trace.events.count <= 2_000)
        #expect(RenderWorkload.renderASCII(trace) > 0)
        let svg = SVGLadderRenderer(trace: trace).render()
        #expect(XMLCheck.parse(svg).ok)
        #expect(SVGArrows.count(svg) == Traces.transportPacketsSent(trace))
    }
}

/// Packets an SVG ladder stands for: its arrows, plus those a shortened run left out
/// (`⋮ 58 more segments (data and ACKs: …)`).
enum SVGArrows {
    static func count(_ svg: String) -> Int {
        let arrows = svg.components(separatedBy: "class=\"segment ").count - 1
        let summarized = svg.matches(of: /⋮ ([0-9]+) more segments/).reduce(0) { $0 + Int($1.1)! }
        return arrows + summarized
    }
}
