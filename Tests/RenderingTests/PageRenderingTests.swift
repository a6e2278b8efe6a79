import Apps
import Foundation
import Runs
import Testing
import Tracing
@testable import Rendering

/// The pieces the pages are built from: escaping, the annotated SVG ladder, the state diagram's
/// bands, the packet a moment is about, and the interactive ladder's data.
@Suite struct PageRenderingTests {
    /// JSON inside `<script>` can hold no `<`, `>` or `&` and no line separators, and reads back
    /// as exactly the same value.
    @Test func scriptJSONReadsBackAndCannotCloseItsScript() throws {
        let tricky = ["</script>", "<!--", "-->", "&amp;", "\u{2028}\u{2029}", "\"\\", "中文 ✗ ⋮", "\u{1}"]
        let value = JSONValue.object(tricky.enumerated().map { ("k\($0.offset)<", .string($0.element)) })
        let text = HTMLEscape.scriptJSON(value)
        #expect(!text.contains("<") && !text.contains(">") && !text.contains("&"))
        #expect(!text.contains("\u{2028}") && !text.contains("\u{2029}"))
        #expect(try JSONParser().parse(text) == value)
        #expect(HTMLEscape.text(#"<a href="x">'&'</a>"#) == "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;")
    }

    /// Annotation adds attributes and nothing else: with them taken out, the SVG is the one for slides.
    @Test func annotationOnlyAddsEventAttributes() throws {
        for trace in Traces.all + [Traces.lossyBulk] {
            let plain = SVGLadderRenderer(trace: trace).render()
            var renderer = SVGLadderRenderer(trace: trace)
            renderer.annotated = true
            let annotated = renderer.render()
            #expect(!plain.contains("data-event"))
            #expect(Self.removingEventAttributes(annotated) == plain, "\(trace.header.scenario)")
            // Every arrow says which send it shows.
            let segments = annotated.components(separatedBy: "<path class=\"segment ").dropFirst()
            #expect(segments.allSatisfy { $0.prefix(40).contains("data-event=\"") }, "\(trace.header.scenario)")
            #expect(renderer.rowPositions().count == renderer.model.rows.count)
        }
    }

    static func removingEventAttributes(_ svg: String) -> String {
        var out = ""
        var rest = Substring(svg)
        while let range = rest.range(of: " data-") {
            out += rest[..<range.lowerBound]
            let afterName = rest[range.upperBound...]
            guard let open = afterName.firstIndex(of: "\""),
                  let close = afterName[afterName.index(after: open)...].firstIndex(of: "\"") else { break }
            rest = afterName[afterName.index(after: close)...]
        }
        return out + rest
    }

    @Test func stateDiagramBandsAreTheOnesItDraws() {
        let trace = Traces.of("teardown-client-first")
        let marks = StateDiagram.marks(trace.events, upTo: trace.events.count / 2)
        let diagram = StateDiagramSVG(marks: marks, title: "t")
        #expect(diagram.render() == diagram.render(bandsGroupID: nil))
        let grouped = diagram.render(bandsGroupID: "bands")
        #expect(grouped.components(separatedBy: "<rect class=\"mark\"").count - 1 == diagram.bands().count)
        #expect(grouped.contains("<g id=\"bands\">\n<rect class=\"mark\""))
        #expect(StateDiagramSVG(marks: [], title: "t").render(bandsGroupID: "bands").contains("<g id=\"bands\">\n</g>"))
    }

    /// A state change is about the packet whose arrival caused it, a call about the packet it
    /// sends, a packet event about its packet; a timer firing with nothing sent about none.
    @Test func theFlightAMomentIsAbout() throws {
        let trace = Traces.of("teardown-client-first")
        let model = LadderModel(trace: trace)
        let events = trace.events
        let clientFIN = try #require(model.flights.firstIndex {
            $0.tcp?.flags.contains(.fin) == true && model.lifelines[$0.from].name == "client"
        })
        let closeWait = try #require(events.firstIndex {
            if case .stateChanged(_, _, .closeWait, _) = $0.kind { true } else { false }
        })
        let close = try #require(events.firstIndex {
            if case .socketCall(_, .close) = $0.kind { $0.node == "client" } else { false }
        })
        #expect(model.flight(relatedTo: closeWait) == clientFIN)
        #expect(model.flight(relatedTo: close) == clientFIN)
        #expect(model.flight(relatedTo: model.flights[clientFIN].sendIndex) == clientFIN)
        #expect(model.flight(relatedTo: try #require(model.flights[clientFIN].arrivals.first?.index)) == clientFIN)
        let timeWaitFired = try #require(events.lastIndex {
            if case .timer(_, .timeWait, .fired) = $0.kind { true } else { false }
        })
        #expect(model.flight(relatedTo: timeWaitFired) == nil)
    }

    /// The interactive ladder's data: every row, every flight with its packet decoded (fields
    /// within the packet, hex cut at the limit), states tied to their connection.
    @Test func theLadderPageCarriesTheModel() throws {
        let trace = Traces.of("many-clients")
        let model = LadderModel(trace: trace)
        let value = LadderPageModel(model: model).value()
        #expect(value["rows"]?.arrayValue?.count == model.rows.count)
        let packets = try #require(value["packets"]?.arrayValue)
        #expect(packets.count == model.flights.count)
        for (packet, flight) in zip(packets, model.flights) {
            guard case .packetSent(let bytes, _) = trace.events[flight.sendIndex].kind else { continue }
            #expect(packet["length"]?.intValue == Int64(bytes.count))
            #expect(packet["hex"]?.stringValue?.count == 2 * min(bytes.count, LadderPageModel.hexLimit))
            for field in packet["layers"]?.arrayValue?.flatMap({ $0["fields"]?.arrayValue ?? [] }) ?? [] {
                #expect((field[3]?.intValue ?? .max) <= Int64(bytes.count), "\(field)")
            }
        }
        let states = try #require(value["states"]?.arrayValue)
        #expect(states.contains { $0[2]?.intValue ?? -1 >= 0 })
        #expect(states.contains { $0[1] == "LISTEN" && $0[2] == -1 })
        let page = LadderPage(trace: trace).render()
        #expect(page == LadderPage(trace: trace).render())
        #expect(page.contains("Content-Security-Policy"))
    }
}
