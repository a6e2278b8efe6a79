/// The interactive ladder (`stacklab diagram … --format html`): it lays out the rows of the
/// page's `LadderPageModel` as the SVG ladder does (time downwards, a transit about 90 px, idle
/// gaps cut), and draws only what is on screen, so a trace of many thousand packets scrolls
/// smoothly. Point at a packet for its fields and bytes, click to keep it; zoom the time axis;
/// collapse idle gaps or show true time; show one connection.
public enum LadderPageScript {
    public static let source = #"""
        /* The interactive ladder: layout and drawing of the trace in #ladder-data. */
        (function () {
          "use strict";
          const data = JSON.parse(document.getElementById("ladder-data").textContent);
          const { element } = PacketPane;
          const svgNS = "http://www.w3.org/2000/svg";
          const byId = (id) => document.getElementById(id);
          const geometry = data.geometry;
          const SEND = 0, ARRIVAL = 1, DUPLICATE = 2, HOST_DROP = 3, STATE = 4;

          // The model, with the rows of each flight and state found once.
          const flights = data.flights.map(([from, to, kind, label, connection, reason, onLink], index) => ({
            index, from, to, kind, label, connection, reason, onLink: onLink === 1,
            send: -1, arrival: -1, drop: -1, duplicates: [],
          }));
          const states = data.states.map(([lifeline, name, connection]) => ({ lifeline, name, connection, row: -1 }));
          const timers = data.timers.map(([lifeline, name, color, start, end, fired]) => (
            { lifeline, name, color, start, end, fired: fired === 1 }));
          data.rows.forEach(([, kind, ref], row) => {
            if (kind === SEND) flights[ref].send = row;
            else if (kind === ARRIVAL) flights[ref].arrival = row;
            else if (kind === DUPLICATE) flights[ref].duplicates.push(row);
            else if (kind === HOST_DROP) flights[ref].drop = row;
            else if (kind === STATE) states[ref].row = row;
          });
          const xs = data.lifelines.map((_, lifeline) => geometry.left + lifeline * geometry.spacing);
          const width = (xs.length ? xs[xs.length - 1] : geometry.left) + 240;

          const view = { zoom: 1, collapse: true, connection: -1, pinned: null, shown: null, layout: null };
          const stage = byId("stage");
          const svg = byId("ladder");
          const fixed = byId("ladder-fixed");
          const rows = byId("ladder-rows");

          function svgElement(tag, attributes, text) {
            const node = document.createElementNS(svgNS, tag);
            for (const name in attributes) node.setAttribute(name, String(attributes[name]));
            if (text !== undefined) node.textContent = text;
            return node;
          }

          /* "120", "20.204": milliseconds from nanoseconds, as the SVG ladder writes them. */
          function milliseconds(ns) {
            const micros = Math.round(ns / 1000);
            const whole = Math.floor(micros / 1000), fraction = micros % 1000;
            return fraction === 0 ? String(whole) : whole + "." + String(fraction).padStart(3, "0").replace(/0+$/, "");
          }

          function duration(ns) {
            return ns >= 1e9 ? (ns / 1e9).toFixed(ns % 1e9 === 0 ? 0 : 2) + " s" : milliseconds(ns) + " ms";
          }

          // ---- Layout ----

          /* The lifelines the chosen connection's packets run between. */
          function involvedLifelines() {
            const involved = new Set();
            for (const flight of flights) {
              if (flight.connection === view.connection) { involved.add(flight.from); involved.add(flight.to); }
            }
            return involved;
          }

          /* Whether the connection filter keeps a row. */
          function keeps(row, involved) {
            if (view.connection < 0) return true;
            const [, kind, ref] = data.rows[row];
            if (kind <= HOST_DROP) return flights[ref].connection === view.connection;
            if (kind === STATE) {
              const state = states[ref];
              return state.connection === view.connection || (state.connection < 0 && involved.has(state.lifeline));
            }
            return involved.has(timers[ref].lifeline);
          }

          /* Which lifeline a row touches, how and in which direction (rows at one instant share a
             line unless they touch a lifeline the same way twice); null for rows without a packet. */
          function touch(row) {
            const [, kind, ref] = data.rows[row];
            if (kind > HOST_DROP) return null;
            const flight = flights[ref];
            const rightward = flight.to > flight.from;
            return kind === SEND ? flight.from * 4 + (rightward ? 0 : 1) : flight.to * 4 + (rightward ? 2 : 3);
          }

          /* Places every kept row: y grows with time (a typical transit is `geometry.transit` px at
             zoom 1), with at least a small step between instants; a long idle gap is cut to a fixed
             height and labelled, unless gaps are shown as they are. */
          function layout() {
            const involved = involvedLifelines();
            const scale = geometry.transit * view.zoom / geometry.transit_ns;
            const step = Math.max(3, geometry.step * Math.min(1, view.zoom));
            const cap = 3 * geometry.transit * view.zoom;
            const y = new Float64Array(data.rows.length).fill(NaN);
            const kept = [];
            const gaps = [];
            let current = geometry.top, previous = 0, started = false;
            let touched = new Set();
            data.rows.forEach(([time], row) => {
              if (!keeps(row, involved)) return;
              const key = touch(row);
              if (started) {
                const elapsed = time - previous;
                const scaled = elapsed * scale;
                if (view.collapse && elapsed >= geometry.gap_ns && scaled > cap) {
                  gaps.push({ y: current + geometry.gap / 2 + step / 2, elapsed });
                  current += geometry.gap + 2 * step;
                  touched = new Set();
                } else if (elapsed > 0) {
                  current += view.collapse ? Math.min(Math.max(scaled, step), cap) : Math.max(scaled, step);
                  touched = new Set();
                } else if (key !== null && touched.has(key)) {
                  current += step;
                  touched = new Set();
                }
              }
              started = true;
              previous = time;
              if (key !== null) touched.add(key);
              y[row] = current;
              kept.push(row);
            });
            const bottom = current + 60;
            const half = geometry.transit * view.zoom / 2;
            return {
              y, kept, gaps, bottom, ...arrows(y, half), bands: bands(y, bottom),
              timerBars: timerBars(y, bottom, involved), times: times(y, kept),
            };
          }

          /* Each kept flight's arrow, in send order (so by y), and whether its label has room. */
          function arrows(y, half) {
            const drawn = [];
            const lastLabels = new Map();   // per pair of lifelines, the labels drawn lately
            let longest = 0;
            for (const flight of flights) {
              const y1 = y[flight.send];
              if (Number.isNaN(y1)) continue;
              const x1 = xs[flight.from];
              let x2 = xs[flight.to], y2 = y1;
              if (flight.reason && flight.onLink) { y2 = y1 + half; x2 = (x1 + x2) / 2; }
              else if (flight.drop >= 0) y2 = y[flight.drop];
              else if (flight.arrival >= 0) y2 = y[flight.arrival];
              // Labels run along their arrows: two are apart when their lines are, measured across
              // them (a steep arrow's label needs more height between it and the next).
              const middle = (y1 + y2) / 2;
              const across = Math.abs(x2 - x1) / Math.hypot(x2 - x1, y2 - y1) || 1;
              const pair = Math.min(flight.from, flight.to) + ":" + Math.max(flight.from, flight.to);
              const recent = lastLabels.get(pair) || [];
              const apart = (other) => Math.abs(other.middle - middle) * Math.min(across, other.across) >= 20;
              const labelled = recent.every(apart);
              if (labelled) lastLabels.set(pair, recent.concat([{ middle, across }]).slice(-8));
              longest = Math.max(longest, y2 - y1);
              drawn.push({ flight, x1, y1, x2, y2, labelled });
            }
            return { drawn, longest };
          }

          /* State bands from each kept state to the next one of its lifeline, and where their names go. */
          function bands(y, bottom) {
            const result = [];
            const open = new Map();
            const lastName = new Map();
            for (const state of states) {
              const top = y[state.row];
              if (Number.isNaN(top)) continue;
              const before = open.get(state.lifeline);
              if (before) before.bottom = top;
              let nameY = top + 4;
              while (nameY - (lastName.get(state.lifeline) ?? -100) < 15) nameY += 15;
              lastName.set(state.lifeline, nameY);
              const band = { state, top, bottom: bottom - 40, nameY };
              open.set(state.lifeline, band);
              result.push(band);
            }
            return result;
          }

          function timerBars(y, bottom, involved) {
            const result = [];
            for (const timer of timers) {
              const top = y[timer.start];
              if (Number.isNaN(top) || (view.connection >= 0 && !involved.has(timer.lifeline))) continue;
              const end = timer.end >= 0 && !Number.isNaN(y[timer.end]) ? y[timer.end] : bottom - 40;
              result.push({ timer, top, bottom: Math.max(end, top + 3) });
            }
            return result;
          }

          /* Time labels: at rows where the time changes, at least 16 px apart. */
          function times(y, kept) {
            const result = [];
            let last = -100, lastTime = -1;
            for (const row of kept) {
              const time = data.rows[row][0];
              if (time === lastTime || y[row] - last < 16) continue;
              result.push({ y: y[row], time });
              last = y[row];
              lastTime = time;
            }
            return result;
          }

          /* The first index of `list` whose key is at least `value` (list sorted by key). */
          function firstAtLeast(list, key, value) {
            let low = 0, high = list.length;
            while (low < high) {
              const middle = (low + high) >> 1;
              if (key(list[middle]) < value) low = middle + 1; else high = middle;
            }
            return low;
          }

          function relayout() {
            view.layout = layout();
            const bottom = view.layout.bottom;
            svg.setAttribute("width", String(width));
            svg.setAttribute("height", String(bottom));
            svg.setAttribute("viewBox", "0 0 " + width + " " + bottom);
            fixed.replaceChildren();
            for (const x of xs) {
              const line = { class: "lifeline", x1: x, y1: geometry.top - 14, x2: x, y2: bottom - 40 };
              fixed.append(svgElement("line", line));
            }
            byId("zoom-level").textContent = Math.round(view.zoom * 100) + "%";
            byId("status").textContent = view.layout.drawn.length + " of " + flights.length + " packets";
            draw();
          }

          // ---- Drawing ----

          /* Draws what lies within a screen's height of the visible part, and nothing else. */
          function draw() {
            const l = view.layout;
            const top = stage.scrollTop - stage.clientHeight, bottom = stage.scrollTop + 2 * stage.clientHeight;
            const within = (from, to) => to >= top && from <= bottom;
            const fragment = document.createDocumentFragment();
            for (let i = firstAtLeast(l.times, (t) => t.y, top); i < l.times.length && l.times[i].y <= bottom; i++) {
              drawTime(fragment, l.times[i]);
            }
            for (const gap of l.gaps) if (within(gap.y - 12, gap.y + 12)) drawGap(fragment, gap);
            for (const band of l.bands) if (within(band.top, band.bottom)) drawBand(fragment, band);
            for (const bar of l.timerBars) if (within(bar.top, bar.bottom)) drawTimer(fragment, bar);
            for (let i = firstAtLeast(l.drawn, (a) => a.y1, top - l.longest); i < l.drawn.length; i++) {
              if (l.drawn[i].y1 > bottom) break;
              drawArrow(fragment, l.drawn[i]);
            }
            rows.replaceChildren(fragment);
          }

          function drawTime(parent, t) {
            parent.append(svgElement("line", { class: "grid", x1: 70, y1: t.y, x2: width - 20, y2: t.y }));
            const label = svgElement("text", { class: "time", x: 62, y: t.y + 4, "text-anchor": "end" });
            label.textContent = milliseconds(t.time) + " ms";
            parent.append(label);
          }

          function drawGap(parent, gap) {
            parent.append(svgElement("rect", { x: 70, y: gap.y - 10, width: width - 90, height: 20, fill: "#ffffff" }));
            for (const x of xs) {
              const d = "M" + (x - 9) + "," + (gap.y - 4) + " l18,-6 M" + (x - 9) + "," + (gap.y + 6) + " l18,-6";
              parent.append(svgElement("path", { d, stroke: "#9ca3af", "stroke-width": 1.5 }));
            }
            const attributes = { class: "gap-label", x: 62, y: gap.y + 4, "text-anchor": "end" };
            parent.append(svgElement("text", attributes, "+" + duration(gap.elapsed)));
          }

          function drawBand(parent, band) {
            const x = xs[band.state.lifeline];
            const colors = data.state_colors[band.state.name];
            if (colors) {
              parent.append(svgElement("rect", {
                class: "band", x: x - geometry.band / 2, y: band.top, width: geometry.band,
                height: Math.max(band.bottom - band.top, 2), rx: 3, fill: colors[0], stroke: colors[1],
              }));
            }
            const left = band.state.lifeline === 0 && xs.length > 1;
            parent.append(svgElement("text", {
              class: "state", x: left ? x - 30 : x + 30, y: band.nameY, "text-anchor": left ? "end" : "start",
              fill: colors ? colors[2] : "#374151",
            }, band.state.name));
          }

          function drawTimer(parent, bar) {
            const timer = bar.timer;
            const left = timer.lifeline === 0 && xs.length > 1;
            const x = xs[timer.lifeline] + (left ? -19 : 13);
            parent.append(svgElement("rect", {
              class: "timer", x, y: bar.top, width: 6, height: bar.bottom - bar.top, rx: 2,
              fill: timer.color, opacity: 0.85,
            }));
            parent.append(svgElement("text", {
              class: "timer-label", x: left ? x - 4 : x + 10, y: timer.fired ? bar.bottom + 3 : bar.top + 15,
              "text-anchor": left ? "end" : "start", fill: timer.color,
            }, timer.name + (timer.fired ? " fired" : "")));
          }

          /* A packet: its arrow (with a wide invisible twin to point at), a ✗ and the reason where
             it was lost, its label where there is room. */
          function drawArrow(parent, arrow) {
            const flight = arrow.flight;
            const direction = arrow.x2 >= arrow.x1 ? 1 : -1;
            const inset = geometry.band / 2 + 1;
            const x1 = arrow.x1 + direction * inset;
            const x2 = flight.reason && flight.onLink ? arrow.x2 : arrow.x2 - direction * inset;
            const d = "M" + x1 + "," + arrow.y1 + " L" + x2 + "," + arrow.y2;
            const group = svgElement("g", { "data-flight": flight.index });
            const path = svgElement("path", { class: "segment " + flight.kind, d });
            if (!flight.reason) path.setAttribute("marker-end", "url(#head-" + flight.kind + ")");
            group.append(path, svgElement("path", { class: "hit", d }));
            if (flight.reason) {
              const at = (y) => ({ x: x2, y, "text-anchor": "middle" });
              group.append(svgElement("text", { class: "cross", ...at(arrow.y2 + 6) }, "✗"));
              group.append(svgElement("text", { class: "reason", ...at(arrow.y2 + 22) }, flight.reason));
            }
            if (arrow.labelled) {
              const mx = (x1 + x2) / 2, my = (arrow.y1 + arrow.y2) / 2 - 5;
              const angle = Math.atan2(arrow.y2 - arrow.y1, x2 - x1) * 180 / Math.PI;
              const rotation = direction > 0 ? angle : angle - 180;
              group.append(svgElement("text", {
                class: "label " + flight.kind, x: mx, y: my, "text-anchor": "middle",
                transform: "rotate(" + rotation.toFixed(1) + " " + mx + " " + (my + 5) + ")",
              }, flight.label));
            }
            if (view.shown === flight.index) group.classList.add("now");
            parent.append(group);
          }

          // ---- The details pane ----

          /* The packet's story and its fields beside its bytes (nothing shown for null). */
          function show(index) {
            if (view.shown === index) return;
            view.shown = index;
            for (const node of rows.querySelectorAll("g.now")) node.classList.remove("now");
            const pane = byId("details");
            if (index === null) {
              const hint = "Point at a packet to see its fields and bytes; click one to keep it.";
              pane.replaceChildren(element("p", "empty", hint));
              return;
            }
            const node = rows.querySelector('g[data-flight="' + index + '"]');
            if (node) node.classList.add("now");
            const flight = flights[index];
            const sent = data.rows[flight.send][0];
            let fate = "no arrival in the trace";
            if (flight.reason) fate = (flight.onLink ? "lost on the way: " : "dropped by the receiver: ")
              + flight.reason;
            else if (flight.arrival >= 0) fate = "arrived at " + milliseconds(data.rows[flight.arrival][0]) + " ms";
            const route = data.lifelines[flight.from][0] + " → " + data.lifelines[flight.to][0];
            pane.replaceChildren(
              element("h2", "details-title", flight.label),
              element("p", "details-line", route + " · sent at " + milliseconds(sent) + " ms · " + fate
                + (flight.duplicates.length ? " · duplicated on the way" : "")),
              element("p", "details-line", "packet " + (index + 1) + " of " + flights.length
                + (view.pinned === index ? " · kept (Esc lets go)" : " · click to keep")));
            const packet = data.packets[index];
            const fields = packet.layers.flatMap((layer) => layer.fields.map(([name]) => name));
            const focus = ["tcp.flags", "udp.length", "icmp.type"].find((name) => fields.includes(name)) || null;
            const holder = element("div");
            pane.append(holder);
            PacketPane.show(holder, packet, packet.layers, data.labels, focus,
                            { bytes: "bytes {from}–{to}", more: "… ({n} bytes in all)" });
          }

          function pin(index) {
            view.pinned = index;
            view.shown = null;
            show(index);
          }

          /* Zooms the time axis about the middle of the screen. */
          function zoom(factor) {
            const l = view.layout;
            const middle = stage.scrollTop + stage.clientHeight / 2;
            const at = l.kept[Math.min(l.kept.length - 1, firstAtLeast(l.kept, (row) => l.y[row], middle))];
            const offset = at === undefined ? 0 : l.y[at] - stage.scrollTop;
            view.zoom = Math.min(20, Math.max(0.02, view.zoom * factor));
            relayout();
            if (at !== undefined && !Number.isNaN(view.layout.y[at])) stage.scrollTop = view.layout.y[at] - offset;
            draw();
          }

          // ---- Controls ----

          // The lifelines' names stay on screen.
          const heads = byId("heads");
          heads.style.width = width + "px";
          data.lifelines.forEach(([name, address], lifeline) => {
            const head = element("div", "head", name);
            head.title = address;
            head.style.left = xs[lifeline] + "px";
            heads.append(head);
          });

          byId("title").textContent = data.title;
          byId("subtitle").textContent = data.subtitle;
          const select = byId("connection");
          data.connections.forEach((name, index) => {
            const option = element("option", null, name);
            option.value = String(index);
            select.append(option);
          });
          select.addEventListener("change", () => {
            view.connection = Number(select.value);
            stage.scrollTop = 0;
            relayout();
          });
          byId("collapse").addEventListener("change", (event) => { view.collapse = event.target.checked; relayout(); });
          byId("zoom-in").addEventListener("click", () => zoom(1.25));
          byId("zoom-out").addEventListener("click", () => zoom(0.8));
          let scheduled = false;
          stage.addEventListener("scroll", () => {
            if (scheduled) return;
            scheduled = true;
            requestAnimationFrame(() => { scheduled = false; draw(); });
          });
          window.addEventListener("resize", draw);
          rows.addEventListener("mouseover", (event) => {
            const group = event.target.closest("[data-flight]");
            if (group) show(Number(group.dataset.flight));
          });
          rows.addEventListener("mouseleave", () => show(view.pinned));
          rows.addEventListener("click", (event) => {
            const group = event.target.closest("[data-flight]");
            if (!group) return;
            const index = Number(group.dataset.flight);
            pin(index === view.pinned ? null : index);
          });
          document.addEventListener("keydown", (event) => {
            if (event.altKey || event.ctrlKey || event.metaKey || event.target.closest("select, input")) return;
            if (event.key === "+" || event.key === "=") zoom(1.25);
            else if (event.key === "-") zoom(0.8);
            else if (event.key === "Escape") pin(null);
            else return;
            event.preventDefault();
          });

          show(null);
          relayout();
        })();

        """#
}
