import Rendering
import Tracing

/// A lesson as one self-contained web page (`stacklab export LESSON -o OUT.html`): the annotated
/// SVG ladder and the RFC 9293 state diagram inline, the stepper's model as JSON
/// (`LessonPageModel`), and the stepper written in a little JavaScript (`LessonPageScript`). No
/// file, font or script is fetched from anywhere; the page works from `file://`. Deterministic:
/// the same lesson and options give the same bytes.
public enum LessonPage {
    /// The page. `languages` are the narration languages exported (a switch shows when there are
    /// two); `sequence` how sequence numbers are written (the lesson's choice when nil); `quiz`
    /// whether the quiz is on when the page opens.
    public static func render(_ run: LessonRun, languages: [LessonLanguage] = LessonLanguage.allCases,
                              sequence: SequenceDisplay? = nil, quiz: Bool = false) -> String {
        render([run], languages: languages, sequence: sequence, quiz: quiz)
    }

    /// The page of a lesson in parts (one run per part): a ladder per part, the one of the
    /// current step's part showing.
    public static func render(_ runs: [LessonRun], languages: [LessonLanguage] = LessonLanguage.allCases,
                              sequence: SequenceDisplay? = nil, quiz: Bool = false) -> String {
        let run = runs[0]
        let languages = languages.isEmpty ? [.en] : languages
        let sequence = sequence ?? run.lesson.header.sequence ?? .relative
        let model = LessonPageModel(runs: runs, languages: languages, sequence: sequence, quiz: quiz)
        let first = languages[0]
        let title = "\(UIText.lesson(run.lesson.number, first)) · \(run.lesson.title(first))"
        let ladder = model.ladders.enumerated().map { part, ladder in
            let id = part == 0 ? "ladder-svg" : "ladder-svg-\(part + 1)"
            let label = runs[part].lesson.part.map { $0.title(first) + ": " } ?? ""
            return "<div class=\"ladder-part\" data-part=\"\(part)\"\(part == 0 ? "" : " hidden")>"
                + inline(ladder.render(), id: id, label: label + runs[part].scenario.name) + "</div>"
        }.joined(separator: "\n")
        let diagram = StateDiagramSVG(marks: [], title: run.lesson.title(first))
        let states = inline(diagram.render(bandsGroupID: "state-bands"), id: "states-svg", label: "RFC 9293")
        let document = HTMLDocument(title: title, language: first == .zh ? "zh-Hans" : "en", style: LessonPageStyle.css,
                                    body: body(runs, title: title, languages: languages, ladder: ladder, states: states),
                                    dataID: "lesson-data", data: model.value(),
                                    script: PacketPaneScript.source + LessonPageScript.source)
        return document.render()
    }

    /// An SVG document made an element of the page: without its XML declaration, with an id and
    /// an accessible name.
    static func inline(_ svg: String, id: String, label: String) -> String {
        var text = Substring(svg)
        if text.hasPrefix("<?xml"), let end = text.firstIndex(of: "\n") { text = text[text.index(after: end)...] }
        guard text.hasPrefix("<svg ") else { return String(text) }
        let attributes = "id=\"\(id)\" role=\"img\" aria-label=\"\(HTMLEscape.text(label))\" "
        return "<svg " + attributes + text.dropFirst("<svg ".count)
    }

    /// The page's skeleton; the script fills it in for each step.
    static func body(_ runs: [LessonRun], title: String, languages: [LessonLanguage], ladder: String,
                     states: String) -> String {
        let count = Stepper(runs: runs).count
        var languageButtons = ""
        if languages.count > 1 {
            for language in languages {
                let name = language == .zh ? "中文" : "English"
                languageButtons += "<button type=\"button\" data-language=\"\(language.rawValue)\">\(name)</button>"
            }
        }
        return """
            <div class="page">
            <header class="topbar">
            <div><h1 id="lesson-title">\(HTMLEscape.text(title))</h1>
            <div class="subtitle" id="scenario-line"></div></div>
            <div class="controls">
            <button type="button" id="back">◀</button>
            <span id="counter" class="counter"></span>
            <button type="button" id="next">▶</button>
            <label><span id="go-label"></span> <input type="number" id="go-to" min="1" max="\(count)" value="1"></label>
            <span id="languages" class="languages">\(languageButtons)</span>
            <span class="views"><button type="button" id="view-ladder"></button>\
            <button type="button" id="view-states"></button></span>
            <label><input type="checkbox" id="quiz-mode"> <span id="quiz-label"></span></label>
            </div>
            </header>
            <main class="layout">
            <section class="stage" id="stage">
            <div id="ladder-pane"><p id="marked" class="marked"></p>
            \(ladder)</div>
            <div id="states-pane" hidden>
            \(states)<ul id="states-legend" class="states-legend"></ul></div>
            </section>
            <section class="story">
            <h2 id="heading" class="step-heading"></h2>
            <div id="quiz" class="quiz-box" hidden></div>
            <div id="narration" class="narration"></div>
            <div id="panels" class="panels"></div>
            <h3 id="packet-title" class="pane-title"></h3>
            <div id="packet"></div>
            <p id="end-note" class="end-note" hidden></p>
            </section>
            </main>
            <footer class="hint" id="keys"></footer>
            </div>
            <noscript><p>This lesson needs JavaScript to step through it.</p></noscript>

            """
    }
}
