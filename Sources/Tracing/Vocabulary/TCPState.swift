/// The eleven connection states of RFC 9293 §3.3.2; they print with their RFC names (`SYN-SENT`).
///
/// The trace's state events carry these, so every consumer (invariants, diagrams, the stepper)
/// switches over the enum; only this type turns a state into text and back.
public enum TCPState: String, CaseIterable, Sendable, Hashable, CustomStringConvertible {
    case closed = "CLOSED"
    case listen = "LISTEN"
    case synSent = "SYN-SENT"
    case synReceived = "SYN-RECEIVED"
    case established = "ESTABLISHED"
    case finWait1 = "FIN-WAIT-1"
    case finWait2 = "FIN-WAIT-2"
    case closeWait = "CLOSE-WAIT"
    case closing = "CLOSING"
    case lastAck = "LAST-ACK"
    case timeWait = "TIME-WAIT"

    /// The RFC name, e.g. `SYN-SENT`.
    public var description: String { rawValue }

    /// The state named `text` (RFC spelling; case and `_` for `-` are forgiven), or nil.
    public init?(name text: String) {
        self.init(rawValue: String(text.uppercased().map { $0 == "_" ? "-" : $0 }))
    }

    /// True once the three-way handshake has completed (RFC 9293 "synchronized states").
    public var isSynchronized: Bool {
        switch self {
        case .closed, .listen, .synSent, .synReceived: false
        case .established, .finWait1, .finWait2, .closeWait, .closing, .lastAck, .timeWait: true
        }
    }

    /// True for the states in which the connection has sent or is about to send its FIN.
    public var isClosing: Bool {
        switch self {
        case .finWait1, .finWait2, .closing, .lastAck, .timeWait: true
        case .closed, .listen, .synSent, .synReceived, .established, .closeWait: false
        }
    }
}
