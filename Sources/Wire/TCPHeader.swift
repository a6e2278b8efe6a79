/// A TCP header as a value (RFC 9293 §3.1). The wire codec is in `TCPHeader+Codec.swift`.
///
/// `options` lists every option in wire order, including `noOperation` padding and `endOfList`;
/// `optionPadding` holds the octets after an `endOfList`, up to the end of the header, so a
/// decoded header encodes back to the same bytes.
public struct TCPHeader: Hashable, Sendable {
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    /// `SEG.SEQ` in RFC 9293.
    public var sequenceNumber: SequenceNumber
    /// `SEG.ACK` in RFC 9293; meaningful only when `flags` contains `.ack`.
    public var acknowledgmentNumber: SequenceNumber
    /// The four reserved bits between the data offset and the flags; zero when sent.
    public var reserved: UInt8
    public var flags: TCPFlags
    /// `SEG.WND` in RFC 9293, before any window scaling.
    public var window: UInt16
    /// The checksum as carried on the wire; `emit` computes it afresh.
    public var checksum: UInt16
    /// `SEG.UP` in RFC 9293.
    public var urgentPointer: UInt16
    public var options: [TCPOption]
    public var optionPadding: [UInt8]

    public init(
        sourcePort: UInt16, destinationPort: UInt16,
        sequenceNumber: SequenceNumber, acknowledgmentNumber: SequenceNumber = SequenceNumber(0),
        flags: TCPFlags, window: UInt16, checksum: UInt16 = 0, urgentPointer: UInt16 = 0,
        options: [TCPOption] = [], optionPadding: [UInt8] = [], reserved: UInt8 = 0
    ) {
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.sequenceNumber = sequenceNumber
        self.acknowledgmentNumber = acknowledgmentNumber
        self.reserved = reserved
        self.flags = flags
        self.window = window
        self.checksum = checksum
        self.urgentPointer = urgentPointer
        self.options = options
        self.optionPadding = optionPadding
    }
}

/// A TCP segment: header and payload. The payload is held, not copied (`Payload`): a parsed
/// segment's is a slice of its frame.
public struct TCPSegment: Hashable, Sendable {
    public var header: TCPHeader
    public var payload: Payload

    public init(header: TCPHeader, payload: [UInt8] = []) {
        self.header = header
        self.payload = Payload(payload)
    }

    public init(header: TCPHeader, payload: Payload) {
        self.header = header
        self.payload = payload
    }

    /// `SEG.LEN` in RFC 9293: payload octets plus one for SYN and one for FIN.
    public var sequenceLength: UInt32 {
        UInt32(payload.count) + (header.flags.contains(.syn) ? 1 : 0) + (header.flags.contains(.fin) ? 1 : 0)
    }
}
