extension Command {
    /// `stacklab serve http [--port N] [--trace FILE]`
    static let serve = Command(
        name: "serve",
        summary: "Serve a small web site on real loopback sockets, logging requests.",
        discussion: """
            Listens on 127.0.0.1 with StackLab's own HTTP/1.x code (the same server the http \
            scenarios run on the simulated stack): the pages /, /index.html, /style.css and \
            /hello.txt, and /echo, which answers with the request it was sent. HTTP/1.1 connections \
            persist until 5 s idle; HTTP/1.0 ones close after each response. Each request is logged \
            as it is answered. Ctrl-C or SIGTERM closes every socket; with --trace the session is \
            then written as a trace that 'stacklab diagram' draws: the packets captured on lo where \
            the process may capture (CAP_NET_RAW), else the socket calls and HTTP events alone.
            """,
        arguments: [
            .required("service", "http", help: "What to serve.", kind: .choice(["http"])),
        ],
        options: [
            .integer("port", in: 0...65535, help: "The port on 127.0.0.1 (0: any free port; a busy port is "
                     + "replaced by a free one).", default: 8080),
            .string("trace", valueName: "FILE", help: "When stopped, write the session as a trace (.jsonl) to FILE."),
        ],
        handler: ServeHandler.run)
}
