/// The pcapng block types StackLab reads or knows to skip (draft-ietf-opsawg-pcapng §4 and the
/// block type registry in §10.1), with the lengths below which a block of the type cannot be.
struct PcapngBlockType: RawRepresentable, Hashable, Sendable {
    var rawValue: UInt32

    /// Section Header Block (§4.1). Its code reads the same in both byte orders.
    static let sectionHeader = PcapngBlockType(rawValue: 0x0A0D_0D0A)
    /// Interface Description Block (§4.2).
    static let interfaceDescription = PcapngBlockType(rawValue: 1)
    /// Simple Packet Block (§4.4).
    static let simplePacket = PcapngBlockType(rawValue: 3)
    /// Name Resolution Block (§4.5): skipped.
    static let nameResolution = PcapngBlockType(rawValue: 4)
    /// Interface Statistics Block (§4.6): skipped.
    static let interfaceStatistics = PcapngBlockType(rawValue: 5)
    /// Enhanced Packet Block (§4.3).
    static let enhancedPacket = PcapngBlockType(rawValue: 6)
    /// Decryption Secrets Block (§4.7): skipped.
    static let decryptionSecrets = PcapngBlockType(rawValue: 0x0A)

    /// The abbreviation used in error fields, e.g. `EPB` in `pcapng.EPB.captured_length`.
    var name: String {
        switch rawValue {
        case Self.sectionHeader.rawValue: "SHB"
        case Self.interfaceDescription.rawValue: "IDB"
        case Self.simplePacket.rawValue: "SPB"
        case Self.nameResolution.rawValue: "NRB"
        case Self.interfaceStatistics.rawValue: "ISB"
        case Self.enhancedPacket.rawValue: "EPB"
        case Self.decryptionSecrets.rawValue: "DSB"
        default: "block"
        }
    }

    /// The smallest Block Total Length a block of this type can have: the 12 octets every block
    /// has (type, length, length again) plus its fixed fields.
    var minimumLength: Int {
        switch rawValue {
        case Self.sectionHeader.rawValue: 28
        case Self.interfaceDescription.rawValue: 20
        case Self.simplePacket.rawValue: 16
        case Self.enhancedPacket.rawValue: 32
        default: 12
        }
    }
}
