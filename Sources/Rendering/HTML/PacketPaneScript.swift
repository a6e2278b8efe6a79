/// The packet pane both pages draw: a packet's layers and fields (as `PacketJSON` writes them)
/// beside its bytes in hex. Pointing at a field lights its bytes, pointing at a byte lights its
/// field; a click, or ↑ and ↓, chooses one. Builds the DOM with `textContent` only, so nothing
/// from the data is ever read as markup.
public enum PacketPaneScript {
    public static let source = #"""
        /* The packet pane: layers and fields beside the bytes, each field linked to its bytes. */
        const PacketPane = (function () {
          "use strict";

          function element(tag, className, text) {
            const node = document.createElement(tag);
            if (className) node.className = className;
            if (text !== undefined) node.textContent = text;
            return node;
          }

          function fill(template, values) {
            return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
          }

          /* Draws `packet` into `root`. `labels` names each field; `focus` is the field chosen first;
             `words.bytes` reads like "bytes {from}–{to}", `words.more` like "… ({n} bytes in all)".
             Returns { move(delta) } to choose the previous or next field. */
          function show(root, packet, layers, labels, focus, words) {
            root.replaceChildren();
            const pane = element("div", "packet-pane");
            const tree = element("div", "packet-tree");
            const hex = element("div", "hex");
            pane.append(tree, hex);
            root.append(pane);

            const fields = [];
            for (const layer of layers) {
              const details = element("details");
              details.append(element("summary", null, layer.title));
              for (const [name, value, start, end] of layer.fields) {
                const row = element("div", "packet-field");
                row.append(element("span", "field-name", (labels[name] || name) + ":"),
                           element("span", "field-value", value),
                           element("span", "field-bytes", fill(words.bytes, { from: start, to: end - 1 })));
                const field = { name, start, end, row, details };
                row.addEventListener("mouseenter", () => light(field, "lit"));
                row.addEventListener("mouseleave", () => light(null, "lit"));
                row.addEventListener("click", () => choose(field));
                fields.push(field);
                details.append(row);
              }
              tree.append(details);
            }

            const cells = [];
            for (let offset = 0; offset * 2 < packet.hex.length; offset += 16) {
              const line = element("div", "hex-row");
              line.append(element("span", "hex-offset", offset.toString(16).padStart(4, "0")));
              for (let i = offset; i < offset + 16 && i * 2 < packet.hex.length; i++) {
                const cell = element("span", "hex-byte", packet.hex.slice(i * 2, i * 2 + 2));
                cell.addEventListener("mouseenter", () => light(fieldAt(i), "lit"));
                cell.addEventListener("mouseleave", () => light(null, "lit"));
                cell.addEventListener("click", () => { const field = fieldAt(i); if (field) choose(field); });
                cells.push(cell);
                line.append(cell);
              }
              hex.append(line);
            }
            if (packet.length > cells.length) {
              hex.append(element("div", "hex-more", fill(words.more, { n: packet.length })));
            }

            /* The narrowest field that holds byte i. */
            function fieldAt(i) {
              let best = null;
              for (const field of fields) {
                const holds = field.start <= i && i < field.end;
                if (holds && (!best || field.end - field.start < best.end - best.start)) best = field;
              }
              return best;
            }

            const lit = { lit: [], chosen: [] };
            function light(field, className) {
              for (const node of lit[className]) node.classList.remove(className);
              lit[className] = [];
              if (!field) return;
              const nodes = [field.row].concat(cells.slice(field.start, Math.min(field.end, cells.length)));
              for (const node of nodes) node.classList.add(className);
              lit[className] = nodes;
            }

            let chosen = null;
            function choose(field) {
              chosen = field;
              light(field, "chosen");
              if (field) field.details.open = true;
            }

            choose(fields.find((field) => field.name === focus) || null);
            return {
              move(delta) {
                if (fields.length === 0) return;
                const at = chosen ? fields.indexOf(chosen) : -1;
                choose(fields[(at + delta + fields.length) % fields.length]);
                chosen.row.scrollIntoView({ block: "nearest" });
              },
            };
          }

          return { show, element, fill };
        })();

        """#
}
