import Tracing
import Wire

extension Invariant {
    // MARK: - States

    /// An edge of the RFC 9293 state diagram.
    struct Edge: Hashable {
        var from: TCPState
        var to: TCPState
    }

    /// RFC 9293 Figure 5 (§3.3.2) and the text of §3.10 that the figure leaves out.
    static let edges: Set<Edge> = [
        Edge(from: .closed, to: .listen), Edge(from: .closed, to: .synSent), Edge(from: .listen, to: .synReceived),
        Edge(from: .listen, to: .synSent), Edge(from: .listen, to: .closed), Edge(from: .synSent, to: .synReceived),
        Edge(from: .synSent, to: .established), Edge(from: .synSent, to: .closed),
        Edge(from: .synReceived, to: .established), Edge(from: .synReceived, to: .finWait1),
        Edge(from: .synReceived, to: .listen), Edge(from: .established, to: .finWait1),
        Edge(from: .established, to: .closeWait), Edge(from: .finWait1, to: .finWait2),
        Edge(from: .finWait1, to: .closing), Edge(from: .finWait1, to: .timeWait), Edge(from: .finWait2, to: .timeWait),
        Edge(from: .closeWait, to: .lastAck), Edge(from: .closing, to: .timeWait), Edge(from: .lastAck, to: .closed),
        Edge(from: .timeWait, to: .closed),
    ]

    static let stateMachine = Invariant(
        name: "state-machine",
        statement: "Every state change follows an edge of the RFC 9293 state diagram (or is an exit to CLOSED "
            + "on RST, ABORT or timeout), and starts from the state the connection was in.",
        reference: "RFC 9293 §3.3.2 Figure 5, §3.10",
        needs: [.states]
    ) { analysis, _ in
        var current: [String: TCPState] = [:]
        for entry in analysis.entries {
            guard case .state(let from, let to, let cause) = entry.item else { continue }
            if let previous = current[entry.connection], previous != from {
                return "\(timeText(entry.time)) \(entry.connection) changed \(from) -> \(to) but was in \(previous)"
            }
            // RFC 9293 §3.3.2: before its first change a connection has no TCB, which is CLOSED; a
            // TCB is made by an OPEN (from CLOSED) or by a SYN at a listener (from LISTEN, §3.10.7.2).
            if current[entry.connection] == nil, from != .closed, from != .listen {
                return "\(timeText(entry.time)) \(entry.connection) changed \(from) -> \(to) but had no connection "
                    + "yet (CLOSED)"
            }
            current[entry.connection] = to
            let allowed = edges.contains(Edge(from: from, to: to)) || (to == .closed && cause.isAbortive)
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
        reference: "RFC 9293 §3.5 Figures 6 and 7",
        needs: [.states, .sentPackets, .receivedPackets]
    ) { analysis, _ in
        var iss: [String: SequenceNumber] = [:]
        var receivedSYN: Set<String> = []
        var synAcknowledged: Set<String> = []
        for entry in analysis.entries {
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
                switch to {
                case .established:
                    if iss[name] == nil { return "\(timeText(entry.time)) \(name) ESTABLISHED without sending a SYN" }
                    if !receivedSYN.contains(name) { return "\(timeText(entry.time)) \(name) ESTABLISHED without the peer's SYN" }
                    if !synAcknowledged.contains(name) {
                        return "\(timeText(entry.time)) \(name) ESTABLISHED before its SYN was acknowledged"
                    }
                case .closed, .listen:
                    iss[name] = nil
                    receivedSYN.remove(name)
                    synAcknowledged.remove(name)
                case .synSent, .synReceived, .finWait1, .finWait2, .closeWait, .closing, .lastAck, .timeWait:
                    break
                }
            case .timer, .congestion:
                break
            }
        }
        return nil
    }

    static let timeWait = Invariant(
        name: "time-wait",
        statement: "Only the active closer (the side that sent FIN first, via FIN-WAIT-1) enters TIME-WAIT, it "
            + "always does when its close completes, and it stays exactly 2×MSL after the last (re)start "
            + "unless an ABORT or a RST ends it.",
        reference: "RFC 9293 §3.3.2, §3.6, §3.10.4, §3.10.7.4 (eighth check), §3.10.8",
        needs: [.states, .timers]
    ) { analysis, context in
        let twoMSL = context.msl * 2
        var history: [String: Set<TCPState>] = [:]
        var timer: [String: (setAt: Int64, deadline: Int64)] = [:]
        for entry in analysis.entries {
            let name = entry.connection
            switch entry.item {
            case .state(let from, let to, let cause):
                if to == .timeWait {
                    let past = history[name, default: []]
                    if !past.contains(.finWait1) || past.contains(.closeWait) {
                        return "\(timeText(entry.time)) \(name) entered TIME-WAIT but was not the active closer"
                    }
                }
                let activeCloser: Set<TCPState> = [.finWait1, .finWait2, .closing]
                if to == .closed, activeCloser.contains(from), !cause.isAbortive {
                    return "\(timeText(entry.time)) \(name) went \(from) -> CLOSED (\(cause)): the active closer skipped TIME-WAIT"
                }
                // RFC 9293 §3.10.8: only the 2MSL timeout ends TIME-WAIT in the ordinary way; a CLOSE
                // there is "error: connection closing" (§3.10.4). ABORT (§3.10.5) and an acceptable
                // RST (§3.10.7.4) may end it early: those are abortive causes.
                if from == .timeWait, to == .closed, cause != .timeWaitTimeout, !cause.isAbortive {
                    return "\(timeText(entry.time)) \(name) left TIME-WAIT on \(cause), before its 2×MSL timeout"
                }
                if from == .timeWait, to == .closed, cause == .timeWaitTimeout {
                    guard let set = timer[name] else { return "\(timeText(entry.time)) \(name) left TIME-WAIT without its timer" }
                    if set.deadline != entry.time || set.deadline - set.setAt != twoMSL {
                        return "\(timeText(entry.time)) \(name) left TIME-WAIT \(timeText(entry.time - set.setAt)) after "
                            + "(re)starting it; 2×MSL is \(timeText(twoMSL))"
                    }
                }
                history[name, default: []].insert(to)
                if to == .closed || to == .listen { history[name] = nil }
            case .timer(.timeWait, .set(let deadline)):
                timer[name] = (entry.time, deadline)
            case .sent, .received, .timer, .congestion:
                break
            }
        }
        return nil
    }

    static let rstCloses = Invariant(
        name: "rst-closes",
        statement: "A RST the connection accepts closes it at once (to CLOSED, or back to LISTEN from a passive "
            + "SYN-RECEIVED), and a closed connection sends nothing more.",
        reference: "RFC 9293 §3.10.7.3, §3.10.7.4 (second check); RFC 5961 §3",
        needs: [.states, .sentPackets]
    ) { analysis, _ in
        var closed: Set<String> = []
        for entry in analysis.entries {
            let name = entry.connection
            switch entry.item {
            case .state(let from, let to, let cause):
                if cause == .receivedRST {
                    let ok = to == .closed || (from == .synReceived && to == .listen)
                    if !ok { return "\(timeText(entry.time)) \(name) accepted a RST but went \(from) -> \(to)" }
                }
                if to == .closed { closed.insert(name) } else { closed.remove(name) }
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
}
