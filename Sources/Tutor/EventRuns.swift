/// Shortens a listing where the same kind of event repeats: a bulk transfer's dozens of
/// `send … 1460 bytes seq=… ack=1` lines become the first two, a count, and the last one. Events
/// look alike when their lines are equal once digits are ignored.
enum EventRuns {
    enum Entry {
        case event(Int, (tag: String, text: String))
        case skipped(Int)
    }

    /// Runs shorter than this are listed whole.
    static let shortest = 5

    static func shorten(_ events: [(index: Int, line: (tag: String, text: String))], keeping current: Int) -> [Entry] {
        var entries: [Entry] = []
        var start = 0
        while start < events.count {
            var end = start + 1
            let shape = Self.shape(events[start].line)
            while end < events.count, Self.shape(events[end].line) == shape, events[end].index != current,
                  events[start].index != current {
                end += 1
            }
            let run = events[start..<end]
            if run.count >= shortest {
                entries += run.prefix(2).map { .event($0.index, $0.line) }
                entries.append(.skipped(run.count - 3))
                entries.append(.event(run.last!.index, run.last!.line))
            } else {
                entries += run.map { .event($0.index, $0.line) }
            }
            start = end
        }
        return entries
    }

    static func shape(_ line: (tag: String, text: String)) -> String {
        line.tag + " " + String(line.text.filter { !$0.isNumber })
    }
}
