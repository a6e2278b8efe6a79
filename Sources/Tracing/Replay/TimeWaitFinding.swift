/// "The side that closed first is the one in TIME-WAIT" (RFC 9293 §3.6: the end that sends the first
/// FIN, the active closer, waits 2×MSL; the passive closer goes through CLOSE-WAIT and LAST-ACK to
/// CLOSED), checked on one trace, for one connection.
///
/// The first closer is the sender of the connection's first FIN, or, without packets, the end whose
/// application called `close` or `shutdown` first. With packets the check is exact: the ends that
/// hold TIME-WAIT are exactly those whose FIN left before the peer's FIN arrived (both, when FINs
/// cross in a simultaneous close). Only a connection that both ends closed (both sent a FIN, or,
/// without packets, both called `close` or `shutdown`) and that was not reset is checked: an end
/// whose peer never closes waits in FIN-WAIT-2, not TIME-WAIT, and with packets, both FINs must
/// have been acknowledged (a close the network cut short leaves its ends in FIN-WAIT-1 or CLOSING).
public struct TimeWaitFinding: Hashable, Sendable {
    public var connection: ReplayConnectionKey
    /// The end that closed first, nil when the connection never closed or was reset.
    public var firstCloser: ReplayEndpoint?
    /// The ends that entered TIME-WAIT, first end first.
    public var holders: [ReplayEndpoint]
    /// The ends whose FIN left before the peer's arrived, when packets tell.
    public var activeClosers: [ReplayEndpoint]?

    /// Whether the check applies: the connection closed with FINs, not with a reset.
    public var applies: Bool { firstCloser != nil }

    /// The first closer holds TIME-WAIT, and with packets, exactly the active closers do.
    public var passes: Bool {
        guard let firstCloser else { return true }
        guard holders.contains(firstCloser) else { return false }
        return activeClosers.map { $0 == holders } ?? true
    }

    /// `client held TIME-WAIT (closed first)`, or what went wrong.
    public var text: String {
        guard let firstCloser else { return "not checked (no close by FIN)" }
        let held = holders.isEmpty ? "no end held TIME-WAIT" : holders.map(\.description).joined(separator: " and ")
            + " held TIME-WAIT"
        if passes { return held + " (\(firstCloser) closed first)" }
        return held + ", but \(firstCloser) closed first" + (activeClosers.map { closers in
            " (active closers: " + closers.map(\.description).joined(separator: ", ") + ")"
        } ?? "")
    }

    static func check(_ connection: ReplayConnection?, key: ReplayConnectionKey, streams: [StreamHistory],
                      packets: Bool) -> TimeWaitFinding {
        let ends = [key.first, key.second]
        let holders = ends.filter { end in streams.contains { $0.end == end && $0.heldTimeWait } }
        var finding = TimeWaitFinding(connection: key, firstCloser: nil, holders: holders, activeClosers: nil)
        let reset = streams.contains(where: \.aborted)
            || (packets && (connection?.segments.contains(where: \.isRST) ?? false))
        guard !reset else { return finding }
        if packets, let connection {
            let fins = connection.segments.filter(\.isFIN)
            guard let first = fins.first, Set(fins.map(\.direction)).count == 2 else { return finding }
            let bothAcknowledged = ReplayDirection.allCases.allSatisfy { direction in
                guard let ack = connection.finAcknowledgment(sentIn: direction) else { return false }
                return connection.segments.contains { $0.direction == direction.reversed && $0.acknowledgment == ack }
            }
            guard bothAcknowledged else { return finding }
            finding.firstCloser = first.direction == .forward ? key.first : key.second
            finding.activeClosers = ReplayDirection.allCases.compactMap { direction -> ReplayEndpoint? in
                guard let fin = fins.first(where: { $0.direction == direction }) else { return nil }
                let peerFIN = connection.finAcknowledgment(sentIn: direction.reversed)
                let acknowledgesPeerFIN = peerFIN != nil && fin.acknowledgment == peerFIN
                return acknowledgesPeerFIN ? nil : (direction == .forward ? key.first : key.second)
            }
        } else {
            let closers = streams.filter { $0.firstCloseEvent != nil }.sorted { $0.firstCloseEvent! < $1.firstCloseEvent! }
            guard closers.count == 2 else { return finding }
            finding.firstCloser = closers.first?.end
        }
        return finding
    }
}
