/// One TCP connection or UDP flow of a trace, its packets normalised for a replay.
public struct ReplayConnection: Hashable, Sendable {
    public var key: ReplayConnectionKey
    /// The connection as the trace names it, the key's first end first: `client:52583>server:80`.
    public var actualName: String
    /// Every packet sent, both directions, in the order they were sent.
    public var segments: [ReplaySegment]

    public func segments(_ direction: ReplayDirection) -> [ReplaySegment] {
        segments.filter { $0.direction == direction }
    }

    /// The acknowledgment number that acknowledges the FIN sent in `direction`, if one was sent.
    func finAcknowledgment(sentIn direction: ReplayDirection) -> UInt32? {
        segments.first { $0.direction == direction && $0.isFIN }.map(\.sequenceEnd)
    }

    /// The acknowledgment number that acknowledges the SYN sent in `direction`, if one was sent.
    func synAcknowledgment(sentIn direction: ReplayDirection) -> UInt32? {
        segments.first { $0.direction == direction && $0.isSYN }.map(\.sequenceEnd)
    }

    /// Both ends sent a FIN before the other's FIN had arrived (each FIN's ACK leaves the other FIN
    /// unacknowledged): a simultaneous close, RFC 9293 §3.6 Figure 13.
    var finsCrossed: Bool {
        let fins = ReplayDirection.allCases.map { direction in segments.first { $0.direction == direction && $0.isFIN } }
        guard let forward = fins[0], let backward = fins[1] else { return false }
        return (forward.acknowledgment ?? 0) != backward.sequenceEnd && (backward.acknowledgment ?? 0) != forward.sequenceEnd
    }
}
