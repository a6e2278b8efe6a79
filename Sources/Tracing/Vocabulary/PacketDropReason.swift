import Wire

/// Why a packet was dropped: by a link or router on the way, or by the receiving IP or TCP layer.
///
/// Only this type turns a reason into text and back; consumers switch over it.
public enum PacketDropReason: Hashable, Sendable, CustomStringConvertible {
    // MARK: On the way (links and routers)

    /// Independent random loss on a link.
    case loss
    /// Loss in a Gilbert–Elliott burst.
    case burstLoss
    /// The link's transmit queue was full (drop-tail).
    case queueFull
    /// The packet was larger than the link's MTU (no fragmentation).
    case exceedsMTU
    /// A scheduled partition was in force.
    case partitioned
    /// The cable was unplugged.
    case linkDown
    /// A router would have decremented the TTL to zero (RFC 791 §3.2).
    case ttlExpired
    /// A router had no route for the destination.
    case noRoute
    /// The scenario asked for this packet to be dropped (`link drop N`).
    case scripted

    // MARK: At the receiving IP layer

    /// A checksum did not verify (RFC 1122 §3.2.1.2, §4.1.3.4, §4.2.2.7); `field` names which.
    case badChecksum(field: String)
    /// The bytes are not a well-formed packet; `detail` says why.
    case malformed(detail: String)
    /// The destination address is not the receiving host's.
    case notAddressed(to: IPv4Address)
    /// The listener's queue of connections not yet accepted was full; like Linux, the SYN is dropped.
    case listenBacklogFull

    // MARK: In the receiving TCP (RFC 9293 §3.10.7)

    /// §3.10.7.1: the connection no longer exists.
    case connectionClosed
    /// §3.10.7.2 first check: a RST to a listener is ignored.
    case rstInListen
    /// §3.10.7.2 second check: an ACK to a listener is answered with a RST.
    case ackInListen
    /// §3.10.7.2 fourth: neither SYN, RST nor ACK.
    case noSYNInListen
    /// §3.10.7.3 first check.
    case unacceptableACKInSynSent
    /// §3.10.7.3 second check: a RST without an ACK is ignored.
    case rstWithoutACKInSynSent
    /// §3.10.7.3 fifth: neither SYN nor RST.
    case noSYNInSynSent
    /// §3.10.7.4 second check, RFC 5961 §3.2: a RST in the window but not at RCV.NXT.
    case rstNotAtNextSequence
    /// §3.10.7.4 fourth check, RFC 5961 §4: a SYN in a synchronized state.
    case synInSynchronizedState
    /// §3.10.7.4 fifth check: no ACK bit.
    case noACK
    /// §3.10.7.4 second check: a RST outside the window.
    case rstOutOfWindow
    /// A SYN repeated in SYN-RECEIVED (our SYN,ACK is sent again).
    case duplicateSYN
    /// §3.10.7.4 first check: no part of the segment is in the receive window.
    case outOfWindow
    /// §3.10.7.4 fifth check in SYN-RECEIVED: an ACK outside SND.UNA < SEG.ACK ≤ SND.NXT.
    case unacceptableACKInSynReceived
    /// §3.10.7.4 fifth check: an ACK of something not yet sent.
    case ackOfUnsentData
    /// In the window, but the receive buffer's memory is spent (Linux `tcp_try_rmem_schedule`,
    /// counted as `TCPRcvQDrop`): the data is dropped and a zero window advertised.
    case receiveBufferFull

    /// True for drops on the way, false for packets the receiver got and discarded.
    public var isInTransit: Bool {
        switch self {
        case .loss, .burstLoss, .queueFull, .exceedsMTU, .partitioned, .linkDown, .ttlExpired, .noRoute, .scripted:
            true
        case .badChecksum, .malformed, .notAddressed, .listenBacklogFull, .connectionClosed, .rstInListen, .ackInListen,
             .noSYNInListen, .unacceptableACKInSynSent, .rstWithoutACKInSynSent, .noSYNInSynSent, .rstNotAtNextSequence,
             .synInSynchronizedState, .noACK, .rstOutOfWindow, .duplicateSYN, .outOfWindow,
             .unacceptableACKInSynReceived, .ackOfUnsentData, .receiveBufferFull:
            false
        }
    }

    /// Every reason without an argument, for parsing and documentation.
    public static let simpleCases: [PacketDropReason] = [
        .loss, .burstLoss, .queueFull, .exceedsMTU, .partitioned, .linkDown, .ttlExpired, .noRoute, .scripted,
        .listenBacklogFull, .connectionClosed, .rstInListen, .ackInListen, .noSYNInListen, .unacceptableACKInSynSent,
        .rstWithoutACKInSynSent, .noSYNInSynSent, .rstNotAtNextSequence, .synInSynchronizedState, .noACK,
        .rstOutOfWindow, .duplicateSYN, .outOfWindow, .unacceptableACKInSynReceived, .ackOfUnsentData,
        .receiveBufferFull,
    ]

    public var description: String {
        switch self {
        case .loss: "loss"
        case .burstLoss: "burst loss"
        case .queueFull: "queue full"
        case .exceedsMTU: "exceeds MTU"
        case .partitioned: "partitioned"
        case .linkDown: "link down"
        case .ttlExpired: "TTL expired"
        case .noRoute: "no route"
        case .scripted: "scripted"
        case .badChecksum(let field): "bad checksum (\(field))"
        case .malformed(let detail): "malformed: \(detail)"
        case .notAddressed(let address): "not addressed to \(address)"
        case .listenBacklogFull: "listen backlog full"
        case .connectionClosed: "connection closed"
        case .rstInListen: "RST in LISTEN"
        case .ackInListen: "ACK in LISTEN"
        case .noSYNInListen: "no SYN in LISTEN"
        case .unacceptableACKInSynSent: "unacceptable ACK in SYN-SENT"
        case .rstWithoutACKInSynSent: "RST without ACK in SYN-SENT"
        case .noSYNInSynSent: "no SYN in SYN-SENT"
        case .rstNotAtNextSequence: "RST not at RCV.NXT: challenge ACK"
        case .synInSynchronizedState: "SYN in synchronized state: challenge ACK"
        case .noACK: "no ACK"
        case .rstOutOfWindow: "RST out of window"
        case .duplicateSYN: "duplicate SYN"
        case .outOfWindow: "out of window"
        case .unacceptableACKInSynReceived: "unacceptable ACK in SYN-RECEIVED"
        case .ackOfUnsentData: "ACK of unsent data"
        case .receiveBufferFull: "receive buffer full"
        }
    }

    /// The reason whose `description` is `text`, or nil.
    public init?(text: String) {
        if let match = Self.simpleCases.first(where: { $0.description == text }) {
            self = match
        } else if text.hasPrefix("bad checksum ("), text.hasSuffix(")") {
            self = .badChecksum(field: String(text.dropFirst("bad checksum (".count).dropLast()))
        } else if text.hasPrefix("malformed: ") {
            self = .malformed(detail: String(text.dropFirst("malformed: ".count)))
        } else if text.hasPrefix("not addressed to "), let address = IPv4Address(String(text.dropFirst(17))) {
            self = .notAddressed(to: address)
        } else {
            return nil
        }
    }
}
