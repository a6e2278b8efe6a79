import Apps
import Tracing
import Wire

/// A rule every run must obey, checked over the run's trace and report.
public struct Invariant: Sendable {
    /// Kebab-case name, as `stacklab check --invariant NAME` takes it.
    public let name: String
    /// One sentence: what must hold.
    public let statement: String
    /// Where the rule comes from.
    public let reference: String
    /// `nil` when the rule holds, else what broke it (with the time and connection).
    public let check: @Sendable (CheckRun) -> String?

    public init(name: String, statement: String, reference: String, check: @escaping @Sendable (CheckRun) -> String?) {
        self.name = name
        self.statement = statement
        self.reference = reference
        self.check = check
    }

    public static func named(_ name: String) -> Invariant? { catalogue.first { $0.name == name } }

    /// The time a violation message starts with (`timeText`, e.g. "0.002500s ..."), in nanoseconds.
    public static func violationTime(of message: String) -> Int64? {
        guard let end = message.firstIndex(of: "s") else { return nil }
        let parts = message[..<end].split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].count == 6, let seconds = Int64(parts[0]), let micro = Int64(parts[1]) else {
            return nil
        }
        return seconds * 1_000_000_000 + micro * 1_000
    }

    /// The catalogue, in a fixed order.
    public static let catalogue: [Invariant] = [
        streamIntegrity, reliableDelivery, stateMachine, handshake, ackNumbers, flightWithinWindow, rtoBackoff,
        timeWait, noDataAfterFIN, rstCloses, unacceptableSegmentAcked, checksumDrop, udpDelivery, isnDistinct,
        fastRetransmit, determinism,
    ]
}

/// Seconds with microseconds, for violation messages.
func timeText(_ nanoseconds: Int64) -> String {
    let micro = nanoseconds / 1_000
    let fraction = String(micro % 1_000_000)
    return "\(micro / 1_000_000).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)s"
}

/// Causes that may end a connection from any state (RFC 9293 §3.10.5 ABORT, §3.10.7 RST, user and
/// retransmission timeouts, and CLOSE before the connection exists).
func isAbortiveCause(_ cause: String) -> Bool {
    cause.contains("RST") || cause.contains("ABORT") || cause.contains("timeout")
}

extension Invariant {
    // MARK: - Byte streams

    static let streamIntegrity = Invariant(
        name: "stream-integrity",
        statement: "Each byte stream is delivered in order and unaltered, no byte is delivered that was not sent, "
            + "and once the peer's FIN is delivered every byte the peer sent arrived exactly once.",
        reference: "RFC 9293 §1, §3.4, §3.10.7.4 (seventh check)"
    ) { run in
        let analysis = run.analysis
        let streams = run.run.report.streams
        for stream in streams {
            let socket = stream.local.description
            guard let peer = streams.first(where: { $0.local == stream.remote && $0.remote == stream.local }) else { continue }
            let sent = analysis.transmitted(by: "\(peer.local)>\(peer.remote)")
            if !stream.intact {
                return "\(socket) received bytes out of order or altered"
            }
            if stream.bytesReceived > sent {
                return "\(socket) received \(stream.bytesReceived) bytes but its peer transmitted \(sent)"
            }
            if stream.peerFinished, stream.error == nil, peer.error == nil, stream.bytesReceived != sent {
                return "\(socket) saw the peer's FIN after \(stream.bytesReceived) of \(sent) bytes"
            }
        }
        return nil
    }

    static let reliableDelivery = Invariant(
        name: "reliable-delivery",
        statement: "When a run ends with nothing left to do and neither side failed, aborted, closed before "
            + "reading or stopped reading, every byte either side transmitted was delivered.",
        reference: "RFC 9293 §3.8 (retransmission), §3.10.7.4; RFC 6298 §5"
    ) { run in
        guard run.quiesced else { return nil }
        let analysis = run.analysis
        let streams = run.run.report.streams
        for stream in streams {
            let socket = stream.local.description
            guard let peer = streams.first(where: { $0.local == stream.remote && $0.remote == stream.local }) else { continue }
            let peerSocket = peer.local.description
            guard stream.error == nil, peer.error == nil, !analysis.called("close", on: socket),
                  !analysis.called("abort", on: socket), !analysis.called("abort", on: peerSocket),
                  !analysis.readingPausedAtEnd(socket) else { continue }
            let sent = analysis.transmitted(by: "\(peer.local)>\(peer.remote)")
            if stream.bytesReceived < sent {
                return "the run ended with \(socket) having received \(stream.bytesReceived) of the \(sent) bytes "
                    + "\(peerSocket) sent, and no error"
            }
        }
        return nil
    }

    // MARK: - States

    /// RFC 9293 Figure 5, plus the text's exits (any state to CLOSED on RST, ABORT or timeout).
    static let edges: Set<String> = [
        "CLOSED>LISTEN", "CLOSED>SYN-SENT", "LISTEN>SYN-RECEIVED", "LISTEN>SYN-SENT", "LISTEN>CLOSED",
        "SYN-SENT>SYN-RECEIVED", "SYN-SENT>ESTABLISHED", "SYN-SENT>CLOSED", "SYN-RECEIVED>ESTABLISHED",
        "SYN-RECEIVED>FIN-WAIT-1", "SYN-RECEIVED>LISTEN", "ESTABLISHED>FIN-WAIT-1", "ESTABLISHED>CLOSE-WAIT",
        "FIN-WAIT-1>FIN-WAIT-2", "FIN-WAIT-1>CLOSING", "FIN-WAIT-1>TIME-WAIT", "FIN-WAIT-2>TIME-WAIT",
        "CLOSE-WAIT>LAST-ACK", "CLOSING>TIME-WAIT", "LAST-ACK>CLOSED", "TIME-WAIT>CLOSED",
    ]

    static let stateMachine = Invariant(
        name: "state-machine",
        statement: "Every state change follows an edge of the RFC 9293 state diagram (or is an exit to CLOSED "
            + "on RST, ABORT or timeout), and starts from the state the connection was in.",
        reference: "RFC 9293 §3.3.2 Figure 5, §3.10"
    ) { run in
        var current: [String: String] = [:]
        for entry in run.analysis.entries {
            guard case .state(let from, let to, let cause) = entry.item else { continue }
            if let previous = current[entry.connection], previous != from {
                return "\(timeText(entry.time)) \(entry.connection) changed \(from) -> \(to) but was in \(previous)"
            }
            current[entry.connection] = to
            let allowed = edges.contains("\(from)>\(to)") || (to == "CLOSED" && isAbortiveCause(cause))
            if !allowed {
                return "\(timeText(entry.time)) \(entry.connection) \(from) -> \(to) (\(cause)) is not an RFC 9293 transition"
            }
        }
        return nil
    }

    static let handshake = Invariant(
        name: "handshake",
        statement: "A connection reaches ESTABLISHED only after sending its SYN, receiving the peer's SYN and "
            + "receiving an acknowledgment of its own SYN (three-way or simultaneous open).",
        reference: "RFC 9293 §3.5 Figures 6 and 7"
    ) { run in
        var iss: [String: SequenceNumber] = [:]
        var receivedSYN: Set<String> = []
        var synAcknowledged: Set<String> = []
        for entry in run.analysis.entries {
            let name = entry.connection
            switch entry.item {
            case .sent(let segment, _):
                if segment.header.flags.contains(.syn) { iss[name] = segment.header.sequenceNumber }
            case .received(let segment):
                let flags = segment.header.flags
                guard !flags.contains(.rst) else { break }
                if flags.contains(.syn) { receivedSYN.insert(name) }
                if flags.contains(.ack), let own = iss[name], segment.header.acknowledgmentNumber == own + 1 {
                    synAcknowledged.insert(name)
                }
            case .state(_, let to, _):
                if to == "ESTABLISHED" {
                    if iss[name] == nil { return "\(timeText(entry.time)) \(name) ESTABLISHED without sending a SYN" }
                    if !receivedSYN.contains(name) { return "\(timeText(entry.time)) \(name) ESTABLISHED without the peer's SYN" }
                    if !synAcknowledged.contains(name) {
                        return "\(timeText(entry.time)) \(name) ESTABLISHED before its SYN was acknowledged"
                    }
                } else if to == "CLOSED" || to == "LISTEN" {
                    iss[name] = nil
                    receivedSYN.remove(name)
                    synAcknowledged.remove(name)
                }
            case .timer, .congestion:
                break
            }
        }
        return nil
    }

    // MARK: - Acknowledgments and windows

    static let ackNumbers = Invariant(
        name: "ack-numbers",
        statement: "The acknowledgment numbers a connection sends never decrease and never acknowledge a "
            + "sequence number the peer has not sent.",
        reference: "RFC 9293 §3.4, §3.10.7.4 (fifth check: \"ACK of something not yet sent\")"
    ) { run in
        var highestSent: [String: SequenceNumber] = [:]   // per connection: the end of what it sent
        var lastAck: [String: SequenceNumber] = [:]
        for entry in run.analysis.entries {
            guard case .sent(let segment, _) = entry.item else { continue }
            let name = entry.connection
            let end = segment.end
            if let old = highestSent[name] { if old < end { highestSent[name] = end } } else { highestSent[name] = end }
            let header = segment.header
            guard header.flags.contains(.ack), !header.flags.contains(.rst) else { continue }
            let ack = header.acknowledgmentNumber
            guard let peerEnd = highestSent[TraceAnalysis.peer(of: name)], !(peerEnd < ack) else {
                return "\(timeText(entry.time)) \(name) sent ACK \(ack) but its peer has sent only up to "
                    + (highestSent[TraceAnalysis.peer(of: name)].map { "\($0)" } ?? "nothing")
            }
            if let previous = lastAck[name], ack < previous {
                return "\(timeText(entry.time)) \(name) sent ACK \(ack) after ACK \(previous)"
            }
            lastAck[name] = ack
        }
        return nil
    }

    static let flightWithinWindow = Invariant(
        name: "flight-within-window",
        statement: "No data segment ends beyond the right edge of the peer's advertised window, and new data "
            + "never puts more than the congestion window (plus one unreported SMSS of growth) in flight.",
        reference: "RFC 9293 §3.8.6; RFC 5681 §2, §3; RFC 6582 §3.2"
    ) { run in
        struct Sender {
            var sndMax: SequenceNumber?
            var sndUNA: SequenceNumber?
            var rightEdge: SequenceNumber?
            var cwnd: Int?
            var largest = 0
            var ownShift: UInt8?
            var peerShift: UInt8?
        }
        var senders: [String: Sender] = [:]
        func shift(in segment: TCPSegment) -> UInt8? {
            for option in segment.header.options { if case .windowScale(let value) = option { return min(value, 14) } }
            return nil
        }
        for entry in run.analysis.entries {
            let name = entry.connection
            var sender = senders[name] ?? Sender()
            switch entry.item {
            case .sent(let segment, _):
                if segment.header.flags.contains(.syn) { sender.ownShift = shift(in: segment) }
                let dataEnd = segment.dataEnd
                if !segment.payload.isEmpty {
                    sender.largest = max(sender.largest, segment.payload.count)
                    if let edge = sender.rightEdge, edge < dataEnd {
                        return "\(timeText(entry.time)) \(name) sent data up to \(dataEnd), beyond the peer's window edge \(edge)"
                    }
                    let isNew = sender.sndMax.map { $0 < dataEnd } ?? true
                    if isNew, let una = sender.sndUNA, let cwnd = sender.cwnd {
                        let flight = Int(dataEnd - una)
                        if flight > cwnd + sender.largest {
                            return "\(timeText(entry.time)) \(name) has \(flight) bytes in flight with cwnd \(cwnd)"
                        }
                    }
                }
                let end = segment.end
                if sender.sndMax.map({ $0 < end }) ?? true { sender.sndMax = end }
            case .received(let segment):
                let header = segment.header
                if header.flags.contains(.syn) { sender.peerShift = shift(in: segment) }
                if header.flags.contains(.ack), !header.flags.contains(.rst) {
                    let ack = header.acknowledgmentNumber
                    if let max = sender.sndMax, !(max < ack), sender.sndUNA.map({ $0 < ack }) ?? true { sender.sndUNA = ack }
                    var window = UInt32(header.window)
                    if !header.flags.contains(.syn), sender.ownShift != nil, let theirs = sender.peerShift {
                        window <<= UInt32(theirs)
                    }
                    let edge = ack + window
                    if sender.rightEdge.map({ $0 < edge }) ?? true { sender.rightEdge = edge }
                }
            case .congestion(let cwnd, _, _):
                sender.cwnd = cwnd
            case .state(_, let to, _):
                if to == "CLOSED" || to == "LISTEN" { sender = Sender() }
            case .timer:
                break
            }
            senders[name] = sender
        }
        return nil
    }

    // MARK: - Timers

    static let rtoBackoff = Invariant(
        name: "rto-backoff",
        statement: "Each time the retransmission timer expires and a segment is resent, the new timeout is twice "
            + "the one that expired, up to the configured maximum.",
        reference: "RFC 6298 §5.5, §2.5; RFC 9293 §3.8.1"
    ) { run in
        let maximum = run.configuration.maximumRTO.nanoseconds
        var armed: [String: (setAt: Int64, deadline: Int64)] = [:]
        var expired: [String: (time: Int64, interval: Int64)] = [:]
        for entry in run.analysis.entries {
            let name = entry.connection
            switch entry.item {
            case .timer("retransmission", .set(let deadline)):
                if let fired = expired[name], fired.time == entry.time {
                    let expected = min(fired.interval * 2, maximum)
                    let interval = deadline - entry.time
                    if interval != expected {
                        return "\(timeText(entry.time)) \(name) re-armed its RTO for \(interval / 1_000_000) ms after "
                            + "one of \(fired.interval / 1_000_000) ms expired (expected \(expected / 1_000_000) ms)"
                    }
                }
                expired[name] = nil
                armed[name] = (entry.time, deadline)
            case .timer("retransmission", .fired):
                if let timer = armed[name] { expired[name] = (entry.time, timer.deadline - timer.setAt) }
                armed[name] = nil
            case .timer("retransmission", .cancelled):
                armed[name] = nil
            case .received:
                expired[name] = nil
            case .sent, .state, .timer, .congestion:
                break
            }
        }
        return nil
    }

    static let timeWait = Invariant(
        name: "time-wait",
        statement: "Only the active closer (the side that sent FIN first, via FIN-WAIT-1) enters TIME-WAIT, it "
            + "always does when its close completes, and it stays exactly 2×MSL after the last (re)start.",
        reference: "RFC 9293 §3.3.2, §3.6, §3.10.7.4 (eighth check)"
    ) { run in
        let twoMSL = run.configuration.msl.nanoseconds * 2
        var history: [String: Set<String>] = [:]
        var timer: [String: (setAt: Int64, deadline: Int64)] = [:]
        for entry in run.analysis.entries {
            let name = entry.connection
            switch entry.item {
            case .state(let from, let to, let cause):
                if to == "TIME-WAIT" {
                    let past = history[name, default: []]
                    if !past.contains("FIN-WAIT-1") || past.contains("CLOSE-WAIT") {
                        return "\(timeText(entry.time)) \(name) entered TIME-WAIT but was not the active closer"
                    }
                }
                if to == "CLOSED", ["FIN-WAIT-1", "FIN-WAIT-2", "CLOSING"].contains(from), !isAbortiveCause(cause) {
                    return "\(timeText(entry.time)) \(name) went \(from) -> CLOSED (\(cause)): the active closer skipped TIME-WAIT"
                }
                if from == "TIME-WAIT", to == "CLOSED", cause.contains("2MSL") {
                    guard let set = timer[name] else { return "\(timeText(entry.time)) \(name) left TIME-WAIT without its timer" }
                    if set.deadline != entry.time || set.deadline - set.setAt != twoMSL {
                        return "\(timeText(entry.time)) \(name) left TIME-WAIT \(timeText(entry.time - set.setAt)) after "
                            + "(re)starting it; 2×MSL is \(timeText(twoMSL))"
                    }
                }
                history[name, default: []].insert(to)
                if to == "CLOSED" || to == "LISTEN" { history[name] = nil }
            case .timer("time-wait", .set(let deadline)):
                timer[name] = (entry.time, deadline)
            case .sent, .received, .timer, .congestion:
                break
            }
        }
        return nil
    }

    // MARK: - FIN and RST

    static let noDataAfterFIN = Invariant(
        name: "no-data-after-fin",
        statement: "Once a connection has sent its FIN, no segment carries data at or beyond the FIN's sequence number.",
        reference: "RFC 9293 §3.10.4 (CLOSE), §3.6"
    ) { run in
        var fin: [String: SequenceNumber] = [:]
        for entry in run.analysis.entries {
            switch entry.item {
            case .sent(let segment, _):
                if let finSequence = fin[entry.connection], !segment.payload.isEmpty, finSequence < segment.dataEnd {
                    return "\(timeText(entry.time)) \(entry.connection) sent data up to \(segment.dataEnd) after its FIN at \(finSequence)"
                }
                if segment.header.flags.contains(.fin), fin[entry.connection] == nil {
                    fin[entry.connection] = segment.dataEnd
                }
            case .state(_, let to, _):
                if to == "CLOSED" || to == "LISTEN" { fin[entry.connection] = nil }
            case .received, .timer, .congestion:
                break
            }
        }
        return nil
    }

    static let rstCloses = Invariant(
        name: "rst-closes",
        statement: "A RST the connection accepts closes it at once (to CLOSED, or back to LISTEN from a passive "
            + "SYN-RECEIVED), and a closed connection sends nothing more.",
        reference: "RFC 9293 §3.10.7.3, §3.10.7.4 (second check); RFC 5961 §3"
    ) { run in
        var closed: Set<String> = []
        for entry in run.analysis.entries {
            let name = entry.connection
            switch entry.item {
            case .state(let from, let to, let cause):
                if cause.contains("rcv RST") {
                    let ok = to == "CLOSED" || (from == "SYN-RECEIVED" && to == "LISTEN")
                    if !ok { return "\(timeText(entry.time)) \(name) accepted a RST but went \(from) -> \(to)" }
                }
                if to == "CLOSED" { closed.insert(name) } else { closed.remove(name) }
            case .sent(let segment, _):
                if closed.contains(name), !segment.header.flags.contains(.rst), !segment.header.flags.contains(.syn) {
                    return "\(timeText(entry.time)) \(name) sent a segment after it was CLOSED"
                }
            case .received, .timer, .congestion:
                break
            }
        }
        return nil
    }

    static let unacceptableSegmentAcked = Invariant(
        name: "unacceptable-segment-acked",
        statement: "A segment that lies wholly before RCV.NXT (an old duplicate, or a probe) is unacceptable: the "
            + "receiver answers it at once with an ACK and does nothing else with it.",
        reference: "RFC 9293 §3.4, §3.10.7.4 (first check)"
    ) { run in
        var state: [String: String] = [:]
        var lastAck: [String: SequenceNumber] = [:]
        var pending: (connection: String, time: Int64, segment: TCPSegment)?
        let synchronized: Set<String> = ["SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT",
                                         "CLOSING", "LAST-ACK", "TIME-WAIT"]
        func unanswered(_ pending: (connection: String, time: Int64, segment: TCPSegment)) -> String {
            "\(timeText(pending.time)) \(pending.connection) received an unacceptable segment (seq "
                + "\(pending.segment.header.sequenceNumber), \(pending.segment.payload.count) bytes, below the ACK "
                + "\(lastAck[pending.connection].map { "\($0)" } ?? "") it had sent) and did not answer with an ACK"
        }
        for entry in run.analysis.entries {
            if let waiting = pending {
                if entry.time != waiting.time { return unanswered(waiting) }
                if entry.connection == waiting.connection {
                    switch entry.item {
                    case .sent(let segment, _):
                        guard segment.header.flags.contains(.ack) else { return unanswered(waiting) }
                        pending = nil
                    case .timer, .congestion:
                        break
                    case .received, .state:
                        return unanswered(waiting)
                    }
                }
            }
            let name = entry.connection
            switch entry.item {
            case .state(_, let to, _):
                state[name] = to
                if to == "CLOSED" || to == "LISTEN" { lastAck[name] = nil }
            case .sent(let segment, _):
                if segment.header.flags.contains(.ack), !segment.header.flags.contains(.rst) {
                    lastAck[name] = segment.header.acknowledgmentNumber
                }
            case .received(let segment):
                guard let current = state[name], synchronized.contains(current), let ack = lastAck[name],
                      !segment.header.flags.contains(.rst) else { break }
                let length = max(segment.sequenceLength, 1)
                if !(ack < segment.header.sequenceNumber + length) {   // wholly before what we acknowledged
                    pending = (name, entry.time, segment)
                }
            case .timer, .congestion:
                break
            }
        }
        if let waiting = pending { return unanswered(waiting) }
        return nil
    }

    /// Events that may come between an unacceptable segment and the ACK answering it.
    static func isBookkeeping(_ item: TraceAnalysis.Item) -> Bool {
        switch item {
        case .timer, .congestion: true
        case .sent, .received, .state: false
        }
    }

    // MARK: - Checksums, UDP

    static let checksumDrop = Invariant(
        name: "checksum-drop",
        statement: "Every packet an IP layer accepts has valid IPv4, TCP and UDP checksums: corrupted packets "
            + "are dropped, never delivered.",
        reference: "RFC 791 §3.1; RFC 9293 §3.1; RFC 768; RFC 1122 §4.1.3.4, §4.2.2.7"
    ) { run in
        for packet in run.analysis.receivedPackets {
            do {
                _ = try IPv4Packet.parse(packet.bytes, verifyChecksums: true)
            } catch {
                return "\(timeText(packet.time)) \(packet.node) accepted a packet that fails its checksum: \(error)"
            }
        }
        return nil
    }

    static let udpDelivery = Invariant(
        name: "udp-delivery",
        statement: "UDP delivers a subset of the datagrams sent (copies only when the link duplicates), each with "
            + "its boundaries and bytes intact.",
        reference: "RFC 768; RFC 1122 §4.1"
    ) { run in
        let sockets = run.run.report.datagramSockets
        let sent = sockets.reduce(0) { $0 + $1.sent }
        for socket in sockets {
            if socket.corrupted > 0 {
                return "\(socket.local) received \(socket.corrupted) altered or truncated datagrams"
            }
            if socket.duplicates > 0, run.analysis.duplications == 0 {
                return "\(socket.local) received \(socket.duplicates) duplicates on a link that duplicated nothing"
            }
            if socket.received - socket.duplicates > sent {
                return "\(socket.local) received \(socket.received - socket.duplicates) distinct datagrams; \(sent) were sent"
            }
        }
        return nil
    }

    // MARK: - Sequence numbers, loss recovery, determinism

    static let isnDistinct = Invariant(
        name: "isn-distinct",
        statement: "Every connection endpoint in a run picks its own initial sequence number: no two SYNs of "
            + "different endpoints carry the same ISN (a 32-bit random ISN repeats with probability ~2⁻³²).",
        reference: "RFC 9293 §3.4.1; RFC 6528"
    ) { run in
        var owner: [UInt32: String] = [:]
        for entry in run.analysis.entries {
            guard case .sent(let segment, _) = entry.item, segment.header.flags.contains(.syn) else { continue }
            let isn = segment.header.sequenceNumber.rawValue
            if let other = owner[isn], other != entry.connection {
                return "\(timeText(entry.time)) \(entry.connection) and \(other) both chose ISN \(isn)"
            }
            owner[isn] = entry.connection
        }
        return nil
    }

    static let fastRetransmit = Invariant(
        name: "fast-retransmit",
        statement: "On the third duplicate ACK for data past `recover`, outside fast recovery, the sender "
            + "retransmits the first unacknowledged segment at once.",
        reference: "RFC 5681 §3.2; RFC 6582 §3.2 (steps 1–2)"
    ) { run in
        struct Sender {
            var sndUNA: SequenceNumber?
            var sndMax: SequenceNumber?
            var sndWindow: Int?
            var wl1 = SequenceNumber(0)
            var wl2 = SequenceNumber(0)
            var duplicates = 0
            var recover: SequenceNumber?
            var inRecovery = false
            var synchronized = false
            var lastAckSent: SequenceNumber?
            /// The right edge of the receive window this connection advertised (it never moves left).
            var advertisedEdge: SequenceNumber?
        }
        var senders: [String: Sender] = [:]
        var due: (connection: String, time: Int64, sequence: SequenceNumber)?
        func missed(_ expected: (connection: String, time: Int64, sequence: SequenceNumber)) -> String {
            "\(timeText(expected.time)) \(expected.connection) got a third duplicate ACK for \(expected.sequence) "
                + "and did not retransmit"
        }
        for entry in run.analysis.entries {
            let name = entry.connection
            if let expected = due {
                if entry.time != expected.time { return missed(expected) }
                if expected.connection == name {
                    switch entry.item {
                    case .sent(let segment, _):
                        guard segment.header.sequenceNumber == expected.sequence else {
                            return "\(timeText(entry.time)) \(name) answered a third duplicate ACK with a segment at "
                                + "\(segment.header.sequenceNumber), not a retransmission from \(expected.sequence)"
                        }
                        due = nil
                    case .timer, .congestion:
                        break
                    case .received, .state:
                        return missed(expected)
                    }
                }
            }
            var sender = senders[name] ?? Sender()
            switch entry.item {
            case .sent(let segment, _):
                if sender.recover == nil, segment.header.flags.contains(.syn) { sender.recover = segment.header.sequenceNumber }
                let end = segment.end
                if sender.sndMax.map({ $0 < end }) ?? true { sender.sndMax = end }
                if sender.sndUNA == nil { sender.sndUNA = segment.header.sequenceNumber }
                if segment.header.flags.contains(.ack), !segment.header.flags.contains(.rst) {
                    let ack = segment.header.acknowledgmentNumber
                    sender.lastAckSent = ack
                    let shift = segment.header.flags.contains(.syn)
                        ? 0 : run.analysis.windowShifts[TraceAnalysis.peer(of: name)] ?? 0
                    let edge = ack + (UInt32(segment.header.window) << UInt32(shift))
                    if sender.advertisedEdge.map({ $0 < edge }) ?? true { sender.advertisedEdge = edge }
                }
            case .received(let segment):
                let header = segment.header
                if header.flags.contains(.syn), !header.flags.contains(.rst) {   // RFC 9293 §3.10.7.3: SND.WL1, SND.WL2
                    sender.sndWindow = Int(header.window)
                    sender.wl1 = header.sequenceNumber
                    sender.wl2 = header.acknowledgmentNumber
                }
                guard header.flags.contains(.ack), !header.flags.contains(.rst),
                      let una = sender.sndUNA, let max = sender.sndMax else { break }
                if !sender.synchronized {   // the ACK of our SYN: SND.UNA and SND.WND are set, nothing is counted
                    if una < header.acknowledgmentNumber, !(max < header.acknowledgmentNumber) {
                        sender.sndUNA = header.acknowledgmentNumber
                        if !header.flags.contains(.syn) {   // RFC 9293 §3.10.7.4 fifth check, SYN-RECEIVED
                            sender.sndWindow = Int(header.window) << (run.analysis.windowShifts[name] ?? 0)
                            sender.wl1 = header.sequenceNumber
                            sender.wl2 = header.acknowledgmentNumber
                        }
                    }
                    break
                }
                let ack = header.acknowledgmentNumber
                guard !(max < ack) else { break }
                let window = Int(header.window) << (run.analysis.windowShifts[name] ?? 0)
                // Unacceptable (RFC 9293 §3.10.7.4 first check): dropped, not counted.
                if let acked = sender.lastAckSent, header.sequenceNumber < acked { break }
                if let edge = sender.advertisedEdge, edge < header.sequenceNumber { break }
                if una < ack {
                    sender.sndUNA = ack
                    if sender.inRecovery {
                        if let recover = sender.recover, !(ack < recover) { sender.inRecovery = false; sender.duplicates = 0 }
                    } else {
                        sender.duplicates = 0
                    }
                } else if ack == una, segment.payload.isEmpty, !header.flags.contains(.syn), !header.flags.contains(.fin),
                          window == sender.sndWindow, una < max, !sender.inRecovery {
                    sender.duplicates += 1
                    if sender.duplicates == 3, sender.recover.map({ $0 < ack }) ?? true {
                        sender.recover = max
                        sender.inRecovery = true
                        due = (name, entry.time, ack)
                    }
                }
                if !(ack < una), sender.wl1 < header.sequenceNumber
                    || (sender.wl1 == header.sequenceNumber && !(ack < sender.wl2)) || sender.wl2 < ack {
                    sender.sndWindow = window
                    sender.wl1 = header.sequenceNumber
                    sender.wl2 = ack
                }
            case .state(_, let to, _):
                if to == "ESTABLISHED" { sender.synchronized = true }
                if to == "CLOSED" || to == "LISTEN" { sender = Sender() }
            case .timer("retransmission", .fired):
                sender.recover = sender.sndMax
                sender.inRecovery = false
                sender.duplicates = 0
            case .timer, .congestion:
                break
            }
            senders[name] = sender
        }
        if let expected = due { return missed(expected) }
        return nil
    }

    static let determinism = Invariant(
        name: "determinism",
        statement: "Running the same case (same seed) again gives the same trace, event for event.",
        reference: "StackLab DESIGN.md, determinism rules"
    ) { run in
        let again = run.rerun().events
        let first = run.run.events
        if again == first { return nil }
        let index = zip(first, again).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(first.count, again.count)
        return "the second run differs at event \(index + 1) of \(first.count)"
    }
}

