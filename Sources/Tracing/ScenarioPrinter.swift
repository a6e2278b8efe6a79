import Sockets

/// Prints a `Scenario` in the scenario language, so that `ScenarioLanguage.parse` gives it back.
///
/// Link properties, the time limit, a listener's backlog and a datagram interval are printed
/// only when they differ from their defaults; everything else always is.
enum ScenarioPrinter {
    static func format(_ scenario: Scenario) -> String {
        var lines: [String] = []
        let name = ScenarioParser.isPlainWord(scenario.name) ? scenario.name : quoted(scenario.name)
        lines.append("scenario \(name) \(quoted(scenario.summary))")
        lines.append("seed \(scenario.seed)")
        lines.append("profile \(scenario.profile)")
        lines.append("hosts " + scenario.hosts.joined(separator: " "))
        let link = scenario.link
        let defaults = link.loopback ? LinkSpec.loopbackDevice : LinkSpec()
        var properties: [String] = link.loopback ? ["loopback"] : []
        if link.rtt != defaults.rtt { properties.append("rtt \(Quantity.durationText(link.rtt))") }
        if link.jitter != defaults.jitter { properties.append("jitter \(Quantity.durationText(link.jitter))") }
        if link.bandwidth != defaults.bandwidth { properties.append("bandwidth \(Quantity.bandwidthText(link.bandwidth))") }
        if link.lossPPM != defaults.lossPPM { properties.append("loss \(Quantity.probabilityText(link.lossPPM))") }
        if link.duplicatePPM != defaults.duplicatePPM {
            properties.append("duplicate \(Quantity.probabilityText(link.duplicatePPM))")
        }
        if link.reorderPPM != defaults.reorderPPM { properties.append("reorder \(Quantity.probabilityText(link.reorderPPM))") }
        if link.corruptPPM != defaults.corruptPPM { properties.append("corrupt \(Quantity.probabilityText(link.corruptPPM))") }
        if link.mtu != defaults.mtu { properties.append("mtu \(link.mtu)") }
        if link.queuePackets != defaults.queuePackets { properties.append("queue \(link.queuePackets)") }
        if !properties.isEmpty { lines.append("link " + properties.joined(separator: " ")) }
        for loss in link.senderLoss {
            lines.append("link loss \(Quantity.probabilityText(loss.lossPPM)) from \(loss.host)")
        }
        for partition in link.partitions {
            lines.append("link partition \(Quantity.durationText(partition.from))..\(Quantity.durationText(partition.to))")
        }
        if !link.drops.isEmpty { lines.append("link drop " + link.drops.map(String.init).joined(separator: " ")) }
        for hostLink in link.hostLinks {
            if let loss = hostLink.lossPPM { lines.append("link \(hostLink.host) loss \(Quantity.probabilityText(loss))") }
            for partition in hostLink.partitions {
                lines.append("link \(hostLink.host) partition \(Quantity.durationText(partition.from)).."
                             + Quantity.durationText(partition.to))
            }
        }
        if scenario.timeLimit != ScenarioLanguage.defaultTimeLimit {
            lines.append("time-limit \(Quantity.durationText(scenario.timeLimit))")
        }
        if !scenario.steps.isEmpty { lines.append("") }
        for step in scenario.steps {
            lines.append(format(step, firstHost: scenario.hosts.first))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func format(_ step: ScenarioStep, firstHost: String?) -> String {
        let trigger: String
        switch step.trigger {
        case .at(let time):
            trigger = "at \(Quantity.durationText(time))"
        case .on(let event, let delay):
            trigger = "on \(event.rawValue)" + (delay == 0 ? "" : "+\(Quantity.durationText(delay))")
        case .received(let bytes, let delay):
            trigger = "on received \(bytes)" + (delay == 0 ? "" : "+\(Quantity.durationText(delay))")
        case .every(let interval, let from, let until):
            trigger = "every \(Quantity.durationText(interval))" + (from == 0 ? "" : " from \(Quantity.durationText(from))")
                + (until.map { " until \(Quantity.durationText($0))" } ?? "")
        }
        let operation: String
        switch step.operation {
        case .listen(let port, let backlog, let echo):
            operation = "listen \(port)" + (backlog == ScenarioLanguage.defaultBacklog ? "" : " backlog \(backlog)")
                + (echo ? " echo" : "")
        case .connect(let host, let port, let localPort):
            operation = "connect \(host):\(port)" + (localPort == 0 ? "" : " from \(localPort)")
        case .send(let count):
            operation = "send \(count)"
        case .sendForever:
            operation = "send forever"
        case .shutdownWrite:
            operation = "shutdown"
        case .close:
            operation = "close"
        case .abort:
            operation = "abort"
        case .pauseReading(let paused):
            operation = paused ? "pause-reading" : "resume-reading"
        case .bindUDP(let port, let echo):
            operation = "udp bind \(port)" + (echo ? " echo" : "")
        case .connectUDP(let host, let port):
            operation = "udp connect \(host):\(port)"
        case .sendDatagrams(let host, let port, let count, let size, let interval):
            operation = "udp send \(host):\(port) count \(count) size \(size)"
                + (interval == 0 ? "" : " interval \(Quantity.durationText(interval))")
        case .link(let up):
            // `at 2s link down` reads as the first host's step, so the host is left out there.
            switch step.trigger {
            case .at, .every:
                if step.host == firstHost { return "\(trigger) link \(up ? "up" : "down")" }
            case .on, .received:
                break
            }
            operation = "link \(up ? "up" : "down")"
        case .socketOption(let option):
            switch option {
            case .noDelay(true), .quickACK(true): operation = option.name
            case .noDelay, .quickACK, .receiveBuffer, .sendBuffer, .lingerZero: operation = option.description
            }
        case .keepalive(let keepalive):
            operation = "keepalive " + keepaliveText(keepalive)
        case .application(let application):
            operation = format(application)
        }
        return "\(trigger) \(step.host) \(operation)"
    }

    /// `10s 1s 3`, or `off`.
    static func keepaliveText(_ keepalive: SocketKeepalive?) -> String {
        guard let keepalive else { return "off" }
        return "\(Quantity.durationText(keepalive.idle)) \(Quantity.durationText(keepalive.interval)) \(keepalive.probes)"
    }

    /// An application operation; settings at their defaults are left out.
    static func format(_ application: ApplicationOperation) -> String {
        func heartbeatText(_ heartbeat: HeartbeatSettings) -> String {
            "heartbeat every \(Quantity.durationText(heartbeat.interval)) miss \(heartbeat.missLimit)"
        }
        var words: [String]
        switch application {
        case .httpServer(let port, let idle):
            words = ["serve http"]
            if port != ApplicationOperation.defaultHTTPPort { words.append("port \(port)") }
            if idle != ApplicationOperation.defaultIdleTimeout { words.append("idle \(Quantity.durationText(idle))") }
        case .longSocketServer(let port, let heartbeat):
            words = ["serve long-socket"]
            if port != ApplicationOperation.defaultLongSocketPort { words.append("port \(port)") }
            if let heartbeat { words.append(heartbeatText(heartbeat)) }
        case .httpClient(let settings):
            words = ["http \(settings.host):\(settings.port) get \(settings.path)"]
            if settings.count != 1 { words.append("count \(settings.count)") }
            if settings.version != .http1_1 { words.append("version \(settings.version.rawValue)") }
            if settings.pipeline != 1 { words.append("pipeline \(settings.pipeline)") }
        case .longSocketClient(let settings):
            words = ["long-socket \(settings.host):\(settings.port)"]
            if let path = settings.path {
                words.append("get \(path)")
                if settings.count != 1 { words.append("count \(settings.count)") }
            }
            if let heartbeat = settings.heartbeat { words.append(heartbeatText(heartbeat)) }
            if let reconnect = settings.reconnect {
                words.append("reconnect \(Quantity.durationText(reconnect.base))..\(Quantity.durationText(reconnect.cap))")
            }
            if settings.keepalive != nil { words.append("keepalive " + keepaliveText(settings.keepalive)) }
        case .message(let bytes):
            words = ["message \(bytes)"]
        case .chatServer(let settings):
            words = ["serve chat"]
            if settings.port != ApplicationOperation.defaultHTTPPort { words.append("port \(settings.port)") }
            if let feed = settings.feed {
                words.append("messages \(feed.count) every \(Quantity.durationText(feed.meanGap))")
            }
            if settings.hold != ChatServerSettings.defaultHold { words.append("hold \(Quantity.durationText(settings.hold))") }
        case .webSocketEchoServer(let port):
            words = ["serve websocket"]
            if port != ApplicationOperation.defaultHTTPPort { words.append("port \(port)") }
        case .mqttBroker(let port):
            words = ["serve mqtt"]
            if port != ApplicationOperation.defaultMQTTPort { words.append("port \(port)") }
        case .pollClient(let settings):
            if let interval = settings.interval {
                words = ["poll \(settings.host):\(settings.port) every \(Quantity.durationText(interval))"]
            } else {
                words = ["long-poll \(settings.host):\(settings.port)"]
            }
            if settings.count != 0 { words.append("count \(settings.count)") }
        case .webSocketClient(let settings):
            words = ["websocket \(settings.host):\(settings.port)"]
            if settings.path != WebSocketClientSettings.defaultPath { words.append("path \(settings.path)") }
            if settings.count != 0 { words.append("count \(settings.count)") }
            if settings.sends != 0 {
                words.append("send \(settings.sends) every \(Quantity.durationText(settings.sendInterval))")
            }
            if let ping = settings.pingInterval { words.append("ping every \(Quantity.durationText(ping))") }
        case .mqttClient(let settings):
            words = ["mqtt \(settings.host):\(settings.port) client \(settings.clientID)"]
            if settings.keepAlive != MQTTClientSettings.defaultKeepAlive { words.append("keepalive \(settings.keepAlive)") }
            if settings.persistent { words.append("persistent") }
            func topic(_ text: String) -> String { ScenarioParser.isPlainWord(text) ? text : quoted(text) }
            if let will = settings.willTopic { words.append("will \(topic(will))") }
            for filter in settings.subscriptions { words.append("subscribe \(topic(filter))") }
            if settings.publishes != 0 {
                words.append("publish \(settings.publishes) every \(Quantity.durationText(settings.publishInterval))"
                             + (settings.publishFrom.map { " from \(Quantity.durationText($0))" } ?? "")
                             + " topic \(topic(settings.publishTopic))")
            }
            if settings.qos != 1 { words.append("qos \(settings.qos)") }
            if settings.retryInterval != MQTTClientSettings.defaultRetry {
                words.append("retry \(Quantity.durationText(settings.retryInterval))")
            }
            if let reconnect = settings.reconnect {
                words.append("reconnect \(Quantity.durationText(reconnect.base))..\(Quantity.durationText(reconnect.cap))")
            }
        case .mqttDisconnect:
            words = ["mqtt disconnect"]
        }
        return words.joined(separator: " ")
    }

    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
