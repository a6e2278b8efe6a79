extension Command {
    /// `stacklab serve http|chat|websocket [--port N] [--trace FILE]`
    static let serve = Command(
        name: "serve",
        summary: "Serve a web site, a chat or a WebSocket echo on loopback.",
        discussion: """
            Listens on 127.0.0.1 with StackLab's own HTTP/1.x and WebSocket (RFC 6455) code, the \
            same the scenarios run on the simulated stack. 'http': the pages /, /index.html, \
            /style.css and /hello.txt, and /echo, which answers with the request it was sent; \
            HTTP/1.1 connections persist until 5 s idle, HTTP/1.0 ones close after each response. \
            'chat': a chat page at / (open it in several browser tabs) whose JavaScript talks to \
            the WebSocket endpoint at /chat, where every message is pushed to every open tab; \
            /poll?since=N and /longpoll?since=N serve the same messages by polling and long polling. \
            'websocket': a WebSocket endpoint at any path that sends every message back. Requests, \
            handshakes and messages are logged as they happen. Ctrl-C or SIGTERM closes every \
            socket; with --trace the session is then written as a trace that 'stacklab diagram' \
            draws: the packets captured on lo where the process may capture (CAP_NET_RAW), else the \
            socket calls and application events alone.
            """,
        arguments: [
            .required("service", "http|chat|websocket", help: "What to serve.",
                      kind: .choice(["http", "chat", "websocket"])),
        ],
        options: [
            .integer("port", in: 0...65535, help: "The port on 127.0.0.1 (0: any free port; a busy port is "
                     + "replaced by a free one).", default: 8080),
            .string("trace", valueName: "FILE", help: "When stopped, write the session as a trace (.jsonl) to FILE."),
        ],
        handler: ServeHandler.run)
}
