/// The socket-level comparison: what the applications did and saw, compared without packets.
///
/// For every TCP end: the calls and the order of open, end-of-file, errors and close (data calls
/// and reads left out), the bytes sent and received, and the last state; for listeners and UDP
/// sockets: their calls, datagram sizes and errors. This is the whole comparison when the kernel's
/// packets could not be captured, and part of it when they were.
enum SocketComparison {
    /// Every difference, and where `close-race` excused one.
    static func compare(simulated: SocketHistories, kernel: SocketHistories,
                        finsCrossed: (ReplayConnectionKey) -> Bool) -> (differences: [ReplayDifference],
                                                                       equivalences: [AppliedEquivalence]) {
        var differences: [ReplayDifference] = []
        var equivalences: [AppliedEquivalence] = []
        var keys: [ReplayConnectionKey] = []
        for history in simulated.streams + kernel.streams where !keys.contains(history.connection) {
            keys.append(history.connection)
        }
        for key in keys {
            let crossed = finsCrossed(key)
            for end in [key.first, key.second] {
                let found = simulated.streams.first { $0.connection == key && $0.end == end }
                let other = kernel.streams.first { $0.connection == key && $0.end == end }
                if found == nil && other == nil { continue }   // an end without a socket (a refused connect's)
                func differ(_ reason: String) {
                    differences.append(ReplayDifference(connection: key, direction: nil, socket: end, simulated: nil,
                                                        kernel: nil, reason: "\(end) (\(key)): " + reason))
                }
                // A socket the application never used (only state samples name it) counts as absent.
                let absent = StreamHistory(connection: key, end: end, name: "")
                let s = found ?? absent, k = other ?? absent
                if s.isUsed != k.isUsed {
                    differ(s.isUsed ? "this socket exists only on the simulator" : "this socket exists only on the kernel")
                    continue
                }
                // Under close-race, whether the second closer reads end-of-file before closing is a race.
                let steps = { (history: StreamHistory) in crossed ? history.steps.filter { $0 != .ended } : history.steps }
                if steps(s) != steps(k) {
                    differ("calls and events differ: simulated " + text(steps(s)) + "; kernel " + text(steps(k)))
                }
                if s.bytesSent != k.bytesSent { differ("sent \(s.bytesSent) bytes on the simulator, \(k.bytesSent) on the kernel") }
                if s.bytesReceived != k.bytesReceived {
                    differ("received \(s.bytesReceived) bytes on the simulator, \(k.bytesReceived) on the kernel")
                }
                if !s.intact || !k.intact { differ("received bytes that were not what the peer sent") }
                let timeWaitRace = crossed && Set([s.settledState, k.settledState]) == [.timeWait, .closed]
                if s.settledState != k.settledState && !timeWaitRace {
                    differ("ends in \(s.settledState) on the simulator, \(k.settledState) on the kernel")
                }
                if (timeWaitRace && s.settledState != k.settledState) || (steps(s) == steps(k) && s.steps != k.steps) {
                    equivalences.append(AppliedEquivalence(equivalence: .closeRace, connection: key, direction: nil,
                                                           socket: end, simulatedSegment: nil, kernelSegment: nil,
                                                           count: 1))
                }
            }
        }
        var names: [String] = []
        for socket in simulated.others + kernel.others where !names.contains(socket.name) { names.append(socket.name) }
        for name in names {
            let s = simulated.others.first { $0.name == name }, k = kernel.others.first { $0.name == name }
            func differ(_ reason: String) {
                differences.append(ReplayDifference(connection: nil, direction: nil, simulated: nil, kernel: nil,
                                                    reason: "\(name): " + reason))
            }
            guard let s, let k else {
                differ(s == nil ? "this socket exists only on the kernel" : "this socket exists only on the simulator")
                continue
            }
            if s.steps != k.steps { differ("calls differ: simulated " + text(s.steps) + "; kernel " + text(k.steps)) }
            if s.datagramsSent != k.datagramsSent {
                differ("sent \(s.datagramsSent.count) datagrams on the simulator, \(k.datagramsSent.count) on the kernel")
            }
            if s.datagramsReceived != k.datagramsReceived {
                differ("received \(s.datagramsReceived.count) datagrams on the simulator, "
                       + "\(k.datagramsReceived.count) on the kernel")
            }
            if s.errors != k.errors { differ("\(s.errors) errors on the simulator, \(k.errors) on the kernel") }
        }
        return (differences, equivalences)
    }

    static func text(_ steps: [SocketStep]) -> String {
        steps.isEmpty ? "(none)" : steps.map(\.description).joined(separator: ", ")
    }
}
