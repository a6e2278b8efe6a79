import Wire

/// Trace files in JSON Lines: the canonical, lossless form of a `Trace`.
///
/// Line 1 is the header object; every further line is one event. Field names are snake_case
/// and come in a fixed order per event kind (the README lists them); numbers are integers
/// (times in nanoseconds, probabilities in parts per million); packet bytes are lowercase hex.
/// Writing is canonical, so `write(read(x)) == x` for any file this writes and `read(write(t)) == t`
/// for every trace.
///
/// Reading is strict and bounded: a line longer than `maximumLineLength` bytes, a missing,
/// mistyped or unknown field, an unknown event kind, bad hex or an unsupported format version is
/// a `TraceFileError` that names the line and the field. Fields may come in any order when read.
public enum TraceFile {
    /// The value of the header's `format` field.
    public static let formatName = "stacklab-trace"
    /// Longer lines are rejected before they are parsed (a packet is at most 64 KiB, 128 KiB as hex).
    public static let maximumLineLength = InputLimits.traceLineLength

    // MARK: - Writing

    /// The whole file: header line, then one line per event, each ending in a newline.
    public static func write(_ trace: Trace) -> String {
        var out = headerObject(trace.header).compactText + "\n"
        for event in trace.events {
            out += eventObject(event).compactText
            out += "\n"
        }
        return out
    }

    /// The whole file as UTF-8 bytes.
    public static func bytes(of trace: Trace) -> [UInt8] {
        Array(write(trace).utf8)
    }

    /// The header line's object.
    public static func headerObject(_ header: TraceHeader) -> JSONValue {
        let link = header.link
        return .object([
            ("format", .string(formatName)),
            ("format_version", .int(Int64(header.formatVersion))),
            ("scenario", .string(header.scenario)),
            ("seed", .unsigned(header.seed)),
            ("profile", .string(header.profile)),
            ("hosts", .array(header.hosts.map { host in
                .object([("name", .string(host.name)), ("address", .string(host.address.description))])
            })),
            ("link", .object([
                ("rtt_ns", .int(link.rtt)),
                ("jitter_ns", .int(link.jitter)),
                ("bandwidth_bps", .int(link.bandwidth)),
                ("loss_ppm", .int(Int64(link.lossPPM))),
                ("duplicate_ppm", .int(Int64(link.duplicatePPM))),
                ("reorder_ppm", .int(Int64(link.reorderPPM))),
                ("corrupt_ppm", .int(Int64(link.corruptPPM))),
                ("mtu", .int(Int64(link.mtu))),
                ("partitions", .array(link.partitions.map { partition in
                    .object([("from_ns", .int(partition.from)), ("to_ns", .int(partition.to))])
                })),
            ] + (link.drops.isEmpty ? [] : [("drops", .array(link.drops.map { .int(Int64($0)) }))])
              + (link.queuePackets == 0 ? [] : [("queue_packets", .int(Int64(link.queuePackets)))])
              + (link.senderLoss.isEmpty ? [] : [("loss_from", .array(link.senderLoss.map { loss in
                    .object([("host", .string(loss.host)), ("loss_ppm", .int(Int64(loss.lossPPM)))])
                }))])
              + (link.hostLinks.isEmpty ? [] : [("host_links", .array(link.hostLinks.map(hostLinkObject)))])
              + (link.loopback ? [("loopback", .bool(true))] : []))),
        ])
    }

    /// One host's own link: its name, its loss when it has one, its partitions.
    static func hostLinkObject(_ hostLink: HostLinkSpec) -> JSONValue {
        .object([("host", .string(hostLink.host))]
            + (hostLink.lossPPM.map { [("loss_ppm", .int(Int64($0)))] } ?? [])
            + [("partitions", .array(hostLink.partitions.map { partition in
                .object([("from_ns", .int(partition.from)), ("to_ns", .int(partition.to))])
            }))])
    }

    /// The event kind's name in the `event` field.
    public static func kindName(_ kind: TraceEventKind) -> String {
        switch kind {
        case .packetSent: "packet_sent"
        case .packetReceived: "packet_received"
        case .packetDropped: "packet_dropped"
        case .packetDuplicated: "packet_duplicated"
        case .stateChanged: "state_changed"
        case .timer: "timer"
        case .socketCall: "socket_call"
        case .socketEvent: "socket_event"
        case .application: "app_event"
        case .congestion: "congestion"
        case .variables: "tcp_variables"
        case .note: "note"
        }
    }

    /// Every value of the `event` field, in the order the README documents them.
    public static let kindNames = [
        "packet_sent", "packet_received", "packet_dropped", "packet_duplicated", "state_changed", "timer",
        "socket_call", "socket_event", "app_event", "congestion", "tcp_variables", "note",
    ]

    /// An event line's object: `t_ns`, `node`, `event`, then the kind's own fields.
    public static func eventObject(_ event: TraceEvent) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("t_ns", .int(event.time)), ("node", .string(event.node)), ("event", .string(kindName(event.kind))),
        ]
        switch event.kind {
        case .packetSent(let bytes, let cause):
            members += [("note", .string(cause.description)), ("bytes", .string(Hex.encode(bytes)))]
        case .packetReceived(let bytes):
            members += [("bytes", .string(Hex.encode(bytes)))]
        case .packetDropped(let bytes, let reason):
            members += [("reason", .string(reason.description)), ("bytes", .string(Hex.encode(bytes)))]
        case .packetDuplicated(let bytes):
            members += [("bytes", .string(Hex.encode(bytes)))]
        case .stateChanged(let connection, let from, let to, let cause):
            members += [("connection", .string(connection)), ("from", .string(from.rawValue)), ("to", .string(to.rawValue)),
                        ("cause", .string(cause.description))]
        case .timer(let connection, let timer, let action):
            members += [("connection", .string(connection)), ("timer", .string(timer.rawValue))]
            switch action {
            case .set(let at): members += [("action", "set"), ("at_ns", .int(at))]
            case .fired: members += [("action", "fired")]
            case .cancelled: members += [("action", "cancelled")]
            }
        case .socketCall(let socket, let call):
            members += [("socket", .string(socket)), ("call", .string(call.name)), ("argument", .string(call.argument))]
        case .socketEvent(let socket, let notification):
            members += [("socket", .string(socket)), ("name", .string(notification.name)),
                        ("detail", .string(notification.detail))]
        case .application(let socket, let application):
            members += [("socket", .string(socket)), ("name", .string(application.name)),
                        ("detail", .string(application.detail))]
        case .congestion(let connection, let cwnd, let ssthresh, let reason):
            members += [("connection", .string(connection)), ("cwnd", .int(Int64(cwnd))),
                        ("ssthresh", .int(Int64(ssthresh))), ("reason", .string(reason.rawValue))]
        case .variables(let connection, let v):
            members += [("connection", .string(connection)), ("iss", .int(Int64(v.iss))), ("irs", .int(Int64(v.irs))),
                        ("snd_una", .int(Int64(v.sndUNA))), ("snd_nxt", .int(Int64(v.sndNXT))),
                        ("snd_wnd", .int(Int64(v.sndWND))), ("rcv_nxt", .int(Int64(v.rcvNXT))),
                        ("rcv_wnd", .int(Int64(v.rcvWND))), ("cwnd", .int(Int64(v.cwnd))),
                        ("ssthresh", .int(Int64(v.ssthresh)))]
            if let srtt = v.srtt { members.append(("srtt_ns", .int(srtt))) }
            members += [("rto_ns", .int(v.rto)), ("in_flight", .int(Int64(v.bytesInFlight)))]
        case .note(let note):
            members += [("text", .string(note.description))]
        }
        return .object(members)
    }

    // MARK: - Reading

    /// Reads a trace file's text.
    public static func read(_ text: String, file: String = "trace.jsonl") throws(TraceFileError) -> Trace {
        try read(bytes: Array(text.utf8), file: file)
    }

    /// Reads a trace file's bytes; `file` names it in errors.
    public static func read(bytes: [UInt8], file: String = "trace.jsonl") throws(TraceFileError) -> Trace {
        var header: TraceHeader?
        var events: [TraceEvent] = []
        var lineNumber = 0
        var start = 0
        let parser = JSONParser()
        while start < bytes.count {
            lineNumber += 1
            var end = start
            while end < bytes.count && bytes[end] != 0x0A {
                end += 1
                if end - start > maximumLineLength {
                    throw TraceFileError(file: file, line: lineNumber,
                                         message: "line is longer than \(maximumLineLength) bytes (limit \"trace line length\")")
                }
            }
            let line = Array(bytes[start..<end])
            start = end + 1
            guard !line.isEmpty else {
                throw TraceFileError(file: file, line: lineNumber, message: "empty line: expected a JSON object")
            }
            let value: JSONValue
            do {
                value = try parser.parse(bytes: line)
            } catch {
                throw TraceFileError(file: file, line: lineNumber, column: error.column, message: error.message)
            }
            guard case .object(let members) = value else {
                throw TraceFileError(file: file, line: lineNumber, message: "expected a JSON object")
            }
            var fields = FieldReader(members: members, file: file, line: lineNumber)
            if header == nil {
                header = try readHeader(&fields)
            } else {
                events.append(try readEvent(&fields))
            }
            try fields.finish()
        }
        guard let header else {
            throw TraceFileError(file: file, line: 1, message: "empty file: expected the header line")
        }
        return Trace(header: header, events: events)
    }

    private static func readHeader(_ fields: inout FieldReader) throws(TraceFileError) -> TraceHeader {
        let format = try fields.string("format")
        guard format == formatName else {
            throw fields.error("format", "expected \"\(formatName)\", found \"\(format)\"")
        }
        let version = try fields.int("format_version")
        guard version == Int64(TraceHeader.currentFormatVersion) else {
            throw fields.error("format_version", "unsupported format version \(version) "
                               + "(this StackLab reads version \(TraceHeader.currentFormatVersion))")
        }
        let scenario = try fields.string("scenario")
        guard let seedValue = fields.take("seed") else { throw fields.error("seed", "missing field") }
        guard let seed = seedValue.unsignedValue else { throw fields.error("seed", "expected a non-negative integer") }
        let profile = try fields.string("profile")
        var hosts: [TraceHost] = []
        for (i, element) in try fields.array("hosts").enumerated() {
            var host = try fields.object(element, name: "hosts[\(i)]")
            let name = try host.string("name")
            let addressText = try host.string("address")
            guard let address = IPv4Address(addressText) else {
                throw host.error("address", "expected a dotted-quad IPv4 address, found \"\(addressText)\"")
            }
            try host.finish()
            hosts.append(TraceHost(name: name, address: address))
        }
        guard let linkValue = fields.take("link") else { throw fields.error("link", "missing field") }
        var link = try fields.object(linkValue, name: "link")
        var spec = LinkSpec()
        spec.rtt = try link.int("rtt_ns", atLeast: 0)
        spec.jitter = try link.int("jitter_ns", atLeast: 0)
        spec.bandwidth = try link.int("bandwidth_bps", atLeast: 0)
        spec.lossPPM = try link.ppm("loss_ppm")
        spec.duplicatePPM = try link.ppm("duplicate_ppm")
        spec.reorderPPM = try link.ppm("reorder_ppm")
        spec.corruptPPM = try link.ppm("corrupt_ppm")
        spec.mtu = Int(try link.int("mtu", atLeast: 0, atMost: 65535))
        for (i, element) in try link.array("partitions").enumerated() {
            var partition = try link.object(element, name: "link.partitions[\(i)]")
            let from = try partition.int("from_ns")
            let to = try partition.int("to_ns")
            try partition.finish()
            spec.partitions.append(TimeSpan(from: from, to: to))
        }
        if let drops = link.take("drops") {
            guard case .array(let numbers) = drops else { throw link.error("drops", "expected an array of packet numbers") }
            for (i, number) in numbers.enumerated() {
                guard case .int(let value) = number, value >= 1, value <= 1_000_000_000 else {
                    throw link.error("drops[\(i)]", "expected a packet number (1 or more)")
                }
                spec.drops.append(Int(value))
            }
        }
        if let loopback = link.take("loopback") {
            guard case .bool(let value) = loopback else { throw link.error("loopback", "expected true or false") }
            spec.loopback = value
        }
        if link.has("queue_packets") {
            spec.queuePackets = Int(try link.int("queue_packets", atLeast: 1, atMost: 1_000_000_000))
        }
        if link.has("loss_from") {
            for (i, element) in try link.array("loss_from").enumerated() {
                var loss = try link.object(element, name: "link.loss_from[\(i)]")
                let host = try loss.string("host")
                let ppm = try loss.ppm("loss_ppm")
                try loss.finish()
                spec.senderLoss.append(SenderLoss(host: host, lossPPM: ppm))
            }
        }
        if let hostLinks = link.take("host_links") {
            guard case .array(let elements) = hostLinks else {
                throw link.error("host_links", "expected an array of host links")
            }
            for (i, element) in elements.enumerated() {
                var entry = try link.object(element, name: "link.host_links[\(i)]")
                var hostLink = HostLinkSpec(host: try entry.string("host"))
                if entry.has("loss_ppm") { hostLink.lossPPM = try entry.ppm("loss_ppm") }
                for (j, value) in try entry.array("partitions").enumerated() {
                    var partition = try entry.object(value, name: "link.host_links[\(i)].partitions[\(j)]")
                    let from = try partition.int("from_ns")
                    let to = try partition.int("to_ns")
                    try partition.finish()
                    hostLink.partitions.append(TimeSpan(from: from, to: to))
                }
                try entry.finish()
                spec.hostLinks.append(hostLink)
            }
        }
        try link.finish()
        return TraceHeader(formatVersion: Int(version), scenario: scenario, seed: seed, profile: profile,
                           hosts: hosts, link: spec)
    }

    private static func readEvent(_ fields: inout FieldReader) throws(TraceFileError) -> TraceEvent {
        let time = try fields.int("t_ns", atLeast: 0)
        let node = try fields.string("node")
        let name = try fields.string("event")
        let kind: TraceEventKind
        switch name {
        case "packet_sent":
            let bytes = try fields.hex("bytes")
            kind = .packetSent(bytes: bytes, cause: try fields.typed("note", SendCause.init(text:), "a send cause"))
        case "packet_received":
            kind = .packetReceived(bytes: try fields.hex("bytes"))
        case "packet_dropped":
            let bytes = try fields.hex("bytes")
            kind = .packetDropped(bytes: bytes, reason: try fields.typed("reason", PacketDropReason.init(text:),
                                                                         "a drop reason"))
        case "packet_duplicated":
            kind = .packetDuplicated(bytes: try fields.hex("bytes"))
        case "state_changed":
            kind = .stateChanged(connection: try fields.string("connection"),
                                 from: try fields.typed("from", TCPState.init(rawValue:), "an RFC 9293 state name"),
                                 to: try fields.typed("to", TCPState.init(rawValue:), "an RFC 9293 state name"),
                                 cause: try fields.typed("cause", StateChangeCause.init(text:), "a state-change cause"))
        case "timer":
            let connection = try fields.string("connection")
            let timer = try fields.typed("timer", TCPTimer.init(rawValue:), "a timer name")
            let action: TimerAction
            switch try fields.string("action") {
            case "set": action = .set(at: try fields.int("at_ns"))
            case "fired": action = .fired
            case "cancelled": action = .cancelled
            case let other: throw fields.error("action", "expected \"set\", \"fired\" or \"cancelled\", found \"\(other)\"")
            }
            kind = .timer(connection: connection, timer: timer, action: action)
        case "socket_call":
            let socket = try fields.string("socket")
            let call = try fields.string("call")
            let argument = try fields.string("argument")
            guard let typed = SocketCall(name: call, argument: argument) else {
                throw fields.error(SocketCall.names.contains(call) ? "argument" : "call",
                                   "cannot read the call \"\(call)\" with argument \"\(argument)\"")
            }
            kind = .socketCall(socket: socket, call: typed)
        case "socket_event":
            let socket = try fields.string("socket")
            let event = try fields.string("name")
            let detail = try fields.string("detail")
            guard let typed = SocketNotification(name: event, detail: detail) else {
                throw fields.error(SocketNotification.names.contains(event) ? "detail" : "name",
                                   "cannot read the socket event \"\(event)\" with detail \"\(detail)\"")
            }
            kind = .socketEvent(socket: socket, event: typed)
        case "app_event":
            let socket = try fields.string("socket")
            let event = try fields.string("name")
            let detail = try fields.string("detail")
            guard let typed = ApplicationEvent(name: event, detail: detail) else {
                throw fields.error(ApplicationEvent.names.contains(event) ? "detail" : "name",
                                   "cannot read the application event \"\(event)\" with detail \"\(detail)\"")
            }
            kind = .application(socket: socket, event: typed)
        case "congestion":
            kind = .congestion(connection: try fields.string("connection"),
                               cwnd: Int(try fields.int("cwnd", atLeast: 0)), ssthresh: Int(try fields.int("ssthresh", atLeast: 0)),
                               reason: try fields.typed("reason", CongestionReason.init(rawValue:), "a congestion reason"))
        case "tcp_variables":
            let connection = try fields.string("connection")
            func sequence(_ field: String) throws(TraceFileError) -> UInt32 {
                UInt32(try fields.int(field, atLeast: 0, atMost: Int64(UInt32.max)))
            }
            let variables = TCPVariables(
                iss: try sequence("iss"), irs: try sequence("irs"), sndUNA: try sequence("snd_una"),
                sndNXT: try sequence("snd_nxt"), sndWND: Int(try fields.int("snd_wnd", atLeast: 0)),
                rcvNXT: try sequence("rcv_nxt"), rcvWND: Int(try fields.int("rcv_wnd", atLeast: 0)),
                cwnd: Int(try fields.int("cwnd", atLeast: 0)), ssthresh: Int(try fields.int("ssthresh", atLeast: 0)),
                srtt: fields.has("srtt_ns") ? try fields.int("srtt_ns", atLeast: 0) : nil,
                rto: try fields.int("rto_ns", atLeast: 0), bytesInFlight: Int(try fields.int("in_flight", atLeast: 0)))
            kind = .variables(connection: connection, variables)
        case "note":
            kind = .note(TraceNote(text: try fields.string("text")))
        default:
            throw fields.error("event", "unknown event kind \"\(name)\"")
        }
        return TraceEvent(time: time, node: node, kind: kind)
    }
}

/// Takes the fields of one JSON object by name, with errors that name the line and the field,
/// and at the end rejects the fields nobody took.
struct FieldReader {
    private var members: [(String, JSONValue)]
    let file: String
    let line: Int
    /// Prefix for nested field names (`link.`).
    let path: String

    init(members: [(String, JSONValue)], file: String, line: Int, path: String = "") {
        self.members = members
        self.file = file
        self.line = line
        self.path = path
    }

    func error(_ field: String, _ message: String) -> TraceFileError {
        TraceFileError(file: file, line: line, field: path + field, message: message)
    }

    mutating func take(_ field: String) -> JSONValue? {
        guard let index = members.firstIndex(where: { $0.0 == field }) else { return nil }
        return members.remove(at: index).1
    }

    private mutating func required(_ field: String) throws(TraceFileError) -> JSONValue {
        guard let value = take(field) else { throw error(field, "missing field") }
        return value
    }

    mutating func int(_ field: String, atLeast lower: Int64 = .min, atMost upper: Int64 = .max) throws(TraceFileError) -> Int64 {
        guard case .int(let value) = try required(field) else { throw error(field, "expected an integer") }
        guard value >= lower, value <= upper else {
            throw error(field, upper == .max ? "expected an integer of at least \(lower), found \(value)"
                        : "expected an integer from \(lower) to \(upper), found \(value)")
        }
        return value
    }

    mutating func ppm(_ field: String) throws(TraceFileError) -> Int {
        Int(try int(field, atLeast: 0, atMost: 1_000_000))
    }

    /// A string field, with control characters escaped (`SafeText`): whatever reads a trace may
    /// print it to a terminal.
    mutating func string(_ field: String) throws(TraceFileError) -> String {
        guard case .string(let value) = try required(field) else { throw error(field, "expected a string") }
        return SafeText.escaped(value)
    }

    /// A string field read into a typed value by `make`; `expected` names the type in the error.
    mutating func typed<Value>(
        _ field: String, _ make: (String) -> Value?, _ expected: String
    ) throws(TraceFileError) -> Value {
        let text = try string(field)
        guard let value = make(text) else { throw error(field, "expected \(expected), found \"\(text)\"") }
        return value
    }

    /// Whether the object still has `field`.
    func has(_ field: String) -> Bool { members.contains { $0.0 == field } }

    mutating func array(_ field: String) throws(TraceFileError) -> [JSONValue] {
        guard case .array(let value) = try required(field) else { throw error(field, "expected an array") }
        return value
    }

    mutating func hex(_ field: String) throws(TraceFileError) -> [UInt8] {
        let text = try string(field)
        switch Hex.decode(text) {
        case .success(let bytes): return bytes
        case .failure(let problem): throw error(field, problem.message)
        }
    }

    /// A nested object as a reader of its own; its fields are named `name.field` in errors.
    func object(_ value: JSONValue, name: String) throws(TraceFileError) -> FieldReader {
        guard case .object(let members) = value else { throw error(name, "expected an object") }
        return FieldReader(members: members, file: file, line: line, path: name + ".")
    }

    /// Rejects fields that were not taken.
    func finish() throws(TraceFileError) {
        if let (name, _) = members.first { throw error(name, "unknown field") }
    }
}

/// A malformed trace file: where (file, line, and column or field) and why.
public struct TraceFileError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    /// For JSON syntax errors, the column (from 1) where the line went wrong.
    public var column: Int?
    /// The field that is wrong, with its path for nested fields (`link.mtu`).
    public var field: String?
    public var message: String

    public init(file: String, line: Int, column: Int? = nil, field: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    /// `trace.jsonl:7: field "t_ns": expected an integer`, or `trace.jsonl:7:12: expected ','`.
    public var description: String {
        var text = "\(file):\(line)"
        if let column { text += ":\(column)" }
        if let field { text += ": field \"\(field)\"" }
        return text + ": " + message
    }
}

/// Lowercase hexadecimal for packet bytes.
public enum Hex {
    /// Why a hex string was rejected.
    public struct Problem: Error, Hashable, Sendable {
        public var message: String
    }

    private static let digits = Array("0123456789abcdef".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes lowercase hex; uppercase digits, odd lengths and other characters are refused.
    public static func decode(_ text: String) -> Result<[UInt8], Problem> {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else {
            return .failure(Problem(message: "bad hex: odd number of digits (\(utf8.count))"))
        }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var i = 0
        while i < utf8.count {
            guard let high = value(utf8[i]) else { return .failure(badDigit(utf8, at: i)) }
            guard let low = value(utf8[i + 1]) else { return .failure(badDigit(utf8, at: i + 1)) }
            out.append(high << 4 | low)
            i += 2
        }
        return .success(out)
    }

    private static func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case 0x30...0x39: digit - 0x30
        case 0x61...0x66: digit - 0x61 + 10
        default: nil
        }
    }

    private static func badDigit(_ utf8: [UInt8], at offset: Int) -> Problem {
        let shown = utf8[offset] >= 0x20 && utf8[offset] < 0x7F ? "'\(Character(Unicode.Scalar(utf8[offset])))'"
            : "byte \(utf8[offset])"
        return Problem(message: "bad hex: \(shown) at offset \(offset) is not a lowercase hex digit")
    }
}
