/// The interactive ladder's look: the SVG ladder's own classes for what it draws, the lifeline
/// names held at the top while the ladder scrolls, and the details pane beside it.
enum LadderPageStyle {
    static var css: String {
        PageStyle.css + SVGLadderRenderer.stylesheet + layout
    }

    static let layout = """
        .page { display: flex; flex-direction: column; height: 100vh; }
        .ladder-layout { flex: 1; min-height: 0; display: grid;
          grid-template-columns: minmax(0, 1fr) minmax(340px, 32%); }
        .ladder-stage { overflow: auto; position: relative; border-right: 1px solid var(--rule); }
        .heads { position: sticky; top: 0; height: 38px; z-index: 2; background: rgba(255, 255, 255, 0.95);
          border-bottom: 1px solid var(--rule); }
        .head { position: absolute; top: 5px; transform: translateX(-50%); min-width: 110px; padding: 3px 14px;
          border-radius: 6px; background: var(--ink); color: #ffffff; font-weight: 600; text-align: center;
          white-space: nowrap; }
        #ladder { display: block; margin-top: -38px; }
        #ladder .hit { fill: none; stroke: transparent; stroke-width: 12px; pointer-events: stroke; cursor: pointer; }
        #ladder g[data-flight] .label { cursor: pointer; }
        #ladder g.now .segment { stroke-width: 3.4; }
        #ladder g.now .label { stroke: #fcd34d; stroke-width: 7px; font-weight: 700; }
        #ladder .gap-label { font-size: 11px; font-style: italic; fill: var(--dim); }
        .details { overflow: auto; padding: 14px 18px; }
        .details-title { font-size: 16px; margin: 0 0 4px; color: var(--ink); overflow-wrap: anywhere; }
        .details-line { margin: 0 0 6px; color: var(--dim); }
        .details .packet-pane { margin-top: 12px; }
        .empty { color: var(--dim); font-style: italic; }
        .zoom { display: inline-flex; align-items: center; gap: 4px; }
        #zoom-level { min-width: 3.5em; text-align: center; font-variant-numeric: tabular-nums; }
        #status { color: var(--dim); }
        select { max-width: 22em; padding: 2px 4px; border: 1px solid #d1d5db; border-radius: 6px;
          background: var(--paper); }
        @media (max-width: 900px) {
          .ladder-layout { grid-template-columns: 1fr; grid-template-rows: 65vh auto; }
        }

        """
}
