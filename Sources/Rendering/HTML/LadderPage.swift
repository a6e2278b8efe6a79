import Tracing

/// Any trace as an interactive ladder in one self-contained web page (`stacklab diagram …
/// --format html`): the `LadderPageModel` as JSON, drawn by `LadderPageScript` in the SVG
/// ladder's style. Nothing is fetched from anywhere; the same trace gives the same bytes.
public struct LadderPage: Sendable {
    public let model: LadderModel

    public init(trace: Trace, sequence: SequenceDisplay = .relative) {
        model = LadderModel(trace: trace, sequence: sequence)
    }

    public func render() -> String {
        let title = model.trace.header.scenario
        let document = HTMLDocument(title: "\(title) · StackLab ladder", language: "en", style: LadderPageStyle.css,
                                    body: Self.body, dataID: "ladder-data", data: LadderPageModel(model: model).value(),
                                    script: PacketPaneScript.source + LadderPageScript.source)
        return document.render()
    }

    /// The page's skeleton; the script draws the ladder and fills in the rest.
    static let body = """
        <div class="page">
        <header class="topbar">
        <div><h1 id="title"></h1><div class="subtitle" id="subtitle"></div></div>
        <div class="controls">
        <span id="status"></span>
        <label>Connection <select id="connection"><option value="-1">all</option></select></label>
        <label><input type="checkbox" id="collapse" checked> collapse idle gaps</label>
        <span class="zoom">time <button type="button" id="zoom-out" aria-label="zoom out">−</button>\
        <span id="zoom-level"></span><button type="button" id="zoom-in" aria-label="zoom in">+</button></span>
        </div>
        </header>
        <main class="ladder-layout">
        <section class="ladder-stage" id="stage">
        <div class="heads" id="heads"></div>
        <svg id="ladder" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="ladder diagram">
        \(SVGLadderRenderer.definitions)
        <g id="ladder-fixed"></g><g id="ladder-rows"></g></svg>
        </section>
        <aside class="details" id="details"></aside>
        </main>
        <footer class="hint">Point at a packet for its fields and bytes, click to keep it (Esc lets go) · \
        + and − zoom the time axis</footer>
        </div>
        <noscript><p>This ladder needs JavaScript.</p></noscript>

        """
}
