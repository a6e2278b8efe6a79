import Tracing

extension Invariant {
    // MARK: - Timers

    static let rtoBackoff = Invariant(
        name: "rto-backoff",
        statement: "Each time the retransmission timer expires and a segment is resent, the timer is re-armed at "
            + "once, for twice the timeout that expired, up to the configured maximum.",
        reference: "RFC 6298 §5.5, §5.6, §2.5; RFC 9293 §3.8.1",
        needs: [.timers, .receivedPackets]
    ) { analysis, context in
        var armed: [String: (setAt: Int64, deadline: Int64)] = [:]
        var expired: [String: (time: Int64, interval: Int64)] = [:]
        // Connections that resent on an expiry and have not re-armed yet, in the order they resent.
        var owed: [(connection: String, time: Int64)] = []
        func unarmed(_ resend: (connection: String, time: Int64)) -> String {
            "\(timeText(resend.time)) \(resend.connection) resent on its RTO's expiry but did not re-arm the timer"
        }
        for entry in analysis.entries {
            if let first = owed.first, entry.time != first.time { return unarmed(first) }
            let name = entry.connection
            switch entry.item {
            case .timer(.retransmission, .set(let deadline)):
                if let fired = expired[name], fired.time == entry.time {
                    let expected = min(fired.interval * 2, context.maximumRTO)
                    let interval = deadline - entry.time
                    if interval != expected {
                        return "\(timeText(entry.time)) \(name) re-armed its RTO for \(interval / 1_000_000) ms after "
                            + "one of \(fired.interval / 1_000_000) ms expired (expected \(expected / 1_000_000) ms)"
                    }
                }
                expired[name] = nil
                owed.removeAll { $0.connection == name }
                armed[name] = (entry.time, deadline)
            case .timer(.retransmission, .fired):
                if let timer = armed[name] { expired[name] = (entry.time, timer.deadline - timer.setAt) }
                armed[name] = nil
            case .timer(.retransmission, .cancelled):
                armed[name] = nil
            case .received:
                expired[name] = nil
            case .sent(_, let cause):
                // RFC 6298 §5.6: after the retransmission of §5.4 and the backoff of §5.5, "start the
                // retransmission timer" (in the same instant: the timer's expiry is one event).
                if cause == .retransmission(.timeout), let fired = expired[name], fired.time == entry.time,
                   !owed.contains(where: { $0.connection == name }) {
                    owed.append((name, entry.time))
                }
            case .state, .timer, .congestion:
                break
            }
        }
        if let first = owed.first { return unarmed(first) }
        return nil
    }
}
