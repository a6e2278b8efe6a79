/// One left edge and one right edge of a SACK block (RFC 2018).
public struct SACKBlock: Hashable, Sendable {
    public var left: SequenceNumber
    public var right: SequenceNumber
    public init(left: SequenceNumber, right: SequenceNumber) {
        self.left = left
        self.right = right
    }
}

/// A TCP option (RFC 9293 §3.2; window scale and timestamps from RFC 7323; SACK from RFC 2018).
///
/// Options of a kind StackLab does not interpret are kept as `.unknown` with their raw data,
/// so that decoding then encoding gives back the same bytes.
public enum TCPOption: Hashable, Sendable {
    /// Kind 0: end of option list.
    case endOfList
    /// Kind 1: no-operation, used as padding between options.
    case noOperation
    /// Kind 2: maximum segment size.
    case maximumSegmentSize(UInt16)
    /// Kind 3: window scale shift count.
    case windowScale(UInt8)
    /// Kind 4: SACK permitted.
    case sackPermitted
    /// Kind 5: selective acknowledgment blocks.
    case sack([SACKBlock])
    /// Kind 8: timestamps, `TSval` and `TSecr`.
    case timestamps(value: UInt32, echoReply: UInt32)
    /// Any other kind, with the bytes after its kind and length octets.
    case unknown(kind: UInt8, data: [UInt8])
}
