extension Command {
    /// `stacklab compare SCENARIO... [--requests N] [--messages N] [--interval MS] [--rtt MS] [--loss P] [--seeds K]
    /// [--json] [--svg FILE]`
    static let compare = Command(
        name: "compare",
        summary: "Compare scenarios: handshakes, bytes by layer, latency, TIME-WAIT.",
        discussion: """
            Runs each scenario on the simulated stack and tabulates, from its trace: TCP handshakes, \
            segments sent, bytes on the wire split into IP and TCP headers, application headers (HTTP \
            header sections, frame headers, heartbeats), payload and bytes sent again, the mean and 99th \
            percentile request latency, the total time from the first request to the last answer, and the \
            connections left in TIME-WAIT on each host. For example: stacklab compare http-short \
            http-keepalive long-socket --requests 100 --rtt 100. For chat scenarios it also counts the \
            messages delivered, their delivery latency (from when a message was posted to when a reader \
            had it: mean and 99th percentile), the requests made and the empty answers: stacklab compare \
            polling long-polling websocket-chat --messages 100 --interval 1000. With --seeds K each \
            scenario runs with K seeds from its own; the table shows means, and latencies over every \
            request of every run.
            """,
        arguments: [
            .repeated("scenarios", "SCENARIO", help: "Built-in scenarios (see 'stacklab scenarios') or scenario files."),
        ],
        options: ScenarioOptions.options().filter {
            ["rtt", "loss", "profile", "requests", "messages", "interval"].contains($0.name)
        } + [
            .integer("seeds", valueName: "K", in: 1...1_000, help: "Runs per scenario, seeds counted up from its own.",
                     default: 1),
            .flag("json", help: "Print the measurements as JSON instead of a table."),
            .string("svg", valueName: "FILE", help: "Also draw the comparison as a bar chart (SVG) in FILE."),
        ],
        handler: CompareHandler.run)
}
