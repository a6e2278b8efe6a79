import Rendering
import Tracing

/// The lesson page's own look, on top of `PageStyle`: the ladder or state diagram on the left,
/// the step (heading, quiz, narration, panels, packet) on the right; one column on a narrow
/// screen. State names wear the ladder's band colours.
enum LessonPageStyle {
    static var css: String {
        PageStyle.css + layout + stateColors
    }

    static let layout = """
        .page { display: flex; flex-direction: column; height: 100vh; }
        .layout { flex: 1; min-height: 0; display: grid; grid-template-columns: minmax(0, 1.1fr) minmax(0, 1fr); }
        .stage { overflow: auto; border-right: 1px solid var(--rule); background: var(--paper); }
        .stage svg { display: block; width: 100%; height: auto; }
        .marked { margin: 0; padding: 6px 14px; min-height: 1.9em; color: var(--dim); font-size: 12.5px;
          border-bottom: 1px solid var(--rule); position: sticky; top: 0; left: 0;
          background: rgba(255, 255, 255, 0.94); }
        .story { overflow: auto; padding: 14px 22px 24px; }
        .counter { font-variant-numeric: tabular-nums; color: var(--ink); min-width: 9em; text-align: center; }
        .languages { display: inline-flex; gap: 4px; }
        .views { display: inline-flex; gap: 4px; }
        .step-heading { font-size: 16px; margin: 0 0 10px; color: var(--ink); border-bottom: 1px solid var(--rule);
          padding-bottom: 6px; }
        .narration p { margin: 0 0 0.7em; }
        .narration ul { margin: 0 0 0.7em; padding-left: 1.3em; }
        .quiz-box { border: 2px solid var(--accent); border-radius: 8px; padding: 10px 14px; margin: 0 0 12px;
          background: #eff6ff; }
        .quiz-prompt { font-weight: 600; color: var(--accent); margin: 0 0 8px; }
        .quiz-choices { display: flex; flex-wrap: wrap; gap: 6px; margin: 0 0 6px; }
        .quiz-help { color: var(--dim); font-size: 12.5px; margin: 0; }
        .verdict-right { color: var(--good); font-weight: 600; margin: 0; }
        .verdict-wrong { color: var(--bad); font-weight: 600; margin: 0; }
        .panels { display: grid; grid-template-columns: repeat(auto-fit, minmax(250px, 1fr)); gap: 10px;
          margin: 14px 0; }
        .panel { border: 1px solid var(--rule); border-radius: 8px; padding: 8px 12px; background: var(--wash); }
        .panel-head { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 4px 10px;
          margin-bottom: 6px; }
        .panel-title { font-weight: 600; color: var(--ink); overflow-wrap: anywhere; }
        .panel-state { font-weight: 700; padding: 0 7px; border-radius: 4px; border: 1px solid var(--rule);
          background: var(--paper); }
        .panel-fields { display: grid; grid-template-columns: repeat(auto-fill, minmax(118px, 1fr)); gap: 1px 12px;
          font-variant-numeric: tabular-nums; font-size: 13px; }
        .panel-field { display: flex; justify-content: space-between; gap: 6px; }
        .panel-label { color: var(--dim); }
        .pane-title { font-size: 13px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--dim);
          margin: 16px 0 6px; }
        .empty { color: var(--dim); font-style: italic; margin: 0; }
        .end-note { color: var(--dim); font-style: italic; }
        .states-legend { list-style: none; margin: 0; padding: 4px 30px 16px; }
        .states-legend li { display: flex; align-items: center; gap: 8px; margin: 2px 0; }
        .swatch { display: inline-block; width: 14px; height: 14px; border-radius: 3px;
          border: 1px solid var(--faint); }
        .now-band { fill: #fef3c7; }
        .ladder-part .later { display: none; }
        .ladder-part .segment.now { stroke-width: 3.4; }
        .ladder-part .label.now, .ladder-part .state.now { paint-order: stroke; stroke: #fcd34d; stroke-width: 7px;
          stroke-linejoin: round; font-weight: 700; }
        @media (max-width: 900px) {
          .page { height: auto; }
          .layout { grid-template-columns: 1fr; }
          .stage { border-right: none; border-bottom: 1px solid var(--rule); max-height: 60vh; }
        }

        """

    /// One rule per TCP state for the panel's state badge (`.panel-state[data-state=…]`), in the
    /// colours of that state's band in the ladder.
    static var stateColors: String {
        TCPState.allCases.compactMap { state in
            SVGLadderRenderer.stateColors(state).map { colors in
                ".panel-state[data-state=\"\(state.rawValue)\"] { background: \(colors.fill); "
                    + "border-color: \(colors.stroke); color: \(colors.text); }\n"
            }
        }.joined()
    }
}
