import Wire

/// The compact text form of a trace, in the spirit of packetdrill's scripts: one event per line.
///
///     # stacklab text trace 1
///     # scenario handshake seed 1 profile textbook
///     # host client 10.0.0.1
///     # host server 10.0.0.2
///     0.010000 client send client:49152 > server:80 S 3000:3000(0) win 65535 <mss 1460> id 1
///     0.060000 server recv client:49152 > server:80 S 3000:3000(0) win 65535 <mss 1460> id 1
///     0.060000 server state server:80>client:49152 LISTEN -> SYN-RECEIVED (rcv SYN)
///
/// Times are seconds with 6 decimals, or 9 when the time is not a whole microsecond, so they are
/// exact. Packet lines (`send`, `recv`, `drop`, `dup`) carry what rebuilds the packet: endpoints,
/// tcpdump flags, *absolute* `seq:end(length)`, `ack`, `win`, options and the IP identification
/// (`id`); UDP lines carry the payload length. A note or drop reason follows in `  [...]`.
///
/// Deliberate simplifications: payload *contents* are not in the text (a rebuilt packet carries
/// that many zero bytes), nor are TTL (64), DSCP/ECN (0) and DF (set), which the simulated stack
/// never varies; ICMP and undecodable packets, and the other event kinds, are read back as text
/// lines, not as events. The JSON Lines file (`TraceFile`) is the lossless form.
public enum TextTrace {
    public static let firstLine = "# stacklab text trace 1"

    // MARK: - Writing

    public static func write(_ trace: Trace) -> String {
        var lines = [firstLine,
                     "# scenario \(trace.header.scenario) seed \(trace.header.seed) profile \(trace.header.profile)"]
        for host in trace.header.hosts { lines.append("# host \(host.name) \(host.address)") }
        var summarizer = PacketSummarizer(hostNames: trace.hostNames, absolute: true)
        for event in trace.events {
            lines.append(time(event.time) + " " + event.node + " " + describe(event.kind, &summarizer))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Exact seconds: `1.250000`, or `0.000000001` below a microsecond.
    public static func time(_ nanoseconds: Int64) -> String {
        let whole = String(nanoseconds / 1_000_000_000)
        let micro = nanoseconds % 1_000 == 0
        let fraction = micro ? String(nanoseconds % 1_000_000_000 / 1_000) : String(nanoseconds % 1_000_000_000)
        return whole + "." + String(repeating: "0", count: (micro ? 6 : 9) - fraction.count) + fraction
    }

    private static func describe(_ kind: TraceEventKind, _ summarizer: inout PacketSummarizer) -> String {
        func packet(_ bytes: [UInt8]) -> String {
            var text = summarizer.summary(of: bytes)
            if let parsed = try? IPv4Packet.parse(bytes, verifyChecksums: false) {
                switch parsed.payload {
                case .tcp, .udp: text += " id \(parsed.header.identification)"
                case .icmp, .other: break
                }
            }
            return text
        }
        func annotated(_ text: String, _ note: String) -> String { note.isEmpty ? text : text + "  [\(note)]" }
        switch kind {
        case .packetSent(let bytes, let cause): return annotated("send " + packet(bytes), cause.description)
        case .packetReceived(let bytes): return "recv " + packet(bytes)
        case .packetDropped(let bytes, let reason): return "drop " + packet(bytes) + "  [\(reason)]"
        case .packetDuplicated(let bytes): return "dup " + packet(bytes)
        case .stateChanged(let connection, let from, let to, let cause): return "state \(connection) \(from) -> \(to) (\(cause))"
        case .timer(let connection, let timer, .set(let at)): return "timer \(connection) \(timer) set for \(time(at))"
        case .timer(let connection, let timer, .fired): return "timer \(connection) \(timer) fired"
        case .timer(let connection, let timer, .cancelled): return "timer \(connection) \(timer) cancelled"
        case .socketCall(let socket, let call): return "call \(socket) \(call)"
        case .socketEvent(let socket, let event): return "event \(socket) \(event)"
        case .application(let socket, let event): return "app \(socket) \(event)"
        case .congestion(let connection, let cwnd, let ssthresh, let reason):
            return "cwnd \(connection) cwnd \(cwnd) ssthresh \(ssthresh) (\(reason))"
        case .variables(let connection, let v):
            return "vars \(connection) " + TraceTextFormatter.variablesText(v)
        case .note(let text): return "note \(text)"
        }
    }

    // MARK: - Reading

    /// One line read back.
    public struct Line: Hashable, Sendable {
        public var time: Int64
        public var node: String
        /// `send`, `recv`, `drop`, `dup`, `state`, `timer`, `call`, `event`, `app`, `cwnd`, `vars` or `note`.
        public var verb: String
        /// The rebuilt packet, for TCP and UDP packet lines.
        public var packet: IPv4Packet?
        /// The packet's note or drop reason, or for other lines the rest of the line.
        public var text: String
    }

    /// Reads a text trace; errors name the line and the field. Lines over 1 MiB are refused.
    public static func read(_ text: String, file: String = "trace.txt") throws(TraceFileError) -> [Line] {
        var hosts: [String: IPv4Address] = [:]
        var result: [Line] = []
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            if raw.utf8.count > TraceFile.maximumLineLength {
                throw TraceFileError(file: file, line: number,
                                     message: "line is longer than \(TraceFile.maximumLineLength) bytes (limit \"trace line length\")")
            }
            let words = raw.split(separator: " ")
            if words.isEmpty { continue }
            if words[0] == "#" {
                if words.count == 4 && words[1] == "host" {
                    guard let address = IPv4Address(String(words[3])) else {
                        throw TraceFileError(file: file, line: number, field: "host",
                                             message: "expected a dotted-quad IPv4 address, found \"\(words[3])\"")
                    }
                    hosts[SafeText.escaped(String(words[2]))] = address
                }
                continue
            }
            var reader = LineReader(file: file, line: number, hosts: hosts)
            result.append(try reader.read(raw))
        }
        return result
    }
}

/// Reads one event line of a text trace.
private struct LineReader {
    let file: String
    let line: Int
    let hosts: [String: IPv4Address]
    private var words: [Substring] = []
    private var index = 0

    init(file: String, line: Int, hosts: [String: IPv4Address]) {
        self.file = file
        self.line = line
        self.hosts = hosts
    }

    private func error(_ field: String, _ message: String) -> TraceFileError {
        TraceFileError(file: file, line: line, field: field, message: message)
    }

    private mutating func next(_ field: String, _ what: String) throws(TraceFileError) -> Substring {
        guard index < words.count else { throw error(field, "expected \(what), found end of line") }
        index += 1
        return words[index - 1]
    }

    mutating func read(_ raw: Substring) throws(TraceFileError) -> TextTrace.Line {
        var body = raw
        var annotation = ""
        if let start = firstIndex(of: "  [", in: raw), raw.hasSuffix("]") {
            annotation = String(raw[raw.index(start, offsetBy: 3)..<raw.index(before: raw.endIndex)])
            body = raw[..<start]
        }
        words = body.split(separator: " ")
        let timeText = try next("time", "a time in seconds")
        guard let time = Quantity.decimal(timeText, scale: 1_000_000_000) else {
            throw error("time", "expected a time in seconds like 0.010000, found \"\(timeText)\"")
        }
        let node = String(try next("node", "a node name"))
        let verb = String(try next("event", "an event (send, recv, drop, dup, state, timer, call, event, app, cwnd, vars, note)"))
        let rest = words[index...].joined(separator: " ")
        switch verb {
        case "send", "recv", "drop", "dup":
            let packet = try self.packet()
            return TextTrace.Line(time: time, node: node, verb: verb, packet: packet, text: annotation)
        case "state", "timer", "call", "event", "app", "cwnd", "vars", "note":
            let text = annotation.isEmpty ? rest : rest + "  [" + annotation + "]"
            return TextTrace.Line(time: time, node: node, verb: verb, packet: nil, text: text)
        default:
            throw error("event", "unknown event \"\(verb)\"")
        }
    }

    /// Where `needle` (ASCII) first occurs in `text`: one pass over the bytes, so a hostile
    /// line of a megabyte costs a megabyte of work, not a megabyte squared.
    private func firstIndex(of needle: String, in text: Substring) -> Substring.Index? {
        text.utf8.firstRange(of: Array(needle.utf8))?.lowerBound
    }

    private func address(_ text: Substring, field: String) throws(TraceFileError) -> IPv4Address {
        if let address = hosts[String(text)] ?? IPv4Address(String(text)) { return address }
        throw error(field, "unknown host \"\(text)\" (declare it with '# host NAME ADDRESS')")
    }

    private func endpoint(_ text: Substring, field: String) throws(TraceFileError) -> (IPv4Address, UInt16)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        guard let port = UInt16(parts[1]) else { throw error(field, "expected a port, found \"\(parts[1])\"") }
        return (try address(parts[0], field: field), port)
    }

    private func integer<T: FixedWidthInteger>(_ text: Substring, _ field: String) throws(TraceFileError) -> T {
        guard let value = T(text) else { throw error(field, "expected an integer from \(T.min) to \(T.max), found \"\(text)\"") }
        return value
    }

    /// `SRC:PORT > DST:PORT (UDP LEN | FLAGS SEQ:END(LEN) [ack N] win N [<OPTIONS>]) [id N]`; nil for ICMP.
    private mutating func packet() throws(TraceFileError) -> IPv4Packet? {
        let sourceText = try next("source", "SOURCE:PORT")
        guard let (source, sourcePort) = try endpoint(sourceText, field: "source") else {
            return nil  // ICMP or an undecodable packet: kept as text only.
        }
        guard try next("direction", "'>'") == ">" else { throw error("direction", "expected '>'") }
        let destinationText = try next("destination", "DESTINATION:PORT")
        guard let (destination, destinationPort) = try endpoint(destinationText, field: "destination") else {
            throw error("destination", "expected DESTINATION:PORT, found \"\(destinationText)\"")
        }
        let kind = try next("flags", "TCP flags or UDP")
        let payload: IPPayload
        if kind == "UDP" {
            let length: Int = try integer(try next("length", "a payload length"), "length")
            guard length >= 0 else { throw error("length", "expected a payload length of 0 or more, found \(length)") }
            guard length <= 65507 else { throw error("length", "\(length) is longer than a UDP datagram can be") }
            payload = .udp(UDPDatagram(sourcePort: sourcePort, destinationPort: destinationPort,
                                       payload: Array(repeating: 0, count: length)))
        } else {
            var flags = TCPFlags()
            for letter in kind where kind != "none" {
                switch letter {
                case "S": flags.insert(.syn)
                case "F": flags.insert(.fin)
                case "R": flags.insert(.rst)
                case "P": flags.insert(.psh)
                case "U": flags.insert(.urg)
                case "E": flags.insert(.ece)
                case "W": flags.insert(.cwr)
                case ".": flags.insert(.ack)
                default: throw error("flags", "expected TCP flags (S F R P U E W .), found \"\(kind)\"")
                }
            }
            let range = try next("seq", "SEQ:END(LENGTH)")
            let parts = range.split(whereSeparator: { $0 == ":" || $0 == "(" || $0 == ")" })
            guard parts.count == 3, range.hasSuffix(")") else {
                throw error("seq", "expected SEQ:END(LENGTH) like 1000:1100(100), found \"\(range)\"")
            }
            let seq: UInt32 = try integer(parts[0], "seq")
            let end: UInt32 = try integer(parts[1], "seq")
            let length: Int = try integer(parts[2], "seq")
            guard (0...65495).contains(length) else {
                throw error("seq", "\(range): a segment carries 0 to 65495 bytes, not \(length)")
            }
            guard end == seq &+ UInt32(length) else {
                throw error("seq", "\(range): the end is not the start plus the length")
            }
            var ack: UInt32 = 0
            if index < words.count && words[index] == "ack" {
                index += 1
                ack = try integer(try next("ack", "an acknowledgment number"), "ack")
            }
            guard try next("win", "'win N'") == "win" else { throw error("win", "expected 'win N'") }
            let window: UInt16 = try integer(try next("win", "a window"), "win")
            var options: [TCPOption] = []
            if index < words.count && words[index].hasPrefix("<") {
                var text = ""
                while index < words.count {
                    text += (text.isEmpty ? "" : " ") + words[index]
                    index += 1
                    if text.hasSuffix(">") { break }
                }
                guard text.hasSuffix(">") else { throw error("options", "expected '>' after the options") }
                options = try self.options(text.dropFirst().dropLast())
                // A TCP header holds at most 40 bytes of options (data offset 15 words).
                let length = options.reduce(0) { $0 + $1.encodedLength }
                guard length <= 40 else {
                    throw error("options", "the options take \(length) bytes; a TCP header holds at most 40")
                }
            }
            let header = TCPHeader(sourcePort: sourcePort, destinationPort: destinationPort,
                                   sequenceNumber: SequenceNumber(seq), acknowledgmentNumber: SequenceNumber(ack),
                                   flags: flags, window: window, options: options)
            payload = .tcp(TCPSegment(header: header, payload: Array(repeating: 0, count: length)))
        }
        var identification: UInt16 = 0
        if index < words.count && words[index] == "id" {
            index += 1
            identification = try integer(try next("id", "an IP identification"), "id")
        }
        if index < words.count { throw error("packet", "unexpected \"\(words[index])\" at the end of the packet") }
        return IPv4Packet(source: source, destination: destination, identification: identification, payload: payload)
    }

    /// `mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7,sack 1:2 3:4,eol,opt-30 4`
    private func options(_ text: Substring) throws(TraceFileError) -> [TCPOption] {
        var result: [TCPOption] = []
        for item in text.split(separator: ",") {
            let words = item.split(separator: " ")
            switch words.first ?? "" {
            case "mss" where words.count == 2: result.append(.maximumSegmentSize(try integer(words[1], "options")))
            case "wscale" where words.count == 2: result.append(.windowScale(try integer(words[1], "options")))
            case "sackOK" where words.count == 1: result.append(.sackPermitted)
            case "nop" where words.count == 1: result.append(.noOperation)
            case "eol" where words.count == 1: result.append(.endOfList)
            case "TS" where words.count == 5 && words[1] == "val" && words[3] == "ecr":
                result.append(.timestamps(value: try integer(words[2], "options"), echoReply: try integer(words[4], "options")))
            case "sack" where words.count >= 2:
                var blocks: [SACKBlock] = []
                for block in words.dropFirst() {
                    let edges = block.split(separator: ":")
                    guard edges.count == 2 else { throw error("options", "expected a SACK block LEFT:RIGHT, found \"\(block)\"") }
                    blocks.append(SACKBlock(left: SequenceNumber(try integer(edges[0], "options")),
                                            right: SequenceNumber(try integer(edges[1], "options"))))
                }
                result.append(.sack(blocks))
            case let word where word.hasPrefix("opt-") && words.count == 2:
                let kind: UInt8 = try integer(word.dropFirst(4), "options")
                let length: Int = try integer(words[1], "options")
                guard (0...38).contains(length) else {
                    throw error("options", "option \(kind) has \(length) bytes of data; a TCP header allows 0 to 38")
                }
                result.append(.unknown(kind: kind, data: Array(repeating: 0, count: length)))
            default:
                throw error("options", "unknown TCP option \"\(item)\"")
            }
        }
        return result
    }
}
