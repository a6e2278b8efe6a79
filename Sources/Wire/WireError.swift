/// A malformed input found by one of the `Wire` parsers: what is wrong, in which field, and where.
///
/// `offset` is a byte offset into the input that was handed to the outermost parser: for a TCP
/// segment parsed by `IPv4Packet.parse` it counts from the first byte of the IP header, and for a
/// pcap or pcapng file from the first byte of the file. For `.truncated`, it is the offset of the first
/// missing byte. Detecting the problem and rendering the message are separate: `description`
/// renders, e.g. `byte 12: TCP.dataOffset: 4 words is below the minimum of 5`.
public struct WireError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The class of problem.
    public enum Kind: String, Hashable, Sendable {
        /// The input ends before a field that must be there.
        case truncated
        /// An IP version other than 4, or an unsupported pcap version.
        case badVersion
        /// An IPv4 IHL or TCP data offset below 5 words, or past the end of the input.
        case badHeaderLength
        /// A length field disagrees with the number of bytes available.
        case lengthMismatch
        /// An option's length field is missing or runs past the end of the header.
        case optionOverrun
        /// An option's length is below 2, or wrong for an option kind with a fixed length.
        case badOptionLength
        /// A checksum does not verify.
        case badChecksum
        /// A pcap file does not start with one of the four libpcap magic numbers, a pcapng file with a
        /// Section Header Block, or a Section Header Block's byte-order magic is neither order.
        case badMagic
        /// A pcap link type StackLab does not read.
        case unsupportedLinkType
        /// A pcap record claims more bytes than the snapshot length or than 256 KiB, a pcapng packet
        /// more than 256 KiB, or a pcapng block more than 16 MiB.
        case recordTooLarge
        /// A value outside the range the field allows.
        case invalidValue
    }

    public var kind: Kind
    /// The field at fault, as `Protocol.field`, e.g. `IPv4.totalLength` or `TCP.option[2].length`.
    public var field: String
    /// The byte offset of the problem in the outermost input.
    public var offset: Int
    /// A short human explanation, without the offset and field.
    public var detail: String

    public init(_ kind: Kind, field: String, offset: Int, detail: String) {
        self.kind = kind
        self.field = field
        self.offset = offset
        self.detail = detail
    }

    public var description: String { "byte \(offset): \(field): \(detail)" }

    static func truncated(_ field: String, at offset: Int, needed: Int, available: Int) -> WireError {
        WireError(.truncated, field: field, offset: offset,
                  detail: "needs \(needed) bytes, only \(available) available")
    }
}
