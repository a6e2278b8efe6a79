/// The scenario language's chat and MQTT operations:
///
///     serve chat [port N] [messages N every D] [hold D]
///     serve websocket [port N]
///     serve mqtt [port N]
///     poll HOST:PORT every D [count N]
///     long-poll HOST:PORT [count N]
///     websocket HOST:PORT [path P] [count N] [send N every D] [ping every D]
///     mqtt HOST:PORT client ID [keepalive S] [persistent] [will TOPIC] [subscribe FILTER]...
///          [publish N every D [from D] topic TOPIC] [qos 0|1] [retry D] [reconnect D..D]
///     mqtt disconnect
extension ScenarioParser {
    /// `[port N]` and nothing else.
    mutating func portOnly(default port: UInt16) throws(ScenarioSyntaxError) -> UInt16 {
        var port = port
        while let word = next() {
            guard !word.quoted, word.text == "port" else { throw error(at: word, "expected 'port N', found \(quote(word))") }
            port = try self.port()
        }
        return port
    }

    /// `[port N] [messages N every D] [hold D]` after `serve chat`.
    mutating func chatServer() throws(ScenarioSyntaxError) -> ChatServerSettings {
        var settings = ChatServerSettings()
        while let word = next() {
            switch word.quoted ? "" : word.text {
            case "port":
                settings.port = try port()
            case "messages":
                let count = try self.count("a number of messages (1 to 100000)", range: 1...100_000)
                try keyword("every", "'every D' after the number of messages")
                let gap = try duration()
                guard gap.value >= 2 else { throw error(at: gap.token, "the mean gap must be at least 2ns") }
                settings.feed = ChatFeedSettings(count: count, meanGap: gap.value)
            case "hold":
                let hold = try duration()
                guard hold.value > 0 else { throw error(at: hold.token, "the hold time must be more than 0") }
                settings.hold = hold.value
            default:
                throw error(at: word, "expected 'port N', 'messages N every D' or 'hold D', found \(quote(word))")
            }
        }
        return settings
    }

    /// `HOST:PORT every D [count N]`, or for long polling `HOST:PORT [count N]`.
    mutating func pollClient(long: Bool) throws(ScenarioSyntaxError) -> PollClientSettings {
        let (host, port) = try endpoint()
        var settings = PollClientSettings(host: host, port: port, interval: nil)
        while let word = next() {
            switch word.quoted ? "" : word.text {
            case "every" where !long:
                let interval = try duration()
                guard interval.value > 0 else { throw error(at: interval.token, "the interval must be more than 0") }
                settings.interval = interval.value
            case "count":
                settings.count = try count("a number of messages (1 to 1000000)", range: 1...1_000_000)
            default:
                throw error(at: word, long ? "expected 'count N', found \(quote(word))"
                            : "expected 'every D' or 'count N', found \(quote(word))")
            }
        }
        if !long && settings.interval == nil { throw error(atEnd: "expected 'every D': how often to poll") }
        return settings
    }

    /// `HOST:PORT [path P] [count N] [send N every D] [ping every D]` after `websocket`.
    mutating func webSocketClient() throws(ScenarioSyntaxError) -> WebSocketClientSettings {
        let (host, port) = try endpoint()
        var settings = WebSocketClientSettings(host: host, port: port)
        while let word = next() {
            switch word.quoted ? "" : word.text {
            case "path":
                settings.path = try path()
            case "count":
                settings.count = try count("a number of messages (1 to 1000000)", range: 1...1_000_000)
            case "send":
                settings.sends = try count("a number of messages (1 to 1000000)", range: 1...1_000_000)
                try keyword("every", "'every D' after the number of messages")
                settings.sendInterval = try positiveDuration("the interval")
            case "ping":
                try keyword("every", "'every D' after 'ping'")
                settings.pingInterval = try positiveDuration("the ping interval")
            default:
                throw error(at: word, "expected 'path P', 'count N', 'send N every D' or 'ping every D', found "
                            + quote(word))
            }
        }
        return settings
    }

    /// `HOST:PORT client ID ...` after `mqtt`.
    mutating func mqttClient() throws(ScenarioSyntaxError) -> MQTTClientSettings {
        let (host, port) = try endpoint()
        try keyword("client", "'client ID'")
        let id = try expect("a client identifier")
        guard !id.text.isEmpty, id.text.utf8.count <= 23 * 4, id.text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw error(at: id, "expected a client identifier of visible ASCII characters, found \(quote(id))")
        }
        var settings = MQTTClientSettings(host: host, port: port, clientID: id.text)
        while let word = next() {
            switch word.quoted ? "" : word.text {
            case "keepalive":
                settings.keepAlive = try count("a keepalive in seconds (0 to 65535)", range: 0...65535)
            case "persistent":
                settings.persistent = true
            case "will":
                settings.willTopic = try topic(filter: false)
            case "subscribe":
                settings.subscriptions.append(try topic(filter: true))
            case "publish":
                settings.publishes = try count("a number of messages (1 to 1000000)", range: 1...1_000_000)
                try keyword("every", "'every D' after the number of messages")
                settings.publishInterval = try positiveDuration("the interval")
                if let next = peek(), !next.quoted, next.text == "from" {
                    index += 1
                    settings.publishFrom = try duration().value
                }
                try keyword("topic", "'topic TOPIC'")
                settings.publishTopic = try topic(filter: false)
            case "qos":
                settings.qos = try count("QoS 0 or 1 (QoS 2 is not supported)", range: 0...1)
            case "retry":
                settings.retryInterval = try positiveDuration("the retry interval")
            case "reconnect":
                let (base, cap) = try timeRange("the reconnect range")
                settings.reconnect = ReconnectSettings(base: base, cap: cap)
            default:
                throw error(at: word, "expected 'keepalive S', 'persistent', 'will TOPIC', 'subscribe FILTER', "
                            + "'publish N every D [from D] topic TOPIC', 'qos 0|1', 'retry D' or 'reconnect D..D', "
                            + "found \(quote(word))")
            }
        }
        return settings
    }

    // MARK: - Values

    /// The next word, which must be `word`.
    private mutating func keyword(_ word: String, _ what: String) throws(ScenarioSyntaxError) {
        let token = try expect(what)
        guard !token.quoted, token.text == word else { throw error(at: token, "expected \(what), found \(quote(token))") }
    }

    private mutating func positiveDuration(_ what: String) throws(ScenarioSyntaxError) -> Int64 {
        let value = try duration()
        guard value.value > 0 else { throw error(at: value.token, "\(what) must be more than 0") }
        return value.value
    }

    /// An MQTT topic name (no wildcards) or topic filter (`+` a whole level, `#` the whole last
    /// level), MQTT 3.1.1 §4.7; visible ASCII here, so it is one word of the trace too. A filter
    /// with `#` is quoted (`"chat/#"`), since `#` starts a comment.
    private mutating func topic(filter: Bool) throws(ScenarioSyntaxError) -> String {
        let word = try expect(filter ? "a topic filter like \"chat/#\"" : "a topic like chat/room1")
        guard !word.text.isEmpty, word.text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw error(at: word, "expected a topic of visible ASCII characters, found \(quote(word))")
        }
        let levels = word.text.split(separator: "/", omittingEmptySubsequences: false)
        for (index, level) in levels.enumerated() where level.contains("+") || level.contains("#") {
            guard filter else { throw error(at: word, "a topic name has no wildcards (+, #): \(quote(word))") }
            if level.contains("#") && (level != "#" || index != levels.count - 1) {
                throw error(at: word, "'#' must be the whole last level of a filter (MQTT §4.7.1.2): \(quote(word))")
            }
            if level.contains("+") && level != "+" {
                throw error(at: word, "'+' must be a whole level of a filter (MQTT §4.7.1.3): \(quote(word))")
            }
        }
        return word.text
    }
}
