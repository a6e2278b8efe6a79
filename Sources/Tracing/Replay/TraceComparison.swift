/// Compares a simulated trace with a kernel trace of the same scenario, segment by segment and
/// socket by socket: pure, no I/O, any two traces.
///
/// Each trace is normalised per connection (`TraceConnections`: relative sequence numbers, ports
/// named through the scenario), then each connection is aligned direction by direction
/// (`DirectionAligner`, which applies the equivalences of `ReplayEquivalence`), the order of its
/// SYNs, FINs and RSTs is checked (`ControlOrder`), the applications' view is compared
/// (`SocketComparison`), and on each trace the end that closed first must be the one that held
/// TIME-WAIT (`TimeWaitFinding`). Without the kernel's packets, only the last two are done.
public enum TraceComparison {
    /// `allowed` are the equivalences the alignment may apply (all of them unless a profile says otherwise:
    /// `ReplayEquivalence.allowed(for:)`).
    public static func compare(simulated: ComparedTrace, kernel: ComparedTrace, strict: Bool = false,
                               allowed: Set<ReplayEquivalence> = Set(ReplayEquivalence.allCases)) -> ReplayComparison {
        let packets = simulated.hasPackets && kernel.hasPackets
        let simulatedConnections = TraceConnections(simulated.trace, ports: simulated.ports, until: simulated.endTime)
        let kernelConnections = TraceConnections(kernel.trace, ports: kernel.ports, until: kernel.endTime)
        let simulatedSockets = SocketHistories(simulated.trace, namer: simulatedConnections.namer, ports: simulated.ports,
                                               until: simulated.endTime)
        let kernelSockets = SocketHistories(kernel.trace, namer: kernelConnections.namer, ports: kernel.ports,
                                            until: kernel.endTime)

        var keys = simulatedConnections.connections.map(\.key)
        for connection in kernelConnections.connections where !keys.contains(connection.key) { keys.append(connection.key) }
        for history in simulatedSockets.streams + kernelSockets.streams where !keys.contains(history.connection) {
            keys.append(history.connection)
        }

        var connections: [ConnectionComparison] = []
        var equivalences: [AppliedEquivalence] = []
        for key in keys {
            let s = simulatedConnections.connection(key), k = kernelConnections.connection(key)
            var comparison = ConnectionComparison(
                key: key, simulatedName: s?.actualName ?? simulatedSockets.streams(of: key).first?.name,
                kernelName: k?.actualName ?? kernelSockets.streams(of: key).first?.name,
                simulated: s?.segments ?? [], kernel: packets ? k?.segments ?? [] : [], rows: [], difference: nil,
                finsCrossed: s?.finsCrossed ?? false)
            if packets {
                equivalences += align(&comparison, simulated: s, kernel: k, strict: strict, allowed: allowed)
            }
            if key.transport == .tcp {
                comparison.simulatedTimeWait = TimeWaitFinding.check(s, key: key, streams: simulatedSockets.streams(of: key),
                                                                     packets: simulated.hasPackets)
                comparison.kernelTimeWait = TimeWaitFinding.check(k, key: key, streams: kernelSockets.streams(of: key),
                                                                  packets: kernel.hasPackets)
            }
            connections.append(comparison)
        }

        let crossed = Dictionary(connections.map { ($0.key, $0.finsCrossed) }, uniquingKeysWith: { first, _ in first })
        let (socketDifferences, socketEquivalences) = SocketComparison.compare(
            simulated: simulatedSockets, kernel: kernelSockets, finsCrossed: { crossed[$0] ?? false })
        equivalences += socketEquivalences
        let firstDifference = connections.lazy.compactMap(\.difference).first ?? timeWaitDifference(connections)
            ?? socketDifferences.first
        let verdict: ReplayComparison.Verdict = firstDifference != nil ? .mismatch
            : equivalences.isEmpty ? .match : .matchWithEquivalences
        return ReplayComparison(verdict: verdict, connections: connections, equivalences: equivalences,
                                firstDifference: firstDifference, socketDifferences: socketDifferences,
                                packetsCompared: packets, simulatedStreams: simulatedSockets.streams,
                                kernelStreams: kernelSockets.streams)
    }

    /// Aligns both directions of one connection, checks its control order, and lays out its rows.
    private static func align(
        _ comparison: inout ConnectionComparison, simulated: ReplayConnection?, kernel: ReplayConnection?, strict: Bool,
        allowed: Set<ReplayEquivalence>
    ) -> [AppliedEquivalence] {
        let key = comparison.key
        guard let simulated, let kernel else {
            let only = simulated ?? kernel
            comparison.rows = (only?.segments ?? []).map { segment in
                ReplayRow(direction: segment.direction, simulated: simulated == nil ? [] : [segment.position],
                          kernel: kernel == nil ? [] : [segment.position], status: .different)
            }
            comparison.difference = ReplayDifference(
                connection: key, direction: only?.segments.first?.direction, simulated: simulated?.segments.first,
                kernel: kernel?.segments.first,
                reason: simulated == nil ? "the kernel has a connection \(key) that the simulator does not"
                    : "the simulator has a connection \(key) that the kernel does not")
            return []
        }
        var directionRows: [[ReplayRow]] = []
        var applied: [AppliedEquivalence] = []
        var differences: [ReplayDifference] = []
        for direction in ReplayDirection.allCases {
            let sender = (direction == .forward ? key.first : key.second).description
            if key.transport == .udp {
                let (rows, difference) = alignDatagrams(simulated.segments(direction), kernel.segments(direction))
                directionRows.append(rows)
                if let difference {
                    differences.append(ReplayDifference(connection: key, direction: direction, simulated: difference.0,
                                                        kernel: difference.1, reason: difference.2))
                }
                continue
            }
            let side = { (connection: ReplayConnection) in
                DirectionAligner.Side(segments: connection.segments(direction),
                                      peerSYNAcknowledgment: connection.synAcknowledgment(sentIn: direction.reversed),
                                      peerFINAcknowledgment: connection.finAcknowledgment(sentIn: direction.reversed))
            }
            let aligner = DirectionAligner(direction: direction, sides: [side(simulated), side(kernel)], strict: strict,
                                           allowed: allowed, finsCrossed: comparison.finsCrossed, sender: sender)
            let result = aligner.align()
            let sSegments = simulated.segments(direction), kSegments = kernel.segments(direction)
            // Offsets within the direction → positions within the connection.
            directionRows.append(result.rows.map { row in
                var row = row
                row.simulated = row.simulated.map { sSegments[$0].position }
                row.kernel = row.kernel.map { kSegments[$0].position }
                return row
            })
            applied += summarise(result.applications, key: key, direction: direction)
            if let difference = result.difference {
                differences.append(ReplayDifference(connection: key, direction: direction, simulated: difference.simulated,
                                                    kernel: difference.kernel, reason: difference.reason))
            }
        }
        if key.transport == .tcp,
           let order = ControlOrder.difference(simulated: simulated, kernel: kernel, finsCrossed: comparison.finsCrossed) {
            differences.append(order)
            // Mark the rows of the out-of-order segments.
            for d in directionRows.indices {
                for r in directionRows[d].indices where directionRows[d][r].status == .same {
                    let row = directionRows[d][r]
                    if (order.simulated.map { row.simulated.contains($0.position) } ?? false)
                        || (order.kernel.map { row.kernel.contains($0.position) } ?? false) {
                        directionRows[d][r].status = .different
                    }
                }
            }
        }
        comparison.rows = merge(directionRows)
        comparison.difference = differences.min { order($0) < order($1) }
        return applied
    }

    /// Where a difference sits in the connection, for choosing the first: the earlier of its two
    /// segments' positions.
    private static func order(_ difference: ReplayDifference) -> Int {
        min(difference.simulated?.position ?? .max, difference.kernel?.position ?? .max)
    }

    /// UDP datagrams and ICMP errors of one direction: the same sizes, in the same order.
    private static func alignDatagrams(
        _ simulated: [ReplaySegment], _ kernel: [ReplaySegment]
    ) -> ([ReplayRow], (ReplaySegment?, ReplaySegment?, String)?) {
        var rows: [ReplayRow] = []
        var difference: (ReplaySegment?, ReplaySegment?, String)?
        for i in 0..<max(simulated.count, kernel.count) {
            let s = i < simulated.count ? simulated[i] : nil, k = i < kernel.count ? kernel[i] : nil
            var status = ReplayRow.Status.same
            if difference != nil {
                status = .unaligned
            } else if s?.kind != k?.kind || s?.length != k?.length {
                status = .different
                difference = (s, k, "simulated sends \(s?.label ?? "nothing"), the kernel \(k?.label ?? "nothing")")
            }
            rows.append(ReplayRow(direction: (s ?? k)!.direction, simulated: s.map { [$0.position] } ?? [],
                                  kernel: k.map { [$0.position] } ?? [], status: status))
        }
        return (rows, difference)
    }

    /// Applications of one direction, one entry per equivalence: where first, how many times.
    private static func summarise(
        _ applications: [DirectionAligner.Application], key: ReplayConnectionKey, direction: ReplayDirection
    ) -> [AppliedEquivalence] {
        var entries: [AppliedEquivalence] = []
        for application in applications {
            if let i = entries.firstIndex(where: { $0.equivalence == application.equivalence }) {
                entries[i].count += 1
                if entries[i].simulatedSegment == nil { entries[i].simulatedSegment = application.simulated }
                if entries[i].kernelSegment == nil { entries[i].kernelSegment = application.kernel }
            } else {
                entries.append(AppliedEquivalence(equivalence: application.equivalence, connection: key, direction: direction,
                                                  simulatedSegment: application.simulated,
                                                  kernelSegment: application.kernel, count: 1))
            }
        }
        return entries
    }

    /// Both directions' rows as one list: by the simulated send order; a row with kernel segments
    /// only comes right after the row before it in its direction.
    private static func merge(_ directions: [[ReplayRow]]) -> [ReplayRow] {
        var keyed: [(key: Int, direction: Int, index: Int, row: ReplayRow)] = []
        for (d, rows) in directions.enumerated() {
            var last = -1
            for (i, row) in rows.enumerated() {
                let key = row.simulated.min().map { 2 * $0 + 2 } ?? (last | 1)
                keyed.append((key, d, i, row))
                last = key
            }
        }
        return keyed.sorted { ($0.key, $0.direction, $0.index) < ($1.key, $1.direction, $1.index) }.map(\.row)
    }

    /// A connection whose first closer did not hold TIME-WAIT, on either trace.
    private static func timeWaitDifference(_ connections: [ConnectionComparison]) -> ReplayDifference? {
        for connection in connections {
            for (name, finding) in [("simulated", connection.simulatedTimeWait), ("kernel", connection.kernelTimeWait)] {
                guard let finding, !finding.passes else { continue }
                return ReplayDifference(connection: connection.key, direction: nil, simulated: nil, kernel: nil,
                                        reason: "TIME-WAIT on the \(name) side: " + finding.text)
            }
        }
        return nil
    }
}
