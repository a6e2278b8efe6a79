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
    /// `options`, then, when there is padding, a marker holding it (`paddingMarker`): one array,
    /// not two, to release when a segment is destroyed (~36 instructions a packet less; callgrind,
    /// workload A). An inline option store or a class box was worse: segments then moved by
    /// `memcpy`, or copied through the value witnesses.
    @usableFromInline
    var optionStorage: [TCPOption]

    public var options: [TCPOption] {
        get { Self.paddingMarker(in: optionStorage) == nil ? optionStorage : Array(optionStorage.dropLast()) }
        set { optionStorage = Self.storage(options: newValue, padding: optionPadding) }
    }

    public var optionPadding: [UInt8] {
        get { Self.paddingMarker(in: optionStorage) ?? [] }
        set { optionStorage = Self.storage(options: options, padding: newValue) }
    }

    // Inlinable, so that the common header without options or padding moves its (empty) array in
    // place, not through a call that then releases both arguments (~95 instructions a packet).
    @inlinable
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
        optionStorage = optionPadding.isEmpty && options.isEmpty ? options : Self.storage(options: options, padding: optionPadding)
    }

    /// The padding held by the marker that ends `storage`, if it ends with one. The marker is an
    /// `.unknown` option of kind 0, which no parsed list holds (kind 0 is `.endOfList`).
    static func paddingMarker(in storage: [TCPOption]) -> [UInt8]? {
        guard case .unknown(kind: 0, let padding)? = storage.last else { return nil }
        return padding
    }

    /// The stored form of `options` and `padding`: a marker goes on the end when there is padding,
    /// or when the last option would be taken for a marker (a hand-made `.unknown` of kind 0).
    @usableFromInline
    static func storage(options: [TCPOption], padding: [UInt8]) -> [TCPOption] {
        guard !padding.isEmpty || paddingMarker(in: options) != nil else { return options }
        return options + [.unknown(kind: 0, data: padding)]
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
