import Sockets

/// The scenario language's `every` statement, time ranges, the `keepalive` socket option and the
/// application operations (`serve`, `http`, `long-socket`, `message`); grammar in `ScenarioLanguage`.
extension ScenarioParser {
    /// `every D [from D] [until D] HOST OPERATION`. A `from` or `until` is read as a keyword only
    /// when a duration follows, so a host may still be called `from`.
    mutating func everyStatement() throws(ScenarioSyntaxError) {
        let interval = try duration()
        guard interval.value > 0 else { throw error(at: interval.token, "the interval must be more than 0") }
        var from: Int64 = 0
        var until: Int64?
        while let word = peek(), !word.quoted, word.text == "from" || word.text == "until",
              index + 1 < tokens.count, !tokens[index + 1].quoted, Quantity.duration(tokens[index + 1].text[...]) != nil {
            index += 1
            let value = try duration()
            if word.text == "from" { from = value.value } else { until = value.value }
            if let until, until <= from {
                throw error(at: value.token, "'until' must come after 'from' (\(Quantity.durationText(until)) is not "
                            + "after \(Quantity.durationText(from)))")
            }
        }
        try step(trigger: .every(interval.value, from: from, until: until), hostOptionalForLink: true)
    }

    /// `D..D`, a half-open time range whose end comes after its start; `what` names it in errors.
    mutating func timeRange(_ what: String) throws(ScenarioSyntaxError) -> (from: Int64, to: Int64) {
        let word = try expect("a time range like 2s..3s")
        let scalars = Array(word.text.unicodeScalars)
        guard !word.quoted, let dots = scalars.indices.dropLast().first(where: { scalars[$0] == "." && scalars[$0 + 1] == "." })
        else {
            throw error(at: word, "expected a time range like 2s..3s, found \(quote(word))")
        }
        let fromText = Substring(String(String.UnicodeScalarView(scalars[..<dots])))
        let toText = Substring(String(String.UnicodeScalarView(scalars[(dots + 2)...])))
        let from = try durationValue(fromText, column: word.column)
        let to = try durationValue(toText, column: word.column + fromText.unicodeScalars.count + 2)
        guard from < to else {
            throw error(at: word, "\(what) must end after it starts (\(fromText) is not before \(toText))")
        }
        return (from, to)
    }

    /// `keepalive IDLE INTERVAL COUNT`, `keepalive linux` (7200s 75s 9) or `keepalive off`.
    mutating func keepaliveSettings() throws(ScenarioSyntaxError) -> SocketKeepalive? {
        if let word = peek(), !word.quoted, word.text == "off" || word.text == "linux" {
            index += 1
            return word.text == "off" ? nil : SocketKeepalive.linuxDefaults
        }
        let idle = try duration()
        guard idle.value > 0 else { throw error(at: idle.token, "the keepalive idle time must be more than 0") }
        let interval = try duration()
        guard interval.value > 0 else { throw error(at: interval.token, "the keepalive interval must be more than 0") }
        let probes = try count("a probe count (1 to 127)", range: 1...127)
        return SocketKeepalive(idle: idle.value, interval: interval.value, probes: probes)
    }

    /// The operation after `serve`, `http`, `long-socket`, `message`, `poll`, `long-poll`,
    /// `websocket` or `mqtt`.
    mutating func applicationOperation(_ verb: ScenarioToken) throws(ScenarioSyntaxError) -> ApplicationOperation {
        switch verb.text {
        case "serve":
            let what = try expect("'http', 'long-socket', 'chat', 'websocket' or 'mqtt'")
            switch what.quoted ? "" : what.text {
            case "http": return try httpServer()
            case "long-socket": return try longSocketServer()
            case "chat": return .chatServer(try chatServer())
            case "websocket": return .webSocketEchoServer(port: try portOnly(default: ApplicationOperation.defaultHTTPPort))
            case "mqtt": return .mqttBroker(port: try portOnly(default: ApplicationOperation.defaultMQTTPort))
            default:
                throw error(at: what, "expected 'http', 'long-socket', 'chat', 'websocket' or 'mqtt', found \(quote(what))")
            }
        case "http":
            return .httpClient(try httpClient())
        case "long-socket":
            return .longSocketClient(try longSocketClient())
        case "poll", "long-poll":
            return .pollClient(try pollClient(long: verb.text == "long-poll"))
        case "websocket":
            return .webSocketClient(try webSocketClient())
        case "mqtt":
            if let word = peek(), !word.quoted, word.text == "disconnect" {
                index += 1
                return .mqttDisconnect
            }
            return .mqttClient(try mqttClient())
        default:
            return .message(bytes: try count("a message size in bytes (0 to 1048576)", range: 0...1_048_576))
        }
    }

    private mutating func httpServer() throws(ScenarioSyntaxError) -> ApplicationOperation {
        var port = ApplicationOperation.defaultHTTPPort
        var idle = ApplicationOperation.defaultIdleTimeout
        while let word = next() {
            switch word.quoted ? "" : word.text {
            case "port":
                port = try self.port()
            case "idle":
                let value = try duration()
                guard value.value > 0 else { throw error(at: value.token, "the idle timeout must be more than 0") }
                idle = value.value
            default:
                throw error(at: word, "expected 'port N' or 'idle D', found \(quote(word))")
            }
        }
        return .httpServer(port: port, idleTimeout: idle)
    }

    private mutating func longSocketServer() throws(ScenarioSyntaxError) -> ApplicationOperation {
        var port = ApplicationOperation.defaultLongSocketPort
        var heartbeat: HeartbeatSettings?
        while let word = next() {
            switch word.quoted ? "" : word.text {
            case "port": port = try self.port()
            case "heartbeat": heartbeat = try heartbeatSettings()
            default: throw error(at: word, "expected 'port N' or 'heartbeat every D miss K', found \(quote(word))")
            }
        }
        return .longSocketServer(port: port, heartbeat: heartbeat)
    }

    /// `HOST:PORT get PATH [count N] [version 1.0|1.1] [pipeline N]`.
    private mutating func httpClient() throws(ScenarioSyntaxError) -> HTTPClientSettings {
        let (host, port) = try endpoint()
        let get = try expect("'get PATH'")
        guard !get.quoted, get.text == "get" else { throw error(at: get, "expected 'get PATH', found \(quote(get))") }
        var settings = HTTPClientSettings(host: host, port: port, path: try path())
        var pipelineToken: ScenarioToken?
        while let word = next() {
            switch word.quoted ? "" : word.text {
            case "count":
                settings.count = try count("a request count (1 to 1000000)", range: 1...1_000_000)
            case "version":
                let value = try expect("1.0 or 1.1")
                guard !value.quoted, let version = HTTPClientVersion(rawValue: value.text) else {
                    throw error(at: value, "expected HTTP version 1.0 or 1.1, found \(quote(value))")
                }
                settings.version = version
            case "pipeline":
                pipelineToken = word
                settings.pipeline = try count("a pipeline depth (1 to 1000)", range: 1...1000)
            default:
                throw error(at: word, "expected 'count N', 'version 1.0|1.1' or 'pipeline N', found \(quote(word))")
            }
        }
        if let pipelineToken, settings.pipeline > 1, settings.version == .http1_0 {
            throw error(at: pipelineToken, "pipelining needs persistent connections: HTTP/1.1 (RFC 9112 §9.3.2)")
        }
        return settings
    }

    /// `HOST:PORT [get PATH [count N]] [heartbeat every D miss K] [reconnect D..D]
    /// [keepalive IDLE INTERVAL COUNT]`.
    private mutating func longSocketClient() throws(ScenarioSyntaxError) -> LongSocketClientSettings {
        let (host, port) = try endpoint()
        var settings = LongSocketClientSettings(host: host, port: port)
        var countToken: ScenarioToken?
        while let word = next() {
            switch word.quoted ? "" : word.text {
            case "get":
                settings.path = try path()
                if settings.count == 0 { settings.count = 1 }
            case "count":
                countToken = word
                settings.count = try count("a request count (1 to 1000000)", range: 1...1_000_000)
            case "heartbeat":
                settings.heartbeat = try heartbeatSettings()
            case "reconnect":
                let (base, cap) = try timeRange("the reconnect range")
                settings.reconnect = ReconnectSettings(base: base, cap: cap)
            case "keepalive":
                settings.keepalive = try keepaliveSettings()
            default:
                throw error(at: word, "expected 'get PATH', 'count N', 'heartbeat every D miss K', 'reconnect D..D' "
                            + "or 'keepalive IDLE INTERVAL COUNT', found \(quote(word))")
            }
        }
        if let countToken, settings.path == nil {
            throw error(at: countToken, "'count' needs 'get PATH': count what?")
        }
        return settings
    }

    /// `every D miss K` after `heartbeat`.
    private mutating func heartbeatSettings() throws(ScenarioSyntaxError) -> HeartbeatSettings {
        let every = try expect("'every D miss K'")
        guard !every.quoted, every.text == "every" else { throw error(at: every, "expected 'every D miss K', found \(quote(every))") }
        let interval = try duration()
        guard interval.value > 0 else { throw error(at: interval.token, "the heartbeat interval must be more than 0") }
        let miss = try expect("'miss K'")
        guard !miss.quoted, miss.text == "miss" else { throw error(at: miss, "expected 'miss K', found \(quote(miss))") }
        let limit = try count("a number of missed heartbeats (1 to 1000)", range: 1...1000)
        return HeartbeatSettings(interval: interval.value, missLimit: limit)
    }

    /// An origin-form request target (RFC 9112 §3.2.1): `/` then visible ASCII, at most 1024 bytes.
    mutating func path() throws(ScenarioSyntaxError) -> String {
        let word = try expect("a path like /index.html")
        guard !word.quoted, word.text.hasPrefix("/"), word.text.utf8.count <= 1024,
              word.text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw error(at: word, "expected a path like /index.html (visible ASCII, starting with '/'), found \(quote(word))")
        }
        return word.text
    }
}
