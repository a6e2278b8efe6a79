/// The chat page `stacklab serve chat` serves at `/`: one HTML file with a little JavaScript that
/// uses the browser's own `WebSocket` object to talk to StackLab's WebSocket endpoint at `/chat`.
///
/// It shows the conversation, a form to write in it, and the four events of the browser's
/// WebSocket API as they happen (`onopen`, `onmessage`, `onerror`, `onclose`), next to what the
/// TCP socket underneath is doing: nothing the page can see. Text from the network is put in the
/// page with `textContent`, never as HTML. The Content Security Policy lets the page load nothing
/// and connect nowhere but its own origin.
public enum ChatPage {
    public static let html = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'">
        <title>StackLab chat</title>
        <style>
        body { font-family: sans-serif; margin: 0; background: #f4f6f8; color: #222; }
        header { background: #2a6; color: #fff; padding: 0.8em 1.2em; }
        header h1 { margin: 0; font-size: 1.3em; }
        header p { margin: 0.3em 0 0; font-size: 0.9em; }
        main { display: flex; gap: 1em; padding: 1em; }
        #chat { flex: 2; background: #fff; border-radius: 6px; padding: 1em; box-shadow: 0 1px 3px #0002; }
        #side { flex: 1; background: #fff; border-radius: 6px; padding: 1em; box-shadow: 0 1px 3px #0002; }
        #messages { list-style: none; padding: 0; margin: 0 0 1em; min-height: 12em; max-height: 28em; overflow-y: auto; }
        #messages li { padding: 0.3em 0; border-bottom: 1px solid #eee; }
        #messages .from { font-weight: bold; color: #2a6; margin-right: 0.5em; }
        form { display: flex; gap: 0.5em; }
        #name { width: 7em; }
        #text { flex: 1; }
        input, button { font-size: 1em; padding: 0.3em 0.5em; }
        #state { font-weight: bold; }
        #events { font-family: monospace; font-size: 0.9em; padding-left: 1.2em; }
        h2 { font-size: 1em; margin: 0 0 0.5em; }
        </style>
        </head>
        <body>
        <header>
        <h1>StackLab chat</h1>
        <p>This page speaks WebSocket (RFC 6455) to StackLab's own server: one HTTP handshake, then frames both ways over one TCP connection.</p>
        </header>
        <main>
        <section id="chat">
        <ul id="messages"></ul>
        <form id="form" autocomplete="off">
        <input id="name" placeholder="your name" value="guest" maxlength="20">
        <input id="text" placeholder="write a message" maxlength="500">
        <button id="send" type="submit">Send</button>
        </form>
        </section>
        <aside id="side">
        <h2>WebSocket: <span id="state">connecting</span></h2>
        <p>The browser's four WebSocket events, as they happen:</p>
        <ol id="events"></ol>
        </aside>
        </main>
        <script>
        "use strict";
        const messages = document.getElementById("messages");
        const events = document.getElementById("events");
        const state = document.getElementById("state");
        const names = ["connecting", "open", "closing", "closed"];
        const socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/chat");
        function note(text) {
          const item = document.createElement("li");
          item.textContent = text;
          events.appendChild(item);
          state.textContent = names[socket.readyState];
        }
        function show(message) {
          const item = document.createElement("li");
          const from = document.createElement("span");
          from.className = "from";
          from.textContent = message.from;
          item.appendChild(from);
          item.appendChild(document.createTextNode(message.text));
          messages.appendChild(item);
          messages.scrollTop = messages.scrollHeight;
        }
        socket.onopen = () => note("onopen");
        socket.onmessage = (event) => {
          note("onmessage (" + event.data.length + " characters)");
          try { show(JSON.parse(event.data)); } catch (error) { show({ from: "?", text: event.data }); }
        };
        socket.onerror = () => note("onerror");
        socket.onclose = (event) => note("onclose, code " + event.code + (event.wasClean ? ", clean" : ", not clean"));
        document.getElementById("form").addEventListener("submit", (event) => {
          event.preventDefault();
          const text = document.getElementById("text");
          const name = document.getElementById("name").value.trim() || "guest";
          if (socket.readyState !== WebSocket.OPEN || text.value === "") return;
          socket.send(JSON.stringify({ from: name, text: text.value }));
          text.value = "";
        });
        </script>
        </body>
        </html>

        """
}
