import Tracing

extension Invariant {
    // MARK: - Timers

    static let rtoBackoff = Invariant(
        name: "rto-backoff",
        statement: "Each time the retransmission timer expires and a segment is resent, the new timeout is twice "
            + "the one that expired, up to the configured maximum.",
        reference: "RFC 6298 §5.5, §2.5; RFC 9293 §3.8.1",
        needs: [.timers, .receivedPackets]
    ) { analysis, context in
        var armed: [String: (setAt: Int64, deadline: Int64)] = [:]
        var expired: [String: (time: Int64, interval: Int64)] = [:]
        for entry in analysis.entries {
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
                armed[name] = (entry.time, deadline)
            case .timer(.retransmission, .fired):
                if let timer = armed[name] { expired[name] = (entry.time, timer.deadline - timer.setAt) }
                armed[name] = nil
            case .timer(.retransmission, .cancelled):
                armed[name] = nil
            case .received:
                expired[name] = nil
            case .sent, .state, .timer, .congestion:
                break
            }
        }
        return nil
    }
}
