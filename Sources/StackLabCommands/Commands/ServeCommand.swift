extension Command {
    /// `stacklab serve chat|http|websocket [--port N]`
    static let serve = Command(
        name: "serve",
        summary: "Serve a chat page, HTTP or WebSocket on loopback.",
        arguments: [
            .required("service", "chat|http|websocket", help: "What to serve.", kind: .choice(["chat", "http", "websocket"])),
        ],
        options: [
            .integer("port", in: 1...65535, help: "TCP port on 127.0.0.1.", default: 8080),
        ],
        handler: notAvailableYet("serve"))
}
