/// The lesson stepper in the browser: it reads the stepper's model from the page's JSON
/// (`LessonPageModel`) and shows one step at a time as `stacklab learn` does: the ladder so far
/// with the current packet marked, both endpoints' panels, the packet pane, the narration, the
/// state diagram, the quiz. Keys: space, → or enter next; ← or backspace back; g go to a step;
/// s the state diagram; ↑ ↓ choose a packet field; 1–9 answer a quiz.
enum LessonPageScript {
    static let source = #"""
        /* The lesson stepper: one step of the lesson at a time, from the model in #lesson-data. */
        (function () {
          "use strict";
          const data = JSON.parse(document.getElementById("lesson-data").textContent);
          const { element, fill } = PacketPane;
          const byId = (id) => document.getElementById(id);
          const svgNS = "http://www.w3.org/2000/svg";

          const view = {
            step: 0,
            language: data.languages[0],
            quizMode: data.quiz,
            asking: false,      // the step's quiz waits for an answer: the step is not shown yet
            verdict: null,      // the answer chosen, once the quiz is answered
            states: false,      // the state diagram instead of the ladder
            packet: null,       // the packet pane, for ↑ and ↓
          };

          // The ladders, one per part of the lesson (one for a lesson in one piece): every element
          // that shows an event carries data-event (see SVGLadderRenderer).
          const ladders = Array.from(document.querySelectorAll(".ladder-part")).map((holder) => {
            const svg = holder.querySelector("svg");
            const eventNodes = Array.from(svg.querySelectorAll("[data-event]"));
            for (const node of eventNodes) {
              if (node.dataset.endEvent !== undefined) node.dataset.fullHeight = node.getAttribute("height");
            }
            const nowBand = document.createElementNS(svgNS, "rect");
            nowBand.classList.add("now-band");
            nowBand.setAttribute("x", "0");
            nowBand.setAttribute("width", "100%");
            nowBand.setAttribute("height", "22");
            svg.querySelector("rect").after(nowBand);
            // Fitted to the pane, but never so small that its labels cannot be read: a wide ladder scrolls.
            svg.style.minWidth = Math.round(svg.viewBox.baseVal.width * 0.75) + "px";
            return { holder, svg, eventNodes, nowBand };
          });

          function texts() { return data.text[view.language]; }
          function words() { return texts().ui; }
          function current() { return data.steps[view.step]; }
          function stepWords(step) { return step.text[view.language]; }

          function go(index) {
            if (index < 0 || index >= data.steps.length) return;
            view.step = index;
            view.asking = view.quizMode && stepWords(current()).quiz !== undefined;
            view.verdict = null;
            render();
          }

          function forward() { if (!view.asking) go(view.step + 1); }
          function back() { go(view.step - 1); }

          function answer(choice) {
            const quiz = stepWords(current()).quiz;
            if (!view.asking || choice < 0 || choice >= quiz.choices.length) return;
            view.asking = false;
            view.verdict = choice;
            render();
          }

          function render() {
            const step = current();
            const said = stepWords(step);
            const ui = words();
            const shown = view.asking ? step.before : step;
            document.documentElement.lang = view.language === "zh" ? "zh-Hans" : "en";
            document.title = texts().title;
            byId("lesson-title").textContent = texts().title;
            const part = step.part || 0;
            byId("scenario-line").textContent = texts().parts.length > 0 ? texts().parts[part] : texts().scenario;
            byId("counter").textContent = said.counter;
            byId("back").textContent = ui.back;
            byId("back").disabled = view.step === 0;
            byId("next").textContent = ui.next;
            byId("next").disabled = view.asking || view.step === data.steps.length - 1;
            byId("go-label").textContent = ui.go_to;
            byId("go-to").value = String(view.step + 1);
            byId("quiz-label").textContent = ui.quiz_mode;
            byId("quiz-mode").checked = view.quizMode;
            byId("view-ladder").textContent = ui.ladder;
            byId("view-states").textContent = ui.states;
            byId("view-ladder").classList.toggle("on", !view.states);
            byId("view-states").classList.toggle("on", view.states);
            byId("packet-title").textContent = ui.packet;
            byId("keys").textContent = ui.keys;
            for (const button of byId("languages").querySelectorAll("button")) {
              button.classList.toggle("on", button.dataset.language === view.language);
            }
            byId("heading").textContent = view.asking ? said.heading_masked : said.heading;
            showQuiz(said, ui);
            showNarration(view.asking ? [] : said.narration);
            showPanels(view.asking ? said.panels_before : said.panels, ui);
            showPacket(view.asking ? null : step, said, ui);
            ladders.forEach((ladder, i) => { ladder.holder.hidden = i !== part; });
            showLadder(ladders[part], shown.ladder, ui);
            showDiagram(shown);
            byId("ladder-pane").hidden = view.states;
            byId("states-pane").hidden = !view.states;
            const end = byId("end-note");
            end.hidden = view.asking || view.step !== data.steps.length - 1;
            end.textContent = ui.end;
            if (history.replaceState) history.replaceState(null, "", "#step-" + (view.step + 1));
          }

          function showQuiz(said, ui) {
            const box = byId("quiz");
            box.replaceChildren();
            box.hidden = !(view.asking || view.verdict !== null);
            if (box.hidden) return;
            const quiz = said.quiz;
            if (view.asking) {
              box.append(element("p", "quiz-prompt", quiz.prompt));
              const choices = element("div", "quiz-choices");
              quiz.choices.forEach((choice, i) => {
                const button = element("button", null, (i + 1) + ") " + choice);
                button.type = "button";
                button.addEventListener("click", () => answer(i));
                choices.append(button);
              });
              box.append(choices, element("p", "quiz-help", fill(ui.choose, { n: quiz.choices.length })));
            } else {
              const right = view.verdict === quiz.answer;
              box.append(element("p", right ? "verdict-right" : "verdict-wrong", right ? ui.right : quiz.wrong));
            }
          }

          function showNarration(paragraphs) {
            const root = byId("narration");
            root.replaceChildren();
            let list = null;
            for (const paragraph of paragraphs) {
              const block = element(paragraph.item ? "li" : "p");
              for (const [kind, text] of paragraph.spans) {
                block.append(kind === "text" ? document.createTextNode(text) : element(kind, null, text));
              }
              if (paragraph.item) {
                if (!list) { list = element("ul"); root.append(list); }
                list.append(block);
              } else {
                list = null;
                root.append(block);
              }
            }
          }

          function showPanels(panels, ui) {
            const root = byId("panels");
            root.replaceChildren();
            if (panels.length === 0) { root.append(element("p", "empty", ui.no_connection)); return; }
            for (const panel of panels) {
              const box = element("section", "panel");
              const state = element("span", "panel-state", panel.state);
              state.dataset.state = panel.state;
              const head = element("div", "panel-head");
              head.append(element("span", "panel-title", panel.title), state);
              const fields = element("div", "panel-fields");
              for (const [label, value] of panel.fields) {
                const field = element("div", "panel-field");
                field.append(element("span", "panel-label", label), element("span", "panel-value", value));
                fields.append(field);
              }
              box.append(head, fields);
              root.append(box);
            }
          }

          function showPacket(step, said, ui) {
            const root = byId("packet");
            view.packet = null;
            if (!step || !step.packet || !said.layers) {
              root.replaceChildren(element("p", "empty", ui.no_packet));
              byId("packet-title").hidden = view.asking;
              root.hidden = view.asking;
              return;
            }
            byId("packet-title").hidden = false;
            root.hidden = false;
            const words = { bytes: ui.bytes, more: ui.more_bytes };
            view.packet = PacketPane.show(root, step.packet, said.layers, texts().labels, step.focus, words);
          }

          /* The ladder as it stood after `shown.event`: later elements hidden, bands and timer bars
             that end later cut at the current row, the step's packet and state marked. */
          function showLadder(ladder, shown, ui) {
            for (const node of ladder.eventNodes) {
              const event = Number(node.dataset.event);
              node.classList.toggle("later", event > shown.event);
              const flightPart = node.classList.contains("segment") || node.classList.contains("label");
              const stateName = node.classList.contains("state");
              const marked = (flightPart && event === shown.flight) || (stateName && event === shown.state);
              node.classList.toggle("now", marked);
              if (node.dataset.fullHeight !== undefined) {
                const endsLater = Number(node.dataset.endEvent) > shown.event;
                const top = Number(node.getAttribute("y"));
                const height = endsLater ? Math.max(4, Math.min(Number(node.dataset.fullHeight), shown.y + 11 - top))
                                         : Number(node.dataset.fullHeight);
                node.setAttribute("height", String(height));
              }
            }
            ladder.nowBand.setAttribute("y", String(shown.y - 11));
            const m = shown.marked;
            byId("marked").textContent = m ? ui.marked + m.from + " → " + m.to + "   " + m.label : "";
            // Scrolled so the current row sits two thirds down, and the marked packet in view.
            requestAnimationFrame(() => {
              const stage = byId("stage");
              const scale = ladder.svg.getBoundingClientRect().width / ladder.svg.viewBox.baseVal.width;
              stage.scrollTop = Math.max(0, shown.y * scale - stage.clientHeight * 0.65);
              const path = ladder.svg.querySelector(".segment.now");
              if (path) {
                const box = path.getBBox();
                const left = box.x * scale, right = (box.x + box.width) * scale;
                if (left < stage.scrollLeft || right > stage.scrollLeft + stage.clientWidth) {
                  stage.scrollLeft = Math.max(0, (left + right) / 2 - stage.clientWidth / 2);
                }
              }
            });
          }

          /* The state diagram's bands for each endpoint, and its legend. */
          function showDiagram(shown) {
            const group = byId("state-bands");
            group.replaceChildren();
            for (const [x, y, width, height, fillColor, stroke] of shown.diagram) {
              const band = document.createElementNS(svgNS, "rect");
              for (const [name, value] of [["x", x], ["y", y], ["width", width], ["height", height], ["rx", 4],
                                           ["fill", fillColor], ["stroke", stroke]]) {
                band.setAttribute(name, String(value));
              }
              group.append(band);
            }
            const legend = byId("states-legend");
            legend.replaceChildren();
            for (const [text, color] of shown.legend) {
              const swatch = element("span", "swatch");
              swatch.style.background = color;
              const item = element("li");
              item.append(swatch, element("span", null, text));
              legend.append(item);
            }
          }

          function showView(states) {
            view.states = states;
            render();
          }

          // Controls.
          byId("back").addEventListener("click", back);
          byId("next").addEventListener("click", forward);
          byId("go-to").addEventListener("change", (event) => go(Number(event.target.value) - 1));
          byId("quiz-mode").addEventListener("change", (event) => {
            view.quizMode = event.target.checked;
            go(view.step);
          });
          byId("view-ladder").addEventListener("click", () => showView(false));
          byId("view-states").addEventListener("click", () => showView(true));
          for (const button of byId("languages").querySelectorAll("button")) {
            button.addEventListener("click", () => { view.language = button.dataset.language; render(); });
          }

          document.addEventListener("keydown", (event) => {
            if (event.altKey || event.ctrlKey || event.metaKey) return;
            // Space and enter on a focused button or box press it, as they always do.
            if ((event.key === " " || event.key === "Enter") && event.target.closest("button, input, select")) return;
            if (event.target === byId("go-to")) {
              if (event.key === "Enter") {
                go(Number(event.target.value) - 1);
                event.target.blur();
                event.preventDefault();
              }
              if (event.key === "Escape") event.target.blur();
              return;
            }
            const handled = {
              "ArrowRight": forward, " ": forward, "Enter": forward,
              "ArrowLeft": back, "Backspace": back,
              "g": () => { byId("go-to").focus(); byId("go-to").select(); },
              "s": () => showView(!view.states),
              "ArrowUp": () => { if (view.packet) view.packet.move(-1); },
              "ArrowDown": () => { if (view.packet) view.packet.move(1); },
            }[event.key];
            if (handled) {
              handled();
              event.preventDefault();
            } else if (/^[1-9]$/.test(event.key) && view.asking) {
              answer(Number(event.key) - 1);
              event.preventDefault();
            }
          });

          const start = /^#step-(\d+)$/.exec(location.hash);
          go(start ? Math.min(Math.max(Number(start[1]), 1), data.steps.length) - 1 : 0);
        })();

        """#
}
