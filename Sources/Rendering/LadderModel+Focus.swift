import Tracing

extension LadderModel {
    /// The packet a moment of the trace is about, for marking it on a ladder: the packet of a
    /// packet event itself; else, at the same instant on the event's host, the packet whose
    /// arrival came just before (what caused a state change: the FIN behind CLOSE-WAIT), or else
    /// the packet the host sends right after (what a call or a timer caused: the FIN after
    /// `close()`). Nil when the host neither received nor sent a packet at that instant.
    public func flight(relatedTo index: Int) -> Int? {
        guard index >= 0, index < trace.events.count else { return nil }
        if let row = rowOfEvent[index] {
            switch rows[row].content {
            case .send(let f), .arrival(let f, _), .hostDrop(let f): return f
            case .state, .timerFired: break
            }
        }
        let event = trace.events[index]
        let address = trace.header.hosts.first { $0.name == event.node }?.address
        let own = Set(lifelines.indices.filter { lifelines[$0].address == address || lifelines[$0].name == event.node })
        guard !own.isEmpty else { return nil }
        let next = (row(atOrBefore: index) ?? -1) + 1   // the first row showing a later event
        var r = next - 1
        while r >= 0, rows[r].time == event.time {
            switch rows[r].content {
            case .arrival(let f, false), .hostDrop(let f): if own.contains(flights[f].to) { return f }
            case .send, .arrival, .state, .timerFired: break
            }
            r -= 1
        }
        r = next
        while r < rows.count, rows[r].time == event.time {
            if case .send(let f) = rows[r].content, own.contains(flights[f].from) { return f }
            r += 1
        }
        return nil
    }

    /// The last row showing trace event `index` or an earlier one, or nil before the first row.
    public func row(atOrBefore index: Int) -> Int? {
        var lo = 0, hi = rows.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if rows[mid].eventIndex <= index { lo = mid + 1 } else { hi = mid }
        }
        return lo > 0 ? lo - 1 : nil
    }
}
