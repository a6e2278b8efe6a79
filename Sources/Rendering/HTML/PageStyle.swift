/// The look both pages share, taken from the SVG ladder: its font, its greys and blue, its state
/// colours; plus the packet pane. Class names never reuse the ladder's own (`.label`, `.state`,
/// `.data`…): an inline SVG's stylesheet applies to the whole page.
public enum PageStyle {
    public static let css = """
        :root {
          --ink: #111827; --text: #1f2937; --dim: #6b7280; --faint: #9ca3af; --rule: #e5e7eb; --paper: #ffffff;
          --wash: #f9fafb; --accent: #1d4ed8; --accent-wash: #dbeafe; --lit: #fde68a; --chosen: #fbbf24;
          --good: #15803d; --bad: #b91c1c;
          --mono: ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace;
        }
        * { box-sizing: border-box; }
        html, body { margin: 0; height: 100%; }
        body { font-family: \(SVGLadderRenderer.fontStack); color: var(--text); background: var(--paper);
          font-size: 14px; line-height: 1.45; }
        button, input, select { font: inherit; color: inherit; }
        button { background: var(--paper); border: 1px solid #d1d5db; border-radius: 6px; padding: 3px 10px;
          cursor: pointer; }
        button:hover:not(:disabled) { border-color: var(--accent); color: var(--accent); }
        button:disabled { color: var(--faint); cursor: default; }
        button.on { background: var(--accent-wash); border-color: var(--accent); color: var(--accent); }
        code { font-family: var(--mono); font-size: 0.92em; background: #f3f4f6; border-radius: 3px; padding: 0 3px; }
        .topbar { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; padding: 10px 18px;
          border-bottom: 1px solid var(--rule); background: var(--paper); }
        .topbar h1 { font-size: 18px; margin: 0; color: var(--ink); }
        .subtitle { color: var(--dim); font-size: 12.5px; }
        .controls { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 10px; margin-left: auto; }
        .controls label { display: inline-flex; align-items: center; gap: 4px; color: var(--dim); }
        .controls input[type=number] { width: 4.5em; padding: 2px 4px; border: 1px solid #d1d5db; border-radius: 6px; }
        .hint { color: var(--faint); font-size: 12px; padding: 6px 18px; border-top: 1px solid var(--rule); }

        .packet-pane { display: flex; flex-wrap: wrap; gap: 10px 18px; align-items: flex-start; }
        .packet-tree { flex: 1 1 300px; min-width: 0; }
        .packet-tree details { margin: 0 0 2px; }
        .packet-tree summary { cursor: pointer; font-weight: 600; color: var(--ink); padding: 1px 0; }
        .packet-field { display: flex; flex-wrap: wrap; gap: 0 0.5em; padding: 1px 6px 1px 18px; border-radius: 4px;
          cursor: pointer; }
        .field-name { color: #4b5563; }
        .field-value { color: var(--ink); font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
        .field-bytes { color: var(--faint); font-size: 12px; margin-left: auto; }
        .hex { font-family: var(--mono); font-size: 12.5px; line-height: 1.5; }
        .hex-row { white-space: pre; }
        .hex-offset { color: var(--faint); margin-right: 0.8em; }
        .hex-byte { padding: 0 0.18em; border-radius: 3px; cursor: pointer; }
        .hex-more { color: var(--dim); }
        .packet-field.lit, .hex-byte.lit { background: var(--lit); }
        .packet-field.chosen, .hex-byte.chosen { background: var(--chosen); color: var(--ink); }

        """
}
