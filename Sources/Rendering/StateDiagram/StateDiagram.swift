import Tracing

/// The RFC 9293 connection state diagram (§3.3.2, Figure 5): the eleven states and the
/// transitions between them, laid out once on a character grid that both the terminal and the
/// SVG renderer draw, with where each endpoint is and the transition it took last.
///
/// Deliberate simplifications: the abortive ways back to CLOSED (RST, ABORT, a timeout from any
/// state) and CLOSE in LISTEN or SYN-SENT are one line under the figure rather than arrows, as
/// many textbook figures do; CLOSED appears twice (where a connection starts, top, and where a
/// closed one ends, bottom).
public enum StateDiagram {
    /// One endpoint's place in the diagram: the state it is in, and how it got there.
    public struct Mark: Hashable, Sendable {
        /// `client:49152→server:80`, or `server:80` for a listener.
        public var endpoint: String
        public var state: TCPState
        /// The state it left on its last transition, nil before any.
        public var from: TCPState?
        public var cause: StateChangeCause?

        public init(endpoint: String, state: TCPState, from: TCPState?, cause: StateChangeCause?) {
            self.endpoint = endpoint
            self.state = state
            self.from = from
            self.cause = cause
        }
    }

    /// A state's box on the grid: row, first column and width (columns are characters).
    public struct Box: Hashable, Sendable {
        public var state: TCPState
        public var row: Int
        public var column: Int
        public var width: Int
    }

    /// A transition: the label fragments that name it (row, first column, width).
    public struct Transition: Hashable, Sendable {
        public var from: TCPState
        public var to: TCPState
        public var labels: [Span]
    }

    public struct Span: Hashable, Sendable {
        public var row: Int
        public var column: Int
        public var width: Int
    }

    /// The figure, one string per row, at most 80 columns.
    public static let grid: [String] = [
        "          ┌─── passive OPEN ─────[ CLOSED ]── active OPEN / snd SYN ┐",
        "          │                                                         │",
        "          ▼                                                         ▼",
        "     [ LISTEN ]───────────── SEND / snd SYN ──────────────────▶[ SYN-SENT ]",
        "          │ rcv SYN / snd SYN,ACK                                │     │",
        "          ▼                                                      │     │ rcv",
        "  [ SYN-RECEIVED ]◀───── rcv SYN (simultaneous open) ────────────┘     │ SYN,ACK",
        "      │      │                                                         │ / snd",
        "      │      └── rcv ACK of SYN ─▶[ ESTABLISHED ]◀─────────────────────┘ ACK",
        "      │ CLOSE / snd FIN              │        │",
        "      │     ┌───── CLOSE / snd FIN ──┘        └── rcv FIN / snd ACK ──┐",
        "      ▼     ▼                                                         ▼",
        "   [ FIN-WAIT-1 ]─ rcv FIN / snd ACK ─▶[ CLOSING ]             [ CLOSE-WAIT ]",
        "      │     └── rcv FIN,ACK / snd ACK ──┐     │ rcv ACK of FIN        │",
        "      │ rcv ACK of FIN                  │     │       CLOSE / snd FIN │",
        "      ▼                                 ▼     ▼                       ▼",
        "   [ FIN-WAIT-2 ]─ rcv FIN / snd ACK ▶[ TIME-WAIT ]             [ LAST-ACK ]",
        "                                            │ timeout 2MSL            │ rcv ACK",
        "                                            └───────▶[ CLOSED ]◀──────┘ of FIN",
    ]

    /// The line under the figure for the transitions it does not draw.
    public static let abortiveNote = "any state → CLOSED: rcv RST, ABORT, or a timeout; LISTEN or SYN-SENT → CLOSED: CLOSE"

    static let cells: [[Character]] = grid.map(Array.init)

    /// `text` on `row`: where it starts.
    static func span(_ row: Int, _ text: String, after: Int = 0) -> Span {
        let wanted = Array(text)
        let cells = Self.cells[row]
        var column = after
        while column + wanted.count <= cells.count, Array(cells[column..<column + wanted.count]) != wanted { column += 1 }
        precondition(column + wanted.count <= cells.count, "'\(text)' is not on row \(row) of the state diagram")
        return Span(row: row, column: column, width: wanted.count)
    }

    static func box(_ state: TCPState, row: Int) -> Box {
        let s = span(row, "[ \(state.rawValue) ]")
        return Box(state: state, row: row, column: s.column, width: s.width)
    }

    /// Every box; CLOSED twice, first at the top.
    public static let boxes: [Box] = [
        box(.closed, row: 0), box(.listen, row: 3), box(.synSent, row: 3), box(.synReceived, row: 6),
        box(.established, row: 8), box(.finWait1, row: 12), box(.closing, row: 12), box(.closeWait, row: 12),
        box(.finWait2, row: 16), box(.timeWait, row: 16), box(.lastAck, row: 16), box(.closed, row: 18),
    ]

    public static let transitions: [Transition] = [
        Transition(from: .closed, to: .listen, labels: [span(0, StateChangeCause.passiveOpen.description)]),
        Transition(from: .closed, to: .synSent, labels: [span(0, "active OPEN / snd SYN")]),
        Transition(from: .listen, to: .synSent, labels: [span(3, "SEND / snd SYN")]),
        Transition(from: .listen, to: .synReceived, labels: [span(4, "rcv SYN / snd SYN,ACK")]),
        Transition(from: .synSent, to: .synReceived, labels: [span(6, "rcv SYN (simultaneous open)")]),
        Transition(from: .synSent, to: .established,
                   labels: [span(5, "rcv", after: 60), span(6, "SYN,ACK", after: 60), span(7, "/ snd"), span(8, "ACK", after: 60)]),
        Transition(from: .synReceived, to: .established, labels: [span(8, StateChangeCause.receivedACKOfSYN.description)]),
        Transition(from: .synReceived, to: .finWait1, labels: [span(9, "CLOSE / snd FIN")]),
        Transition(from: .established, to: .finWait1, labels: [span(10, "CLOSE / snd FIN")]),
        Transition(from: .established, to: .closeWait, labels: [span(10, "rcv FIN / snd ACK")]),
        Transition(from: .finWait1, to: .closing, labels: [span(12, "rcv FIN / snd ACK")]),
        Transition(from: .finWait1, to: .finWait2, labels: [span(14, StateChangeCause.receivedACKOfFIN.description)]),
        Transition(from: .finWait1, to: .timeWait, labels: [span(13, "rcv FIN,ACK / snd ACK")]),
        Transition(from: .closing, to: .timeWait, labels: [span(13, StateChangeCause.receivedACKOfFIN.description)]),
        Transition(from: .closeWait, to: .lastAck, labels: [span(14, "CLOSE / snd FIN")]),
        Transition(from: .finWait2, to: .timeWait, labels: [span(16, "rcv FIN / snd ACK")]),
        Transition(from: .timeWait, to: .closed, labels: [span(17, StateChangeCause.timeWaitTimeout.description)]),
        Transition(from: .lastAck, to: .closed, labels: [span(17, "rcv ACK"), span(18, "of FIN")]),
    ]

    /// The box that shows `mark`: CLOSED at the top before a connection opens, at the bottom after.
    public static func box(of mark: Mark) -> Box {
        if mark.state == .closed { return mark.from == nil ? boxes[0] : boxes[boxes.count - 1] }
        return boxes.first { $0.state == mark.state }!
    }

    /// The transition `mark` took last, if the figure draws it.
    public static func transition(of mark: Mark) -> Transition? {
        guard let from = mark.from else { return nil }
        if case .skippingTimeWait? = mark.cause { return nil }
        return transitions.first { $0.from == from && $0.to == mark.state }
    }

    /// Whether `mark`'s last transition is one of those the figure only names below it.
    public static func tookUndrawnTransition(_ mark: Mark) -> Bool {
        mark.from != nil && transition(of: mark) == nil
    }

    /// Every connection's mark right after event `index` (all events when nil), for the
    /// connections named (every connection in the trace's state events when nil), in that order.
    public static func marks(_ events: [TraceEvent], upTo index: Int? = nil, connections: [String]? = nil) -> [Mark] {
        var order: [String] = []
        var marks: [String: Mark] = [:]
        for event in events.prefix(index.map { $0 + 1 } ?? events.count) {
            guard case let .stateChanged(connection, from, to, cause) = event.kind else { continue }
            if marks[connection] == nil { order.append(connection) }
            marks[connection] = Mark(endpoint: endpointName(connection), state: to, from: from, cause: cause)
        }
        return (connections ?? order).map { name in
            marks[name] ?? Mark(endpoint: endpointName(name), state: .closed, from: nil, cause: nil)
        }
    }

    /// `client:49152→server:80` for a connection, `server:80` for a listener.
    static func endpointName(_ connection: String) -> String {
        String(connection.map { $0 == ">" ? "→" : $0 })
    }
}
