/// Why a connection changed state: the RFC 9293 event of §3.10 that caused it.
///
/// Text forms follow the RFC's state diagram labels (`rcv SYN`, `CLOSE`, `timeout 2MSL`); only this
/// type turns a cause into text and back.
public indirect enum StateChangeCause: Hashable, Sendable, CustomStringConvertible {
    /// §3.10.1 passive OPEN.
    case passiveOpen
    /// §3.10.1 active OPEN.
    case activeOpen
    /// §3.10.2 SEND in LISTEN: the listener turns active.
    case send
    /// §3.10.7 a SYN arrived (LISTEN, or SYN-SENT in a simultaneous open).
    case receivedSYN
    /// §3.10.7.3 our SYN was acknowledged by the peer's SYN,ACK.
    case receivedSYNACK
    /// §3.10.7.4 the ACK of our SYN arrived in SYN-RECEIVED.
    case receivedACKOfSYN
    /// §3.10.7.4 eighth check: the peer's FIN arrived.
    case receivedFIN
    /// §3.10.7.4 the peer's FIN arrived acknowledging our FIN (FIN-WAIT-1 straight to TIME-WAIT).
    case receivedFINACK
    /// §3.10.7.4 the ACK of our FIN arrived.
    case receivedACKOfFIN
    /// §3.10.7.3, §3.10.7.4 an acceptable RST arrived.
    case receivedRST
    /// §3.10.4 CLOSE.
    case close
    /// §3.10.5 ABORT.
    case abort
    /// §3.10.8 the 2MSL TIME-WAIT timeout.
    case timeWaitTimeout
    /// §3.8.3, RFC 1122 §4.2.3.5: data retransmissions went unanswered.
    case retransmissionTimeout
    /// §3.8.1: SYN retransmissions went unanswered.
    case synTimeout
    /// §3.8.1: SYN,ACK retransmissions went unanswered.
    case synACKTimeout
    /// RFC 1122 §4.2.3.6: keepalive probes went unanswered.
    case keepaliveTimeout
    /// The state was read from a real kernel (`TCP_INFO`), which does not say why.
    case observed
    /// The `no-time-wait` ablation: `cause` would have led to TIME-WAIT but went to CLOSED.
    case skippingTimeWait(StateChangeCause)

    /// Every cause without an argument, for parsing and documentation.
    public static let simpleCases: [StateChangeCause] = [
        .passiveOpen, .activeOpen, .send, .receivedSYN, .receivedSYNACK, .receivedACKOfSYN, .receivedFIN,
        .receivedFINACK, .receivedACKOfFIN, .receivedRST, .close, .abort, .timeWaitTimeout, .retransmissionTimeout,
        .synTimeout, .synACKTimeout, .keepaliveTimeout, .observed,
    ]

    public var description: String {
        switch self {
        case .passiveOpen: "passive OPEN"
        case .activeOpen: "active OPEN"
        case .send: "SEND"
        case .receivedSYN: "rcv SYN"
        case .receivedSYNACK: "rcv SYN,ACK"
        case .receivedACKOfSYN: "rcv ACK of SYN"
        case .receivedFIN: "rcv FIN"
        case .receivedFINACK: "rcv FIN,ACK"
        case .receivedACKOfFIN: "rcv ACK of FIN"
        case .receivedRST: "rcv RST"
        case .close: "CLOSE"
        case .abort: "ABORT"
        case .timeWaitTimeout: "timeout 2MSL"
        case .retransmissionTimeout: "retransmission timeout"
        case .synTimeout: "SYN timeout"
        case .synACKTimeout: "SYN,ACK timeout"
        case .keepaliveTimeout: "keepalive timeout"
        case .observed: "observed"
        case .skippingTimeWait(let cause): "\(cause) (no TIME-WAIT)"
        }
    }

    /// The cause whose `description` is `text`, or nil.
    public init?(text: String) {
        let suffix = " (no TIME-WAIT)"
        if text.hasSuffix(suffix) {
            guard let inner = StateChangeCause(text: String(text.dropLast(suffix.count))) else { return nil }
            self = .skippingTimeWait(inner)
            return
        }
        guard let match = Self.simpleCases.first(where: { $0.description == text }) else { return nil }
        self = match
    }

    /// True when a segment's arrival caused the change (the `rcv …` causes).
    public var isArrival: Bool {
        switch self {
        case .receivedSYN, .receivedSYNACK, .receivedACKOfSYN, .receivedFIN, .receivedFINACK, .receivedACKOfFIN,
             .receivedRST:
            true
        case .passiveOpen, .activeOpen, .send, .close, .abort, .timeWaitTimeout, .retransmissionTimeout, .synTimeout,
             .synACKTimeout, .keepaliveTimeout, .observed:
            false
        case .skippingTimeWait(let cause): cause.isArrival
        }
    }

    /// Causes that may end a connection from any state (RFC 9293 §3.10.5 ABORT, §3.10.7 RST, the
    /// user and retransmission timeouts).
    public var isAbortive: Bool {
        switch self {
        case .receivedRST, .abort, .retransmissionTimeout, .synTimeout, .synACKTimeout, .keepaliveTimeout: true
        case .passiveOpen, .activeOpen, .send, .receivedSYN, .receivedSYNACK, .receivedACKOfSYN, .receivedFIN,
             .receivedFINACK, .receivedACKOfFIN, .close, .timeWaitTimeout, .observed, .skippingTimeWait:
            false
        }
    }
}
