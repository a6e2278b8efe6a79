import Tracing

/// A replay as two columns for the terminal: the simulated segments on the left, the kernel's on
/// the right, one row per thing the comparison put side by side, connection by connection.
///
///     client>server:80
///       simulated client:49152>server:80        kernel client:52583>server:80
///       → FIN 1 ack 1               → FIN 1 ack 1
///       ← ACK 1 ack 2                 ·                         fin-ack-piggyback
///       ← FIN 1 ack 2               ← FIN 1 ack 2
///
/// `→` goes from the connection's first end to its second (the connecting end first). Sequence
/// numbers are relative to each side's ISN: `1:1461` is octets 1 to 1460. Each equivalence is named
/// in the right margin where it applies (`timestamps-and-options` on each direction's first row
/// only); the first difference is marked `✗` and the rows after it, not compared, are dimmed. Runs
/// of pure ACKs set aside by the same equivalence are drawn as one row. Fits 80 columns.
///
/// Without packets (no capture), each socket's calls and events are shown side by side instead.
public struct ReplayLadderRenderer: Sendable {
    public let comparison: ReplayComparison
    /// Column titles, e.g. `simulated (textbook)` and `kernel (Linux)`.
    public let simulatedTitle: String
    public let kernelTitle: String
    public let options: DiagramOptions

    /// Columns: marker, simulated, kernel, margin.
    private let markerWidth = 2
    private let columnWidth = 27
    private let gap = 2

    public init(comparison: ReplayComparison, simulatedTitle: String = "simulated", kernelTitle: String = "kernel",
                options: DiagramOptions = DiagramOptions()) {
        self.comparison = comparison
        self.simulatedTitle = simulatedTitle
        self.kernelTitle = kernelTitle
        self.options = options
    }

    /// A line to draw on, cutting text with `~` in ASCII.
    private func canvas() -> TextCanvas {
        var canvas = TextCanvas(width: width)
        if options.ascii { canvas.ellipsis = "~" }
        return canvas
    }

    private var kernelColumn: Int { markerWidth + columnWidth + gap }
    private var marginColumn: Int { kernelColumn + columnWidth + gap }
    private var width: Int { max(options.width, marginColumn + 22) }

    public func render() -> String {
        lines().map { $0 + "\n" }.joined()
    }

    public func lines() -> [String] {
        var lines = [titleLine()]
        if comparison.packetsCompared {
            for connection in comparison.connections { lines += connectionLines(connection) }
        } else {
            lines += socketLines()
        }
        return lines
    }

    private func titleLine() -> String {
        var canvas = canvas()
        canvas.write(simulatedTitle, at: markerWidth, limit: kernelColumn - 1, .label)
        canvas.write(kernelTitle, at: kernelColumn, limit: marginColumn - 1, .label)
        return canvas.text(colors: options.colors)
    }

    // MARK: - Packets

    private func connectionLines(_ connection: ConnectionComparison) -> [String] {
        var header = canvas()
        header.write(connection.key.description, at: 0, .label)
        var names = canvas()
        names.write(connection.simulatedName ?? "(none)", at: markerWidth, limit: kernelColumn - 1, .dim)
        names.write(connection.kernelName ?? "(none)", at: kernelColumn, limit: marginColumn - 1, .dim)
        var lines = ["", header.text(colors: options.colors), names.text(colors: options.colors)]
        var notedUnaligned = false
        for row in collapsed(connection.rows) {
            var canvas = canvas()
            let arrow = row.direction == .forward ? (options.ascii ? "->" : "→") : (options.ascii ? "<-" : "←")
            let style: TextCanvas.Style = row.status == .unaligned ? .dim : .plain
            canvas.write(cell(row.simulated, in: connection.simulated, arrow: arrow), at: markerWidth,
                         limit: kernelColumn - 1, style)
            canvas.write(cell(row.kernel, in: connection.kernel, arrow: arrow), at: kernelColumn,
                         limit: marginColumn - 1, style)
            var margin = row.equivalences.map(\.name).joined(separator: ", ")
            var marginStyle = TextCanvas.Style.marker
            switch row.status {
            case .different:
                canvas.write(options.ascii ? "X" : "✗", at: 0, .lost)
                margin = isFirstDifference(row, of: connection) ? "first difference" : "differs"
                marginStyle = .lost
            case .unaligned where !notedUnaligned:
                margin = "(not compared)"
                marginStyle = .dim
                notedUnaligned = true
            case .same, .equivalent, .unaligned:
                break
            }
            canvas.write(margin, at: marginColumn, limit: width, marginStyle)
            lines.append(canvas.text(colors: options.colors))
        }
        let findings = [("simulated", connection.simulatedTimeWait), ("kernel", connection.kernelTimeWait)]
        if findings.contains(where: { $0.1?.applies ?? false }) {
            for (name, finding) in findings {
                guard let finding else { continue }
                var canvas = canvas()
                canvas.write("\(TCPState.timeWait) \(name): " + finding.text, at: markerWidth, limit: width,
                             finding.passes ? .dim : .lost)
                lines.append(canvas.text(colors: options.colors))
            }
        }
        return lines
    }

    private func isFirstDifference(_ row: ReplayRow, of connection: ConnectionComparison) -> Bool {
        guard let first = comparison.firstDifference, first.connection == connection.key else { return false }
        return (first.simulated.map { row.simulated.contains($0.position) } ?? false)
            || (first.kernel.map { row.kernel.contains($0.position) } ?? false)
    }

    /// Consecutive rows of one direction that set aside pure ACKs of one side under the same
    /// equivalence, drawn as one.
    private func collapsed(_ rows: [ReplayRow]) -> [ReplayRow] {
        var result: [ReplayRow] = []
        for row in rows {
            if let last = result.last, case .equivalent = row.status, last.status == row.status,
               last.direction == row.direction, last.simulated.isEmpty == row.simulated.isEmpty,
               last.kernel.isEmpty == row.kernel.isEmpty, last.simulated.isEmpty || last.kernel.isEmpty,
               row.equivalences == last.equivalences {
                result[result.count - 1].simulated += row.simulated
                result[result.count - 1].kernel += row.kernel
            } else {
                result.append(row)
            }
        }
        return result
    }

    /// What one side of a row shows: a segment's label, a summary of several, or a dot for none.
    private func cell(_ positions: [Int], in segments: [ReplaySegment], arrow: String) -> String {
        let group = positions.map { segments[$0] }
        let (dot, ellipsis, times) = options.ascii ? (".", "...", "x") : ("·", "…", "×")
        guard let first = group.first, let last = group.last else { return "  " + dot }
        if group.count == 1 { return "\(arrow) \(first.label)" }
        let joined = group.map(\.label).joined(separator: " + ")
        if group.count == 2 && joined.count <= columnWidth - 2 { return "\(arrow) \(joined)" }
        if group.allSatisfy(\.isPureACK) {
            return "\(arrow) ACK ack \(first.acknowledgment ?? 0)\(ellipsis)\(last.acknowledgment ?? 0) \(times)\(group.count)"
        }
        let stream = group.filter(\.carriesStream)
        if let start = stream.first, let end = stream.last {
            let payloadEnd = end.sequence &+ UInt32(end.length)
            let acknowledgment = group.compactMap(\.acknowledgment).max().map { " ack \($0)" } ?? ""
            let fin = stream.contains(where: \.isFIN) ? "FIN " : ""
            return "\(arrow) \(fin)\(start.sequence):\(payloadEnd)\(acknowledgment) \(times)\(group.count)"
        }
        return "\(arrow) \(first.label) +\(group.count - 1)"
    }

    // MARK: - Sockets

    private func socketLines() -> [String] {
        var lines: [String] = []
        var ends: [(ReplayConnectionKey, ReplayEndpoint)] = []
        for history in comparison.simulatedStreams + comparison.kernelStreams
        where !ends.contains(where: { $0.0 == history.connection && $0.1 == history.end }) {
            ends.append((history.connection, history.end))
        }
        for (key, end) in ends {
            let s = comparison.simulatedStreams.first { $0.connection == key && $0.end == end }
            let k = comparison.kernelStreams.first { $0.connection == key && $0.end == end }
            var header = canvas()
            header.write("\(end) of \(key)", at: 0, .label)
            lines += ["", header.text(colors: options.colors)]
            let left = s.map(Self.story) ?? ["(no socket)"], right = k.map(Self.story) ?? ["(no socket)"]
            let differs = comparison.socketDifferences.contains { $0.connection == key && $0.socket == end }
            let excused = comparison.equivalences.filter { $0.connection == key && $0.socket == end }.map(\.equivalence)
            var marked = false
            for i in 0..<max(left.count, right.count) {
                var canvas = canvas()
                let a = i < left.count ? left[i] : "", b = i < right.count ? right[i] : ""
                canvas.write(a, at: markerWidth, limit: kernelColumn - 1)
                canvas.write(b, at: kernelColumn, limit: marginColumn - 1)
                if a != b && !marked {
                    marked = true
                    if differs {
                        canvas.write(options.ascii ? "X" : "✗", at: 0, .lost)
                        canvas.write("differs", at: marginColumn, limit: width, .lost)
                    } else {
                        canvas.write(excused.map(\.name).joined(separator: ", "), at: marginColumn, limit: width, .marker)
                    }
                }
                lines.append(canvas.text(colors: options.colors))
            }
        }
        return lines
    }

    /// A socket's calls and events, then its bytes and last state.
    private static func story(_ history: StreamHistory) -> [String] {
        history.steps.map(\.description)
            + ["sent \(history.bytesSent) B, got \(history.bytesReceived) B", "last state \(history.settledState)"]
    }
}
