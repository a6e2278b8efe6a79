import Wire

/// One packet of a connection or flow, normalised for comparison: sequence and acknowledgment
/// numbers relative to each side's initial sequence number (the SYN's, or the first segment's when
/// no SYN was seen), so that two runs with different ISNs compare equal.
public struct ReplaySegment: Hashable, Sendable {
    /// What the packet is.
    public enum Kind: Hashable, Sendable {
        case tcp
        /// A UDP datagram; `length` is its payload's.
        case udp
        /// An ICMP error about a packet of this flow.
        case icmp(type: UInt8, code: UInt8)
    }

    public var kind: Kind
    public var direction: ReplayDirection
    /// Position among the segments of its connection (both directions, in the order they were sent).
    public var position: Int
    /// Position among the segments of its direction.
    public var index: Int
    /// Index of the `packetSent` event in the trace.
    public var eventIndex: Int
    public var time: Int64
    public var flags: TCPFlags
    /// Relative sequence number (TCP).
    public var sequence: UInt32
    /// Payload octets.
    public var length: Int
    /// Relative acknowledgment number, when ACK is set.
    public var acknowledgment: UInt32?
    public var window: UInt16
    public var options: [TCPOption]

    public init(kind: Kind, direction: ReplayDirection, position: Int, index: Int, eventIndex: Int, time: Int64,
                flags: TCPFlags, sequence: UInt32, length: Int, acknowledgment: UInt32?, window: UInt16,
                options: [TCPOption]) {
        self.kind = kind
        self.direction = direction
        self.position = position
        self.index = index
        self.eventIndex = eventIndex
        self.time = time
        self.flags = flags
        self.sequence = sequence
        self.length = length
        self.acknowledgment = acknowledgment
        self.window = window
        self.options = options
    }

    public var isSYN: Bool { flags.contains(.syn) }
    public var isFIN: Bool { flags.contains(.fin) }
    public var isRST: Bool { flags.contains(.rst) }

    /// ACK and nothing else: no data, no SYN, FIN or RST.
    public var isPureACK: Bool {
        kind == .tcp && length == 0 && flags.contains(.ack) && !isSYN && !isFIN && !isRST
    }

    /// Occupies sequence space with data or a FIN (not a SYN, not a RST).
    public var carriesStream: Bool { kind == .tcp && !isSYN && !isRST && (length > 0 || isFIN) }

    /// The sequence number after this segment: SYN and FIN count one each (RFC 9293 §3.4).
    public var sequenceEnd: UInt32 {
        sequence &+ UInt32(length) &+ (isSYN ? 1 : 0) &+ (isFIN ? 1 : 0)
    }

    /// The flags that decide what a segment does; PSH, URG, ECE and CWR are header details.
    static let meaningfulFlags: TCPFlags = [.syn, .fin, .rst, .ack]

    /// Same kind, flags, sequence range and acknowledgment: the same segment for a replay.
    public func hasSameShape(as other: ReplaySegment) -> Bool {
        kind == other.kind && flags.intersection(Self.meaningfulFlags) == other.flags.intersection(Self.meaningfulFlags)
            && sequence == other.sequence && length == other.length && acknowledgment == other.acknowledgment
    }

    /// Same shape apart from the acknowledgment number.
    func hasSameShapeApartFromACK(as other: ReplaySegment) -> Bool {
        var copy = other
        copy.acknowledgment = acknowledgment
        return hasSameShape(as: copy) && acknowledgment != nil && other.acknowledgment != nil
    }

    /// What `--strict` also compares: the window, PSH and URG, and the options (their kinds and
    /// values, except the two timestamp values, which are clocks).
    func headerDetailsDiffer(from other: ReplaySegment) -> Bool {
        let details: TCPFlags = [.psh, .urg]
        return window != other.window || flags.intersection(details) != other.flags.intersection(details)
            || Self.comparableOptions(options) != Self.comparableOptions(other.options)
    }

    private static func comparableOptions(_ options: [TCPOption]) -> [TCPOption] {
        options.compactMap { option in
            switch option {
            case .noOperation, .endOfList: nil
            case .timestamps: .timestamps(value: 0, echoReply: 0)
            case .maximumSegmentSize, .windowScale, .sackPermitted, .sack, .unknown: option
            }
        }
    }

    /// A short label: `SYN 0`, `SYN,ACK 0 ack 1`, `ACK 1 ack 1`, `1:1461 ack 1`, `FIN 1001 ack 2`,
    /// `RST 0 ack 1`, `UDP 64`, `ICMP 3/3`.
    public var label: String {
        switch kind {
        case .udp:
            return "UDP \(length)"
        case .icmp(let type, let code):
            return type == 3 && code == 3 ? "ICMP port unreachable" : "ICMP \(type)/\(code)"
        case .tcp:
            var names: [String] = []
            if isSYN { names.append("SYN") }
            if isRST { names.append("RST") }
            if isFIN { names.append("FIN") }
            if isSYN && flags.contains(.ack) { names.append("ACK") }
            if names.isEmpty && length == 0 { names.append(flags.contains(.ack) ? "ACK" : "none") }
            let range = length > 0 ? "\(sequence):\(sequence &+ UInt32(length))" : "\(sequence)"
            var text = (names.isEmpty ? "" : names.joined(separator: ",") + " ") + range
            if let acknowledgment { text += " ack \(acknowledgment)" }
            return text
        }
    }
}
