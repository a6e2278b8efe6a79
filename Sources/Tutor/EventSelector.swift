import Tracing
import Wire

/// Which trace event a lesson step is bound to: the text after `## ` in a lesson, parsed.
///
/// Grammar (words are case-insensitive except host names and states):
///
///     at|when start | end | packet N | event N
///     at|when [ORDINAL] KIND [from HOST] [to HOST] [sent|received|dropped|retransmitted]
///     at|when [ORDINAL] HOST enters STATE
///     at|when [ORDINAL] HOST calls CALL            (listen, connect, accept, send, close, shutdown, ...)
///     at|when [ORDINAL] HOST gets EVENT            (onopen, onmessage, onend, onclose, onerror, ...)
///     at|when [ORDINAL] HOST app EVENT [sent|received]  (http-request, http-response, ping, peer-dead, ...)
///     at|when [ORDINAL] TIMER timer fires [on HOST] (retransmission, time-wait, delayed-ack, persist, keepalive,
///                                                 loss-probe)
///     at|when [ORDINAL] cwnd change [on HOST] [for WORDS]   (a congestion event whose reason contains WORDS)
///
/// KIND is SYN, SYN+ACK, ACK (no payload, no SYN/FIN/RST), FIN (any with FIN), FIN+ACK, RST, data
/// (TCP with payload), segment (any TCP), datagram (UDP), ICMP or packet. ORDINAL is first,
/// second, ... tenth, last, 1st, 2nd, 3rd, Nth or #N; the default is first.
public struct EventSelector: Hashable, Sendable {
    public enum Ordinal: Hashable, Sendable {
        case nth(Int)
        case last
    }

    public enum PacketKind: String, Hashable, Sendable {
        case syn = "SYN", synAck = "SYN+ACK", ack = "ACK", fin = "FIN", finAck = "FIN+ACK", rst = "RST"
        case data, segment, datagram, icmp = "ICMP", packet
    }

    public enum Fate: String, Hashable, Sendable {
        case sent, received, dropped, retransmitted
    }

    public enum Target: Hashable, Sendable {
        case start, end
        case packetNumber(Int)
        case eventNumber(Int)
        case packet(PacketKind, from: String?, to: String?, fate: Fate)
        case state(host: String, state: TCPState)
        /// A call by its name (`SocketCall.name`).
        case call(host: String, call: String)
        /// A socket event by its name (`SocketNotification.name`).
        case socketEvent(host: String, event: String)
        /// An application event by its name (`ApplicationEvent.name`), sent or received when given.
        case application(host: String, event: String, direction: ApplicationEvent.Direction?)
        case timer(TCPTimer, host: String?)
        /// A congestion event, of one of `reasons` when given.
        case congestion(host: String?, reasons: [CongestionReason]?)
    }

    public var ordinal: Ordinal
    public var target: Target

    static let ordinalWords = ["first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
                               "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10]

    /// Parses a step heading; the message of a failure says what was expected.
    public static func parse(_ heading: String) -> Result<EventSelector, SelectorError> {
        var words = heading.split(separator: " ").map(String.init)
        guard let keyword = words.first?.lowercased(), keyword == "at" || keyword == "when" else {
            return .failure(SelectorError("a step heading starts with 'at' or 'when', e.g. '## at first SYN from client'"))
        }
        words.removeFirst()
        guard !words.isEmpty else { return .failure(SelectorError("'\(keyword)' what? e.g. 'at first SYN from client'")) }
        switch words[0].lowercased() {
        case "start" where words.count == 1: return .success(EventSelector(ordinal: .nth(1), target: .start))
        case "end" where words.count == 1: return .success(EventSelector(ordinal: .last, target: .end))
        case "packet" where words.count == 2, "event" where words.count == 2:
            guard let n = Int(words[1].trimmingPrefix("#")), n >= 1 else {
                return .failure(SelectorError("'\(words[0]) N' needs a number from 1, not '\(words[1])'"))
            }
            return .success(EventSelector(ordinal: .nth(n), target: words[0].lowercased() == "packet" ? .packetNumber(n) : .eventNumber(n)))
        default: break
        }
        var ordinal = Ordinal.nth(1)
        if let parsed = parseOrdinal(words[0]) {
            ordinal = parsed
            words.removeFirst()
        }
        guard !words.isEmpty else { return .failure(SelectorError("an ordinal needs something after it")) }
        // HOST enters STATE / HOST calls CALL / HOST gets EVENT
        if words.count == 3 {
            let verb = words[1].lowercased()
            if verb == "enters" {
                guard let state = TCPState(name: words[2]) else {
                    return .failure(SelectorError("unknown state '\(words[2])'; states: "
                        + TCPState.allCases.map(\.rawValue).joined(separator: ", ")))
                }
                return .success(EventSelector(ordinal: ordinal, target: .state(host: words[0], state: state)))
            }
            if verb == "calls" {
                let call = words[2].lowercased()
                guard SocketCall.names.contains(call) else {
                    return .failure(SelectorError("unknown call '\(words[2])'; calls: " + SocketCall.names.joined(separator: ", ")))
                }
                return .success(EventSelector(ordinal: ordinal, target: .call(host: words[0], call: call)))
            }
            if verb == "gets" {
                var event = words[2].lowercased()
                if event.hasPrefix("on") { event.removeFirst(2) }
                guard SocketNotification.names.contains(event) else {
                    return .failure(SelectorError("unknown socket event '\(words[2])'; events: "
                        + SocketNotification.names.map { "on" + $0 }.joined(separator: ", ")))
                }
                return .success(EventSelector(ordinal: ordinal, target: .socketEvent(host: words[0], event: event)))
            }
        }
        // HOST app EVENT [sent|received]
        if words.count == 3 || words.count == 4, words[1].lowercased() == "app" {
            let event = words[2].lowercased()
            guard ApplicationEvent.names.contains(event) else {
                return .failure(SelectorError("unknown application event '\(words[2])'; events: "
                    + ApplicationEvent.names.joined(separator: ", ")))
            }
            var direction: ApplicationEvent.Direction?
            if words.count == 4 {
                guard let parsed = ApplicationEvent.Direction(rawValue: words[3].lowercased()) else {
                    return .failure(SelectorError("expected 'sent' or 'received' after '\(words[2])', not '\(words[3])'"))
                }
                direction = parsed
            }
            return .success(EventSelector(ordinal: ordinal, target: .application(host: words[0], event: event,
                                                                                direction: direction)))
        }
        if words.count >= 3, words[1].lowercased() == "timer", words[2].lowercased() == "fires" {
            var host: String?
            if words.count == 5, words[3].lowercased() == "on" { host = words[4] } else if words.count != 3 {
                return .failure(SelectorError("expected 'TIMER timer fires [on HOST]'"))
            }
            guard let timer = TCPTimer(rawValue: words[0].lowercased()) else {
                return .failure(SelectorError("unknown timer '\(words[0])'; timers: "
                    + TCPTimer.allCases.map(\.rawValue).joined(separator: ", ")))
            }
            return .success(EventSelector(ordinal: ordinal, target: .timer(timer, host: host)))
        }
        if words.count >= 2, words[0].lowercased() == "cwnd", words[1].lowercased() == "change" {
            var rest = Array(words.dropFirst(2))
            var host: String?
            if rest.count >= 2, rest[0].lowercased() == "on" { host = rest[1]; rest.removeFirst(2) }
            var reasons: [CongestionReason]?
            if !rest.isEmpty {
                guard rest[0].lowercased() == "for", rest.count >= 2 else {
                    return .failure(SelectorError("expected 'cwnd change [on HOST] [for REASON]'"))
                }
                let words = rest.dropFirst().joined(separator: " ")
                let matching = CongestionReason.matching(words)
                guard !matching.isEmpty else {
                    return .failure(SelectorError("no cwnd change is for '\(words)'; reasons: "
                        + CongestionReason.allCases.map(\.rawValue).joined(separator: ", ")))
                }
                reasons = matching
            }
            return .success(EventSelector(ordinal: ordinal, target: .congestion(host: host, reasons: reasons)))
        }
        guard let kind = packetKind(words[0]) else {
            return .failure(SelectorError("cannot read '\(heading)': expected a packet kind (SYN, SYN+ACK, ACK, FIN, RST, data, "
                + "segment, datagram, packet), 'HOST enters STATE', 'HOST calls CALL', 'HOST gets EVENT', 'HOST app EVENT', "
                + "'TIMER timer fires', 'cwnd change', 'start', 'end' or 'packet N'"))
        }
        var from: String?
        var to: String?
        var fate = Fate.sent
        var i = 1
        while i < words.count {
            let word = words[i].lowercased()
            if (word == "from" || word == "to"), i + 1 < words.count {
                if word == "from" { from = words[i + 1] } else { to = words[i + 1] }
                i += 2
            } else if let parsed = Fate(rawValue: word) {
                fate = parsed
                i += 1
            } else {
                return .failure(SelectorError("unexpected '\(words[i])' in a packet binding; expected 'from HOST', 'to HOST' "
                    + "or one of sent, received, dropped, retransmitted"))
            }
        }
        return .success(EventSelector(ordinal: ordinal, target: .packet(kind, from: from, to: to, fate: fate)))
    }

    static func parseOrdinal(_ word: String) -> Ordinal? {
        let lower = word.lowercased()
        if lower == "last" { return .last }
        if let n = ordinalWords[lower] { return .nth(n) }
        if lower.hasPrefix("#"), let n = Int(lower.dropFirst()), n >= 1 { return .nth(n) }
        for suffix in ["st", "nd", "rd", "th"] where lower.hasSuffix(suffix) {
            if let n = Int(lower.dropLast(2)), n >= 1 { return .nth(n) }
        }
        return nil
    }

    static func packetKind(_ word: String) -> PacketKind? {
        let upper = word.uppercased().replacingOccurrences(of: ",", with: "+")
        if let kind = PacketKind(rawValue: upper) { return kind }
        return PacketKind(rawValue: word.lowercased())
    }

    /// The index of the event this selector picks in `events`, or nil when it never happens.
    public func resolve(in events: [TraceEvent], hostNames: [IPv4Address: String]) -> Int? {
        switch target {
        case .start: return events.isEmpty ? nil : 0
        case .end: return events.isEmpty ? nil : events.count - 1
        case .eventNumber(let n): return n <= events.count ? n - 1 : nil
        case .packetNumber(let n):
            var seen = 0
            for (index, event) in events.enumerated() {
                if case .packetSent = event.kind {
                    seen += 1
                    if seen == n { return index }
                }
            }
            return nil
        default:
            var count = 0
            var lastMatch: Int?
            for (index, event) in events.enumerated() where matches(event, hostNames: hostNames) {
                count += 1
                lastMatch = index
                if case .nth(let n) = ordinal, n == count { return index }
            }
            if case .last = ordinal { return lastMatch }
            return nil
        }
    }

    func matches(_ event: TraceEvent, hostNames: [IPv4Address: String]) -> Bool {
        switch target {
        case .start, .end, .eventNumber, .packetNumber:
            return false
        case let .packet(kind, from, to, fate):
            let bytes: [UInt8]
            switch (event.kind, fate) {
            case let (.packetSent(b, _), .sent): bytes = b
            case let (.packetSent(b, cause), .retransmitted):
                guard cause.isRetransmission else { return false }
                bytes = b
            case let (.packetReceived(b), .received): bytes = b
            case let (.packetDropped(b, _), .dropped): bytes = b
            default: return false
            }
            guard bytes.count >= 20 else { return false }
            let source = IPv4Address(UInt32(bytes[12]) << 24 | UInt32(bytes[13]) << 16 | UInt32(bytes[14]) << 8 | UInt32(bytes[15]))
            let destination = IPv4Address(UInt32(bytes[16]) << 24 | UInt32(bytes[17]) << 16 | UInt32(bytes[18]) << 8 | UInt32(bytes[19]))
            if let from, hostNames[source] != from { return false }
            if let to, hostNames[destination] != to { return false }
            return Self.packet(bytes, is: kind)
        case let .state(host, state):
            guard case let .stateChanged(connection, _, entered, _) = event.kind else { return false }
            return entered == state && Self.host(ofConnection: connection) == host
        case let .call(host, name):
            guard case let .socketCall(_, call) = event.kind else { return false }
            return event.node == host && call.name == name
        case let .socketEvent(host, name):
            guard case let .socketEvent(_, notification) = event.kind else { return false }
            return event.node == host && notification.name == name
        case let .application(host, name, direction):
            guard case let .application(_, application) = event.kind else { return false }
            return event.node == host && application.name == name && (direction == nil || application.direction == direction)
        case let .timer(wanted, host):
            guard case let .timer(_, timer, action) = event.kind, action == .fired else { return false }
            return timer == wanted && (host == nil || event.node == host)
        case let .congestion(host, reasons):
            guard case let .congestion(_, _, _, why) = event.kind else { return false }
            if let host, event.node != host { return false }
            if let reasons, !reasons.contains(why) { return false }
            return true
        }
    }

    /// `client` for `client:49152>server:80` or `client:49152`.
    static func host(ofConnection name: String) -> String {
        String(name.prefix { $0 != ":" && $0 != ">" })
    }

    /// Whether an IPv4 packet is of `kind` (see the grammar above).
    public static func packet(_ bytes: [UInt8], is kind: PacketKind) -> Bool {
        let ihl = Int(bytes[0] & 0x0F) * 4
        let proto = bytes[9]
        if kind == .packet { return true }
        if kind == .datagram { return proto == 17 }
        if kind == .icmp { return proto == 1 }
        guard proto == 6, bytes.count >= ihl + 20 else { return false }
        let flags = TCPFlags(rawValue: bytes[ihl + 13])
        let dataOffset = Int(bytes[ihl + 12] >> 4) * 4
        let totalLength = Int(bytes[2]) << 8 | Int(bytes[3])
        let payload = min(totalLength, bytes.count) - ihl - dataOffset
        switch kind {
        case .segment: return true
        case .data: return payload > 0
        case .syn: return flags.contains(.syn) && !flags.contains(.ack)
        case .synAck: return flags.contains(.syn) && flags.contains(.ack)
        case .ack: return flags.contains(.ack) && flags.isDisjoint(with: [.syn, .fin, .rst]) && payload <= 0
        case .fin: return flags.contains(.fin)
        case .finAck: return flags.contains(.fin) && flags.contains(.ack)
        case .rst: return flags.contains(.rst)
        case .datagram, .icmp, .packet: return false
        }
    }
}

/// Why a step heading could not be read.
public struct SelectorError: Error, Hashable, Sendable {
    public var message: String
    init(_ message: String) { self.message = message }
}

extension String {
    func replacingUnderscores() -> String {
        String(map { $0 == "_" ? "-" : $0 })
    }

    func replacingOccurrences(of target: Character, with replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}
