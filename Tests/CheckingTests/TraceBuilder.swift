import Checking
import Testing
import Tracing
import Wire

// A small language for hand-made traces, so a test reads like a ladder diagram:
//
//     let syn = t.send(at: 0, from: client, .syn, seq: 1000)
//     t.receive(at: 10, syn)
//     t.state(at: 10, server, .listen, .synReceived, .receivedSYN)
//
// Times are milliseconds from the start of the run (violation messages print them as seconds,
// `0.010000s`). Sequence and acknowledgment numbers are written out in full, so a reader can
// check every one of them against RFC 9293 without running anything. Events are ordered by time,
// and events at the same time in the order they were added, so a test may add an event to a
// phase written earlier (a late segment after a FIN, say) without rewriting the phase.

/// One host's socket address in a hand-made trace.
struct Endpoint: Hashable, Sendable {
    var host: String
    var address: IPv4Address
    var port: UInt16

    /// `host:port`: how the trace names a listener or a UDP socket.
    var name: String { "\(host):\(port)" }
}

/// One end of a connection: what its events are named after, and where its packets go.
struct Side: Hashable, Sendable {
    var local: Endpoint
    var remote: Endpoint

    /// `host:port>peer:port`, local end first, as the trace and the invariants name connections.
    var connection: String { "\(local.name)>\(remote.name)" }
    /// The other end of the same connection.
    var peer: Side { Side(local: remote, remote: local) }
}

/// An IPv4 packet of a hand-made trace, as sent: its bytes and the hosts it goes between.
struct Packet: Sendable {
    var bytes: [UInt8]
    var from: String
    var to: String

    /// The same packet with byte `offset` (counted from the IP header) inverted: a corruption
    /// that no checksum over the packet survives.
    func corrupted(at offset: Int) -> Packet {
        var copy = self
        copy.bytes[offset] ^= 0xFF
        return copy
    }
}

/// What happens to a timer, in the builder's milliseconds.
enum TimerStep {
    /// Armed to fire `milliseconds` from now.
    case set(for: Int64)
    case fired
    case cancelled
}

/// Builds a trace event by event. The two hosts are `client` (10.0.0.1, port 49152) and `server`
/// (10.0.0.2, port 80); the header's profile is "textbook", so every invariant applies.
struct TraceBuilder {
    static let clientEndpoint = Endpoint(host: "client", address: IPv4Address(10, 0, 0, 1), port: 49152)
    static let serverEndpoint = Endpoint(host: "server", address: IPv4Address(10, 0, 0, 2), port: 80)
    /// The client's end of the connection, `client:49152>server:80`.
    static let client = Side(local: clientEndpoint, remote: serverEndpoint)
    /// The server's end, `server:80>client:49152`.
    static let server = client.peer

    var profile = "textbook"
    private(set) var events: [TraceEvent] = []
    private var nextIdentification: UInt16 = 1

    var trace: Trace {
        let ordered = events.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
        let header = TraceHeader(
            scenario: "hand-made", seed: 1, profile: profile,
            hosts: [TraceHost(name: Self.clientEndpoint.host, address: Self.clientEndpoint.address),
                    TraceHost(name: Self.serverEndpoint.host, address: Self.serverEndpoint.address)],
            link: LinkSpec(rtt: 20_000_000))
        return Trace(header: header, events: ordered.map(\.element))
    }

    static func nanoseconds(_ milliseconds: Int64) -> Int64 { milliseconds * 1_000_000 }

    mutating func append(at milliseconds: Int64, node: String, _ kind: TraceEventKind) {
        events.append(TraceEvent(time: Self.nanoseconds(milliseconds), node: node, kind: kind))
    }

    // MARK: Packets

    /// `side` sends a TCP segment; its payload is `data` octets of a pattern that depends on
    /// the sequence number, so the same bytes sent again are the same packet's payload.
    @discardableResult
    mutating func send(
        at time: Int64, from side: Side, _ flags: TCPFlags, seq: UInt32, ack: UInt32 = 0, window: UInt16 = 65535,
        data: Int = 0, options: [TCPOption] = [], cause: SendCause = .original
    ) -> Packet {
        let payload = (0..<UInt32(data)).map { UInt8(truncatingIfNeeded: seq &+ $0) }
        let segment = TCPSegment(
            header: TCPHeader(sourcePort: side.local.port, destinationPort: side.remote.port,
                              sequenceNumber: SequenceNumber(seq), acknowledgmentNumber: SequenceNumber(ack),
                              flags: flags, window: window, options: options),
            payload: payload)
        return sendPacket(at: time, from: side, payload: .tcp(segment), cause: cause)
    }

    /// `side` sends a UDP datagram of `bytes` octets from its local port to its remote one, as
    /// `sendto` does. Every packet gets the next IP identification, so no two are alike.
    @discardableResult
    mutating func sendDatagram(at time: Int64, from side: Side, bytes: Int) -> Packet {
        append(at: time, node: side.local.host, .socketCall(socket: side.local.name,
                                                            call: .sendTo(side.remote.name, bytes: bytes)))
        let packet = forgeDatagram(from: side, bytes: bytes)
        append(at: time, node: side.local.host, .packetSent(bytes: packet.bytes, cause: .original))
        return packet
    }

    /// A UDP datagram as `sendDatagram` makes it, but not recorded as sent: a packet nobody sent.
    mutating func forgeDatagram(from side: Side, bytes: Int) -> Packet {
        let datagram = UDPDatagram(sourcePort: side.local.port, destinationPort: side.remote.port,
                                   payload: Array(repeating: 0x75, count: bytes))
        return packet(from: side, payload: .udp(datagram))
    }

    private mutating func sendPacket(at time: Int64, from side: Side, payload: IPPayload, cause: SendCause) -> Packet {
        let packet = packet(from: side, payload: payload)
        append(at: time, node: side.local.host, .packetSent(bytes: packet.bytes, cause: cause))
        return packet
    }

    private mutating func packet(from side: Side, payload: IPPayload) -> Packet {
        let bytes = IPv4Packet(source: side.local.address, destination: side.remote.address,
                               identification: nextIdentification, payload: payload).emit()
        nextIdentification &+= 1
        return Packet(bytes: bytes, from: side.local.host, to: side.remote.host)
    }

    /// The destination's IP layer accepts `packet`.
    mutating func receive(at time: Int64, _ packet: Packet) {
        append(at: time, node: packet.to, .packetReceived(bytes: packet.bytes))
    }

    /// The link loses `packet`.
    mutating func drop(at time: Int64, _ packet: Packet) {
        append(at: time, node: "link", .packetDropped(bytes: packet.bytes, reason: .loss))
    }

    /// The link delivers a second copy of `packet`.
    mutating func duplicate(at time: Int64, _ packet: Packet) {
        append(at: time, node: "link", .packetDuplicated(bytes: packet.bytes))
    }

    // MARK: Connection state

    mutating func state(at time: Int64, _ side: Side, _ from: TCPState, _ to: TCPState, _ cause: StateChangeCause) {
        append(at: time, node: side.local.host,
               .stateChanged(connection: side.connection, from: from, to: to, cause: cause))
    }

    mutating func timer(at time: Int64, _ side: Side, _ timer: TCPTimer, _ step: TimerStep) {
        let action: TimerAction = switch step {
        case .set(let milliseconds): .set(at: Self.nanoseconds(time + milliseconds))
        case .fired: .fired
        case .cancelled: .cancelled
        }
        append(at: time, node: side.local.host, .timer(connection: side.connection, timer: timer, action: action))
    }

    mutating func congestion(
        at time: Int64, _ side: Side, cwnd: Int, ssthresh: Int = 1 << 30, _ reason: CongestionReason
    ) {
        append(at: time, node: side.local.host,
               .congestion(connection: side.connection, cwnd: cwnd, ssthresh: ssthresh, reason: reason))
    }

    // MARK: Applications

    /// A call on the connected socket of `side`.
    mutating func call(at time: Int64, _ side: Side, _ call: SocketCall) {
        append(at: time, node: side.local.host, .socketCall(socket: side.connection, call: call))
    }

    /// What the socket API told the application at `side`.
    mutating func event(at time: Int64, _ side: Side, _ notification: SocketNotification) {
        append(at: time, node: side.local.host, .socketEvent(socket: side.connection, event: notification))
    }

    /// `listen()` on `side`'s local address: the call, and the listener's CLOSED → LISTEN.
    mutating func listen(at time: Int64, _ side: Side) {
        append(at: time, node: side.local.host, .socketCall(socket: side.local.name, call: .listen(backlog: 128)))
        append(at: time, node: side.local.host, .stateChanged(connection: side.local.name, from: .closed, to: .listen,
                                                              cause: .passiveOpen))
    }

    /// `connect()` from `side`'s host, before its port is chosen.
    mutating func connect(at time: Int64, _ side: Side) {
        append(at: time, node: side.local.host,
               .socketCall(socket: side.local.host, call: .connect(to: side.remote.name)))
    }

    /// `accept()` on `side`'s listener returns the connection from its peer.
    mutating func accept(at time: Int64, _ side: Side) {
        append(at: time, node: side.local.host,
               .socketCall(socket: side.local.name, call: .accept(from: side.remote.name)))
    }

    /// `bind()` of a UDP socket at `side`'s local address.
    mutating func bindUDP(at time: Int64, _ side: Side) {
        append(at: time, node: side.local.host, .socketCall(socket: side.local.name, call: .bindUDP))
    }

    /// A datagram of `bytes` octets from `side`'s remote address, delivered to its UDP socket.
    mutating func datagramEvent(at time: Int64, _ side: Side, bytes: Int, intact: Bool = true) {
        append(at: time, node: side.local.host,
               .socketEvent(socket: side.local.name,
                            event: .datagram(bytes: bytes, from: side.remote.name, intact: intact)))
    }
}

// MARK: - Healthy exchanges, written once

/// The ladders most tests start from. One-way delay 10 ms; the client's ISS is 1000 and the
/// server's 5000, so the client's data starts at 1001 and the server's at 5001.
extension TraceBuilder {
    static let clientISS: UInt32 = 1000
    static let serverISS: UInt32 = 5000

    /// RFC 9293 Figure 6, from 0 to 30 ms: the server listens, the client connects, SYN, SYN,ACK,
    /// ACK; both ends are ESTABLISHED with an initial window, and both applications are told `open`.
    /// With `sackPermitted` both SYNs offer SACK (RFC 2018 §2).
    mutating func openConnection(serverISS: UInt32 = TraceBuilder.serverISS, serverWindow: UInt16 = 65535,
                                 sackPermitted: Bool = false) {
        let (client, server) = (Self.client, Self.server)
        let options: [TCPOption] = [.maximumSegmentSize(1460)] + (sackPermitted ? [.noOperation, .noOperation, .sackPermitted] : [])
        listen(at: 0, server)

        connect(at: 0, client)
        state(at: 0, client, .closed, .synSent, .activeOpen)
        let syn = send(at: 0, from: client, .syn, seq: 1000, options: options)
        timer(at: 0, client, .retransmission, .set(for: 1000))

        receive(at: 10, syn)
        state(at: 10, server, .listen, .synReceived, .receivedSYN)
        let synACK = send(at: 10, from: server, [.syn, .ack], seq: serverISS, ack: 1001, window: serverWindow,
                          options: options)
        timer(at: 10, server, .retransmission, .set(for: 1000))

        receive(at: 20, synACK)
        timer(at: 20, client, .retransmission, .cancelled)
        state(at: 20, client, .synSent, .established, .receivedSYNACK)
        congestion(at: 20, client, cwnd: 4380, .initialWindow)
        let ack = send(at: 20, from: client, .ack, seq: 1001, ack: serverISS + 1)
        event(at: 20, client, .open(remote: server.local.name))

        receive(at: 30, ack)
        timer(at: 30, server, .retransmission, .cancelled)
        state(at: 30, server, .synReceived, .established, .receivedACKOfSYN)
        congestion(at: 30, server, cwnd: 4380, .initialWindow)
        accept(at: 30, server)
        event(at: 30, server, .open(remote: client.local.name))
    }

    /// From `start` to `start + 20` ms: the client sends `bytes` octets at 1001, the server's
    /// application reads them and the server acknowledges them at once.
    mutating func clientSends(at start: Int64 = 40, bytes: Int = 100) {
        let (client, server) = (Self.client, Self.server)
        call(at: start, client, .send(bytes: bytes))
        let data = send(at: start, from: client, [.ack, .psh], seq: 1001, ack: 5001, data: bytes)
        timer(at: start, client, .retransmission, .set(for: 1000))

        receive(at: start + 10, data)
        event(at: start + 10, server, .message(bytes: bytes, intact: true))
        let ack = send(at: start + 10, from: server, .ack, seq: 5001, ack: 1001 + UInt32(bytes))

        receive(at: start + 20, ack)
        timer(at: start + 20, client, .retransmission, .cancelled)
    }

    /// RFC 9293 Figure 12's normal close, client first, from `start`: FIN, ACK and FIN, ACK; the
    /// client waits 2×MSL (2 s with an MSL of 1 s) in TIME-WAIT. `clientFIN` is the client's
    /// sequence number for its FIN (1001 plus what it sent). `timeWait` is what the client arms
    /// its TIME-WAIT timer for (the right value is 2×MSL); with `timeWaitEnds` false the trace
    /// stops with the client in TIME-WAIT, the timer running.
    mutating func clientCloses(
        at start: Int64 = 70, clientFIN: UInt32 = 1101, timeWait: Int64 = 2000, timeWaitEnds: Bool = true
    ) {
        let (client, server) = (Self.client, Self.server)
        call(at: start, client, .close)
        state(at: start, client, .established, .finWait1, .close)
        let fin = send(at: start, from: client, [.fin, .ack], seq: clientFIN, ack: 5001)
        timer(at: start, client, .retransmission, .set(for: 1000))

        receive(at: start + 10, fin)
        state(at: start + 10, server, .established, .closeWait, .receivedFIN)
        let ackOfFIN = send(at: start + 10, from: server, .ack, seq: 5001, ack: clientFIN + 1)
        event(at: start + 10, server, .end)
        call(at: start + 10, server, .close)
        state(at: start + 10, server, .closeWait, .lastAck, .close)
        let serverFIN = send(at: start + 10, from: server, [.fin, .ack], seq: 5001, ack: clientFIN + 1)
        timer(at: start + 10, server, .retransmission, .set(for: 1000))

        receive(at: start + 20, ackOfFIN)
        timer(at: start + 20, client, .retransmission, .cancelled)
        state(at: start + 20, client, .finWait1, .finWait2, .receivedACKOfFIN)
        receive(at: start + 20, serverFIN)
        state(at: start + 20, client, .finWait2, .timeWait, .receivedFIN)
        let lastACK = send(at: start + 20, from: client, .ack, seq: clientFIN + 1, ack: 5002)
        timer(at: start + 20, client, .timeWait, .set(for: timeWait))
        event(at: start + 20, client, .end)

        receive(at: start + 30, lastACK)
        timer(at: start + 30, server, .retransmission, .cancelled)
        state(at: start + 30, server, .lastAck, .closed, .receivedACKOfFIN)
        event(at: start + 30, server, .close)

        guard timeWaitEnds else { return }
        timer(at: start + 20 + timeWait, client, .timeWait, .fired)
        state(at: start + 20 + timeWait, client, .timeWait, .closed, .timeWaitTimeout)
        event(at: start + 20 + timeWait, client, .close)
    }

    /// A whole healthy connection: open, 100 bytes from the client, close.
    static func healthyConnection() -> Trace {
        var t = TraceBuilder()
        t.openConnection()
        t.clientSends()
        t.clientCloses()
        return t.trace
    }
}

// MARK: - Checking hand-made traces

extension InvariantContext {
    /// The context for hand-made traces: RTO at most 60 s, an MSL of 1 s (TIME-WAIT lasts 2 s),
    /// a run that ended with nothing left to do, and a rerun that gives `rerun` (the trace itself
    /// for a deterministic run), so every invariant of the catalogue applies.
    static func handMade(rerun: Trace? = nil) -> InvariantContext {
        var context = InvariantContext(maximumRTO: 60_000_000_000, msl: 1_000_000_000, quiesced: true)
        if let rerun { context.rerun = { rerun } }
        return context
    }
}

/// The invariants of the catalogue that `trace` breaks, in catalogue order, with their messages.
/// With no `context`, the hand-made one, whose rerun gives `trace` again.
func violations(in trace: Trace, context: InvariantContext? = nil) -> [(name: String, message: String)] {
    let analysis = TraceAnalysis(trace)
    let context = context ?? .handMade(rerun: trace)
    return Invariant.catalogue.compactMap { invariant in
        guard invariant.applies(to: analysis, in: context) else { return nil }
        return invariant.check(analysis, context).map { (invariant.name, $0) }
    }
}

/// Expects `trace` to break `name` and no other invariant, and returns what `name` said.
@discardableResult
func expectOnlyViolation(
    of name: String, in trace: Trace, context: InvariantContext? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) -> String {
    let found = violations(in: trace, context: context)
    #expect(found.map(\.name) == [name], "\(found)", sourceLocation: sourceLocation)
    return found.first { $0.name == name }?.message ?? ""
}

/// Expects every invariant of the catalogue to apply to `trace` and hold: the positive twin of a
/// negative test, and a check that the builder's ladders are healthy TCP.
func expectEveryInvariantHolds(
    in trace: Trace, context: InvariantContext? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
    let analysis = TraceAnalysis(trace)
    let context = context ?? .handMade(rerun: trace)
    let skipped = Invariant.catalogue.filter { !$0.applies(to: analysis, in: context) }.map(\.name)
    #expect(skipped.isEmpty, "skipped: \(skipped)", sourceLocation: sourceLocation)
    let found = violations(in: trace, context: context)
    #expect(found.isEmpty, "\(found)", sourceLocation: sourceLocation)
}
