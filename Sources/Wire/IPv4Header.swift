/// The three IPv4 flag bits (RFC 791 §3.1): reserved (must be zero), DF and MF.
public struct IPv4Flags: OptionSet, Hashable, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue & 0x07 }

    /// Bit 0, reserved, must be zero (RFC 791); RFC 3514 jokingly calls it the evil bit.
    public static let reserved = IPv4Flags(rawValue: 0x04)
    /// DF: don't fragment.
    public static let dontFragment = IPv4Flags(rawValue: 0x02)
    /// MF: more fragments follow.
    public static let moreFragments = IPv4Flags(rawValue: 0x01)
}

/// An IPv4 header as a value (RFC 791 §3.1).
///
/// The version is always 4 and the IHL is derived from `options`, which holds the option octets
/// raw (a multiple of 4, at most 40). `totalLength` and `headerChecksum` are kept as carried on
/// the wire; `IPv4Packet.emit` recomputes both.
public struct IPv4Header: Hashable, Sendable {
    /// Differentiated services code point: the high 6 bits of the old TOS octet (RFC 2474).
    public var dscp: UInt8
    /// Explicit congestion notification: the low 2 bits of the old TOS octet (RFC 3168).
    public var ecn: UInt8
    /// Header plus payload, in octets.
    public var totalLength: UInt16
    public var identification: UInt16
    public var flags: IPv4Flags
    /// In units of 8 octets; 13 bits.
    public var fragmentOffset: UInt16
    /// Time to live.
    public var ttl: UInt8
    public var `protocol`: IPProtocol
    public var headerChecksum: UInt16
    public var source: IPv4Address
    public var destination: IPv4Address
    /// The option octets, raw, including any end-of-list padding.
    public var options: [UInt8]

    /// The minimum header length, 5 words.
    public static let minimumLength = 20

    public init(
        dscp: UInt8 = 0, ecn: UInt8 = 0, totalLength: UInt16 = 0, identification: UInt16 = 0,
        flags: IPv4Flags = .dontFragment, fragmentOffset: UInt16 = 0, ttl: UInt8 = 64,
        protocol: IPProtocol, headerChecksum: UInt16 = 0,
        source: IPv4Address, destination: IPv4Address, options: [UInt8] = []
    ) {
        self.dscp = dscp
        self.ecn = ecn
        self.totalLength = totalLength
        self.identification = identification
        self.flags = flags
        self.fragmentOffset = fragmentOffset
        self.ttl = ttl
        self.protocol = `protocol`
        self.headerChecksum = headerChecksum
        self.source = source
        self.destination = destination
        self.options = options
    }

    /// Always 4.
    public var version: UInt8 { 4 }

    /// The header length in octets: 20 plus the options padded to a word, at most 60.
    public var headerLength: Int { Self.minimumLength + min(40, (options.count + 3) & ~3) }

    /// The IHL field: the header length in 32-bit words.
    public var ihl: UInt8 { UInt8(headerLength / 4) }

    /// True when this is a fragment (MF set or a nonzero offset): its payload is not a whole datagram.
    public var isFragment: Bool { flags.contains(.moreFragments) || fragmentOffset != 0 }
}
