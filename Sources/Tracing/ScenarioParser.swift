import Sockets

/// A word of a scenario line, and the column (from 1, in Unicode scalars) where it starts.
struct ScenarioToken: Hashable, Sendable {
    var text: String
    var column: Int
    /// Written in double quotes (then `text` is the unescaped content).
    var quoted: Bool
}

/// Reads scenario text line by line into a `Scenario` (grammar: `ScenarioLanguage`).
///
/// Syntax errors stop at the first mistake. Host names are checked after the whole file is read,
/// so a step may come before the `hosts` line; each reference keeps its position for the error.
struct ScenarioParser {
    let file: String
    private(set) var line = 0
    var tokens: [ScenarioToken] = []
    var index = 0
    /// Column just past the line's last token, where "found end of line" points.
    private var endColumn = 1

    private var name: String?
    private var scenarioLine = 1
    private var summary = ""
    private var seed: UInt64 = 1
    private var profile = StackProfile.textbook
    private var hosts: [String] = []
    private var hostSet: Set<String> = []
    private var hostsLine: Int?
    private var link = LinkSpec()
    private var steps: [ScenarioStep] = []
    private var timeLimit = ScenarioLanguage.defaultTimeLimit
    /// Host names used by steps, with where; `nil` name for a `link` step without a host.
    private var hostReferences: [(name: String?, line: Int, column: Int, stepIndex: Int?)] = []

    init(file: String) {
        self.file = file
    }

    mutating func parse(_ text: String) throws(ScenarioSyntaxError) -> Scenario {
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            line = lineNumber
            // Names and strings reach terminals: no control characters (a CRLF line end is fine).
            if let unsafe = SafeText.firstControl(rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine) {
                throw ScenarioSyntaxError(file: file, line: line, column: unsafe.column,
                                          message: "control character \(SafeText.name(unsafe.scalar)) is not allowed "
                                              + "in a scenario file")
            }
            tokens = try tokenize(rawLine)
            index = 0
            guard let first = tokens.first else { continue }
            if name == nil && first.text != "scenario" {
                throw error(at: first, "expected 'scenario NAME \"SUMMARY\"' as the first statement, found \(quote(first))")
            }
            try statement()
        }
        guard let name else {
            throw ScenarioSyntaxError(file: file, line: max(1, lineNumber), column: 1,
                                      message: "expected 'scenario NAME \"SUMMARY\"', found end of file")
        }
        guard hostsLine != nil else {
            throw ScenarioSyntaxError(file: file, line: scenarioLine, column: 1,
                                      message: "the scenario has no hosts: expected a 'hosts NAME...' line")
        }
        for reference in hostReferences {
            guard let host = reference.name else {
                if let step = reference.stepIndex { steps[step].host = hosts[0] }
                continue
            }
            if !hostSet.contains(host) {
                throw ScenarioSyntaxError(file: file, line: reference.line, column: reference.column,
                                          message: "unknown host \"\(host)\"; the hosts are \(hosts.joined(separator: ", "))")
            }
        }
        return Scenario(name: name, summary: summary, seed: seed, profile: profile, hosts: hosts, link: link,
                        steps: steps, timeLimit: timeLimit)
    }

    // MARK: - Statements

    private mutating func statement() throws(ScenarioSyntaxError) {
        let keyword = next()!
        switch keyword.quoted ? "" : keyword.text {
        case "scenario":
            if name != nil { throw error(at: keyword, "the scenario is named twice") }
            let word = try expect("a scenario name")
            guard word.quoted || Self.isPlainWord(word.text) else {
                throw error(at: word, "expected a scenario name, found \(quote(word))")
            }
            name = word.text
            scenarioLine = line
            if let text = peek() {
                guard text.quoted else { throw error(at: text, "expected a quoted summary like \"a slow handshake\", found \(quote(text))") }
                summary = text.text
                index += 1
            }
        case "seed":
            let word = try expect("a seed (an integer from 0 to 18446744073709551615)")
            guard let value = UInt64(word.text), !word.quoted else {
                throw error(at: word, "expected a seed (an integer from 0 to 18446744073709551615), found \(quote(word))")
            }
            seed = value
        case "profile":
            let expected = "a profile (" + StackProfile.names.joined(separator: ", ") + ")"
            let word = try expect(expected)
            guard let named = StackProfile(rawValue: word.text) else {
                throw error(at: word, "expected \(expected), found \(quote(word))")
            }
            profile = named
        case "hosts":
            if hostsLine != nil { throw error(at: keyword, "the hosts are declared twice (first on line \(hostsLine!))") }
            hostsLine = line
            guard peek() != nil else { throw error(atEnd: "expected a host name") }
            while let word = next() {
                guard !word.quoted, Self.isHostName(word.text) else {
                    throw error(at: word, "expected a host name (letters, digits, '-', '_', '.'), found \(quote(word))")
                }
                if ScenarioLanguage.reservedHostNames.contains(word.text) {
                    throw error(at: word, "\"\(word.text)\" is a keyword and cannot name a host")
                }
                if hostSet.contains(word.text) { throw error(at: word, "duplicate host \"\(word.text)\"") }
                guard hosts.count < InputLimits.hostsPerScenario else {
                    throw error(at: word, "too many hosts: a scenario has at most "
                                + "\(InputLimits.grouped(InputLimits.hostsPerScenario)) (limit \"hosts per scenario\")")
                }
                hosts.append(word.text)
                hostSet.insert(word.text)
            }
        case "link":
            try linkStatement()
        case "time-limit":
            let value = try duration()
            guard value.value > 0 else { throw error(at: value.token, "the time limit must be more than 0") }
            timeLimit = value.value
        case "at":
            let time = try duration()
            try step(trigger: .at(time.value), hostOptionalForLink: true)
        case "every":
            try everyStatement()
        case "on" where peek()?.text == "received" && peek()?.quoted == false:
            index += 1
            let word = try expect("a byte count, optionally with +DELAY")
            let parts = word.text.split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false)
            guard let bytes = Int(parts[0]), bytes > 0, !word.quoted else {
                throw error(at: word, "expected a byte count (a positive integer), found \(quote(word))")
            }
            var delay: Int64 = 0
            if parts.count > 1 {
                guard let value = Quantity.duration(parts[1]) else {
                    let column = word.column + parts[0].unicodeScalars.count + 1
                    throw ScenarioSyntaxError(file: file, line: line, column: column,
                                              message: "expected a duration like 10ms or 1.5s, found \"\(parts[1])\"")
                }
                delay = value
            }
            try step(trigger: .received(bytes: bytes, delay: delay), hostOptionalForLink: false)
        case "on":
            let word = try expect("an event (\(Self.eventList))")
            let parts = word.text.split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false)
            guard let event = ScenarioEvent(rawValue: String(parts[0])), !word.quoted else {
                throw error(at: word, "expected an event (\(Self.eventList)), found \(quote(word))")
            }
            var delay: Int64 = 0
            if parts.count > 1 {
                let delayColumn = word.column + parts[0].unicodeScalars.count + 1
                delay = try durationValue(parts[1], column: delayColumn)
            }
            try step(trigger: .on(event, delay: delay), hostOptionalForLink: false)
        default:
            throw error(at: keyword, "expected a statement (scenario, seed, profile, hosts, link, time-limit, at, on, every), "
                        + "found \(quote(keyword))")
        }
        if let extra = peek() { throw error(at: extra, "unexpected \(quote(extra)) at the end of the statement") }
    }

    /// The words that start a link property; a host named like one cannot be given a link of its own.
    private static let linkProperties: Set<String> = ["rtt", "jitter", "bandwidth", "loss", "duplicate", "reorder",
                                                      "corrupt", "mtu", "partition", "drop", "loopback"]

    /// `link HOST loss P` or `link HOST partition D..D`: that host's own link.
    private mutating func hostLinkStatement(host: String) throws(ScenarioSyntaxError) {
        var spec = link.hostLink(host) ?? HostLinkSpec(host: host)
        guard peek() != nil else { throw error(atEnd: "expected 'loss P' or 'partition D..D' for \(host)'s link") }
        while let property = next() {
            switch property.quoted ? "" : property.text {
            case "loss":
                spec.lossPPM = try probability(property.text)
            case "partition":
                let (from, to) = try timeRange("the partition")
                spec.partitions.append(TimeSpan(from: from, to: to))
            default:
                throw error(at: property, "expected 'loss P' or 'partition D..D' for \(host)'s link, found \(quote(property))")
            }
        }
        if let index = link.hostLinks.firstIndex(where: { $0.host == host }) {
            link.hostLinks[index] = spec
        } else {
            link.hostLinks.append(spec)
        }
    }

    private static let eventList = ScenarioEvent.allCases.map(\.rawValue).joined(separator: ", ")

    private mutating func linkStatement() throws(ScenarioSyntaxError) {
        guard peek() != nil else { throw error(atEnd: "expected a link property (rtt, jitter, bandwidth, loss, ...)") }
        if peek()?.text == "drop" {
            // `link drop 3 7`: the 3rd and 7th packets sent on the link are lost.
            index += 1
            var numbers: [Int] = []
            var dropped = Set(link.drops)
            while let word = next() {
                guard !word.quoted, !word.text.isEmpty, word.text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                      let number = Int(word.text), number >= 1, number <= 1_000_000_000 else {
                    throw error(at: word, "expected a packet number (1 or more), found \(quote(word))")
                }
                guard dropped.insert(number).inserted else {
                    throw error(at: word, "packet \(number) is already dropped")
                }
                guard dropped.count <= InputLimits.droppedPackets else {
                    throw error(at: word, "too many dropped packets: a scenario names at most "
                                + "\(InputLimits.grouped(InputLimits.droppedPackets)) (limit \"dropped packets\")")
                }
                numbers.append(number)
            }
            guard !numbers.isEmpty else { throw error(atEnd: "expected the numbers of the packets to drop, like 'link drop 3'") }
            link.drops = (link.drops + numbers).sorted()
            return
        }
        if peek()?.text == "partition" {
            index += 1
            let (from, to) = try timeRange("the partition")
            link.partitions.append(TimeSpan(from: from, to: to))
            return
        }
        if let word = peek(), !Self.linkProperties.contains(word.text), hosts.contains(word.text) {
            index += 1
            try hostLinkStatement(host: word.text)
            return
        }
        while let property = next() {
            switch property.text {
            case "loopback":
                link.takeLoopbackTiming()   // properties after it still apply
            case "rtt": link.rtt = try duration().value
            case "jitter": link.jitter = try duration().value
            case "bandwidth":
                let word = try expect("a bandwidth like 10mbit")
                guard let value = Quantity.bandwidth(word.text[...]) else {
                    throw error(at: word, "expected a bandwidth like 10mbit, 512kbit or 1g, found \(quote(word))")
                }
                link.bandwidth = value
            case "loss":
                let loss = try probability(property.text)
                guard peek()?.text == "from" else {
                    link.lossPPM = loss
                    continue
                }
                index += 1
                let host = try expect("a host name")
                guard !host.quoted, Self.isHostName(host.text) else {
                    throw error(at: host, "expected a host name, found \(quote(host))")
                }
                guard !link.senderLoss.contains(where: { $0.host == host.text }) else {
                    throw error(at: host, "the loss from \(host.text) is given twice")
                }
                link.senderLoss.append(SenderLoss(host: host.text, lossPPM: loss))
                hostReferences.append((host.text, line, host.column, nil))
            case "queue":
                link.queuePackets = try count("a queue limit in packets", range: 1...1_000_000_000)
            case "duplicate": link.duplicatePPM = try probability(property.text)
            case "reorder": link.reorderPPM = try probability(property.text)
            case "corrupt": link.corruptPPM = try probability(property.text)
            case "mtu":
                let word = try expect("an MTU in bytes")
                guard let value = Int(word.text), !word.quoted else {
                    throw error(at: word, "expected an MTU in bytes (an integer), found \(quote(word))")
                }
                guard (68...65535).contains(value) else {
                    throw error(at: word, "MTU \(value) is out of range (68 to 65535)")
                }
                link.mtu = value
            default:
                throw error(at: property, "expected a link property (loopback, rtt, jitter, bandwidth, loss, duplicate, "
                            + "reorder, corrupt, mtu, queue, partition, drop), found \(quote(property))")
            }
        }
    }

    // MARK: - Steps

    mutating func step(trigger: ScenarioTrigger, hostOptionalForLink: Bool) throws(ScenarioSyntaxError) {
        let first = try expect("a host name")
        var hostToken: ScenarioToken? = first
        if hostOptionalForLink && first.text == "link" && !first.quoted {
            hostToken = nil
            index -= 1
        }
        let operation = try self.operation()
        let stepIndex = steps.count
        steps.append(ScenarioStep(trigger, hostToken?.text ?? "", operation))
        hostReferences.append((hostToken?.text, line, hostToken?.column ?? first.column, stepIndex))
    }

    private mutating func operation() throws(ScenarioSyntaxError) -> ScenarioOperation {
        let verb = try expect("an operation")
        switch verb.text {
        case "listen":
            let port = try self.port()
            var backlog = ScenarioLanguage.defaultBacklog
            var echo = false
            while let word = next() {
                switch word.text {
                case "backlog":
                    backlog = try count("a backlog (an integer)", range: 0...65535)
                case "echo":
                    echo = true
                default:
                    throw error(at: word, "expected 'backlog N' or 'echo', found \(quote(word))")
                }
            }
            return .listen(port: port, backlog: backlog, echo: echo)
        case "connect":
            let (host, port) = try endpoint()
            var localPort: UInt16 = 0
            if let word = peek(), word.text == "from" {
                index += 1
                localPort = try self.port()
            }
            return .connect(host: host, port: port, localPort: localPort)
        case "send":
            if let word = peek(), word.text == "forever", !word.quoted {
                index += 1
                return .sendForever
            }
            return .send(count: try count("a byte count (an integer) or 'forever'", range: 0...InputLimits.bytesPerSend,
                                          limit: "bytes per send"))
        case "shutdown":
            return .shutdownWrite
        case "close":
            return .close
        case "abort":
            return .abort
        case "pause-reading":
            return .pauseReading(true)
        case "resume-reading":
            return .pauseReading(false)
        case "udp":
            let what = try expect("'bind', 'connect' or 'send'")
            switch what.text {
            case "bind":
                let port = try self.port()
                var echo = false
                if let word = peek(), word.text == "echo" {
                    index += 1
                    echo = true
                }
                return .bindUDP(port: port, echo: echo)
            case "connect":
                let (host, port) = try endpoint()
                return .connectUDP(host: host, port: port)
            case "send":
                let (host, port) = try endpoint()
                var count: Int?
                var size: Int?
                var interval: Int64 = 0
                while let word = next() {
                    switch word.text {
                    case "count":
                        count = try self.count("a datagram count (an integer)", range: 0...InputLimits.datagramsPerSend,
                                               limit: "datagrams per udp send")
                    case "size": size = try self.count("a datagram size in bytes", range: 0...65507)
                    case "interval": interval = try duration().value
                    default: throw error(at: word, "expected 'count N', 'size BYTES' or 'interval D', found \(quote(word))")
                    }
                }
                guard let count else { throw error(atEnd: "expected 'count N'") }
                guard let size else { throw error(atEnd: "expected 'size BYTES'") }
                return .sendDatagrams(host: host, port: port, count: count, size: size, interval: interval)
            default:
                throw error(at: what, "expected 'bind', 'connect' or 'send', found \(quote(what))")
            }
        case "link":
            let word = try expect("'up' or 'down'")
            switch word.text {
            case "up": return .link(up: true)
            case "down": return .link(up: false)
            default: throw error(at: word, "expected 'up' or 'down', found \(quote(word))")
            }
        case "keepalive":
            return .keepalive(try keepaliveSettings())
        case "nodelay", "quickack":
            var on = true
            if let word = peek(), !word.quoted, word.text == "on" || word.text == "off" {
                index += 1
                on = word.text == "on"
            }
            return .socketOption(verb.text == "nodelay" ? .noDelay(on) : .quickACK(on))
        case "linger":
            let word = try expect("'0'")
            guard word.text == "0" else {
                throw error(at: word, "only 'linger 0' (close sends RST) is modelled, found \(quote(word))")
            }
            return .socketOption(.lingerZero)
        case "rcvbuf", "sndbuf":
            let size = try count("a buffer size in bytes", range: 1...StreamSocketOption.maximumBufferSize)
            return .socketOption(verb.text == "rcvbuf" ? .receiveBuffer(size) : .sendBuffer(size))
        case "serve", "http", "long-socket", "message", "poll", "long-poll", "websocket", "mqtt":
            return .application(try applicationOperation(verb))
        default:
            throw error(at: verb, "expected an operation (listen, connect, send, shutdown, close, abort, pause-reading, "
                        + "resume-reading, udp, link, keepalive, nodelay, quickack, rcvbuf, sndbuf, linger, serve, http, long-socket, message, "
                        + "poll, long-poll, websocket, mqtt), found \(quote(verb))")
        }
    }

    // MARK: - Values

    mutating func duration() throws(ScenarioSyntaxError) -> (value: Int64, token: ScenarioToken) {
        let word = try expect("a duration like 10ms or 1.5s")
        guard !word.quoted else { throw error(at: word, "expected a duration like 10ms or 1.5s, found \(quote(word))") }
        return (try durationValue(word.text[...], column: word.column), word)
    }

    /// A duration in nanoseconds, at most `InputLimits.longestDuration`; errors point at `column`.
    func durationValue(_ text: Substring, column: Int) throws(ScenarioSyntaxError) -> Int64 {
        guard let value = Quantity.duration(text) else {
            throw ScenarioSyntaxError(file: file, line: line, column: column,
                                      message: "expected a duration like 10ms or 1.5s, found \"\(text)\"")
        }
        guard value <= InputLimits.longestDuration else {
            throw ScenarioSyntaxError(file: file, line: line, column: column,
                                      message: "duration \(text) is longer than 30 days (limit \"longest duration\")")
        }
        return value
    }

    private mutating func probability(_ property: String) throws(ScenarioSyntaxError) -> Int {
        let word = try expect("a probability like 1% or 0.01")
        guard !word.quoted, let value = Quantity.probability(word.text[...]) else {
            throw error(at: word, "expected a probability like 1%, 0.5% or 0.01, found \(quote(word))")
        }
        guard value <= 1_000_000 else { throw error(at: word, "\(property) \(word.text) is over 100%") }
        return Int(value)
    }

    /// A whole number in `range`; `limit` names the documented limit its upper bound is, if any.
    mutating func count(_ what: String, range: ClosedRange<Int>, limit: String? = nil) throws(ScenarioSyntaxError) -> Int {
        let word = try expect(what)
        let digits = !word.text.isEmpty && word.text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
        guard !word.quoted, digits else {
            throw error(at: word, "expected \(what), found \(quote(word))")
        }
        guard let value = Int(word.text), range.contains(value) else {
            let named = limit.map { " (limit \"\($0)\")" } ?? ""
            throw error(at: word, "\(word.text) is out of range (\(range.lowerBound) to \(range.upperBound))\(named)")
        }
        return value
    }

    mutating func port() throws(ScenarioSyntaxError) -> UInt16 {
        let word = try expect("a port (1 to 65535)")
        return try portValue(word.text[...], token: word, column: word.column)
    }

    private func portValue(_ text: Substring, token: ScenarioToken, column: Int) throws(ScenarioSyntaxError) -> UInt16 {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), !token.quoted else {
            throw ScenarioSyntaxError(file: file, line: line, column: column,
                                      message: "expected a port (1 to 65535), found \"\(text)\"")
        }
        guard let value = Int(text), (1...65535).contains(value) else {
            throw ScenarioSyntaxError(file: file, line: line, column: column,
                                      message: "port \(text) is out of range (1 to 65535)")
        }
        return UInt16(value)
    }

    /// `HOST:PORT`; the host is checked against the declared hosts at the end.
    mutating func endpoint() throws(ScenarioSyntaxError) -> (String, UInt16) {
        let word = try expect("HOST:PORT")
        let parts = word.text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !word.quoted else {
            throw error(at: word, "expected HOST:PORT like server:80, found \(quote(word))")
        }
        let port = try portValue(parts[1], token: word, column: word.column + parts[0].unicodeScalars.count + 1)
        hostReferences.append((String(parts[0]), line, word.column, nil))
        return (String(parts[0]), port)
    }

    // MARK: - Tokens

    mutating func next() -> ScenarioToken? {
        guard index < tokens.count else { return nil }
        index += 1
        return tokens[index - 1]
    }

    func peek() -> ScenarioToken? {
        index < tokens.count ? tokens[index] : nil
    }

    mutating func expect(_ what: String) throws(ScenarioSyntaxError) -> ScenarioToken {
        guard let token = next() else { throw error(atEnd: "expected \(what), found end of line") }
        return token
    }

    func quote(_ token: ScenarioToken) -> String {
        "\"" + token.text + "\""
    }

    func error(at token: ScenarioToken, _ message: String) -> ScenarioSyntaxError {
        ScenarioSyntaxError(file: file, line: line, column: token.column, message: message)
    }

    func error(atEnd message: String) -> ScenarioSyntaxError {
        ScenarioSyntaxError(file: file, line: line, column: endColumn, message: message)
    }

    static func isPlainWord(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { $0.value > 0x20 && $0 != "\"" && $0 != "#" && $0.value != 0x7F }
    }

    static func isHostName(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic && scalar.isASCII || ("0"..."9").contains(scalar)
                || scalar == "-" || scalar == "_" || scalar == "."
        }
    }

    /// Splits a line into words and quoted strings, dropping a `#` comment.
    private mutating func tokenize(_ text: Substring) throws(ScenarioSyntaxError) -> [ScenarioToken] {
        var result: [ScenarioToken] = []
        let scalars = Array(text.unicodeScalars)
        var i = 0
        var lastEnd = 0
        func isSpace(_ s: Unicode.Scalar) -> Bool { s == " " || s == "\t" || s == "\r" }
        while i < scalars.count {
            let scalar = scalars[i]
            if isSpace(scalar) {
                i += 1
                continue
            }
            if scalar == "#" { break }
            let start = i
            if scalar == "\"" {
                var content = String.UnicodeScalarView()
                i += 1
                var closed = false
                while i < scalars.count {
                    let c = scalars[i]
                    if c == "\"" {
                        closed = true
                        i += 1
                        break
                    }
                    if c == "\\" {
                        guard i + 1 < scalars.count else { break }
                        switch scalars[i + 1] {
                        case "\\": content.append("\\")
                        case "\"": content.append("\"")
                        case "n": content.append("\n")
                        case "t": content.append("\t")
                        case "r": content.append("\r")
                        default:
                            throw ScenarioSyntaxError(file: file, line: line, column: i + 1,
                                                      message: "expected an escape (\\\\, \\\", \\n, \\t or \\r), "
                                                        + "found \"\\\(scalars[i + 1])\"")
                        }
                        i += 2
                        continue
                    }
                    content.append(c)
                    i += 1
                }
                guard closed else {
                    throw ScenarioSyntaxError(file: file, line: line, column: start + 1,
                                              message: "unterminated string: expected '\"' before the end of the line")
                }
                result.append(ScenarioToken(text: String(content), column: start + 1, quoted: true))
                lastEnd = i
                continue
            }
            while i < scalars.count && !isSpace(scalars[i]) && scalars[i] != "#" && scalars[i] != "\"" { i += 1 }
            var word = String.UnicodeScalarView()
            word.append(contentsOf: scalars[start..<i])
            result.append(ScenarioToken(text: String(word), column: start + 1, quoted: false))
            lastEnd = i
        }
        endColumn = lastEnd + 1
        return result
    }
}
